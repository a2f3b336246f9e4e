/// The mouse: what a click or a wheel turn at a screen cell does, mapped
/// through the same layout the frame was drawn with (`Screen.layout`,
/// `TreeView.placement`), so it is a pure function of the state and the size.
///
/// - A click on a tree node pins its decision (and distributions) in the
///   decision pane until Esc; on a folded group (`+9 rejected`, `✗ +2`) it
///   also opens or closes that group; on an empty row it clears the pin.
/// - The wheel scrolls the pane under the pointer: the tree by 3 lines, the
///   text by 3 lines back into its history (down returns towards the end).
/// - A click closes the help overlay; the prompt editor ignores the mouse.
extension InputController {
    /// Lines one wheel notch scrolls.
    public static let wheelLines = 3

    /// Handles `event` on a `width` × `height` screen showing `state`.
    /// - Complexity: that of laying out the tree once (O(nodes)).
    public func handle(_ event: MouseEvent, state: inout ScreenState, width: Int, height: Int) -> [LiveAction] {
        guard state.promptEditor == nil else { return [] }
        if state.options.showHelp {
            if event.kind == .press { state.options.showHelp = false }
            return []
        }
        let layout = Screen.layout(for: state, width: width, height: height)
        guard !layout.isTooSmall else { return [] }
        let tree = Screen.padded(layout.tree), text = Screen.padded(layout.text)
        let inTree = tree.contains(x: event.x, y: event.y), inText = text.contains(x: event.x, y: event.y)
        switch event.kind {
        case .wheelUp, .wheelDown:
            let delta = event.kind == .wheelUp ? -Self.wheelLines : Self.wheelLines
            if inTree { state.options.treeScroll += delta }
            if inText { state.options.textScroll = max(0, state.options.textScroll - delta) }
        case .press:
            guard inTree else { return [] }
            click(row: event.y, tree: tree, state: &state)
        }
        return []
    }

    /// A click on row `y` of the tree pane `rect`.
    private func click(row y: Int, tree rect: Rect, state: inout ScreenState) {
        let options = state.options
        guard let placement = TreeView.placement(state.tree, scroll: options.treeScroll, expanded: options.groups(for: state.tree),
                                                 expandAll: options.expandAllTree, in: rect),
              let line = placement.line(atRow: y) else {
            state.selection = nil
            return
        }
        if let group = line.group { state.options.toggleGroup(group, of: state.tree) }
        guard case let .node(i, _) = line.kind else { return }
        let node = state.tree.nodes[i]
        if let decision = node.decision {
            state.selection = decision
        } else {
            state.message = "node " + VisibleText.string(node.token) + ": not verified yet"
        }
    }
}
