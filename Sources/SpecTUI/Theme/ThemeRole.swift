/// A colour by meaning. Views paint roles; a `Theme` gives each role a
/// colour; `ColorMapper` turns that into what the terminal can show (or into
/// attributes on a monochrome terminal).
///
/// `key` is the name in a `.theme` file: `theme[accepted]="#A3BE8C"`; the raw
/// value is the role's position, for O(1) table lookups.
public enum ThemeRole: Int, CaseIterable, Hashable, Sendable {
    /// Ordinary text and its background.
    case mainFg
    case mainBg
    /// Pane titles and the program name.
    case title
    /// Box lines and tree connectors.
    case border
    /// Secondary text: numbers, legends, hints.
    case dim
    /// Background of the node under test in decision mode.
    case highlight
    /// Verification outcomes (tree glyphs, text provenance).
    case accepted
    case rejected
    case resampled
    case bonus
    case pending
    /// Tokens and connectors on the accepted path.
    case acceptedPath
    /// Latency bars and the decision panel's bars.
    case draftBar
    case verifyBar
    case otherBar
    case targetBar
    /// The empty part of a meter.
    case meterBg
    /// Prompt text in the text pane.
    case promptText
    /// The key line at the bottom.
    case statusFg
    case statusBg
    /// Error banner text.
    case error

    /// The name used in `.theme` files.
    public var key: String {
        switch self {
        case .mainFg: "main_fg"
        case .mainBg: "main_bg"
        case .title: "title"
        case .border: "border"
        case .dim: "dim"
        case .highlight: "highlight"
        case .accepted: "accepted"
        case .rejected: "rejected"
        case .resampled: "resampled"
        case .bonus: "bonus"
        case .pending: "pending"
        case .acceptedPath: "accepted_path"
        case .draftBar: "draft_bar"
        case .verifyBar: "verify_bar"
        case .otherBar: "other_bar"
        case .targetBar: "target_bar"
        case .meterBg: "meter_bg"
        case .promptText: "prompt_text"
        case .statusFg: "status_fg"
        case .statusBg: "status_bg"
        case .error: "error"
        }
    }

    /// The role named by a `.theme` key, or nil for an unknown key.
    /// - Complexity: O(1) (a dictionary built once).
    public init?(key: String) {
        guard let role = ThemeRole.byKey[key] else { return nil }
        self = role
    }

    private static let byKey: [String: ThemeRole] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.key, $0) })
}
