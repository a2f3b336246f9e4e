/// A cell style resolved for the terminal: palette indices (−1 is the
/// terminal's default colour) and attributes.
public struct ResolvedStyle: Hashable, Sendable {
    public var foreground: Int16
    public var background: Int16
    public var attributes: CellAttributes
}

/// Turns role-based cell styles into what the terminal can show, for one
/// theme and one colour capability.
///
/// - 256 colours: nearest of xterm's 6×6×6 cube and 24-step grey ramp.
/// - 8 colours: the basic colour of the same hue (black or white for greys).
/// - Monochrome: no colour; each role adds attributes (accepted bold,
///   rejected dim, resampled bold+underline, bonus underline, highlight
///   reverse, …) so every distinction survives.
///
/// In the palette modes, a foreground that lands on its background's colour
/// is replaced by black or white, and a highlight background that lands on
/// the main background becomes reverse video, so nothing turns invisible.
/// `init` costs O(roles); `resolve` is O(1) and allocates nothing.
public struct ColorMapper: Sendable {
    public let theme: Theme
    public let capability: ColorCapability
    /// Palette index per role (by `rawValue`), −1 for the terminal default.
    private let index: [Int16]
    /// Whether each role's colour is dark (for contrast fixes).
    private let dark: [Bool]

    public init(theme: Theme, capability: ColorCapability) {
        self.theme = theme
        self.capability = capability
        index = ThemeRole.allCases.map { role in
            guard let c = theme[role] else { return -1 }
            switch capability {
            case .monochrome: return -1
            case .palette8: return Int16(ColorMapper.nearest8(c))
            case .palette256: return Int16(ColorMapper.nearest256(c))
            }
        }
        dark = ThemeRole.allCases.map { role in
            guard let c = theme[role] else { return role == .mainBg }
            return ColorMapper.luminance(c) < 128
        }
    }

    /// The palette index for `role` (−1: terminal default or monochrome).
    public func colorIndex(_ role: ThemeRole) -> Int { Int(index[role.rawValue]) }

    /// Palette indices and attributes for `style`.
    /// - Complexity: O(1).
    public func resolve(_ style: CellStyle) -> ResolvedStyle {
        if capability == .monochrome {
            return ResolvedStyle(foreground: -1, background: -1,
                                 attributes: ColorMapper.monochromeAttributes(for: style))
        }
        var attrs = style.attributes
        var fg = index[style.foreground.rawValue]
        var bg = index[style.background.rawValue]
        let mainBg = index[ThemeRole.mainBg.rawValue]
        if style.background != .mainBg, bg == mainBg {
            // The palette lost the difference; say it with attributes instead.
            attrs.formUnion(ColorMapper.monochromeAttributes(forBackground: style.background))
            bg = mainBg
        }
        if fg == bg, fg >= 0 {
            let darkBackground = dark[style.background.rawValue]
            fg = capability == .palette256 ? (darkBackground ? 231 : 16) : (darkBackground ? 7 : 0)
            if fg == bg { fg = capability == .palette256 ? (darkBackground ? 16 : 231) : (darkBackground ? 0 : 7) }
        }
        return ResolvedStyle(foreground: fg, background: bg, attributes: attrs)
    }

    /// Attributes standing in for colour on a monochrome terminal: the
    /// style's own attributes plus those of its foreground and background roles.
    public static func monochromeAttributes(for style: CellStyle) -> CellAttributes {
        style.attributes
            .union(monochromeAttributes(forForeground: style.foreground))
            .union(monochromeAttributes(forBackground: style.background))
    }

    /// What a foreground role adds on a monochrome terminal. The verification
    /// outcomes get pairwise distinct sets: accepted bold, rejected dim,
    /// resampled bold+underline, bonus underline, pending none.
    public static func monochromeAttributes(forForeground role: ThemeRole) -> CellAttributes {
        switch role {
        case .accepted, .acceptedPath, .title: [.bold]
        case .rejected, .dim, .meterBg, .border: [.dim]
        case .resampled: [.bold, .underline]
        case .bonus: [.underline]
        case .error: [.bold, .reverse]
        case .pending, .mainFg, .mainBg, .highlight, .draftBar, .verifyBar, .otherBar, .targetBar,
             .promptText, .statusFg, .statusBg: []
        }
    }

    /// What a background role adds on a monochrome terminal: highlight
    /// (the node under test) and the status line become reverse video.
    public static func monochromeAttributes(forBackground role: ThemeRole) -> CellAttributes {
        switch role {
        case .mainBg: []
        case .highlight, .statusBg: [.reverse]
        default: [.reverse]
        }
    }

    /// The nearest xterm-256 index (16…255) by squared RGB distance, choosing
    /// between the 6×6×6 cube (levels 0, 95, 135, 175, 215, 255) and the
    /// grey ramp (8, 18, …, 238). System colours 0–15 are skipped: terminals
    /// redefine them.
    /// - Complexity: O(1).
    public static func nearest256(_ c: RGBColor) -> Int {
        func level(_ v: UInt8) -> Int {
            // Nearest cube level: boundaries halfway between 0,95,135,175,215,255.
            let v = Int(v)
            if v < 48 { return 0 }
            if v < 115 { return 1 }
            return min(5, (v - 35) / 40)
        }
        let levels = [0, 95, 135, 175, 215, 255]
        let r = level(c.red), g = level(c.green), b = level(c.blue)
        let cube = 16 + 36 * r + 6 * g + b
        let cubeDist = distance(c, levels[r], levels[g], levels[b])
        let average = (Int(c.red) + Int(c.green) + Int(c.blue)) / 3
        let greyStep = max(0, min(23, (average - 3) / 10))
        let grey = 8 + 10 * greyStep
        let greyDist = distance(c, grey, grey, grey)
        return greyDist < cubeDist ? 232 + greyStep : cube
    }

    /// The basic colour (0 black, 1 red, 2 green, 3 yellow, 4 blue,
    /// 5 magenta, 6 cyan, 7 white) that keeps a colour's meaning: for a
    /// saturated colour the one nearest in hue, so pastel greens stay green;
    /// for a grey, black or white by brightness. (Plain RGB distance would
    /// turn most pastel theme colours white.)
    /// - Complexity: O(1).
    public static func nearest8(_ c: RGBColor) -> Int {
        let r = Double(c.red), g = Double(c.green), b = Double(c.blue)
        let hi = max(r, g, b), lo = min(r, g, b)
        let chroma = hi - lo
        if chroma < 40 || chroma < 0.2 * hi {
            return luminance(c) < 128 ? 0 : 7
        }
        var hue: Double  // degrees, 0 red, 120 green, 240 blue
        if hi == r {
            hue = 60 * ((g - b) / chroma)
        } else if hi == g {
            hue = 60 * ((b - r) / chroma + 2)
        } else {
            hue = 60 * ((r - g) / chroma + 4)
        }
        if hue < 0 { hue += 360 }
        let sector = Int((hue / 60).rounded()) % 6  // red, yellow, green, cyan, blue, magenta
        return [1, 3, 2, 6, 4, 5][sector]
    }

    static func distance(_ c: RGBColor, _ r: Int, _ g: Int, _ b: Int) -> Int {
        let dr = Int(c.red) - r, dg = Int(c.green) - g, db = Int(c.blue) - b
        return dr * dr + dg * dg + db * db
    }

    /// Perceived brightness 0…255 (Rec. 601 weights).
    static func luminance(_ c: RGBColor) -> Int {
        (299 * Int(c.red) + 587 * Int(c.green) + 114 * Int(c.blue)) / 1000
    }
}
