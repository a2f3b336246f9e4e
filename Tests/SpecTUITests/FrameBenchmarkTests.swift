import Testing
import SpecTUI

@Suite struct FrameBenchmarkTests {
    /// The frame time of a 64-node tree on 200×60, measured as `bench ui`
    /// does: real medians of the timed frames (positive, finite; draw plus
    /// diff never below the draw alone, as each frame's total includes its
    /// draw), a diff that found the cells the two alternating states change,
    /// and figures that print. Nothing about speed, which depends on the
    /// build and the machine: `swift test -c release --filter FrameBenchmark`
    /// prints the real figure.
    @Test func frameTime() {
        let b = SpecTUI.benchmarkFrame(width: 200, height: 60, nodes: 64, iterations: 50)
        print("SpecTUI", b)
        #expect(b.iterations == 50 && b.width == 200 && b.height == 60 && b.nodes == 64 && b.panels)
        #expect(b.drawMedianMicroseconds > 0 && b.drawMedianMicroseconds.isFinite)
        #expect(b.drawAndDiffMedianMicroseconds >= b.drawMedianMicroseconds)
        #expect(b.changedCellsPerFrame > 0, "the two states differ, so every frame's diff finds cells")
        #expect(b.changedCellsPerFrame < Double(200 * 60), "only what changed, not the whole screen")
        #expect(b.description.contains("draw \(NumberFormat.fixed(b.drawMedianMicroseconds, 1)) µs"))
    }

    /// The benchmark's frame has every panel there is, full: the tree, text,
    /// latency, acceptance, the decision with its distributions, the history
    /// graphs and the verifier comparison.
    @Test func theBenchmarkFrameShowsTheGraphsAndTheComparison() {
        let state = ScreenState.sampleWithPanels()
        #expect(state.history.samples.count == 300 && state.comparison.means.count == 300)
        var grid = CellGrid(width: 200, height: 60)
        Screen.draw(state, into: &grid)
        let text = grid.text
        for title in ["tree (step", "latency (ms)", "acceptance", "history · last 300 steps", "same draft: token vs traversal",
                      "tok/s", "acceptance by depth", "accepted/step", "mean accepted/step",
                      "decision", "p target", "q draft", "residual", "q′ next"] {
            #expect(text.contains(title), "\(title)")
        }
        #expect(text.contains(BrailleGraph.markerGlyph), "the settings change is marked")
    }
}
