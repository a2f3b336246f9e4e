import SpecCore

/// The verifier comparison (key `C`, issue 12): the last step's drafted tree
/// judged by every verifier that can judge it, on the same draft and the same
/// random draws (`VerifierComparison`, which the session computes), and the
/// running mean accepted length of each since the last settings change, one
/// point per step in a bounded ring for the chart.
///
/// `ScreenModel` records each step's comparison; `ComparisonView` draws it.
/// - Complexity: `record` O(accepted path length); the ring bounds memory.
public struct ComparisonState: Sendable, Equatable {
    /// One verifier's verdict on the last step's tree.
    public struct Row: Sendable, Equatable {
        public var verifier: Verifier
        /// The accepted path's tokens, root side first (raw text).
        public var tokens: [String]
        /// Whether this verifier decided the step (its tokens were emitted).
        public var deciding: Bool

        public init(verifier: Verifier, tokens: [String], deciding: Bool) {
            self.verifier = verifier
            self.tokens = tokens
            self.deciding = deciding
        }

        /// Draft tokens accepted.
        public var accepted: Int { tokens.count }
    }

    /// The last compared step.
    public struct Step: Sendable, Equatable {
        /// The step's number (1-based), as the tree pane shows it.
        public var step: Int
        /// Token-level first, then block (chains only) and traversal.
        public var rows: [Row]
        /// Where the deciding verifier's path leaves token-level's: the number of
        /// tokens they share (0: from the first token); nil when the paths are the same
        /// or token-level decided.
        public var partsAfter: Int?

        /// The deciding verifier's row.
        public var deciding: Row? { rows.first { $0.deciding } }
        /// Token-level verification's row.
        public var token: Row? { rows.first { $0.verifier == .token } }
    }

    /// Running means after one step (one chart point).
    public struct MeanPoint: Sendable, Equatable {
        public var token: Double
        /// Over the chain steps so far; nil before the first chain.
        public var block: Double?
        public var traversal: Double
        /// The first point after a settings change (a marker on the chart).
        public var settingsChanged: Bool

        public init(token: Double, block: Double?, traversal: Double, settingsChanged: Bool = false) {
            self.token = token
            self.block = block
            self.traversal = traversal
            self.settingsChanged = settingsChanged
        }

        public func mean(_ v: Verifier) -> Double? {
            switch v {
            case .token: token
            case .block: block
            case .traversal: traversal
            }
        }
    }

    /// Points kept for the chart.
    public static let defaultCapacity = 300
    public private(set) var last: Step?
    /// The verifier deciding the steps (from the last comparison).
    public private(set) var verifier: Verifier?
    /// Totals since the last settings change.
    public private(set) var totals = VerifierComparisonTotals()
    /// Running means, one point per compared step, oldest first.
    public private(set) var means: HistoryRing<MeanPoint>
    private var changePending = false

    public init(capacity: Int = defaultCapacity) {
        means = HistoryRing(capacity: capacity)
    }

    /// The settings changed: the means restart and the next point is marked. O(1).
    public mutating func markChange() {
        totals = VerifierComparisonTotals()
        changePending = true
    }

    /// Adds step `step`'s comparison; `text(node)` names an engine tree node's token.
    public mutating func record(_ c: VerifierComparison, step: Int, text: (Int) -> String) {
        totals.record(c)
        verifier = c.verifier
        var rows: [Row] = []
        for v in Verifier.allCases {
            guard let path = c.path(v) else { continue }
            rows.append(Row(verifier: v, tokens: path.map(text), deciding: v == c.verifier))
        }
        var partsAfter: Int?
        if c.verifier != .token, let chosen = c.path(c.verifier), chosen != c.tokenPath {
            partsAfter = zip(c.tokenPath, chosen).prefix { $0 == $1 }.count
        }
        last = Step(step: step, rows: rows, partsAfter: partsAfter)
        means.append(MeanPoint(token: totals.meanAccepted(.token) ?? 0, block: totals.meanAccepted(.block),
                               traversal: totals.meanAccepted(.traversal) ?? 0, settingsChanged: changePending))
        changePending = false
    }
}
