import Testing
import SpecTUI

@Suite struct ColorMapperTests {
    @Test(arguments: [
        (0x000000, 16), (0xFFFFFF, 231), (0xFF0000, 196), (0x00FF00, 46), (0x0000FF, 21),
        (0x5F87AF, 67), (0x808080, 244), (0x121212, 233), (0xEEEEEE, 255), (0xD7AF5F, 179),
    ])
    func nearest256(hex: Int, index: Int) {
        #expect(ColorMapper.nearest256(RGBColor(hex: UInt32(hex))) == index)
    }

    @Test(arguments: [
        (0x000000, 0), (0xFF0000, 1), (0x00FF00, 2), (0xFFFF00, 3), (0x0000FF, 4),
        (0xFF00FF, 5), (0x00FFFF, 6), (0xFFFFFF, 7), (0x8FD18A, 2), (0xE06C75, 1), (0x1C1F26, 0),
        (0xD0D4DC, 7), (0x808080, 7), (0x404040, 0), (0xE5C07B, 3), (0xC678DD, 5), (0x1E66C8, 4), (0x61AFEF, 6),
    ])
    func nearest8(hex: Int, index: Int) {
        #expect(ColorMapper.nearest8(RGBColor(hex: UInt32(hex))) == index)
    }

    @Test func monochromeGivesEachOutcomeItsOwnAttributes() {
        let roles: [ThemeRole] = [.accepted, .rejected, .resampled, .bonus, .pending]
        let sets = roles.map { ColorMapper.monochromeAttributes(forForeground: $0) }
        #expect(Set(sets.map(\.rawValue)).count == roles.count, "\(sets)")
        #expect(sets[0] == .bold)
        #expect(sets[1] == .dim)
        #expect(sets[3] == .underline)
        // The node under test is reverse video; the status line too.
        let m = ColorMapper(theme: .builtInDefault, capability: .monochrome)
        let underTest = m.resolve(CellStyle(.mainFg, on: .highlight))
        #expect(underTest.attributes.contains(.reverse))
        #expect(underTest.foreground == -1 && underTest.background == -1)
        #expect(m.resolve(CellStyle(.accepted, on: .mainBg, .underline)).attributes == [.bold, .underline])
    }

    @Test func paletteModesResolveThemeColours() {
        let m = ColorMapper(theme: .builtInDefault, capability: .palette256)
        let r = m.resolve(CellStyle(.rejected))
        #expect(r.foreground == Int16(ColorMapper.nearest256(Theme.builtInDefault[.rejected]!)))
        #expect(r.background == Int16(ColorMapper.nearest256(Theme.builtInDefault[.mainBg]!)))
        // Terminal-default colours stay −1.
        var t = Theme.builtInDefault
        t[.mainBg] = nil
        #expect(ColorMapper(theme: t, capability: .palette8).resolve(.normal).background == -1)
    }

    @Test func eightColoursNeverHideText() {
        // The default highlight background and main background both land on black:
        // the highlight becomes reverse video instead.
        let m = ColorMapper(theme: .builtInDefault, capability: .palette8)
        let h = m.resolve(CellStyle(.mainFg, on: .highlight))
        #expect(h.attributes.contains(.reverse))
        // A foreground that lands on its background is replaced by a contrasting one.
        var t = Theme.builtInDefault
        t[.border] = RGBColor(hex: 0x202020)
        let b = ColorMapper(theme: t, capability: .palette8).resolve(CellStyle(.border))
        #expect(b.foreground != b.background)
        for role in ThemeRole.allCases where role != .mainBg {
            let s = m.resolve(CellStyle(role))
            #expect(s.foreground != s.background || s.foreground < 0, "\(role)")
        }
    }

    @Test func capabilityDetection() {
        #expect(ColorCapability.detect(hasColors: true, colors: 256, environment: [:]) == .palette256)
        #expect(ColorCapability.detect(hasColors: true, colors: 8, environment: [:]) == .palette8)
        #expect(ColorCapability.detect(hasColors: false, colors: 0, environment: [:]) == .monochrome)
        #expect(ColorCapability.detect(hasColors: true, colors: 256, environment: ["NO_COLOR": ""]) == .monochrome)
        #expect(ColorCapability.detect(hasColors: true, colors: 256, environment: ["SPECTREE_COLORS": "8"]) == .palette8)
        #expect(ColorCapability.detect(hasColors: true, colors: 8, environment: ["SPECTREE_COLORS": "256"]) == .palette8)
    }

    /// In monochrome, every outcome in a drawn tree is still told apart by its
    /// glyph and by its attributes.
    @Test func monochromeTreeStaysReadable() {
        var t = TreeState(step: 1)
        let a = t.add(" a", q: 0.5, p: 0.6, state: .accepted, onAcceptedPath: true)
        t.add(" b", parent: a, q: 0.3, p: 0.1, state: .rejected)
        t.add(" c", parent: a, q: 0.2, state: .pending)
        let r = t.add(" d", parent: a, q: 0.1, p: 0.4, state: .resampled, onAcceptedPath: true)
        t.add(" e", parent: r, q: nil, p: 0.9, state: .bonus, onAcceptedPath: true)
        let g = render(30, 6) { TreeView.draw(t, into: &$0, in: $0.bounds) }
        let m = ColorMapper(theme: .builtInDefault, capability: .monochrome)
        var seen: [Character: CellAttributes] = [:]
        for y in 1..<6 {
            let x = g.rows[y].count - 1
            let cell = g[x, y]
            seen[cell.character] = m.resolve(cell.style).attributes
        }
        #expect(Set(seen.keys) == ["✓", "✗", "·", "↻", "★"])
        #expect(Set(seen.values.map(\.rawValue)).count == 5, "\(seen)")
    }
}
