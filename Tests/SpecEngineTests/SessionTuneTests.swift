import Foundation
import SpecCore
import SpecEngine
import SpecModels
import Testing

/// `SessionCommand.tune` on the real default model with a tiny self-draft,
/// and `SettingsChange.apply` of its suggestion.
@Suite("Session tune", .serialized)
struct SessionTuneTests {
    /// Smaller than the live screen's tune, so the suite stays well under a minute.
    static let tuner = SessionTuner(verifySizes: [1, 2, 4, 8, 16, 32, 64], draftWidths: [1, 2, 4, 8, 16], callsPerPoint: 2,
                                    calibrationShapes: [.rsdC(branching: [4, 2, 2]), .chain(depth: 5)], tokens: 24, maxDepth: 6)
    static let settings = SessionSettings(draft: "self:2", method: .chain, depth: 2, sampling: .greedy, maxTokens: 48, seed: 3)

    static func session(_ settings: SessionSettings = settings, trace: TraceWriter? = nil) throws -> DecodingSession {
        try DecodingSession(target: EngineTestSupport.target(), tokenizer: EngineTestSupport.require().tokenizer,
                            targetName: "SmolLM2-135M-Instruct", settings: settings, prompt: "Once upon a time",
                            baselineTokens: 4, trace: trace, tuner: tuner)
    }

    static func isFinished(_ e: SessionEvent) -> Bool { if case .finished = e { true } else { false } }
    static func isStatistics(_ e: SessionEvent) -> Bool { if case .statistics = e { true } else { false } }
    static func emittedTokens(_ events: [SessionEvent]) -> [TokenID] {
        events.compactMap { if case let .decoding(.tokenEmitted(_, token, _)) = $0 { token } else { nil } }
    }

    /// Mid-run: the tune lands between steps, suggests a valid shape with a
    /// positive finite prediction, the suggestion applies at the next boundary,
    /// and greedy output stays plain greedy decoding token for token throughout.
    /// The trace records the tune's events and a replay plays them back.
    @Test func aTuneMidRunSuggestsAShapeThatAppliesAndGreedyOutputStaysExact() async throws {
        let loaded = try EngineTestSupport.require()
        let path = EngineTestSupport.temporaryPath("tune.jsonl")
        var settings = Self.settings
        settings.maxTokens = 160  // enough steps after the tune for the change to land mid-run
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

        // The suggestion: a shape the session can run, figures that mean something.
        let shape = suggestion.draftShape
        #expect(throws: Never.self) { try shape.validate(vocabularySize: 49152) }
        #expect(shape.maxNodeCount >= 1 && shape.maxNodeCount <= SessionSettings.maxTreeNodes)
        #expect(shape.depth <= Self.tuner.maxDepth)
        #expect(shape.label == suggestion.shape && shape.maxNodeCount == suggestion.treeTokens)
        #expect(suggestion.predictedTokensPerSecond.isFinite && suggestion.predictedTokensPerSecond > 0)
        #expect(suggestion.plainTokensPerSecond.isFinite && suggestion.plainTokensPerSecond > 0)
        #expect(suggestion.predictedTokensPerStep >= 1)
        #expect((suggestion.measuredTokensPerSecond ?? 0) > 0 && (suggestion.measuredPlainTokensPerSecond ?? 0) > 0)
        #expect(suggestion.draft == "self:2")
        #expect(suggestion.command.hasPrefix("spectree run --draft self:2 --method \(shape.method.rawValue) "))
        #expect(suggestion.command.hasSuffix(" --temperature 0"))
        #expect(suggestion.seconds > 0)

        // The tune ran between two steps: after a step's statistics, before the next step.
        let tuneStart = try #require(events.firstIndex { if case .tuning = $0 { true } else { false } })
        let tuneEnd = try #require(events.firstIndex { if case .tuneSuggestion = $0 { true } else { false } })
        #expect(Self.isStatistics(events[tuneStart - 1]))
        #expect(events[tuneStart...tuneEnd].allSatisfy { if case .tuning = $0 { true } else if case .tuneSuggestion = $0 { true } else { false } })
        #expect(events[tuneStart..<tuneEnd].count >= 3, "progress notes while it runs")

        // The suggestion applied at a step boundary, as `.configured` with its shape.
        let configured = events.indices.filter { if case .configured = events[$0] { true } else { false } }
        try #require(configured.count == 2)
        let change = configured[1]
        #expect(change > tuneEnd)
        guard case let .configured(info) = events[change] else { return }
        #expect(info.shape == suggestion.shape && info.budget == nil)
        #expect(Self.isStatistics(events[change - 1]))
        if case .decoding(.stepStarted) = events[change + 1] {} else { Issue.record("no step started after the change: \(events[change + 1])") }
        let depthsAfter = events[change...].compactMap(\.stepSummary).map(\.treeDepth)
        #expect(depthsAfter.allSatisfy { $0 <= shape.depth })
        #expect(session.settings.method == shape.method && session.settings.budget == nil)
        #expect(try session.settings.shape(vocabularySize: 49152) == shape)

        // Greedy output: plain greedy decoding, before and after the tune and the change.
        let emitted = Self.emittedTokens(events)
        #expect(emitted.count >= settings.maxTokens || emitted.contains(where: loaded.tokenizer.isEndOfGeneration))
        #expect(emitted == (try DecodingSessionTests.plainGreedy("Once upon a time", count: emitted.count, tokenizer: loaded.tokenizer)))

        // The trace holds the tune's events; a replay plays them back and refuses to tune.
        let trace = try TraceReader.read(path: path)
        #expect(trace.events.contains(.tuneSuggestion(suggestion)))
        let replay = TraceReplay(trace: trace, pace: .asFastAsPossible, startPaused: true)
        let replayReader = EventReader(replay.events)
        #expect(await replayReader.read(through: \.isMode) == [.mode(.paused)])
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
        #expect(replayed.filter { if case .tuning = $0 { true } else { false } }.count == events[tuneStart..<tuneEnd].count)
    }

    /// Within a small budget (a session in budget mode), the suggestion fits it.
    @Test func theSuggestionFitsTheBudget() throws {
        let loaded = try EngineTestSupport.require()
        let target = try EngineTestSupport.target()
        let draft = try DraftSpecification("self:2").load(for: target).source
        guard case let .model(model) = draft else { Issue.record("self:2 is not a model"); return }
        let tiny = SessionTuner(verifySizes: [1, 2, 4, 5], draftWidths: [1, 2, 4], callsPerPoint: 1, tokens: 8, validates: false)
        let prompt = PromptFormat.plain.tokens("Once upon a time", tokenizer: loaded.tokenizer)
        var notes: [String] = []
        let suggestion = try #require(try tiny.run(
            SessionTuner.Inputs(target: target, draft: "self:2", draftModel: model, prompt: prompt, sampling: .greedy, seed: 1, budget: 4),
            progress: { notes.append($0) }, shouldStop: { false }))
        #expect(suggestion.treeTokens <= 4 && suggestion.treeTokens >= 1)
        #expect(suggestion.predictedTokensPerSecond.isFinite && suggestion.predictedTokensPerSecond > 0)
        #expect(suggestion.measuredTokensPerSecond == nil, "not validated")
        #expect(notes.contains { $0.hasPrefix("acceptance with chain L=4") }, "\(notes)")
    }

    /// An n-gram draft has no model to measure: an error, and decoding goes on untouched.
    @Test func tuningAnNGramDraftIsAnError() async throws {
        let loaded = try EngineTestSupport.require()
        var settings = Self.settings
        settings.draft = "ngram:2"
        settings.draftSources = ["ngram:2"]
        settings.maxTokens = 12
        let session = try Self.session(settings)
        let reader = EventReader(session.events)
        var events = await reader.read(through: { $0.stepSummary != nil })
        session.send(.tune)
        events += await reader.read(through: Self.isFinished)
        session.send(.quit)
        events += await reader.rest()
        let errors = events.compactMap { if case let .error(m) = $0 { m } else { nil } }
        #expect(errors.count == 1)
        #expect(errors.first?.contains("tune needs a draft model") == true)
        #expect(!events.contains { if case .tuning = $0 { true } else { false } })
        let emitted = Self.emittedTokens(events)
        #expect(emitted == (try DecodingSessionTests.plainGreedy("Once upon a time", count: emitted.count, tokenizer: loaded.tokenizer)))
    }

    /// `quit` sent during a tune stops it at its next check: no suggestion, the session ends.
    @Test func quitStopsATuneInProgress() async throws {
        let session = try Self.session()
        let reader = EventReader(session.events)
        _ = await reader.read(through: { $0.stepSummary != nil })
        let clock = ContinuousClock()
        let start = clock.now
        session.send(.tune)
        session.send(.quit)
        let rest = await reader.rest()
        let elapsed = clock.now - start
        #expect(rest.contains { if case .tuning = $0 { true } else { false } })
        #expect(rest.contains(.error("tune stopped")))
        #expect(!rest.contains { if case .tuneSuggestion = $0 { true } else { false } })
        #expect(rest.contains(.finished(reason: "quit")))
        #expect(elapsed < .seconds(5), "quit took \(elapsed)")
    }
}
