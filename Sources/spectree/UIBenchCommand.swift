import ArgumentParser
import SpecTUI

/// `spectree bench ui`: how long one frame of the live screen takes to draw.
struct UIBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui",
        abstract: "Time drawing one frame (and its diff) of a sample screen with a draft tree."
    )

    @Option(name: .long, parsing: .unconditional, help: "Screen width in columns.") var width = 200
    @Option(name: .long, parsing: .unconditional, help: "Screen height in rows.") var height = 60
    @Option(name: .long, parsing: .unconditional, help: "Nodes in the sample draft tree.") var nodes = 64
    @Option(name: .long, parsing: .unconditional, help: "Frames to time.") var iterations = 500
    @Flag(inversion: .prefixedNo, help: "Show the history graphs and the verifier comparison, full (300 steps).") var panels = true

    func validate() throws {
        guard width >= 1, height >= 1, nodes >= 1, iterations >= 1 else {
            throw ValidationError("--width, --height, --nodes and --iterations must be at least 1")
        }
    }

    func run() {
        print(SpecTUI.benchmarkFrame(width: width, height: height, nodes: nodes, iterations: iterations, panels: panels))
    }
}
