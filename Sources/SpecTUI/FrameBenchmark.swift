import SpecCore

/// Frame-time measurement for `spectree bench ui`: how long drawing one
/// frame takes, with and without computing the diff the terminal would flush.
public struct FrameBenchmark: Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public var nodes: Int
    /// Whether the history graphs and the verifier comparison were shown (and full).
    public var panels: Bool = false
    public var iterations: Int
    /// Median time of `Screen.draw` into a reused grid, in microseconds.
    public var drawMedianMicroseconds: Double
    /// Median time of draw plus diff against the previous frame, in microseconds.
    public var drawAndDiffMedianMicroseconds: Double
    /// Cells the diff found changed, per timed frame: what a terminal would be sent.
    public var changedCellsPerFrame: Double

    public var description: String {
        "frame \(width)×\(height), \(nodes)-node tree" + (panels ? ", a decision with its distributions, history graphs and comparison (300 steps)" : "") + ": draw \(NumberFormat.fixed(drawMedianMicroseconds, 1)) µs, "
            + "draw+diff \(NumberFormat.fixed(drawAndDiffMedianMicroseconds, 1)) µs (median of \(iterations))"
    }
}

extension SpecTUI {
    /// Times drawing `ScreenState.sample(nodes:)` (with `panels`,
    /// `sampleWithPanels`: the history graphs and the verifier comparison full)
    /// into a `width` × `height` grid, `iterations` times after a warm-up,
    /// alternating between two states (as when a tree grows) so the diff has work to do.
    /// Run it from a release build for meaningful figures.
    /// - Complexity: O(iterations × frame).
    public static func benchmarkFrame(width: Int = 200, height: Int = 60, nodes: Int = 64, iterations: Int = 200,
                                      panels: Bool = true) -> FrameBenchmark {
        var a = panels ? ScreenState.sampleWithPanels(nodes: nodes) : ScreenState.sample(nodes: nodes)
        var b = a
        b.tree.nodes[b.tree.nodes.count - 1].state = .rejected
        b.text.append(" more", .bonus, step: 999)
        if panels {
            // A new step in the history, as each frame of a running session has.
            b.history.append(HistorySample(step: 301, emitted: 4, seconds: 0.05, baselineTokensPerSecond: 12.7, acceptedLength: 3,
                                           deepestTested: 4, treeDepth: 4))
        }
        a.header.mode = .running
        var grid = CellGrid(width: width, height: height)
        var previous = CellGrid(width: width, height: height)
        let clock = ContinuousClock()
        var drawTimes: [Double] = [], fullTimes: [Double] = []
        var changed = 0
        for i in 0..<(iterations + 10) {
            if i == 10 { changed = 0 }
            let state = i % 2 == 0 ? a : b
            let t0 = clock.now
            Screen.draw(state, into: &grid)
            let t1 = clock.now
            grid.forEachChange(from: previous) { _, _, _ in changed &+= 1 }
            let t2 = clock.now
            swap(&grid, &previous)
            if i >= 10 {
                drawTimes.append((t1 - t0).seconds * 1e6)
                fullTimes.append((t2 - t0).seconds * 1e6)
            }
        }
        drawTimes.sort()
        fullTimes.sort()
        return FrameBenchmark(width: width, height: height, nodes: nodes, panels: panels, iterations: iterations,
                              drawMedianMicroseconds: drawTimes[drawTimes.count / 2],
                              drawAndDiffMedianMicroseconds: fullTimes[fullTimes.count / 2],
                              changedCellsPerFrame: Double(changed) / Double(iterations))
    }
}
