import AsyncAlgorithms
import Foundation
import SpecCore
import SpecEngine
import SpecModels
import SpecTUI
import Testing

/// A real session on the default model, recorded, then replayed: the screen
/// must show the same thing both ways.
@Suite struct LiveReplayTests {
    /// Every event of `source` until it reports `.finished`, then quits it and takes the rest.
    static func runToEnd(_ source: Pacer) async -> [SessionEvent] {
        var events: [SessionEvent] = []
        var quitSent = false
        for await batch in source.events {
            events += batch
            if !quitSent, batch.contains(where: { if case .finished = $0 { true } else { false } }) {
                source.send(.quit)
                quitSent = true
            }
        }
        return events
    }

    /// The screen state after each step's statistics, run mode aside (a
    /// replay reports its own pacing, not the recorded one).
    static func statesAtStepEnds(_ events: [SessionEvent]) -> [ScreenState] {
        var model = ScreenModel()
        var states: [ScreenState] = []
        for e in events {
            model.apply(e)
            if case .statistics = e {
                var s = model.state
                s.header.mode = .running
                s.header.badge = nil  // a replay shows its place; the live run has none
                s.replay = nil
                states.append(s)
            }
        }
        return states
    }

    @Test func replayingARecordedTraceGivesTheSameScreenStatesAsTheLiveRun() async throws {
        ComputePool.start(threads: 2)
        let file = try #require(try? GGUFFile(path: DefaultModel.path), "the default model is missing at \(DefaultModel.path): run `make test`")
        let weights = try TransformerWeights(file: file)
        let tokenizer = try Tokenizer(file: file)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-ui-\(getpid())-live.jsonl").path
        let settings = SessionSettings(draft: "self:6", method: .rsdS, width: 2, depth: 3,
                                       sampling: SamplingParameters(temperature: 0.8), maxTokens: 24, seed: 7)
        let session = try DecodingSession(
            target: try Transformer(weights: weights, contextLength: 256), tokenizer: tokenizer, targetName: "SmolLM2-135M-Instruct",
            settings: settings, prompt: "Once upon a time", baselineTokens: 4)
        let live = await Self.runToEnd(Pacer(session, trace: try TraceWriter(path: path)))
        let replay = await Self.runToEnd(Pacer(TraceReplay(trace: try TraceReader.read(path: path), pace: .asFastAsPossible)))

        let liveStates = Self.statesAtStepEnds(live), replayStates = Self.statesAtStepEnds(replay)
        #expect(liveStates.count >= 4, "a few steps were run")
        #expect(liveStates.count == replayStates.count)
        for (k, (a, b)) in zip(liveStates, replayStates).enumerated() {
            #expect(a == b, "step \(k + 1)")
        }
        // The last screen: the whole text, the finished mode, the same grid.
        var a = ScreenModel(), b = ScreenModel()
        a.apply(live)
        b.apply(replay)
        #expect(b.state.replay?.step == liveStates.count && b.state.replay?.steps == liveStates.count)
        b.state.header.badge = nil
        b.state.replay = nil
        #expect(a.state == b.state)
        #expect(a.state.header.mode == .finished && a.finishReason == "max-tokens")
        #expect(a.state.text.tokens.count > 24 / 3)
        var ga = CellGrid(width: 120, height: 40), gb = CellGrid(width: 120, height: 40)
        Screen.draw(a.state, into: &ga)
        Screen.draw(b.state, into: &gb)
        #expect(ga.rows == gb.rows)
        #expect(ga.row(containing: "tree (step") != nil && ga.row(containing: "Once upon a time") != nil)
        #expect(ga.rows[0].contains("rsd-s W=2 L=3"))
    }
}
