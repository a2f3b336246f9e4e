import Foundation
import SpecTUI
import Testing

/// The built-in themes travel inside the binary: found with no theme
/// directory at all, identical to `themes/*.theme`, overridable by a user file.
@Suite struct BuiltInThemeTests {
    @Test func theEmbeddedThemesAreTheShippedFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: ThemeTests.themesDirectory)
            .filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(6)) }.sorted()
        #expect(ThemeCatalog.builtInFiles.map(\.name) == files)
        for b in ThemeCatalog.builtInFiles {
            let text = try String(contentsOfFile: ThemeTests.themesDirectory + "/\(b.name).theme", encoding: .utf8)
            // scripts/embed-themes.sh regenerates the embedded copy; this fails while they differ.
            #expect(b.text + "\n" == text, "\(b.name): run scripts/embed-themes.sh")
        }
    }

    @Test func everyBuiltInThemeLoadsWithoutADirectory() throws {
        let catalog = ThemeCatalog(directories: [])
        #expect(catalog.names() == ThemeCatalog.builtInNames)
        #expect(Set(["default", "light", "high-contrast", "monochrome"]).isSubset(of: Set(catalog.names())))
        for name in catalog.names() {
            let theme = try catalog.load(name)
            #expect(theme.name == name)
        }
        #expect(try catalog.load("monochrome").colors != Theme.builtInDefault.colors)
        #expect(try catalog.load("default").colors == Theme.builtInDefault.colors)
        // `c` cycles every theme and comes back.
        var seen: [String] = ["default"]
        while true {
            let next = catalog.name(after: seen.last!)
            if next == "default" { break }
            seen.append(next)
        }
        #expect(seen == catalog.names())
    }

    @Test func aUserFileAddsOrOverridesATheme() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-user-themes-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try ##"theme[accepted]="#010203""##.write(toFile: dir.path + "/mine.theme", atomically: true, encoding: .utf8)
        try ##"theme[accepted]="#040506""##.write(toFile: dir.path + "/light.theme", atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog.standard(environment: ["XDG_CONFIG_HOME": dir.deletingLastPathComponent().path + "/nowhere",
                                                          "SPECTREE_THEMES": dir.path])
        #expect(catalog.names().contains("mine"))
        #expect(try catalog.load("mine")[.accepted] == RGBColor(red: 1, green: 2, blue: 3))
        #expect(try catalog.load("light")[.accepted] == RGBColor(red: 4, green: 5, blue: 6))
        #expect(catalog.names().filter { $0 == "light" }.count == 1)
    }

    @Test func theUserDirectoryFollowsXDG() {
        #expect(ThemeCatalog.userDirectory(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/spectree/themes")
        #expect(ThemeCatalog.userDirectory(environment: ["XDG_CONFIG_HOME": "", "HOME": "/h"]) == "/h/.config/spectree/themes")
        #expect(ThemeCatalog.standard(environment: ["HOME": "/h"]).directories == ["/h/.config/spectree/themes"])
    }

    @Test func anUnknownThemeNamesTheBuiltInOnes() {
        #expect {
            try ThemeCatalog(directories: []).load("nope")
        } throws: { error in
            "\(error)".contains("monochrome") && "\(error)".contains("nope")
        }
    }
}
