/// A colour for every `ThemeRole`, by meaning, as in btop's theme files.
///
/// A role's colour is an `RGBColor`, or nil for the terminal's own default
/// colour (written `theme[main_bg]=""`). Reading and writing a role is O(1).
public struct Theme: Equatable, Sendable {
    /// The theme's name: the file name without `.theme`, or `default`.
    public var name: String
    /// Indexed by `ThemeRole.rawValue`.
    public private(set) var colors: [RGBColor?]

    /// A theme with `overrides` on top of `base` (the built-in default unless given).
    public init(name: String, overrides: [ThemeRole: RGBColor?] = [:], base: Theme? = nil) {
        self.name = name
        self.colors = base?.colors ?? Theme.defaultColors
        for (role, color) in overrides { colors[role.rawValue] = color }
    }

    public subscript(role: ThemeRole) -> RGBColor? {
        get { colors[role.rawValue] }
        set { colors[role.rawValue] = newValue }
    }

    /// The built-in dark theme; `themes/default.theme` states the same colours.
    public static let builtInDefault = Theme(name: "default")

    static let defaultColors: [RGBColor?] = ThemeRole.allCases.map { role in
        let hex: UInt32 = switch role {
        case .mainFg: 0xD0D4DC
        case .mainBg: 0x1C1F26
        case .title: 0x88C0D0
        case .border: 0x4C566A
        case .dim: 0x7B8394
        case .highlight: 0x44506A
        case .accepted: 0x8FD18A
        case .rejected: 0xE06C75
        case .resampled: 0xE5C07B
        case .bonus: 0xC678DD
        case .pending: 0x8A93A6
        case .acceptedPath: 0xF2F5FA
        case .draftBar: 0x61AFEF
        case .verifyBar: 0xE5A15C
        case .otherBar: 0x6B7280
        case .targetBar: 0xD19A66
        case .meterBg: 0x2C313C
        case .promptText: 0x9AA3B2
        case .statusFg: 0xC8CCD4
        case .statusBg: 0x2A2F3A
        case .error: 0xFF5F5F
        }
        return RGBColor(hex: hex)
    }
}
