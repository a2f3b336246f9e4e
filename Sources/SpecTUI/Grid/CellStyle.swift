/// How a cell looks, by meaning: a foreground role, a background role and attributes.
///
/// Roles are resolved to real colours only when the terminal flushes a frame,
/// so a theme change or a monochrome terminal never changes what views draw.
/// Three bytes; comparisons are O(1).
public struct CellStyle: Hashable, Sendable {
    public var foreground: ThemeRole
    public var background: ThemeRole
    public var attributes: CellAttributes

    public init(_ foreground: ThemeRole = .mainFg, on background: ThemeRole = .mainBg,
                _ attributes: CellAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// Main foreground on main background, no attributes.
    public static let normal = CellStyle()

    /// A copy with `extra` attributes added.
    public func with(_ extra: CellAttributes) -> CellStyle {
        var s = self
        s.attributes.formUnion(extra)
        return s
    }

    /// A copy with another background role.
    public func on(_ background: ThemeRole) -> CellStyle {
        var s = self
        s.background = background
        return s
    }
}
