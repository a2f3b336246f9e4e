import Foundation
import SpecTUI
import Testing

/// Themes from a binary run outside the source folder: the built-in themes
/// are inside it, so `--theme monochrome` and `--help` work from anywhere.
@Suite struct ThemeCLITests {
    /// Runs the binary in an empty temporary folder with a fresh config home (or `configHome`).
    static func runElsewhere(_ arguments: [String], configHome: String? = nil) throws -> CLITests.Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-elsewhere-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = arguments
        process.currentDirectoryURL = dir
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = configHome ?? dir.path + "/config"
        environment["SPECTREE_THEMES"] = nil
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLITests.Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                            stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func helpListsTheBuiltInThemesFromAnyFolder() throws {
        let r = try Self.runElsewhere(["run", "--help"])
        #expect(r.status == 0)
        let help = r.stdout.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        for name in ThemeCatalog.builtInNames { #expect(help.contains(name), "\(name) missing from --help") }
    }

    @Test func aBuiltInThemeLoadsFromAnyFolder() throws {
        // The theme is checked before the terminal: without one, the run stops at the terminal check.
        let r = try Self.runElsewhere(["run", "--theme", "monochrome", "--max-tokens", "1"])
        #expect(r.status != 0)
        #expect(!r.stderr.contains("not found"), "\(r.stderr)")
        #expect(r.stderr.contains("terminal"), "\(r.stderr)")
        let bad = try Self.runElsewhere(["run", "--theme", "no-such-theme"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("no-such-theme") && bad.stderr.contains("monochrome"), "\(bad.stderr)")
    }
}

/// `run --help` lists every key of the live screen, from the key map.
@Suite struct RunHelpKeysTests {
    @Test func runHelpListsEveryKey() throws {
        let r = try ThemeCLITests.runElsewhere(["run", "--help"])
        #expect(r.status == 0)
        let help = r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for line in KeyMap.standard.helpLines {
            let normalised = line.help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(help.contains(normalised), "missing \(line.help)")
            let keys = line.keys.split(separator: " ").joined(separator: " ")
            #expect(help.contains(keys), "missing keys \(line.keys)")
        }
    }
}

/// A corrupt settings file is a warning, never a crash; a remembered theme that is gone falls back.
@Suite struct SettingsCLITests {
    @Test func aCorruptSettingsFileIsAWarning() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-cli-settings-\(getpid())")
        try FileManager.default.createDirectory(atPath: dir.path + "/spectree", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("not json".utf8).write(to: dir.appendingPathComponent("spectree/settings.json"))
        let r = try ThemeCLITests.runElsewhere(["run", "--max-tokens", "1"], configHome: dir.path)
        #expect(r.stderr.contains("settings.json is not valid spectree settings"), "\(r.stderr)")
        #expect(r.stderr.contains("terminal"), "it went on to the terminal check: \(r.stderr)")
        #expect(r.status != 0 && r.status < 128, "no crash: \(r.status)")
        try Data(#"{"theme": "gone-theme", "shapes": {}}"#.utf8).write(to: dir.appendingPathComponent("spectree/settings.json"))
        let gone = try ThemeCLITests.runElsewhere(["run", "--max-tokens", "1"], configHome: dir.path)
        #expect(gone.stderr.contains("the last run's theme") && gone.stderr.contains("using default"), "\(gone.stderr)")
    }
}
