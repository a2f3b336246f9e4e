import Testing
import SpecTUI

@Suite struct FrameBenchmarkTests {
    /// Prints the frame time (a 64-node tree on 200×60); asserts nothing
    /// about speed, which depends on the build and the machine. Run
    /// `swift test -c release --filter FrameBenchmark` for the real figure.
    @Test func frameTime() {
        let b = SpecTUI.benchmarkFrame(width: 200, height: 60, nodes: 64, iterations: 50)
        print("SpecTUI", b)
        #expect(b.drawMedianMicroseconds > 0)
        #expect(b.drawAndDiffMedianMicroseconds >= b.drawMedianMicroseconds * 0.5)
    }
}
