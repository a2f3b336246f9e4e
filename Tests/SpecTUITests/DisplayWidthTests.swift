import Testing
import Glibc
import CNcursesw
import SpecTUI

@Suite struct DisplayWidthTests {
    @Test func knownWidths() {
        #expect(DisplayWidth.of("a" as Character) == 1)
        #expect(DisplayWidth.of("狐" as Character) == 2)
        #expect(DisplayWidth.of("한" as Character) == 2)
        #expect(DisplayWidth.of("🦊" as Character) == 2)
        #expect(DisplayWidth.of("Ａ" as Character) == 2)  // fullwidth A
        #expect(DisplayWidth.of("é" as Character) == 1)
        #expect(DisplayWidth.of("e\u{301}" as Character) == 1)
        #expect(DisplayWidth.of("\u{301}" as Character) == 0)
        #expect(DisplayWidth.of("\u{200B}" as Character) == 0)
        #expect(DisplayWidth.of("❤\u{FE0F}" as Character) == 2)  // emoji presentation
        #expect(DisplayWidth.of("●" as Character) == 1)
        #expect(DisplayWidth.of("─" as Character) == 1)
        #expect(DisplayWidth.of("狐a🦊") == 5)
        #expect(DisplayWidth.of("plain ascii") == 11)
    }

    /// The table agrees with glibc's wcwidth (what ncurses uses) for every
    /// assigned, printable code point of planes 0–3, except where glibc 2.36's
    /// Unicode data is older than Swift's (U+1171E became a spacing mark in Unicode 14).
    @Test func agreesWithGlibcWcwidth() throws {
        guard let locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) else {
            Issue.record("C.UTF-8 locale unavailable")
            return
        }
        let old = uselocale(locale)
        defer {
            uselocale(old)
            freelocale(locale)
        }
        var mismatches: [String] = []
        for v in UInt32(0x20)...0x3FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            let c = Int(spectree_wcwidth(Int32(bitPattern: v)))
            if c < 0 { continue }  // unassigned or control: glibc has no width
            if s.properties.generalCategory == .unassigned || v == 0x1171E { continue }
            let mine = DisplayWidth.of(scalar: s)
            if mine != c, mismatches.count < 20 { mismatches.append("U+\(String(v, radix: 16)) glibc \(c) ours \(mine)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func visibleTextShowsWhitespaceAndControls() {
        #expect(VisibleText.string(" the") == "␣the")
        #expect(VisibleText.string("\n") == "↵")
        #expect(VisibleText.string("\r\n") == "↵")
        #expect(VisibleText.string("a\tb") == "a⇥b")
        #expect(VisibleText.string("\u{1B}[") == "\\x1B[")
        #expect(VisibleText.string("\u{7F}") == "\\x7F")
        #expect(VisibleText.string("\u{85}") == "\\x85")
        #expect(VisibleText.string("") == "∅")
        #expect(VisibleText.string("狐") == "狐")
        #expect(VisibleText.width(" 狐\n") == 4)
    }
}
