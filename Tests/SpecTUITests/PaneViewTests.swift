import Testing
import SpecTUI

@Suite struct PaneViewTests {
    @Test func latencyBarsAreProportional() {
        let state = LatencyState(
            steps: [StepLatency(draftMs: 10, verifyMs: 20, otherMs: 10),
                    StepLatency(draftMs: 5, verifyMs: 10, otherMs: 5)],
            tokensPerSecond: 23.4, baselineTokensPerSecond: 12.7, measuredSpeedup: 1.84, predictedSpeedup: 2.1)
        // Bar width = 47 − 7 = 40 columns; the slowest step (40 ms) fills it.
        let g = render(47, 4) { LatencyView.draw(state, into: &$0, in: $0.bounds) }
        #expect(g.rows[0] == "█ draft  ▓ verify  ░ other")
        #expect(g.rows[1] == String(repeating: "█", count: 10) + String(repeating: "▓", count: 20)
                + String(repeating: "░", count: 10) + "   40ms")
        #expect(g.rows[2] == String(repeating: "█", count: 5) + String(repeating: "▓", count: 10)
                + String(repeating: "░", count: 5) + String(repeating: " ", count: 20) + "   20ms")
        #expect(g.rows[3] == "23.4 tok/s · ×1.84 (pred ×2.10)")
        #expect(g[0, 1].style.foreground == .draftBar)
        #expect(g[10, 1].style.foreground == .verifyBar)
        #expect(g[30, 1].style.foreground == .otherBar)
        #expect(g[0, 0].style.foreground == .draftBar)  // legend glyph
    }

    @Test func latencyShowsTheNewestStepsThatFit() {
        let steps = (1...10).map { StepLatency(draftMs: Double($0), verifyMs: 0, otherMs: 0) }
        let g = render(30, 5) { LatencyView.draw(LatencyState(steps: steps), into: &$0, in: $0.bounds) }
        #expect(g.rows[1].hasSuffix("8.0ms"))
        #expect(g.rows[3].hasSuffix("10ms"))
        #expect(g.rows[4] == "tok/s –")
        let empty = render(30, 3) { LatencyView.draw(LatencyState(), into: &$0, in: $0.bounds) }
        #expect(empty.rows[1] == "no steps yet")
    }

    @Test func segmentsAddUpExactly() {
        #expect(Bars.segments([1, 1, 1], scale: 3, width: 10) == [3, 4, 3])
        #expect(Bars.segments([10, 20, 10], scale: 40, width: 40) == [10, 20, 10])
        #expect(Bars.segments([0, 0], scale: 0, width: 10) == [0, 0])
        #expect(Bars.segments([2, 2, 2], scale: 3, width: 9).reduce(0, +) == 9)
    }

    @Test func acceptanceBarsHistogramAndFigures() {
        let state = AcceptanceState(rateByDepth: [1.0, 0.5, 0.25], blockEfficiency: 2.9,
                                    acceptedLengthHistogram: [1, 4, 2, 0], predictedSpeedup: 2.1)
        // Bars are 28 − 3 − 5 = 20 columns.
        let g = render(28, 6) { AcceptanceView.draw(state, into: &$0, in: $0.bounds) }
        #expect(g.rows[0] == "block eff. 2.90 · pred ×2.10")
        #expect(g.rows[1] == "d1 " + String(repeating: "█", count: 20) + "  1.0")
        #expect(g.rows[2] == "d2 " + String(repeating: "█", count: 10) + String(repeating: "·", count: 10) + "  .50")
        #expect(g.rows[3] == "d3 " + String(repeating: "█", count: 5) + String(repeating: "·", count: 15) + "  .25")
        #expect(g.rows[4] == "len ▂ █ ▄")
        #expect(g.rows[5] == "    0 1 2 3")
        #expect(g[3, 1].style.foreground == .accepted)
        #expect(g[15, 2].style.foreground == .meterBg)
    }

    @Test func acceptanceWithManyDepthsSaysHowManyAreHidden() {
        let state = AcceptanceState(rateByDepth: Array(repeating: 0.5, count: 8))
        let g = render(30, 4) { AcceptanceView.draw(state, into: &$0, in: $0.bounds) }
        #expect(g.rows[0] == "block eff. –")
        #expect(g.rows[1].hasPrefix("d1 "))
        #expect(g.rows[2].hasPrefix("d2 "))
        #expect(g.rows[3] == "… 6 deeper")
    }

    @Test func partialBarsUseEighthBlocks() {
        var g = CellGrid(width: 4, height: 1)
        Bars.horizontal(&g, x: 0, y: 0, width: 4, fraction: 0.5 + 1.0 / 16, style: CellStyle(.accepted), emptyStyle: CellStyle(.meterBg))
        #expect(g.rows[0] == "██▎·")
        #expect(Bars.vertical(0) == " ")
        #expect(Bars.vertical(0.01) == "▁")
        #expect(Bars.vertical(1) == "█")
    }

    @Test func decisionPanelShowsPQUAndVerdict() {
        let d = DecisionState(node: 2, token: " fox", depth: 3, p: 0.31, q: 0.62, u: 0.4, verdict: .accepted, residualMass: 0.27)
        // Bars: 30 − 10 = 20 columns, scaled to max(p, q) = 0.62.
        let g = render(30, 5) { DecisionView.draw(d, into: &$0, in: $0.bounds) }
        #expect(g.rows == [
            "node ␣fox · depth 3",
            "p(x) " + String(repeating: "█", count: 10) + String(repeating: "·", count: 10) + " .31",
            "q(x) " + String(repeating: "█", count: 20) + " .62",
            "u 0.400 < min(1,p/q) 0.50",
            "✓ accepted · residual 0.27",
        ])
        #expect(g[5, 1].style.foreground == .targetBar)
        #expect(g[5, 2].style.foreground == .draftBar)
        #expect(g[0, 4].style.foreground == .accepted)
        #expect(g[6, 0].style.background == .highlight)  // the token
        var r = d
        r.u = 0.9
        r.verdict = .rejected
        let h = render(30, 5) { DecisionView.draw(r, into: &$0, in: $0.bounds) }
        #expect(h.rows[3] == "u 0.900 ≥ min(1,p/q) 0.50")
        #expect(h.rows[4] == "✗ rejected · residual 0.27")
        #expect(h[0, 4].style.foreground == .rejected)
        var before = d
        before.u = nil
        before.verdict = .undecided
        let b = render(30, 4) { DecisionView.draw(before, into: &$0, in: $0.bounds) }
        #expect(b.rows[3].hasPrefix("u – vs min(1,p/q) 0.50  ? und"))
    }

    @Test func helpOverlayListsEveryBinding() {
        let g = render(100, 40) { HelpOverlay.draw(keyMap: .standard, into: &$0, in: $0.bounds) }
        let all = g.rows.joined(separator: "\n")
        for b in KeyMap.standard.bindings {
            #expect(all.contains(b.help), "missing \(b.help)")
        }
        #expect(all.contains("┌ keys "))
        #expect(all.contains("Esc closes"))
        // On a small screen the bindings go into two columns and stay inside the screen.
        let rows = (KeyMap.standard.bindings.count + 1) / 2 + 2  // two columns and the frame
        let s = render(60, rows) { HelpOverlay.draw(keyMap: .standard, into: &$0, in: $0.bounds) }
        #expect(s.rows.contains { $0.contains("pause / resume") })
        #expect(s.rows.contains { $0.contains("quit") })
        #expect(s.rows.contains { $0.contains("? legend · Esc closes") })
    }

    @Test func headerShowsModelsMethodTemperatureAndMode() {
        let h = HeaderState(target: "SmolLM2-135M", draft: "self-draft 8/30 layers", method: "RSD-S W=4 L=5",
                            temperature: 0.8, mode: .running, theme: "default")
        let g = render(100, 1) { HeaderView.draw(h, into: &$0, in: $0.bounds) }
        #expect(g.rows[0] == "┌ spectree ─ SmolLM2-135M · self-draft 8/30 layers · RSD-S W=4 L=5 · T=0.80 ──── default · running ┐")
        #expect(g[g.column(of: "running", row: 0)!, 0].style.foreground == .accepted)
        let n = render(60, 1) { HeaderView.draw(h, into: &$0, in: $0.bounds) }
        #expect(n.rows[0].hasSuffix(" running ┐"))
        #expect(n.rows[0].contains("…"))
        #expect(DisplayWidth.of(n.rows[0]) == 60)
    }

    @Test func errorBannerShowsTheMessageOnOneLine() {
        let g = render(50, 1) { ErrorBanner.draw("decoder failed:\nout of memory", into: &$0, in: $0.bounds) }
        #expect(g.rows[0] == "✗ decoder failed: out of memory      Esc dismisses")
        #expect(g[0, 0].style.foreground == .error)
    }

    @Test func tinyWindowsAskToBeEnlarged() {
        let g = render(40, 10) { TooSmallView.draw(into: &$0) }
        let text = g.rows.joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(text == "window too small — enlarge to at least 60×16 (now 40×10)")
        for (w, h) in [(1, 1), (3, 2), (59, 16), (60, 15)] {
            var s = ScreenState.sample()
            s.error = "x"
            var grid = CellGrid(width: w, height: h)
            Screen.draw(s, into: &grid)
            #expect(grid.rows.joined().contains("w") || w * h < 8, "\(w)×\(h): \(grid.rows)")
            #expect(!grid.rows.joined().contains("spectree"))
        }
    }
}
