import Foundation
import SpecCore
import SpecEngine
import SpecTUI
import Testing

@Suite struct ScreenModelTests {
    static func fold(_ events: [SessionEvent]) -> ScreenModel {
        var m = ScreenModel()
        m.apply(events)
        return m
    }

    @Test func headerComesFromConfiguredAndMode() {
        let m = Self.fold(SessionScript.opening + [.mode(.running)])
        let h = m.state.header
        #expect(h.target == "SmolLM2-135M-Instruct")
        #expect(h.draft == "self-draft 8/30 layers (0-7)")
        #expect(h.method == "rsd-s W=2 L=3")
        #expect(h.temperature == 0.8)
        #expect(h.budget == nil)
        #expect(h.mode == .running)
        #expect(m.state.text.tokens == [EmittedToken("Once upon a time", .prompt, step: 0)])
        var budget = SessionScript.info
        budget.budget = 16
        #expect(Self.fold([.configured(budget)]).state.header.budget == "budget 16")
    }

    @Test func twoNodeChainWithABonus() {
        let m = Self.fold(SessionScript.opening + SessionScript.chainWithBonus)
        let t = m.state.tree
        #expect(t.step == 1)
        #expect(t.nodes.map(\.token) == [" the", " fox", " ran"])
        #expect(t.nodes.map(\.state) == [.accepted, .accepted, .bonus])
        #expect(t.nodes.map(\.onAcceptedPath) == [true, true, true])
        #expect(t.nodes.map(\.parent) == [nil, 0, 1])
        #expect(t.nodes.map(\.depth) == [1, 2, 3])
        #expect(t.nodes[0].q == 0.6 && t.nodes[0].p == 0.7)
        #expect(t.nodes[1].q == 0.4 && t.nodes[1].p == 0.5)
        #expect(t.nodes[2].q == nil && t.nodes[2].p == nil)
        #expect(m.state.text.tokens.dropFirst().map(\.text) == [" the", " fox", " ran"])
        #expect(m.state.text.tokens.dropFirst().map(\.provenance) == [.draftAccepted, .draftAccepted, .bonus])
        #expect(m.state.text.tokens.dropFirst().map(\.step) == [1, 1, 1])
        #expect(m.state.latency.steps == [StepLatency(draftMs: 10, verifyMs: 30, otherMs: 2)])
        // No statistics event yet: no figures.
        #expect(m.state.acceptance.blockEfficiency == nil)
        #expect(m.state.latency.tokensPerSecond == nil)

        var grid = CellGrid(width: 100, height: 30)
        Screen.draw(m.state, into: &grid)
        let fox = grid.row(containing: "␣fox")!
        #expect(grid.text(row: fox).contains("q.40 p.50 ✓"))
        let ran = grid.row(containing: "␣ran")!
        #expect(ran == fox + 1)
        #expect(grid.text(row: ran).contains("★"))
        #expect(grid.row(containing: "tree (step 1)") != nil)
        #expect(grid.row(containing: "Once upon a time the fox ran") != nil)
    }

    @Test func threeLevelTreeWithRejectionsAndAResample() {
        let m = Self.fold(SessionScript.opening + SessionScript.chainWithBonus + SessionScript.treeWithResample)
        let t = m.state.tree
        #expect(t.step == 2)
        #expect(t.nodes.map(\.token) == [" a", " the", " little", " old", " big", " fox", " cat", " dog"])
        #expect(t.nodes.map(\.state) == [.accepted, .pending, .accepted, .pending, .pending, .rejected, .rejected, .resampled])
        #expect(t.nodes.map(\.onAcceptedPath) == [true, false, true, false, false, false, false, true])
        #expect(t.nodes.map(\.parent) == [nil, nil, 0, 0, 1, 2, 2, 2])
        #expect(t.nodes[5].p == 0.1 && t.nodes[6].p == 0.05)
        #expect(t.nodes[3].p == nil)
        #expect(t.nodeUnderTest == nil, "no node under test outside decision mode")
        #expect(m.state.decision == nil)
        #expect(m.state.text.tokens.suffix(3).map(\.provenance) == [.draftAccepted, .draftAccepted, .resampled])
        #expect(m.state.text.tokens.suffix(3).map(\.step) == [2, 2, 2])
        #expect(m.state.latency.steps.count == 2)

        var grid = CellGrid(width: 100, height: 30)
        Screen.draw(m.state, into: &grid)
        #expect(grid.text(row: grid.row(containing: "␣dog")!).contains("↻"))
        #expect(grid.text(row: grid.row(containing: "␣cat")!).contains("q.30 p.05 ✗"))
        #expect(grid.text(row: grid.row(containing: "␣old")!).contains("q.20 p  – ·"))
        #expect(grid.row(containing: "Once upon a time the fox ran a little dog") != nil)
    }

    @Test func decisionModeShowsTheNodeUnderTest() {
        // Released up to the decision on " fox" (node 5), then paused in decision mode.
        let upToFox = Array(SessionScript.treeWithResample.prefix(5)) + SessionScript.treeDecisions.prefix(3).map(SessionScript.stepped(1))
        var m = Self.fold(SessionScript.opening + upToFox + [.mode(.decision)])
        #expect(m.state.header.mode == .decision)
        let d = try! #require(m.state.decision)
        #expect(d.node == 5 && d.token == " fox" && d.depth == 3)
        #expect(d.p == 0.1 && d.q == 0.4 && d.u == 0.8)
        #expect(d.verdict == .rejected && d.residualMass == 0.3)
        #expect(abs(d.acceptanceProbability - 0.25) < 1e-12)
        #expect(m.state.tree.nodeUnderTest == 5)
        #expect(m.state.tree.nodes[6].state == .pending, "the next sibling is not tested yet")

        var grid = CellGrid(width: 100, height: 30)
        Screen.draw(m.state, into: &grid)
        #expect(grid.row(containing: "node ␣fox · depth 3") != nil)
        #expect(grid.row(containing: "u 0.800 ≥ min(1,p/q) 0.25") != nil)
        #expect(grid.row(containing: "✗ rejected · residual 0.30") != nil)
        #expect(grid.text(row: grid.row(containing: "␣fox")!).contains("◀"))

        // The next decision replaces it; running again hides the panel.
        m.apply(SessionScript.stepped(1)(SessionScript.treeDecisions[3]))
        #expect(m.state.decision?.node == 6 && m.state.decision?.verdict == .rejected)
        m.apply(.mode(.running))
        #expect(m.state.decision == nil && m.state.tree.nodeUnderTest == nil)
    }

    @Test func figuresComeFromStatisticsAndBaseline() throws {
        let m = Self.fold(SessionScript.twoSteps)
        let s = SessionScript.statistics
        #expect(m.state.acceptance.blockEfficiency == 3)
        #expect(m.state.acceptance.rateByDepth == [1, 1, 0])
        #expect(m.state.acceptance.acceptedLengthHistogram == [0, 0, 2])
        let tps = try #require(m.state.latency.tokensPerSecond)
        #expect(abs(tps - 6 / 0.102) < 1e-9)
        #expect(m.state.latency.baselineTokensPerSecond == 25)
        #expect(abs(m.state.latency.measuredSpeedup! - tps / 25) < 1e-12)
        // α = 4/5 tested levels accepted; γ = mean depth 2.5 → 3 (rounded half away); c = (25 ms / 5 levels) / (70 ms / 2 calls).
        let expected = ThroughputModel.predictedSpeedup(acceptanceRate: s.acceptanceRate, draftLength: 3,
                                                        costRatio: (0.025 / 5) / (0.070 / 2))
        #expect(abs(m.state.latency.predictedSpeedup! - expected) < 1e-12)
        #expect(m.state.acceptance.predictedSpeedup == m.state.latency.predictedSpeedup)
        #expect(s.acceptanceRate == 0.8)

        var grid = CellGrid(width: 120, height: 40)
        Screen.draw(m.state, into: &grid)
        #expect(grid.row(containing: "block eff. 3.00 · pred ×" + NumberFormat.fixed(expected, 2)) != nil)
        #expect(grid.row(containing: NumberFormat.fixed(tps, 1) + " tok/s · ×" + NumberFormat.fixed(tps / 25, 2)) != nil)
    }

    @Test func aSettingsChangeKeepsTheFiguresBefore() throws {
        var m = Self.fold(SessionScript.twoSteps)
        let before = m.state.latency.tokensPerSecond!
        var wider = SessionScript.info
        wider.shape = "rsd-s W=3 L=3"
        m.apply(.configured(wider))
        #expect(m.state.header.method == "rsd-s W=3 L=3")
        let p = try #require(m.state.acceptance.previous)
        #expect(p.label == "rsd-s W=2 L=3")
        #expect(p.blockEfficiency == 3 && p.tokensPerSecond == before && p.steps == 2)
        #expect(abs(p.measuredSpeedup! - before / 25) < 1e-12)
        // Statistics restart.
        #expect(m.state.acceptance.blockEfficiency == nil)
        #expect(m.state.latency.tokensPerSecond == nil)
        #expect(m.statistics.steps == 0)

        var grid = CellGrid(width: 120, height: 40)
        Screen.draw(m.state, into: &grid)
        let row = try #require(grid.row(containing: "before rsd-s W=2 L=3: eff. 3.00 · " + NumberFormat.fixed(before, 1) + " tok/s"))
        #expect(grid.row(containing: "block eff. –") == row - 1)

        // A temperature change names the old temperature; a change with no steps since keeps the older
        // figures, and its label names everything that differs from the settings they were measured under.
        var hotter = wider
        hotter.sampling.temperature = 1.0
        m.apply(.configured(hotter))
        #expect(m.state.acceptance.previous?.label == "rsd-s W=2 L=3 · T=0.80")
        m.apply(SessionScript.chainWithBonus + [.statistics(SessionScript.statistics)])
        var cooler = hotter
        cooler.sampling.temperature = 0.5
        m.apply(.configured(cooler))
        #expect(m.state.acceptance.previous?.label == "T=1.00")
    }

    @Test func errorsFinishAndNewPrompts() {
        var m = Self.fold(SessionScript.twoSteps + [.error("the context is full")])
        #expect(m.state.error == "the context is full")
        m.apply(.finished(reason: "max-tokens"))
        #expect(m.state.header.mode == .finished && m.mode == .finished && m.finishReason == "max-tokens")
        m.apply(.prompt(text: "Tell me about rivers", tokenCount: 5))
        #expect(m.state.text.tokens == [EmittedToken("Tell me about rivers", .prompt, step: 0)])
        #expect(m.state.tree.nodes.isEmpty)
        #expect(m.finishReason == nil)
        // An id without text shows as ⟨id⟩.
        m.apply([.decoding(.stepStarted(step: 0, prefixLength: 5, settings: "")),
                 .decoding(.tokenEmitted(step: 0, token: 999, kind: .bonus))])
        #expect(m.state.text.tokens.last?.text == "⟨999⟩")
    }

    @Test func whileRunningTheTreePaneShowsTheLastFinishedStep() {
        let drafting = Array(SessionScript.treeWithResample.prefix(3))  // step 2 started, two levels drafted
        var m = Self.fold(SessionScript.opening + [.mode(.running)] + SessionScript.chainWithBonus + drafting)
        #expect(m.state.tree.step == 1)
        #expect(m.state.tree.nodes.map(\.state) == [.accepted, .accepted, .bonus])
        // Paused, the tree is shown as it is.
        m.apply(.mode(.paused))
        #expect(m.state.tree.step == 2)
        #expect(m.state.tree.nodes.count == 5 && m.state.tree.nodes.allSatisfy { $0.state == .pending })
        m.apply(.mode(.running))
        #expect(m.state.tree.step == 1)
        // Once step 2 finishes, it is the one shown.
        m.apply(Array(SessionScript.treeWithResample.dropFirst(3)))
        #expect(m.state.tree.step == 2 && m.state.tree.nodes.last?.state == .resampled)
        // A new prompt clears both.
        m.apply(.prompt(text: "Hello", tokenCount: 1))
        #expect(m.state.tree.nodes.isEmpty)
    }

    @Test func latencyHistoryIsBounded() {
        var m = ScreenModel(latencyHistory: 5)
        m.apply(SessionScript.opening)
        for _ in 0..<8 { m.apply(SessionScript.chainWithBonus) }
        #expect(m.state.latency.steps.count == 5)
    }

    /// A trace is the events as JSON Lines: folding the decoded trace gives
    /// the same screen state after every event as folding the events live.
    @Test func replayingATraceGivesTheSameScreenStates() throws {
        let events = SessionScript.twoSteps + [.mode(.decision)] + SessionScript.treeWithResample + [.finished(reason: "end-of-text")]
        let encoder = JSONEncoder()
        let lines = try events.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: "\n")
        let decoded = try lines.split(separator: "\n").map { try JSONDecoder().decode(SessionEvent.self, from: Data($0.utf8)) }
        var live = ScreenModel(), replay = ScreenModel()
        for (a, b) in zip(events, decoded) {
            live.apply(a)
            replay.apply(b)
            #expect(live.state == replay.state)
        }
        #expect(decoded.count == events.count)
    }

    /// A full context says so on screen and what to do, and stays until a new
    /// prompt (issue 13, item 10: the screen said only "done" and faded).
    @Test func aFullContextSaysWhatHappenedAndWhatToDo() {
        var m = Self.fold(SessionScript.twoSteps + [.finished(reason: "context-full"), .mode(.finished)])
        #expect(m.state.header.mode == .finished)
        var grid = CellGrid(width: 120, height: 40)
        Screen.draw(m.state, into: &grid)
        let screen = grid.rows.joined(separator: "\n")
        #expect(screen.contains("context full"), "\(screen)")
        #expect(screen.contains("new prompt in a fresh context") && screen.contains("--context"), "\(screen)")
        m.apply(.prompt(text: "Another prompt", tokenCount: 2))
        #expect(m.state.error == nil)
        // Other ends leave no banner.
        let ended = Self.fold(SessionScript.twoSteps + [.finished(reason: "max-tokens"), .mode(.finished)])
        #expect(ended.state.error == nil)
    }
}

@Suite struct LiveReportTests {
    @Test func theSummaryGivesThroughputAndLatencies() {
        var model = ScreenModel()
        model.apply(SessionScript.twoSteps + [.finished(reason: "max-tokens")])
        var report = LiveReport(exitStatus: 0, model: model)
        report.frames = 3
        report.frameMicroseconds = [100, 300, 200]
        report.keyToFrameMs = [0.5, 2.5]
        report.settingToEffectMs = [40]
        let lines = report.summary.split(separator: "\n").map(String.init)
        let tps = NumberFormat.fixed(6 / 0.102, 1)
        #expect(lines[0] == "6 tokens in 2 steps at \(tps) tokens/s, block efficiency 3.00, baseline 25.0 tokens/s (×"
                + NumberFormat.fixed(6 / 0.102 / 25, 2) + ") [self-draft 8/30 layers (0-7), rsd-s W=2 L=3]")
        #expect(lines[1] == "3 frames, frame draw+present median 200 µs (max 300 µs); key→frame median 2.5 ms (max 2.5, 2 keys); "
                + "setting key→new settings on screen median 40.0 ms (max 40.0, 1 changes)")
        #expect(lines[2] == "finished: max-tokens")
        #expect(LiveReport.medianAndMax([]) == nil)
    }
}
