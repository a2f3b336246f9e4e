import AsyncAlgorithms
import Foundation
import SpecCore
import SpecEngine
import SpecModels
import Testing

/// A tuner for the tests: it does what a real tune does to the session's
/// models (runs both on batches of its own, so both caches are overwritten),
/// reports progress, polls `shouldStop`, and suggests a fixed shape. The real
/// tuner (`QuickTune`) is tested in SpecBenchTests and end to end in the live screen.
struct ScriptedTuner: SessionTuning {
    var suggestion: DraftShape = .chain(depth: 3)
    /// Keep measuring until told to stop (for the quit test).
    var untilStopped = false

    func tune(_ request: TuneRequest, progress: @escaping (String) -> Void, shouldStop: @escaping () -> Bool) throws -> TuneSuggestion? {
        let clock = ContinuousClock()
        let start = clock.now
        let batch = TokenBatch(tokens: [1, 2, 3, 4], parents: [-1, 0, 1, 2])
        var pass = 0
        repeat {
            pass += 1
            progress("pass \(pass)")
            for model in [request.target as any LanguageModel, request.draftModel] {
                model.reset()
                _ = try model.prefill(Array(request.prompt.prefix(3)))
                _ = try model.evaluate(batch, logits: .all)
            }
            if shouldStop() { return nil }
        } while untilStopped || pass < 3
        return TuneSuggestion(draft: request.draft, shape: suggestion, predictedTokensPerSecond: 100, predictedTokensPerStep: 2,
                              plainTokensPerSecond: 50, command: "spectree run --draft \(request.draft)",
                              seconds: (clock.now - start).seconds)
    }
}

/// `SessionCommand.tune` on the real default model with a tiny self-draft and
/// an injected tuner, and `SettingsChange.apply` of its suggestion.
@Suite("Session tune", .serialized)
struct SessionTuneTests {
    static let settings = SessionSettings(draft: "self:2", method: .chain, depth: 2, sampling: .greedy, maxTokens: 48, seed: 3)

    static func session(_ settings: SessionSettings = settings, trace: TraceWriter? = nil,
                        tuner: ScriptedTuner = ScriptedTuner()) throws -> TestSession {
        try EngineTestSupport.session(settings, trace: trace, tuner: tuner)
    }

    static func isFinished(_ e: SessionEvent) -> Bool { if case .finished = e { true } else { false } }
    static func isStatistics(_ e: SessionEvent) -> Bool { if case .statistics = e { true } else { false } }
    static func emittedTokens(_ events: [SessionEvent]) -> [TokenID] {
        events.compactMap { if case let .decoding(.tokenEmitted(_, token, _)) = $0 { token } else { nil } }
    }

    /// Mid-run: the tune lands between steps with its progress notes, the
    /// suggestion applies at the next boundary, and greedy output stays plain
    /// greedy decoding token for token although the tune overwrote both caches.
    /// The trace records the tune's events and a replay plays them back.
    @Test func aTuneMidRunSuggestsAShapeThatAppliesAndGreedyOutputStaysExact() async throws {
        let loaded = try EngineTestSupport.require()
        let path = EngineTestSupport.temporaryPath("tune.jsonl")
        var settings = Self.settings
        settings.maxTokens = 60
        let session = try Self.session(settings, trace: TraceWriter(path: path))
        let reader = EventReader(session.events)
        var events = await reader.read(through: { $0.stepSummary != nil })
        session.send(.tune)
        events += await reader.read(through: { if case .tuneSuggestion = $0 { true } else if case .error = $0 { true } else { false } })
        guard case let .tuneSuggestion(suggestion) = events.last else {
            Issue.record("the tune ended without a suggestion: \(String(describing: events.last))")
            session.send(.quit)
            return
        }
        session.send(.change(.apply(suggestion)))
        events += await reader.read(through: Self.isFinished)
        session.send(.quit)
        events += await reader.rest()

        #expect(suggestion.draftShape == .chain(depth: 3) && suggestion.draft == "self:2")
        // The tune ran between two steps: after a step's statistics, before the next step.
        let tuneStart = try #require(events.firstIndex { if case .tuning = $0 { true } else { false } })
        let tuneEnd = try #require(events.firstIndex { if case .tuneSuggestion = $0 { true } else { false } })
        #expect(Self.isStatistics(events[tuneStart - 1]))
        #expect(events[tuneStart...tuneEnd].map { if case let .tuning(note) = $0 { note } else { "" } }.dropLast()
            == ["starting with self-draft 2/30 layers (0-1)", "pass 1", "pass 2", "pass 3"])

        // The suggestion applied at a step boundary, as `.configured` with its shape.
        let configured = events.indices.filter { if case .configured = events[$0] { true } else { false } }
        try #require(configured.count == 2)
        let change = configured[1]
        #expect(change > tuneEnd)
        guard case let .configured(info) = events[change] else { return }
        #expect(info.shape == "chain L=3" && info.budget == nil)
        let depthsAfter = events[change...].compactMap(\.stepSummary).map(\.treeDepth)
        #expect(!depthsAfter.isEmpty && depthsAfter.allSatisfy { $0 == 3 })
        #expect(session.settings.method == .chain && session.settings.depth == 3)

        // Greedy output: plain greedy decoding, before and after the tune and the change.
        let emitted = Self.emittedTokens(events)
        #expect(emitted.count >= settings.maxTokens || emitted.contains(where: loaded.tokenizer.isEndOfGeneration))
        #expect(emitted == (try DecodingSessionTests.plainGreedy("Once upon a time", count: emitted.count, tokenizer: loaded.tokenizer)))

        // The trace holds the tune's events; a replay plays them back and refuses to tune.
        let trace = try TraceReader.read(path: path)
        #expect(trace.events.contains(.tuneSuggestion(suggestion)))
        let replay = Pacer(TraceReplay(trace: trace, pace: .asFastAsPossible), startPaused: true)
        let replayReader = EventReader(replay.events)
        #expect(await replayReader.read(through: \.isMode).filter { !$0.isReplayPosition } == [.mode(.paused)])
        replay.send(.tune)
        let refused = await replayReader.read(through: { _ in true })
        guard case let .error(message) = refused.first else {
            Issue.record("the replay did not refuse the tune: \(refused)")
            return
        }
        #expect(message.contains("cannot tune"))
        replay.send(.resume)
        let replayed = await replayReader.read(through: { $0 == .mode(.finished) })
        replay.send(.quit)
        _ = await replayReader.rest()
        #expect(replayed.contains(.tuneSuggestion(suggestion)))
        #expect(replayed.filter { if case .tuning = $0 { true } else { false } }.count == 4)
    }

    /// An n-gram draft has no model to measure, and a session without a tuner
    /// cannot tune: errors, and decoding goes on untouched.
    @Test(arguments: [true, false])
    func aTuneThatCannotRunIsAnError(ngram: Bool) async throws {
        let loaded = try EngineTestSupport.require()
        var settings = Self.settings
        if ngram {
            settings.draft = "ngram:2"
            settings.draftSources = ["ngram:2"]
        }
        settings.maxTokens = 12
        let session = try EngineTestSupport.session(settings, tuner: ngram ? ScriptedTuner() : nil)
        let reader = EventReader(session.events)
        var events = await reader.read(through: { $0.stepSummary != nil })
        session.send(.tune)
        events += await reader.read(through: Self.isFinished)
        session.send(.quit)
        events += await reader.rest()
        let errors = events.compactMap { if case let .error(m) = $0 { m } else { nil } }
        #expect(errors.count == 1)
        #expect(errors.first?.contains(ngram ? "tune needs a draft model" : "no tuner") == true, "\(errors)")
        #expect(!events.contains { if case .tuning = $0 { true } else { false } })
        let emitted = Self.emittedTokens(events)
        #expect(emitted == (try DecodingSessionTests.plainGreedy("Once upon a time", count: emitted.count, tokenizer: loaded.tokenizer)))
    }

    /// `quit` sent during a tune reaches it (the tuner polls `shouldStop`): no suggestion, the session ends.
    @Test func quitStopsATuneInProgress() async throws {
        let session = try Self.session(tuner: ScriptedTuner(untilStopped: true))
        let reader = EventReader(session.events)
        _ = await reader.read(through: { $0.stepSummary != nil })
        session.send(.tune)
        _ = await reader.read(through: { if case .tuning = $0 { true } else { false } })
        session.send(.quit)
        let rest = await reader.rest()
        #expect(rest.contains(.error("tune stopped")))
        #expect(!rest.contains { if case .tuneSuggestion = $0 { true } else { false } })
        #expect(rest.contains(.finished(reason: "quit")))
    }
}
