import AsyncAlgorithms
import Foundation
import SpecCore
import SpecEngine
import SpecModels
import Testing

@Suite("DecodingSession", .serialized)
struct DecodingSessionTests {
    static let greedyChain = SessionSettings(draft: "self:2", method: .chain, depth: 2, sampling: .greedy, maxTokens: 16, seed: 3)
    static let sampledBeams = SessionSettings(draft: "self:2", method: .rsdS, width: 2, depth: 2,
                                              sampling: SamplingParameters(temperature: 0.8), maxTokens: 16, seed: 11)

    /// The session forwards the decoder's events unchanged: a direct run with
    /// the same seed, settings and prompt produces the same ones, in order.
    @Test(arguments: [greedyChain, sampledBeams])
    func decodingEventsEqualADirectDecoderRun(settings: SessionSettings) async throws {
        let loaded = try EngineTestSupport.require()
        let session = try EngineTestSupport.session(settings)
        let events = await EngineTestSupport.runToEnd(session)
        let fromSession = events.compactMap(\.decodingEvent).map(\.timeless)

        let direct = try Self.directRun(settings, prompt: "Once upon a time", tokenizer: loaded.tokenizer)
        #expect(fromSession.count == direct.count)
        #expect(fromSession == direct)
        #expect(events.first == .configured(SessionInfo(
            target: "SmolLM2-135M-Instruct", draft: "self-draft 2/30 layers (0-1)",
            shape: try settings.shape(vocabularySize: 49152).label, sampling: settings.sampling,
            settings: settings, layerCount: 30, vocabularySize: 49152)))
        #expect(events.contains { if case .baseline(let rate) = $0 { rate > 0 } else { false } })
        #expect(events.contains(.finished(reason: "max-tokens")) || events.contains(.finished(reason: "end-of-text")))
    }

    /// The decoder's events for `settings` on `prompt`, run directly, stopping as a session does.
    static func directRun(_ settings: SessionSettings, prompt text: String, tokenizer: Tokenizer) throws -> [DecodingEvent] {
        let target = try EngineTestSupport.target()
        let draft = try DraftSpecification(settings.draft).load(for: target).source
        let prompt = PromptFormat.plain.tokens(text, tokenizer: tokenizer)
        let decoder = try SpeculativeDecoder(target: target, draft: draft, shape: settings.shape(vocabularySize: target.vocabularySize),
                                             sampling: settings.sampling, prompt: prompt, seed: settings.seed)
        decoder.comparesVerifiers = true  // as the session does, for the side-by-side view
        decoder.recordsDistributions = true  // and for the decision pane
        var direct: [DecodingEvent] = []
        var generated = 0
        while generated < settings.maxTokens {
            let emitted = try decoder.step { direct.append($0.timeless) }
            generated += emitted.count
            if emitted.contains(where: tokenizer.isEndOfGeneration) { break }
        }
        return direct
    }

    /// `count` tokens of plain greedy decoding.
    static func plainGreedy(_ text: String, count: Int, tokenizer: Tokenizer) throws -> [TokenID] {
        let prompt = PromptFormat.plain.tokens(text, tokenizer: tokenizer)
        var plain = try AutoregressiveDecoder(model: EngineTestSupport.target(), prompt: prompt, sampling: .greedy, seed: 0)
        var tokens: [TokenID] = []
        for _ in 0..<count { tokens.append(try plain.next()) }
        return tokens
    }

    @Test func aDepthChangeMidRunLandsAtAStepBoundary() async throws {
        var settings = Self.greedyChain
        settings.maxTokens = 80
        // Paused after one step, so the change cannot arrive after the last
        // step on a loaded machine (the decoder outruns the reader there).
        let session = try EngineTestSupport.session(settings, startPaused: true)
        let reader = EventReader(session.events)
        session.send(.step)
        var events = await reader.read(through: { $0.stepSummary != nil })
        session.send(.change(.depth(1)))
        session.send(.resume)
        events += await reader.read(through: { if case .finished = $0 { true } else { false } })
        session.send(.quit)
        events += await reader.rest()

        let configured = events.indices.filter { if case .configured = events[$0] { true } else { false } }
        try #require(configured.count == 2)
        let change = configured[1]
        guard case let .configured(info) = events[change] else { return }
        #expect(info.shape == "chain L=3")
        let before = events[..<change].compactMap(\.decodingEvent)
        let after = events[(change + 1)...].compactMap(\.decodingEvent)
        if case .stepFinished = before.last {} else { Issue.record("the change did not follow a stepFinished: \(String(describing: before.last))") }
        if case .stepStarted = after.first {} else { Issue.record("the change was not followed by a stepStarted: \(String(describing: after.first))") }
        let depthsBefore = before.compactMap { if case let .stepFinished(s) = $0 { s.treeDepth } else { nil } }
        let depthsAfter = after.compactMap { if case let .stepFinished(s) = $0 { s.treeDepth } else { nil } }
        #expect(!depthsBefore.isEmpty && depthsBefore.allSatisfy { $0 == 2 })
        #expect(!depthsAfter.isEmpty && depthsAfter.allSatisfy { $0 == 3 })
        // Statistics restart at the change: the first totals after it count one step.
        let firstAfter = events[(change + 1)...].first { if case .statistics = $0 { true } else { false } }
        if case let .statistics(s) = firstAfter { #expect(s.steps == 1) } else { Issue.record("no statistics after the change") }
        #expect(session.settings.depth == 3)
    }

    @Test func aSlowConsumerSeesTheSameEventsAndStatistics() async throws {
        let fast = await EngineTestSupport.runToEnd(try EngineTestSupport.session(Self.sampledBeams))

        let session = try EngineTestSupport.session(Self.sampledBeams)
        var slow: [SessionEvent] = []
        var batches = 0
        var quitSent = false
        for await batch in session.events {
            batches += 1
            slow += batch
            if !quitSent, batch.contains(where: { if case .finished = $0 { true } else { false } }) {
                session.send(.quit)
                quitSent = true
            }
            try await Task.sleep(for: .milliseconds(150))
        }
        #expect(slow.map(\.timeless) == fast.map(\.timeless))
        let lastStatistics = { (events: [SessionEvent]) -> DecodingStatistics? in
            events.last { if case .statistics = $0 { true } else { false } }.flatMap { if case let .statistics(s) = $0 { s.timeless } else { nil } }
        }
        #expect(lastStatistics(slow) != nil)
        #expect(lastStatistics(slow) == lastStatistics(fast))
        // The slow consumer got the events coalesced into fewer, bigger batches.
        #expect(batches < slow.count / 4)
    }

    /// Nobody reads the events, yet the session decodes to the end (its trace,
    /// written as events are emitted, shows it); then everything arrives in a few batches.
    @Test func theDecoderNeverWaitsForTheConsumer() async throws {
        let path = EngineTestSupport.temporaryPath("unread.jsonl")
        let session = try EngineTestSupport.session(Self.greedyChain, trace: TraceWriter(path: path))
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(120)
        while clock.now < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), text.contains("\"finished\"") { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let reader = EventReader(session.events)
        let events = await reader.read(through: { if case .finished = $0 { true } else { false } })
        #expect(events.last == .finished(reason: "max-tokens"))
        #expect(reader.batches <= 3)
        session.send(.quit)
        _ = await reader.rest()
    }

    @Test func stepAndStepDecisionPacing() async throws {
        var settings = Self.greedyChain
        settings.maxTokens = 200
        let session = try EngineTestSupport.session(settings, startPaused: true)
        let reader = EventReader(session.events)
        let opening = await reader.read(through: \.isMode)
        #expect(opening.last == .mode(.paused))
        #expect(opening.compactMap(\.decodingEvent).isEmpty)

        session.send(.step)
        let step = await reader.read(through: \.isMode)
        #expect(step.last == .mode(.paused))
        #expect(step.compactMap(\.stepSummary).map(\.step) == [0])

        // Paused: nothing runs until asked.
        try await Task.sleep(for: .milliseconds(150))
        session.send(.stepDecision)
        let first = await reader.read(through: \.isMode)
        #expect(first.last == .mode(.decision))
        #expect(first.dropLast().last?.isDecision == true)
        #expect(first.filter(\.isDecision).count == 1)
        let firstStart = first.compactMap(\.decodingEvent).first
        if case .stepStarted(1, _, _) = firstStart {} else { Issue.record("expected step 1 to start, got \(String(describing: firstStart))") }

        for _ in 0..<3 {
            session.send(.stepDecision)
            let next = await reader.read(through: \.isMode)
            #expect(next.last == .mode(.decision))
            #expect(next.dropLast().last?.isDecision == true)
            #expect(next.filter(\.isDecision).count == 1)
        }

        // `step` releases the rest of the step being shown, no more.
        session.send(.step)
        let rest = await reader.read(through: \.isMode)
        #expect(rest.last == .mode(.paused))
        #expect(rest.compactMap(\.stepSummary).count == 1)
        #expect(!rest.contains { if case .decoding(.stepStarted) = $0 { true } else { false } })

        session.send(.resume)
        let resumed = await reader.read(through: { $0.stepSummary != nil })
        #expect(resumed.first == .mode(.running))
        session.send(.togglePause)
        let paused = await reader.read(through: \.isMode)
        #expect(paused.last == .mode(.paused))
        // The pause held at a step boundary: the next step is the one after the last finished.
        let lastFinished = try #require((resumed + paused).compactMap(\.stepSummary).last?.step)
        try await Task.sleep(for: .milliseconds(150))
        session.send(.step)
        let afterPause = await reader.read(through: \.isMode)
        #expect(afterPause.compactMap(\.stepSummary).map(\.step) == [lastFinished + 1])
        #expect(afterPause.last == .mode(.paused))
        session.send(.quit)
        let end = await reader.rest()
        #expect(end.contains(.finished(reason: "quit")))
        #expect(end.last == .mode(.finished))
    }

    @Test func aDraftThatCannotLoadIsAnErrorAndKeepsTheSettings() async throws {
        var settings = Self.greedyChain
        settings.draftSources = ["self:2", "/nonexistent/draft.gguf"]
        let session = try EngineTestSupport.session(settings, startPaused: true)
        let reader = EventReader(session.events)
        _ = await reader.read(through: \.isMode)
        session.send(.change(.nextDraftSource))
        session.send(.step)
        let events = await reader.read(through: \.isMode)
        guard case let .error(message) = events.first else {
            Issue.record("expected an error first, got \(events)")
            return
        }
        #expect(message.contains("/nonexistent/draft.gguf"))
        #expect(!events.contains { if case .configured = $0 { true } else { false } })
        #expect(events.compactMap(\.stepSummary).count == 1)
        #expect(session.settings.draft == "self:2")
        session.send(.quit)
        _ = await reader.rest()
    }

    @Test func anImpossibleChangeIsAnErrorAndKeepsTheSettings() async throws {
        let session = try EngineTestSupport.session(Self.greedyChain, startPaused: true)
        let reader = EventReader(session.events)
        _ = await reader.read(through: \.isMode)
        session.send(.change(.nextDraftSource))  // only one source
        session.send(.change(.draftLayers(-1)))   // self:2 → self:1: fine
        session.send(.step)
        let events = await reader.read(through: \.isMode)
        guard case let .error(message) = events.first else {
            Issue.record("expected an error first, got \(events)")
            return
        }
        #expect(message.contains("only one draft source"))
        let infos = events.compactMap { if case let .configured(info) = $0 { info } else { nil } }
        #expect(infos.map(\.draft) == ["self-draft 1/30 layers (0)"])
        #expect(events.compactMap(\.stepSummary).count == 1)
        #expect(session.settings.draft == "self:1")
        session.send(.quit)
        _ = await reader.rest()
    }

    /// A draft switched mid-run rebuilds the decoder over the history; greedy
    /// output stays exactly plain greedy decoding.
    @Test func switchingTheDraftMidRunKeepsGreedyOutputExact() async throws {
        let loaded = try EngineTestSupport.require()
        var settings = Self.greedyChain
        settings.draftSources = ["self:2", "ngram:2"]
        settings.maxTokens = 24
        let session = try EngineTestSupport.session(settings)
        let reader = EventReader(session.events)
        var events = await reader.read(through: { $0.stepSummary != nil })
        session.send(.change(.nextDraftSource))
        session.send(.change(.depth(1)))
        events += await reader.read(through: { if case .finished = $0 { true } else { false } })
        session.send(.quit)
        events += await reader.rest()

        let infos = events.compactMap { if case let .configured(info) = $0 { info } else { nil } }
        #expect(infos.map(\.draft) == ["self-draft 2/30 layers (0-1)", "n-gram lookup (n ≤ 2)", "n-gram lookup (n ≤ 2)"])
        let emitted = events.compactMap { if case let .decoding(.tokenEmitted(_, token, _)) = $0 { token } else { nil } }
        let expected = try Self.plainGreedy("Once upon a time", count: emitted.count, tokenizer: loaded.tokenizer)
        #expect(emitted.count >= settings.maxTokens)
        #expect(emitted == expected)
    }

    @Test func aNewPromptStartsOverAfterTheEnd() async throws {
        var settings = Self.greedyChain
        settings.maxTokens = 6
        let session = try EngineTestSupport.session(settings)
        let reader = EventReader(session.events)
        let first = await reader.read(through: { if case .finished = $0 { true } else { false } })
        #expect(first.last == .finished(reason: "max-tokens"))
        session.send(.newPrompt("The capital of France is"))
        let second = await reader.read(through: { if case .finished = $0 { true } else { false } })
        session.send(.quit)
        _ = await reader.rest()
        guard case let .prompt(text, count) = second.first(where: { if case .prompt = $0 { true } else { false } }) else {
            Issue.record("no prompt event: \(second)")
            return
        }
        #expect(text == "The capital of France is" && count > 3)
        #expect(second.contains(.mode(.running)))
        // The baseline is measured again on the new prompt, right after it.
        let promptIndex = try #require(second.firstIndex { if case .prompt = $0 { true } else { false } })
        if case .baseline = second[promptIndex + 1] {} else { Issue.record("no baseline after the new prompt: \(second[promptIndex + 1])") }
        let starts = second.compactMap { if case let .decoding(.stepStarted(step, prefix, _)) = $0 { (step, prefix) } else { nil } }
        #expect(starts.first?.0 == 0 && starts.first?.1 == count)
        #expect(second.last == .finished(reason: "max-tokens"))
    }

    @Test func theEndOfTheTextFinishesAChatAnswer() async throws {
        let loaded = try EngineTestSupport.require()
        var settings = Self.greedyChain
        settings.maxTokens = 200
        let session = try DecodingSession(
            target: EngineTestSupport.target(), tokenizer: loaded.tokenizer, targetName: "SmolLM2", settings: settings,
            prompt: "Say hi.", format: .chat(system: ChatTemplate.smolLM2DefaultSystem), baselineTokens: 0)
        let events = await EngineTestSupport.runToEnd(Pacer(session))
        #expect(events.contains(.finished(reason: "end-of-text")))
        // The last step ends at the end-of-turn token (the rest of its block dropped by the decoder),
        // and the screen never gets that token as text.
        let steps = events.compactMap { if case let .decoding(.stepFinished(summary)) = $0 { summary } else { nil } }
        #expect(steps.last?.emitted.last.map(loaded.tokenizer.isEndOfGeneration) == true)
        let emitted = events.compactMap { if case let .decoding(.tokenEmitted(_, token, _)) = $0 { token } else { nil } }
        #expect(!emitted.isEmpty && !emitted.contains(where: loaded.tokenizer.isEndOfGeneration), "the end-of-turn token ends the text, unseen")
    }

    @Test func aFullContextFinishesTheGeneration() async throws {
        var settings = Self.greedyChain
        settings.maxTokens = 1000
        let session = try EngineTestSupport.session(settings, context: 24)
        let events = await EngineTestSupport.runToEnd(session)
        #expect(events.contains(.finished(reason: "context-full")))
        #expect(!events.contains { if case .error = $0 { true } else { false } })
    }

    /// After a full context, a new prompt starts from an empty one: its
    /// baseline is measured and it decodes (issue 13, item 10: the baseline
    /// failed with "context full" because the old context was still there).
    @Test func aNewPromptAfterAFullContextStartsFresh() async throws {
        var settings = Self.greedyChain
        settings.maxTokens = 1000
        let session = try EngineTestSupport.session(settings, context: 24)
        let reader = EventReader(session.events)
        let first = await reader.read(through: { if case .finished = $0 { true } else { false } })
        #expect(first.last == .finished(reason: "context-full"))
        session.send(.newPrompt("The capital of France is"))
        let second = await reader.read(through: { if case .finished = $0 { true } else { false } })
        session.send(.quit)
        _ = await reader.rest()
        #expect(!second.contains { if case .error = $0 { true } else { false } }, "\(second)")
        #expect(second.contains { if case let .baseline(rate) = $0 { rate > 0 } else { false } })
        #expect(second.contains(.mode(.running)))
        #expect(second.compactMap(\.stepSummary).count >= 1)
        #expect(second.last == .finished(reason: "context-full"))
    }
}
