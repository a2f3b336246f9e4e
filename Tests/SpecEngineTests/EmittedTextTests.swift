import SpecCore
import SpecEngine
import SpecModels
import Testing

/// The session decodes emitted tokens with the tokenizer's `StreamingDecoder`:
/// each `.tokenEmitted` follows its `.emittedText`, and together they are the
/// decoded text, whole characters only, even where byte tokens split them.
@Suite struct EmittedTextTests {
    @Test func emittedTextIsTheDecodedTextWithByteTokensJoined() async throws {
        let loaded = try EngineTestSupport.require()
        let settings = SessionSettings(draft: "self:2", method: .chain, depth: 2, sampling: .greedy, maxTokens: 24, seed: 1)
        let session = try DecodingSession(target: EngineTestSupport.target(), tokenizer: loaded.tokenizer, targetName: "SmolLM2",
                                          settings: settings, prompt: "猫是一种可爱的动物。猫", baselineTokens: 0)
        let events = await EngineTestSupport.runToEnd(Pacer(session))
        var tokens: [TokenID] = []
        var pieces: [String] = []
        var pendingText: String?
        for e in events {
            switch e {
            case let .emittedText(t):
                #expect(pendingText == nil, "two texts for one token")
                pendingText = t
            case let .decoding(.tokenEmitted(_, token, _)):
                let text = try #require(pendingText, "token \(token) came without its decoded text")
                tokens.append(token)
                pieces.append(text)
                pendingText = nil
            default:
                break
            }
        }
        let joined = pieces.joined()
        let decoded = loaded.tokenizer.decode(tokens)
        #expect(tokens.count >= 8)
        // Some emitted token is a byte token that is not a character alone, so characters were split.
        #expect(tokens.contains { loaded.tokenizer.pieceText($0).contains("<0x") })
        #expect(!joined.contains("\u{FFFD}"))
        #expect(decoded.hasPrefix(joined))
        #expect(decoded.dropFirst(joined.count).allSatisfy { $0 == "\u{FFFD}" })
    }
}
