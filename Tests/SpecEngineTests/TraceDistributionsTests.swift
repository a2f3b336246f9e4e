import Foundation
import SpecCore
import SpecEngine
import Testing

/// Traces carry the distributions at each decision and the final draw, and
/// traces written before those fields existed still read and replay.
@Suite("Trace distributions", .serialized)
struct TraceDistributionsTests {
    @Test func decisionsAndDrawsCarryTheirDistributionsWithTextsFirst() async throws {
        let (live, path) = try await TraceTests.record("distributions.jsonl")
        let events = try TraceReader.read(path: path).events
        #expect(events == live)
        var known = Set<TokenID>()
        var decisions = 0, draws = 0
        for event in events {
            switch event {
            case let .tokenText(id, _): known.insert(id)
            case let .decoding(.decision(_, d)):
                let dist = try #require(d.distributions)
                #expect(!dist.target.isEmpty && dist.target.count <= TopEntries.defaultCount)
                for t in dist.target.tokens + (dist.draft?.tokens ?? []) + (dist.residual?.tokens ?? []) {
                    #expect(known.contains(t), "token \(t) has no text yet")
                }
                decisions += 1
            case let .decoding(.finalDraw(_, f)):
                #expect(known.contains(f.token))
                #expect(f.distribution.tokens.allSatisfy(known.contains))
                draws += 1
            default: break
            }
        }
        let steps = events.filter { if case .decoding(.stepFinished) = $0 { true } else { false } }.count
        #expect(decisions > 0 && draws == steps)
    }

    @Test func aTraceWithoutTheNewFieldsStillReads() async throws {
        let (live, path) = try await TraceTests.record("old-format.jsonl")
        // Rewrite it as an older spectree wrote it: no `distributions`, no `finalDraw` lines.
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        var old: [String] = []
        for line in lines {
            if line.contains("\"finalDraw\"") { continue }
            var object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            object = Self.removingKey("distributions", from: object)
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            old.append(String(decoding: data, as: UTF8.self))
        }
        #expect(old.count < lines.count)
        #expect(!old.contains { $0.contains("distributions") })
        let oldPath = EngineTestSupport.temporaryPath("old-format-stripped.jsonl")
        try Data((old.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: oldPath))
        let events = try TraceReader.read(path: oldPath).events
        var expected: [SessionEvent] = []
        for event in live {
            switch event {
            case .decoding(.finalDraw): continue
            case .decoding(.decision(let step, var d)):
                d.distributions = nil
                expected.append(.decoding(.decision(step: step, d)))
            default: expected.append(event)
            }
        }
        #expect(events == expected)
    }

    static func removingKey(_ key: String, from object: Any) -> Any {
        if let dictionary = object as? [String: Any] {
            var out: [String: Any] = [:]
            for (k, v) in dictionary where k != key { out[k] = removingKey(key, from: v) }
            return out
        }
        if let array = object as? [Any] { return array.map { removingKey(key, from: $0) } }
        return object
    }
}
