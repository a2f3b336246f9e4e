import Testing
import Foundation
import SpecTUI

@Suite struct ThemeTests {
    static let themesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes").path

    @Test func parsesCommentsUnknownKeysAndMissingKeys() throws {
        let text = """
        # a comment
           # an indented comment

        theme[main_bg]="#102030"
        theme[accepted] = "#00FF00"   # trailing comment
        theme[sparkles]="#123456"
        theme[ERROR]="#AB"
        theme[main_fg]=""
        """
        let file = try ThemeFile.parse(text, name: "mine")
        #expect(file.theme.name == "mine")
        #expect(file.theme[.mainBg] == RGBColor(hex: 0x102030))
        #expect(file.theme[.accepted] == RGBColor(hex: 0x00FF00))
        #expect(file.theme[.error] == RGBColor(red: 0xAB, green: 0xAB, blue: 0xAB))
        #expect(file.theme[.mainFg] == nil)  // terminal default
        #expect(file.definedRoles == [.mainBg, .accepted, .error, .mainFg])
        #expect(file.unknownKeys == [ThemeFile.UnknownKey(key: "sparkles", line: 6)])
        // Missing roles come from the built-in default.
        #expect(file.theme[.rejected] == Theme.builtInDefault[.rejected])
        #expect(file.theme[.verifyBar] == Theme.builtInDefault[.verifyBar])
    }

    @Test(arguments: [
        ("theme[main_bg]=\"#12345\"", 2, "colour"),
        ("theme[main_bg] \"#123456\"", 2, "expected ="),
        ("main_bg=\"#123456\"", 2, "expected theme[role]"),
        ("theme[main_bg]=\"#123456", 2, "missing closing quote"),
        ("theme[main bg]=\"#123456\"", 2, "bad role name"),
        ("theme[main_bg]=\"#GGHHII\"", 2, "colour"),
        ("theme[main_bg]=\"#123456\" extra", 2, "unexpected text"),
    ])
    func malformedLinesAreReportedWithTheirNumber(line: String, number: Int, reason: String) {
        let text = "# first line\n" + line + "\ntheme[title]=\"#FFFFFF\"\n"
        do {
            _ = try ThemeFile.parse(text, name: "bad")
            Issue.record("no error for \(line)")
        } catch {
            #expect(error.line == number)
            #expect(error.description.hasPrefix("bad.theme:\(number): "))
            #expect(error.description.contains(reason), "\(error)")
        }
    }

    @Test func unreadableFilesAreErrorsNotCrashes() {
        #expect(throws: ThemeError.self) { try ThemeFile.load(path: "/nonexistent/x.theme") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-theme-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = dir.appendingPathComponent("binary.theme")
        _ = FileManager.default.createFile(atPath: binary.path, contents: Data([0xFF, 0xFE, 0x00, 0x80]))
        #expect(throws: ThemeError.self) { try ThemeFile.load(path: binary.path) }
        let catalog = ThemeCatalog(directories: [dir.path])
        #expect(throws: ThemeError.self) { try catalog.load("absent") }
        #expect((try? catalog.load("default")) == Theme.builtInDefault)
    }

    @Test func everyShippedThemeParsesAndDefinesEveryRole() throws {
        let catalog = ThemeCatalog(directories: [Self.themesDirectory])
        let names = catalog.names()
        #expect(Set(["default", "light", "high-contrast", "monochrome"]).isSubset(of: Set(names)), "\(names)")
        for name in names {
            let path = try #require(catalog.path(of: name), "\(name) has no file")
            let file = try ThemeFile.load(path: path)
            #expect(file.definedRoles == Set(ThemeRole.allCases), "\(name) misses \(Set(ThemeRole.allCases).subtracting(file.definedRoles))")
            #expect(file.unknownKeys.isEmpty, "\(name): \(file.unknownKeys)")
            #expect(file.theme.name == name)
        }
        // default.theme states the built-in default.
        #expect(try catalog.load("default").colors == Theme.builtInDefault.colors)
        #expect(catalog.name(after: "default") == names[1])
        #expect(catalog.name(after: names.last!) == "default")
    }

    @Test func roleKeysRoundTrip() {
        for role in ThemeRole.allCases {
            #expect(ThemeRole(key: role.key) == role)
            #expect(role.key.allSatisfy { $0.isLowercase || $0 == "_" })
        }
        #expect(ThemeRole(key: "nonsense") == nil)
    }

    @Test func rgbParsing() {
        #expect(RGBColor(parsing: "#A3BE8C") == RGBColor(red: 0xA3, green: 0xBE, blue: 0x8C))
        #expect(RGBColor(parsing: "#a3be8c")?.description == "#A3BE8C")
        #expect(RGBColor(parsing: "A3BE8C") == nil)
        #expect(RGBColor(parsing: "#A3BE8") == nil)
        #expect(RGBColor(parsing: "#+3BE8C") == nil)
    }
}
