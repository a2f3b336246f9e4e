import SpecCore

/// The distributions at one decision (or at the step's final draw), as the
/// distribution view shows them: one row per token that is among the top
/// entries of any column, one column per distribution (p, q, the residual
/// after a rejection, RSD's renormalised q), all on one probability scale.
///
/// A value is nil when the token is not among that column's recorded top
/// entries (it may still have a small probability there); the drafted (or
/// drawn) token's own p(x) and q(x) are always filled from the decision.
public struct DistributionState: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var title: String
        public var role: ThemeRole

        public init(_ title: String, _ role: ThemeRole) {
            self.title = title
            self.role = role
        }
    }

    public struct Row: Sendable, Equatable {
        /// The token's raw text.
        public var token: String
        /// One value per column; nil: not among that column's top entries.
        public var values: [Double?]
        /// The drafted token under test, or the drawn token.
        public var isMarked: Bool

        public init(token: String, values: [Double?], isMarked: Bool = false) {
            self.token = token
            self.values = values
            self.isMarked = isMarked
        }
    }

    public var columns: [Column]
    /// Largest first (by the largest value in the row), the marked row always kept.
    public var rows: [Row]
    /// Short explanations under the table (renormalised q, argmax at T = 0).
    public var notes: [String]

    public init(columns: [Column], rows: [Row], notes: [String] = []) {
        self.columns = columns
        self.rows = rows
        self.notes = notes
    }

    /// The table for decision `d`; `text` names token ids.
    /// - Complexity: O(k²) for k recorded entries (about 32).
    public static func decision(_ d: VerificationDecision, text: (TokenID) -> String) -> DistributionState? {
        guard let dist = d.distributions else { return nil }
        var lists: [(Column, TopEntries)] = [(Column("p target", .targetBar), dist.target)]
        if let q = dist.draft { lists.append((Column(dist.draftRenormalised ? "q renorm." : "q draft", .draftBar), q)) }
        if let r = dist.residual { lists.append((Column("residual", .resampled), r)) }
        if let q2 = dist.updatedDraft { lists.append((Column("q′ next", .draftBar), q2)) }
        var state = table(lists, marked: d.token, text: text)
        // The drafted token's own p(x) and q(x) are known exactly.
        if let i = state.rows.firstIndex(where: \.isMarked) {
            if state.rows[i].values[0] == nil { state.rows[i].values[0] = d.targetProbability }
            if dist.draft != nil, state.rows[i].values[1] == nil { state.rows[i].values[1] = d.draftProbability }
        }
        if dist.draft == nil, let best = dist.target.tokens.first {
            state.notes.append("T=0: target argmax " + VisibleText.string(text(best)))
        }
        if dist.draftRenormalised {
            state.notes.append("q renormalised without earlier siblings (RSD), so not the tree's q")
        }
        if dist.updatedDraft != nil {
            state.notes.append("q′ = q without " + VisibleText.string(text(d.token)) + ", renormalised: the next sibling's")
        }
        if dist.residual != nil && d.pathWeight == nil {
            state.notes.append("residual = norm(max(0, p − q)): what is judged next")
        }
        return state
    }

    /// The table for the step's final draw.
    public static func draw(_ f: FinalDraw, text: (TokenID) -> String) -> DistributionState {
        let title: String = switch f.source {
        case .target: "p target"
        case .residual: "residual"
        case .argmax: "p (T=0)"
        }
        let role: ThemeRole = f.source == .residual ? .resampled : .targetBar
        var state = table([(Column(title, role), f.distribution)], marked: f.token, text: text)
        switch f.source {
        case .target: state.notes.append("bonus: drawn from p at the last accepted node")
        case .residual: state.notes.append("resampled from the residual left after every child was rejected")
        case .argmax: state.notes.append("T=0: the target's argmax " + VisibleText.string(text(f.token)))
        }
        return state
    }

    /// Rows for the union of the lists' tokens, largest first.
    static func table(_ lists: [(Column, TopEntries)], marked: TokenID, text: (TokenID) -> String) -> DistributionState {
        var ids: [TokenID] = []
        for (_, entries) in lists { for t in entries.tokens where !ids.contains(t) { ids.append(t) } }
        if !ids.contains(marked) { ids.append(marked) }
        var rows: [(key: Double, row: Row)] = ids.map { id in
            let values = lists.map { $0.1.probability(of: id) }
            let key = values.compactMap { $0 }.max() ?? 0
            return (key, Row(token: text(id), values: values, isMarked: id == marked))
        }
        rows.sort { $0.key > $1.key }
        return DistributionState(columns: lists.map(\.0), rows: rows.map(\.row))
    }
}
