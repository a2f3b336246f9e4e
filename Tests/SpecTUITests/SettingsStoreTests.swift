import Foundation
import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// Settings persist between runs in the configuration directory (a temporary
/// folder here): theme and the last method and shape per model pair.
@Suite struct SettingsStoreTests {
    static func temporaryStore() throws -> (SettingsStore, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-settings-\(getpid())-\(UUID().uuidString)")
        let store = try #require(SettingsStore.standard(environment: ["XDG_CONFIG_HOME": dir.path, "HOME": "/nonexistent"]))
        return (store, dir)
    }

    @Test func aRunsSettingsComeBack() throws {
        let (store, dir) = try Self.temporaryStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(store.path == dir.path + "/spectree/settings.json")
        #expect(store.load().remembered == SettingsStore.Remembered() && store.load().warning == nil, "no file yet")
        let beams = SessionSettings(draft: "self:8", method: .rsdS, width: 3, depth: 5)
        #expect(store.record(theme: "light", target: "SmolLM2-135M-Instruct", settings: beams) == nil)
        let budget = SessionSettings(draft: "qwen.gguf", method: .rsdC, depth: 3, budget: 10)
        #expect(store.record(theme: "monochrome", target: "Qwen", settings: budget) == nil)
        let (back, warning) = store.load()
        #expect(warning == nil)
        #expect(back.theme == "monochrome")
        let smol = try #require(back.shapes[SettingsStore.pairKey(target: "SmolLM2-135M-Instruct", draft: "self:8")])
        let restored = smol.applied(to: SessionSettings(draft: "self:8"))
        #expect(try restored.shape(vocabularySize: 49152) == .rsdS(width: 3, depth: 5))
        let qwen = try #require(back.shapes[SettingsStore.pairKey(target: "Qwen", draft: "qwen.gguf")])
        #expect(qwen.budget == 10 && qwen.method == .rsdC)
        // Another draft with the same target is another pair.
        #expect(back.shapes[SettingsStore.pairKey(target: "SmolLM2-135M-Instruct", draft: "ngram:3")] == nil)
    }

    @Test func aCorruptFileWarnsAndIsReplaced() throws {
        let (store, dir) = try Self.temporaryStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(atPath: dir.path + "/spectree", withIntermediateDirectories: true)
        try Data("{ \"theme\": 3, ".utf8).write(to: URL(fileURLWithPath: store.path))
        let (r, warning) = store.load()
        #expect(r == SettingsStore.Remembered())
        #expect(warning?.contains(store.path) == true && warning?.contains("not valid") == true, "\(warning ?? "nil")")
        #expect(store.record(theme: "light", target: nil, settings: nil) == nil)
        #expect(store.load().remembered.theme == "light" && store.load().warning == nil)
    }

    @Test func theDirectoryFollowsXDGThenHome() {
        #expect(SettingsStore.standard(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"])?.path == "/x/spectree/settings.json")
        #expect(SettingsStore.standard(environment: ["HOME": "/h"])?.path == "/h/.config/spectree/settings.json")
        #expect(SettingsStore.standard(environment: [:]) == nil)
    }
}
