extension KeyMap {
    /// The `Tab more` item that ends each page when the keys need several.
    public static let moreItem = StatusItem(keys: KeyCode.tab.label, word: "more", rank: -1)

    /// The footer's pages of key hints in `width` columns, so every status
    /// item is reachable at any width: page 0 is what `statusItems(fitting:)`
    /// keeps (least important dropped first); the items it leaves out follow
    /// in table order on as many pages as they need. With more than one page,
    /// each ends in `Tab more`.
    /// - Complexity: O(n²) in the number of items (about 20).
    public func statusPages(fitting width: Int, available: (UICommand) -> Bool = { _ in true }) -> [[StatusItem]] {
        let all = statusItems(available: available)
        let first = statusItems(fitting: width, available: available)
        if first.count == all.count { return [first] }
        let room = width - Self.moreItem.width - 3
        let kept = statusItems(fitting: room, available: available)
        var pages: [[StatusItem]] = [kept]
        var page: [StatusItem] = []
        var used = 0
        for item in all where !kept.contains(item) {
            let w = item.width + (page.isEmpty ? 0 : 3)
            if !page.isEmpty, used + w > room {
                pages.append(page)
                page = []
                used = 0
            }
            page.append(item)
            used += page.count == 1 ? item.width : w
        }
        if !page.isEmpty { pages.append(page) }
        return pages.map { $0 + [Self.moreItem] }
    }

    /// Page `page` (wrapping round) of `statusPages(fitting:available:)`.
    public func statusPage(_ page: Int, fitting width: Int, available: (UICommand) -> Bool = { _ in true }) -> [StatusItem] {
        let pages = statusPages(fitting: width, available: available)
        return pages[((page % pages.count) + pages.count) % pages.count]
    }
}
