/// The one table of key bindings, from which key handling, the status line
/// and the help overlay are all derived.
public struct KeyMap: Sendable {
    public let bindings: [KeyBinding]
    private let lookup: [KeyCode: UICommand]

    /// - Precondition: no key is bound twice (the first binding wins otherwise).
    public init(_ bindings: [KeyBinding]) {
        self.bindings = bindings
        var t: [KeyCode: UICommand] = [:]
        for b in bindings { for k in b.keys where t[k] == nil { t[k] = b.command } }
        lookup = t
    }

    /// The command a key sends, if any. - Complexity: O(1).
    public func command(for key: KeyCode) -> UICommand? { lookup[key] }

    /// The binding of `command`, if bound.
    public func binding(for command: UICommand) -> KeyBinding? { bindings.first { $0.command == command } }

    /// One status-line item: keys and a word, e.g. `+/-` `width`.
    public struct StatusItem: Sendable, Equatable {
        public var keys: String
        public var word: String
        public var rank: Int
        /// Columns taken by `keys word`.
        public var width: Int { DisplayWidth.of(keys) + 1 + DisplayWidth.of(word) }
    }

    /// Status items in table order; bindings sharing a word merge (`[/] depth`).
    public var statusItems: [StatusItem] { statusItems(available: { _ in true }) }

    /// Status items of the commands that can act (`available`); an item none of
    /// whose commands can act is left out, so the footer offers no dead keys.
    public func statusItems(available: (UICommand) -> Bool) -> [StatusItem] {
        var items: [StatusItem] = []
        for b in bindings {
            guard let word = b.status, let key = b.keys.first, available(b.command) else { continue }
            if let i = items.firstIndex(where: { $0.word == word }) {
                items[i].keys += "/" + key.label
                items[i].rank = min(items[i].rank, b.rank)
            } else {
                items.append(StatusItem(keys: key.label, word: word, rank: b.rank))
            }
        }
        return items
    }

    /// The items that fit in `width` columns joined by ` · `, dropping the
    /// highest ranks first, in table order.
    /// - Complexity: O(n²) in the number of items (about 20).
    public func statusItems(fitting width: Int, available: (UICommand) -> Bool = { _ in true }) -> [StatusItem] {
        var items = statusItems(available: available)
        func total(_ xs: [StatusItem]) -> Int { xs.reduce(0) { $0 + $1.width } + max(0, xs.count - 1) * 3 }
        while !items.isEmpty, total(items) > width {
            let worst = items.indices.max { items[$0].rank < items[$1].rank }!
            items.remove(at: worst)
        }
        return items
    }

    /// The status line as plain text in at most `width` columns.
    public func statusText(width: Int) -> String {
        statusItems(fitting: width).map { "\($0.keys) \($0.word)" }.joined(separator: " · ")
    }

    /// Help overlay rows: all keys of a binding (`space p`) and its help text, in table order.
    public var helpLines: [(keys: String, help: String)] {
        bindings.map { b in (b.keys.map(\.label).joined(separator: " "), b.help) }
    }

    /// spectree's bindings.
    public static let standard = KeyMap([
        KeyBinding(.togglePause, [.character(" "), .character("p")], help: "pause / resume", status: "pause", rank: 2),
        KeyBinding(.step, [.character("n")], help: "run one step, then pause", status: "step", rank: 3),
        KeyBinding(.stepDecision, [.character("v")], help: "one verification decision", status: "decision", rank: 4),
        KeyBinding(.widthUp, [.character("+"), .character("=")], help: "tree width +1", status: "width", rank: 5),
        KeyBinding(.widthDown, [.character("-"), .character("_")], help: "tree width −1", status: "width", rank: 5),
        KeyBinding(.depthDown, [.character("[")], help: "tree depth −1", status: "depth", rank: 6),
        KeyBinding(.depthUp, [.character("]")], help: "tree depth +1", status: "depth", rank: 6),
        KeyBinding(.methodNext, [.character("m")], help: "next method", status: "method", rank: 7),
        KeyBinding(.temperatureUp, [.character("t")], help: "temperature +0.1", status: "temp", rank: 8),
        KeyBinding(.temperatureDown, [.character("T")], help: "temperature −0.1", status: "temp", rank: 8),
        KeyBinding(.draftLayersDown, [.character("<"), .character(",")], help: "draft layers −1", status: "layers", rank: 10),
        KeyBinding(.draftLayersUp, [.character(">"), .character(".")], help: "draft layers +1", status: "layers", rank: 10),
        KeyBinding(.draftVocabularyDown, [.character("x")], help: "draft vocabulary smaller (FR-Spec)", status: "vocab", rank: 18),
        KeyBinding(.draftVocabularyUp, [.character("X")], help: "draft vocabulary larger", status: "vocab", rank: 18),
        KeyBinding(.pMinDown, [.character("o")], help: "p-min −0.05 (draft longer)", status: "p-min", rank: 19),
        KeyBinding(.pMinUp, [.character("O")], help: "p-min +0.05 (stop drafting sooner)", status: "p-min", rank: 19),
        KeyBinding(.draftLookupToggle, [.character("u")], help: "lookup-assisted drafting on / off (n-gram guesses)", status: "lookup", rank: 19),
        KeyBinding(.draftSourceNext, [.character("d")], help: "next draft source", status: "draft", rank: 11),
        KeyBinding(.budgetToggle, [.character("b")], help: "fixed length ↔ fixed budget", status: "budget", rank: 12),
        KeyBinding(.verifierNext, [.character("V")], help: "next verifier", status: "verifier", rank: 17),
        KeyBinding(.themeNext, [.character("c")], help: "next colour theme", status: "theme", rank: 13),
        KeyBinding(.toggleDistributions, [.character("D")], help: "p, q, residual at a decision", rank: 30),
        KeyBinding(.expandTree, [.character("e")], help: "unfold / fold the tree", status: "expand", rank: 18),
        KeyBinding(.toggleStepBoundaries, [.character("s")], help: "step boundaries in the text", status: "steps", rank: 14),
        KeyBinding(.toggleLegend, [.character("l")], help: "one-line legend under the tree", status: "legend", rank: 9),
        KeyBinding(.toggleHistory, [.character("g")], help: "history graphs (last steps)", status: "graphs", rank: 18),
        KeyBinding(.toggleComparison, [.character("C")], help: "verifiers compared on one draft", status: "compare", rank: 19),
        KeyBinding(.scrollUp, [.up, .character("k")], help: "scroll the tree up", rank: 30),
        KeyBinding(.scrollDown, [.down, .character("j")], help: "scroll the tree down", rank: 30),
        KeyBinding(.pageUp, [.pageUp], help: "tree a page up", rank: 30),
        KeyBinding(.pageDown, [.pageDown], help: "tree a page down", rank: 30),
        KeyBinding(.scrollFollow, [.end, .home], help: "tree follows the accepted path", rank: 30),
        KeyBinding(.newPrompt, [.character("i")], help: "enter a new prompt", status: "prompt", rank: 15),
        KeyBinding(.tune, [.character("a")], help: "auto-tune the tree shape", status: "tune", rank: 16),
        KeyBinding(.tuneApply, [.character("A")], help: "apply the tune's suggested shape", rank: 30),
        KeyBinding(.redraw, [.character("\u{0C}")], help: "repaint the screen", rank: 30),
        KeyBinding(.dismiss, [.escape], help: "close help / dismiss error", rank: 30),
        KeyBinding(.help, [.character("?"), .character("h"), .function(1)], help: "keys and legend (? again: legend)", status: "help", rank: 0),
        KeyBinding(.footerNext, [.tab], help: "more keys in the footer", rank: 30),
        KeyBinding(.quit, [.character("q"), .character("Q")], help: "quit", status: "quit", rank: 1),
    ])
}
