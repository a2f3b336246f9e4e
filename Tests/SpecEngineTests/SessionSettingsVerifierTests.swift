import Foundation
import SpecCore
import SpecEngine
import Testing

/// The verifier as a live setting: `V` cycles it at the next step, block
/// verification only where the shape is a chain, and a change that would put
/// block verification on a tree is refused with a message.
@Suite("SessionSettings verifier")
struct SessionSettingsVerifierTests {
    func apply(_ settings: SessionSettings, _ change: SettingsChange) throws(SettingsError) -> SessionSettings {
        try settings.applying(change, layerCount: 30, vocabularySize: 49152)
    }

    @Test func cyclesThroughTheVerifiersThatCanJudgeTheShape() throws {
        var chain = SessionSettings(method: .chain, depth: 4)
        var seen: [Verifier] = []
        for _ in 0..<3 {
            chain = try apply(chain, .nextVerifier)
            seen.append(chain.verifier ?? .token)
        }
        #expect(seen == [.block, .traversal, .token])
        var tree = SessionSettings(method: .rsdS, width: 2, depth: 3)
        tree = try apply(tree, .nextVerifier)
        #expect(tree.verifier == .traversal)
        tree = try apply(tree, .nextVerifier)
        #expect(tree.verifier == .token)
    }

    @Test func blockOnATreeIsRefusedWithAMessage() throws {
        var settings = SessionSettings(method: .chain, depth: 4)
        settings.verifier = .block
        #expect(throws: SettingsError.self) { try apply(settings, .nextMethod) }
        do { _ = try apply(settings, .nextMethod) } catch { #expect(error.description.contains("traversal")) }
        let info = try settings.info(target: "t", draftLabel: "d", vocabularySize: 49152)
        #expect(info.shape.contains("block verification"))
    }

    @Test func tracesWithoutAVerifierStillDecode() throws {
        let encoded = try JSONEncoder().encode(SessionSettings(method: .chain, depth: 4))
        let decoded = try JSONDecoder().decode(SessionSettings.self, from: encoded)
        #expect(decoded.verifier == nil)
    }
}
