/// The history band (key `g`): three btop-style graphs over the last few
/// hundred steps, side by side, with a `┊` column where the settings changed:
///
/// ```
/// tok/s 23.4 · plain 12.7 ⠤⠤   acceptance by depth (8-step window)   accepted/step 2.3 of 5
/// ⠀⠀⣀⣤⣶⣿⣿⣷⣶⣤⣤⣤⣶⣾┊⣿⣿⣷⣶     d1 ▇▇▆▇▇█▇▇▆┊▅▅▆▅  .82         ⠀⣀⣤⣶⣿⣷⣶┊⣤⣤⣶⣿⣷
/// ⣤⣤⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿┊⣿⣿⣿⣿     d2 ▅▆▅▅▆▅▅▆▅┊▃▃▄▃  .58         ⣿⣿⣿⣿⣿⣿⣿┊⣿⣿⣿⣿⣿
/// ```
///
/// - tokens/s of each step (a bucket's tokens over its time when steps are
///   grouped), against plain decoding's tokens/s as a dotted line: columns
///   faster than plain in the `accepted` colour, slower in `rejected`;
/// - acceptance by depth: one sparkline per level, each cell the rate
///   accepted ÷ reached over a window of at least 8 steps ending there
///   (`·`: reached, none accepted; blank: not reached);
/// - accepted draft tokens per step (bucket mean), scaled to the deepest tree.
///
/// With more steps than points, consecutive steps are grouped into buckets
/// of equal size (newest at the right). A pure function of `HistoryState`.
public enum HistoryView {
    /// Steps in the acceptance window, at least.
    public static let acceptanceWindow = 8

    /// The band's title: `history · last 300 steps`.
    public static func title(_ h: HistoryState) -> String {
        "history · last \(h.samples.count) step" + (h.samples.count == 1 ? "" : "s") + " · g hides"
    }

    /// Draws the three graphs into `rect`.
    /// - Complexity: O(rect area + samples).
    public static func draw(_ h: HistoryState, into grid: inout CellGrid, in rect: Rect) {
        guard !rect.isEmpty else { return }
        guard !h.samples.isEmpty else {
            grid.write("no steps yet: the graphs fill as steps finish", x: rect.x, y: rect.y, maxWidth: rect.width,
                       style: CellStyle(.dim), clip: rect)
            return
        }
        let gap = 3
        let w = max(1, (rect.width - 2 * gap) / 3)
        let a = Rect(x: rect.x, y: rect.y, width: w, height: rect.height)
        let b = Rect(x: a.maxX + gap, y: rect.y, width: w, height: rect.height)
        let c = Rect(x: b.maxX + gap, y: rect.y, width: rect.maxX - b.maxX - gap, height: rect.height)
        tokensPerSecond(h, into: &grid, in: a)
        acceptanceByDepth(h, into: &grid, in: b)
        acceptedLength(h, into: &grid, in: c)
    }

    // MARK: - The three graphs

    /// Tokens/s per step (or bucket) against the plain baseline.
    public static func tokensPerSecond(_ h: HistoryState, into grid: inout CellGrid, in rect: Rect) {
        let s = h.samples
        let baseline = s.last?.baselineTokensPerSecond
        let recent = s.suffix(16)
        let recentRate = rate(recent.reduce(0) { $0 + $1.emitted }, recent.reduce(0) { $0 + $1.seconds })
        var label = "tok/s " + (recentRate.map { NumberFormat.fixed($0, 1) } ?? "–")
        if let b = baseline {
            label += " · plain " + NumberFormat.fixed(b, 1) + " ⠤⠤"
            if let r = recentRate { label += " · " + NumberFormat.speedup(r / b) }
        }
        grid.write(label, x: rect.x, y: rect.y, maxWidth: rect.width, style: CellStyle(.dim), clip: rect)
        let graph = rect.droppingTop(1)
        guard !graph.isEmpty else { return }
        let buckets = BrailleGraph.buckets(count: s.count, points: 2 * graph.width)
        var rates: [Double?] = [], slower: [Bool] = [], markers: [Bool] = []
        rates.reserveCapacity(buckets.count)
        for r in buckets {
            var tokens = 0, seconds = 0.0, marked = false
            for i in r { tokens += s[i].emitted; seconds += s[i].seconds; marked = marked || s[i].settingsChanged }
            let v = rate(tokens, seconds)
            rates.append(v)
            markers.append(marked)
            let base = s[r.upperBound - 1].baselineTokensPerSecond
            slower.append(v.map { v in base.map { v < $0 } ?? false } ?? false)
        }
        let top = max(rates.reduce(0) { max($0, $1 ?? 0) }, (baseline ?? 0) * 1.25)
        guard top > 0 else { return }
        BrailleGraph.area(rates.map { $0.map { $0 / top } }, line: baseline.map { $0 / top }, markers: markers,
                          into: &grid, in: graph) { i in
            baseline == nil ? CellStyle(.verifyBar) : CellStyle(slower[i] ? .rejected : .accepted)
        }
    }

    /// One sparkline per depth: accepted ÷ reached over a window ending at each cell.
    public static func acceptanceByDepth(_ h: HistoryState, into grid: inout CellGrid, in rect: Rect) {
        let s = h.samples
        let labelWidth = 3, valueWidth = 4
        let cells = max(1, rect.width - labelWidth - valueWidth - 1)
        let buckets = BrailleGraph.buckets(count: s.count, points: cells)
        let window = max(acceptanceWindow, buckets.first.map(\.count) ?? 1)
        grid.write("acceptance by depth (\(window)-step window)", x: rect.x, y: rect.y, maxWidth: rect.width,
                   style: CellStyle(.dim), clip: rect)
        let depths = min(s.reduce(0) { max($0, $1.treeDepth, $1.deepestTested) }, rect.height - 1)
        guard depths > 0 else { return }
        let x0 = rect.x + labelWidth + (cells - buckets.count)
        for d in 1...depths {
            let y = rect.y + d
            grid.write("d\(d)", x: rect.x, y: y, style: CellStyle(.dim), clip: rect)
            var last: Double?
            for (k, r) in buckets.enumerated() {
                var reached = 0, accepted = 0, marked = false
                for i in max(0, r.upperBound - window)..<r.upperBound {
                    if s[i].deepestTested >= d { reached += 1 }
                    if s[i].acceptedLength >= d { accepted += 1 }
                }
                for i in r where s[i].settingsChanged { marked = true }
                let x = x0 + k
                let value = reached > 0 ? Double(accepted) / Double(reached) : nil
                if k == buckets.count - 1 { last = value }
                if marked {
                    grid.put(value.map { $0 > 0 ? Bars.vertical($0) : "·" } ?? BrailleGraph.markerGlyph, x: x, y: y,
                             style: CellStyle(.bonus), clip: rect)
                } else if let v = value {
                    grid.put(v > 0 ? Bars.vertical(v) : "·", x: x, y: y, style: CellStyle(v > 0 ? .accepted : .dim), clip: rect)
                }
            }
            grid.write(NumberFormat.pad(last.map { NumberFormat.probability($0) } ?? "–", to: valueWidth),
                       x: rect.x + labelWidth + cells + 1, y: y, style: CellStyle(.mainFg), clip: rect)
        }
    }

    /// Accepted draft tokens per step (bucket mean), scaled to the deepest tree in the history.
    public static func acceptedLength(_ h: HistoryState, into grid: inout CellGrid, in rect: Rect) {
        let s = h.samples
        let deepest = max(1, s.reduce(0) { max($0, $1.treeDepth, $1.acceptedLength) })
        let recent = s.suffix(16)
        let mean = Double(recent.reduce(0) { $0 + $1.acceptedLength }) / Double(max(1, recent.count))
        grid.write("accepted/step " + NumberFormat.fixed(mean, 2) + " of \(deepest)", x: rect.x, y: rect.y,
                   maxWidth: rect.width, style: CellStyle(.dim), clip: rect)
        let graph = rect.droppingTop(1)
        guard !graph.isEmpty else { return }
        let buckets = BrailleGraph.buckets(count: s.count, points: 2 * graph.width)
        var values: [Double?] = [], markers: [Bool] = []
        for r in buckets {
            var sum = 0, marked = false
            for i in r { sum += s[i].acceptedLength; marked = marked || s[i].settingsChanged }
            values.append(Double(sum) / Double(r.count) / Double(deepest))
            markers.append(marked)
        }
        BrailleGraph.area(values, markers: markers, into: &grid, in: graph) { _ in CellStyle(.accepted) }
    }

    static func rate(_ tokens: Int, _ seconds: Double) -> Double? { seconds > 0 ? Double(tokens) / seconds : nil }
}
