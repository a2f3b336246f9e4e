/// The lines of the tree pane for one tree and one height: which nodes are
/// shown, which are folded into summary lines, and the connectors.
///
/// Folding, tried in order until the lines fit (then the view scrolls):
/// 0. every node;
/// 1. rejected nodes off the kept paths lose their descendants (shown as `+k`);
/// 2. rejected (or cut) siblings off the kept paths fold into one `+n rejected` (`+n cut`) line;
/// 3. every sibling off the kept paths folds into one `+n …` line.
///
/// Kept paths: the accepted path and the path to the node under test (or,
/// when neither exists, the path through each level's first child).
///
/// Expansion: a folded group (a summary line's siblings, or a rejected
/// node's hidden descendants) named in `expanded` is never folded, nor is
/// the path to it (it is kept like the accepted path); after the
/// fold level is chosen, further groups expand, in line order, while the
/// lines still fit (so folds open when there is room); `expandAll` shows
/// every node (the view then scrolls). With a context root (`TreeState.root`)
/// the first line is the context's last token and the first level hangs below it.
/// - Complexity: O(n) per fold level tried, n = nodes; a few arrays of n;
///   expanding when there is room adds O(g·n) for g folded groups.
public struct TreeLayout: Equatable, Sendable {
    /// One line of the pane.
    public struct Line: Equatable, Sendable {
        public enum Kind: Equatable, Sendable {
            /// Node `index` with `hidden` descendants folded away.
            case node(index: Int, hidden: Int)
            /// `count` folded nodes under the same parent; `label` is
            /// `rejected`, `pending` or `more`.
            case summary(count: Int, label: String, role: ThemeRole)
            /// The context's last token, the root the first level hangs from.
            case context
        }
        public var kind: Kind
        /// Connector depth: 0 draws no connector (the single first-level node).
        public var level: Int
        /// Bit k (k ≥ 1) set: an ancestor at level k has later siblings (draw `│`).
        public var continuation: UInt64
        /// Last among its siblings (`└─` rather than `├─`).
        public var isLast: Bool
        /// On the accepted path (connector emphasised).
        public var onPath: Bool
        /// The folded group this line stands for, which expanding shows: the
        /// parent of a summary line's siblings (-1: the first level), or a
        /// node whose descendants are hidden; nil when nothing is folded here.
        public var group: Int? = nil
    }

    public var lines: [Line]
    /// The fold level used (0…3).
    public var foldLevel: Int
    /// The line to keep in view: the node under test, else the deepest accepted-path node.
    public var focusLine: Int?
    /// The deepest connector level among the lines.
    public var maxLevel: Int

    /// Lays out `tree` to fit `maxLines` if folding can make it fit.
    /// - Parameters:
    ///   - expanded: groups (see `Line.group`) never folded.
    ///   - expandAll: fold nothing.
    public init(tree: TreeState, maxLines: Int, expanded: Set<Int> = [], expandAll: Bool = false) {
        let n = tree.nodes.count
        var firstChild = [Int](repeating: -1, count: n)
        var nextSibling = [Int](repeating: -1, count: n)
        var size = [Int](repeating: 1, count: n)
        var containsKeep = [Bool](repeating: false, count: n)
        var roots: [Int] = []
        var lastChild = [Int](repeating: -1, count: n)
        var lastRoot = -1
        for i in 0..<n {
            if let p = tree.validParent(of: i) {
                if lastChild[p] < 0 { firstChild[p] = i } else { nextSibling[lastChild[p]] = i }
                lastChild[p] = i
            } else {
                if lastRoot >= 0 { nextSibling[lastRoot] = i }
                roots.append(i)
                lastRoot = i
            }
        }
        // Kept nodes: the accepted path and the path to the node under test.
        var anyKeep = false
        for i in 0..<n where tree.nodes[i].onAcceptedPath {
            containsKeep[i] = true
            anyKeep = true
        }
        if let t = tree.nodeUnderTest, t >= 0, t < n {
            containsKeep[t] = true
            anyKeep = true
        }
        // Opened groups stay open at every fold level, and their ancestors with them.
        for g in expanded where g >= 0 && g < n { containsKeep[g] = true }
        if !anyKeep, let r = roots.first {
            var c = r
            while c >= 0 {
                containsKeep[c] = true
                c = firstChild[c]
            }
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            if let p = tree.validParent(of: i) {
                size[p] += size[i]
                if containsKeep[i] { containsKeep[p] = true }
            }
        }

        var builder = Builder(tree: tree, firstChild: firstChild, nextSibling: nextSibling, size: size,
                              containsKeep: containsKeep)
        builder.expanded = expanded
        let hasContext = tree.root != nil && n > 0
        let firstLevel = hasContext || roots.count != 1 ? 1 : 0
        func build(_ l: Int) -> [Line] {
            builder.lines.removeAll(keepingCapacity: true)
            builder.fold = l
            if hasContext { builder.lines.append(Line(kind: .context, level: 0, continuation: 0, isLast: true, onPath: true)) }
            builder.emitChildren(first: roots.first ?? -1, parent: -1, level: firstLevel, continuation: 0)
            return builder.lines
        }
        var chosen: [Line] = []
        var level = 0
        for l in 0...(expandAll ? 0 : 3) {
            level = l
            chosen = build(l)
            if chosen.count <= maxLines { break }
        }
        // Open folded groups, in line order, while the lines still fit.
        if level > 0 && chosen.count < maxLines {
            var tried = expanded
            var opened = true
            while opened {
                opened = false
                for line in chosen {
                    guard let g = line.group, !tried.contains(g) else { continue }
                    tried.insert(g)
                    builder.expanded.insert(g)
                    let wider = build(level)
                    if wider.count <= maxLines {
                        chosen = wider
                        opened = true
                        break
                    }
                    builder.expanded.remove(g)
                }
            }
        }
        // A group opened by the user stays clickable, to fold it again.
        for k in chosen.indices {
            if case let .node(i, _) = chosen[k].kind, expanded.contains(i) { chosen[k].group = i }
        }
        lines = chosen
        foldLevel = level
        maxLevel = chosen.reduce(0) { max($0, $1.level) }
        var focus: Int?
        for (i, line) in chosen.enumerated() {
            guard case let .node(index, _) = line.kind else { continue }
            if index == tree.nodeUnderTest { focus = i; break }
            if tree.nodes[index].onAcceptedPath { focus = i }
        }
        focusLine = focus
    }

    /// Depth-first emission of lines for one fold level.
    private struct Builder {
        let tree: TreeState
        let firstChild: [Int]
        let nextSibling: [Int]
        let size: [Int]
        let containsKeep: [Bool]
        var fold = 0
        var expanded: Set<Int> = []
        var lines: [Line] = []

        init(tree: TreeState, firstChild: [Int], nextSibling: [Int], size: [Int], containsKeep: [Bool]) {
            self.tree = tree
            self.firstChild = firstChild
            self.nextSibling = nextSibling
            self.size = size
            self.containsKeep = containsKeep
            lines.reserveCapacity(tree.nodes.count)
        }

        /// Whether sibling `c` (child of `parent`, -1 at the first level) folds into its parent's summary line.
        func folds(_ c: Int, parent: Int) -> Bool {
            if containsKeep[c] || expanded.contains(parent) { return false }
            switch fold {
            case 2: return tree.nodes[c].state == .rejected || tree.nodes[c].state == .cut
            case 3: return true
            default: return false
            }
        }

        mutating func emitChildren(first: Int, parent: Int, level: Int, continuation: UInt64) {
            // Count what folds, to know which shown child is last.
            var foldedCount = 0, foldedRoots = 0, foldedRejected = 0, foldedPending = 0, foldedCut = 0
            var lastShown = -1
            var c = first
            while c >= 0 {
                if folds(c, parent: parent) {
                    foldedCount += size[c]
                    foldedRoots += 1
                    if tree.nodes[c].state == .rejected { foldedRejected += 1 }
                    if tree.nodes[c].state == .pending { foldedPending += 1 }
                    if tree.nodes[c].state == .cut { foldedCut += 1 }
                } else {
                    lastShown = c
                }
                c = nextSibling[c]
            }
            c = first
            while c >= 0 {
                defer { c = nextSibling[c] }
                if folds(c, parent: parent) { continue }
                let node = tree.nodes[c]
                let isLast = c == lastShown && foldedCount == 0
                let hideDescendants = fold >= 1 && node.state == .rejected && !containsKeep[c] && !expanded.contains(c)
                let hidden = hideDescendants ? size[c] - 1 : 0
                lines.append(Line(kind: .node(index: c, hidden: hidden),
                                  level: level, continuation: continuation, isLast: isLast,
                                  onPath: node.onAcceptedPath, group: hidden > 0 ? c : nil))
                if !hideDescendants, firstChild[c] >= 0 {
                    let bit: UInt64 = level >= 1 && level < 64 && !isLast ? (1 << UInt64(level)) : 0
                    emitChildren(first: firstChild[c], parent: c, level: level + 1, continuation: continuation | bit)
                }
            }
            if foldedCount > 0 {
                let (label, role): (String, ThemeRole) =
                    foldedRejected == foldedRoots ? ("rejected", .rejected)
                    : foldedPending == foldedRoots ? ("pending", .pending)
                    : foldedCut == foldedRoots ? ("cut", .dim) : ("more", .dim)
                lines.append(Line(kind: .summary(count: foldedCount, label: label, role: role),
                                  level: max(level, 1), continuation: continuation, isLast: true, onPath: false,
                                  group: parent))
            }
        }
    }
}
