import AsyncAlgorithms
import Foundation
import SpecCore
import SpecEngine
import SpecModels
import Testing

@Suite("Traces", .serialized)
struct TraceTests {
    static let settings = SessionSettings(draft: "self:2", method: .rsdC, width: 2, depth: 2,
                                          sampling: SamplingParameters(temperature: 0.9), maxTokens: 14, seed: 21)

    /// Records one session; returns its live events and the trace's path.
    static func record(_ name: String) async throws -> (live: [SessionEvent], path: String) {
        let path = EngineTestSupport.temporaryPath(name)
        let writer = try TraceWriter(path: path, header: TraceHeader(settings: settings))
        let session = try EngineTestSupport.session(settings, trace: writer)
        let live = await EngineTestSupport.runToEnd(session)
        writer.close()
        return (live, path)
    }

    @Test func aRecordedSessionReadsBackEqual() async throws {
        let (live, path) = try await Self.record("roundtrip.jsonl")
        let trace = try TraceReader.read(path: path)
        #expect(trace.header.format == "spectree-trace")
        #expect(trace.header.version == TraceHeader.currentVersion)
        #expect(trace.header.settings == Self.settings)
        #expect(trace.events.count == live.count)
        #expect(trace.events == live)
        // One line per event after the header, each ending in a newline.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        #expect(text.split(separator: "\n").count == live.count + 1)
    }

    @Test func everyTokenIdHasItsTextFirst() async throws {
        let (_, path) = try await Self.record("texts.jsonl")
        let events = try TraceReader.read(path: path).events
        var known: [TokenID: String] = [:]
        var checked = 0
        for event in events {
            switch event {
            case let .tokenText(id, text):
                #expect(known[id] == nil, "token \(id) introduced twice")
                known[id] = text
            case let .decoding(.levelDrafted(_, _, nodes, _)):
                for node in nodes {
                    #expect(known[node.token] != nil, "drafted token \(node.token) has no text yet")
                    checked += 1
                }
            case let .decoding(.tokenEmitted(_, token, _)):
                #expect(known[token] != nil, "emitted token \(token) has no text yet")
                checked += 1
            case let .decoding(.decision(_, decision)):
                #expect(known[decision.token] != nil)
            default:
                break
            }
        }
        #expect(checked > 10)
        // The texts are the tokenizer's pieces: replaying them spells the text.
        let loaded = try EngineTestSupport.require()
        let emitted = events.compactMap { if case let .decoding(.tokenEmitted(_, token, _)) = $0 { token } else { nil } }
        #expect(emitted.map { known[$0]! }.joined() == emitted.map(loaded.tokenizer.pieceText).joined())
    }

    @Test func aTraceCutOffMidLineNamesTheLine() async throws {
        let (_, path) = try await Self.record("cut.jsonl")
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let lines = data.split(separator: 0x0A)
        #expect(lines.count > 12)
        // Ten whole lines, then half of the eleventh.
        var cut = Data(lines.prefix(10).joined(separator: [0x0A]))
        cut.append(0x0A)
        cut.append(lines[10].prefix(lines[10].count / 2))
        let cutPath = EngineTestSupport.temporaryPath("t.jsonl")
        try cut.write(to: URL(fileURLWithPath: cutPath))
        do {
            _ = try TraceReader.read(path: cutPath)
            Issue.record("a cut-off trace was read")
        } catch let error as TraceError {
            #expect(error.line == 11)
            #expect(error.description.hasPrefix("trace t.jsonl is cut off at line 11: "))
        }

        // A malformed line in the middle is named too.
        var broken = lines.map { Data($0) }
        broken[4] = Data("{\"decoding\": 12}".utf8)
        let brokenPath = EngineTestSupport.temporaryPath("broken.jsonl")
        try Data(broken.joined(separator: [0x0A]) + [0x0A]).write(to: URL(fileURLWithPath: brokenPath))
        #expect(throws: TraceError.self) { try TraceReader.read(path: brokenPath) }
        do { _ = try TraceReader.read(path: brokenPath) } catch let error as TraceError {
            #expect(error.line == 5)
            #expect(error.description.contains("broken.jsonl: line 5 is not a session event"))
        }

        // Whole lines and no `.finished` (a killed run): valid.
        let killedPath = EngineTestSupport.temporaryPath("killed.jsonl")
        try Data(lines.prefix(10).joined(separator: [0x0A]) + [0x0A]).write(to: URL(fileURLWithPath: killedPath))
        let killed = try TraceReader.read(path: killedPath)
        #expect(killed.events.count == 9)
        #expect(!killed.events.contains { if case .finished = $0 { true } else { false } })
    }

    @Test func aTraceWithoutHeaderIsRejected() throws {
        let path = EngineTestSupport.temporaryPath("headless.jsonl")
        try Data("{\"mode\":{\"_0\":\"running\"}}\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: TraceError.self) { try TraceReader.read(path: path) }
        let empty = EngineTestSupport.temporaryPath("empty.jsonl")
        try Data().write(to: URL(fileURLWithPath: empty))
        #expect(throws: TraceError.self) { try TraceReader.read(path: empty) }
    }

    @Test func aReplayYieldsTheLiveEvents() async throws {
        let (live, path) = try await Self.record("replay.jsonl")
        let replay = Pacer(try TraceReplay(path: path, pace: .asFastAsPossible))
        let replayed = await EngineTestSupport.runToEnd(replay)
        #expect(replayed.filter { !$0.isMode && !$0.isReplayPosition } == live.filter { !$0.isMode })
        #expect(replayed.first == .replayPosition(ReplayPosition(step: 0, steps: live.compactMap(\.stepSummary).count, pace: .asFastAsPossible)))
        #expect(replayed.dropFirst().first == .mode(.running))
        #expect(replayed.last == .mode(.finished))
    }

    @Test func aReplayPacesStepsAndRefusesChanges() async throws {
        let (live, path) = try await Self.record("paced.jsonl")
        let trace = try TraceReader.read(path: path)
        let replay = Pacer(TraceReplay(trace: trace, pace: .asFastAsPossible), startPaused: true)
        let reader = EventReader(replay.events)
        #expect(await reader.read(through: \.isMode).filter { !$0.isReplayPosition } == [.mode(.paused)])

        replay.send(.step)
        let step = await reader.read(through: \.isMode)
        #expect(step.last == .mode(.paused))
        #expect(step.compactMap(\.stepSummary).map(\.step) == [0])
        #expect(step.dropLast().filter { !$0.isReplayPosition } == live.filter { !$0.isMode }.prefix(step.count - 2))
        #expect(step.dropLast().last == .replayPosition(ReplayPosition(step: 1, steps: live.compactMap(\.stepSummary).count, pace: .asFastAsPossible)))

        replay.send(.stepDecision)
        let decision = await reader.read(through: \.isMode)
        #expect(decision.last == .mode(.decision))
        #expect(decision.dropLast().last?.isDecision == true)

        // A settings key ends the step shown (as it does live: a change lands
        // at a step boundary), then is refused.
        replay.send(.change(.depth(1)))
        replay.send(.newPrompt("Hello"))
        let refused = await reader.read(through: { if case .error = $0 { true } else { false } })
        #expect(refused.last == .error("a replay cannot change settings"))
        #expect(refused.dropLast().compactMap(\.stepSummary).count == 1, "the rest of the step, then the error")
        #expect(await reader.read(through: { _ in true }) == [.error("a replay cannot change settings")])

        replay.send(.resume)
        let rest = await reader.read(through: { $0 == .mode(.finished) })
        #expect(rest.first == .mode(.running))
        #expect(rest.contains(.finished(reason: "max-tokens")))
        replay.send(.quit)
        #expect(await reader.rest().isEmpty)
    }

    @Test func aCutShortTraceEndsTheReplay() async throws {
        let (live, _) = try await Self.record("short.jsonl")
        let header = TraceHeader(settings: Self.settings)
        let firstStepEnd = try #require(live.firstIndex { $0.stepSummary != nil })
        let replay = Pacer(TraceReplay(trace: Trace(header: header, events: Array(live.prefix(firstStepEnd + 1))), pace: .asFastAsPossible))
        let events = await EngineTestSupport.runToEnd(replay)
        #expect(events.suffix(2) == [.finished(reason: "end-of-trace"), .mode(.finished)])
    }

    @Test func quittingAReplayBeforeTheEndSaysSo() async throws {
        let (live, _) = try await Self.record("quit.jsonl")
        let replay = Pacer(TraceReplay(trace: Trace(header: TraceHeader(), events: live), pace: .asFastAsPossible), startPaused: true)
        let reader = EventReader(replay.events)
        _ = await reader.read(through: \.isMode)
        replay.send(.step)
        _ = await reader.read(through: \.isMode)
        replay.send(.quit)
        #expect(await reader.rest() == [.finished(reason: "quit"), .mode(.finished)])
    }

    @Test func aReplayAtAFixedRateTakesItsTime() async throws {
        let (live, path) = try await Self.record("rate.jsonl")
        let steps = live.compactMap(\.stepSummary).count
        try #require(steps >= 3)
        let clock = ContinuousClock()
        let begin = clock.now
        let replay = Pacer(try TraceReplay(path: path, pace: .stepsPerSecond(40)))
        _ = await EngineTestSupport.runToEnd(replay)
        let seconds = (clock.now - begin) / .seconds(1)
        #expect(seconds >= Double(steps - 1) / 40 * 0.9)
    }

    /// A step recorded as lasting 2^32 s (a corrupted trace) is refused when
    /// read, naming the line, and a replay never waits longer than
    /// `TraceReplay.longestPause` between steps whatever its trace says
    /// (issue 13, item 11: the replay stalled for ever).
    @Test func anAbsurdStepDurationIsRefusedAndNeverStallsAReplay() async throws {
        let (live, path) = try await Self.record("absurd.jsonl")
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = try #require(lines.firstIndex { $0.contains("\"stepFinished\"") })
        let absurd = try #require(lines[index].range(of: #""otherSeconds":[0-9.e-]+"#, options: .regularExpression))
        lines[index].replaceSubrange(absurd, with: #""otherSeconds":4294967296"#)
        let absurdPath = EngineTestSupport.temporaryPath("absurd-edited.jsonl")
        try lines.joined(separator: "\n").write(toFile: absurdPath, atomically: true, encoding: .utf8)
        do {
            _ = try TraceReader.read(path: absurdPath)
            Issue.record("a step of 2^32 s was read")
        } catch let error as TraceError {
            #expect(error.line == index + 1)
            #expect(error.description.contains("absurd-edited.jsonl: line \(index + 1)") && error.description.contains("4294967296"),
                    "\(error)")
        }

        // Built in memory (no reader to refuse it), the replay still runs to its end, each pause capped.
        var events = live
        let step = try #require(events.firstIndex { $0.stepSummary != nil })
        guard case var .decoding(.stepFinished(summary)) = events[step] else { return }
        summary.otherSeconds = 4294967296
        events[step] = .decoding(.stepFinished(summary))
        let replay = TraceReplay(trace: Trace(header: TraceHeader(), events: events), pace: .recorded(speed: 1))
        #expect(replay.delay(forStepOf: summary.totalSeconds) == TraceReplay.longestPause)
        #expect(replay.delay(forStepOf: .infinity) == 0 && replay.delay(forStepOf: -1) == 0)
        #expect(replay.delay(forStepOf: 0.02) == 0.02)
    }
}
