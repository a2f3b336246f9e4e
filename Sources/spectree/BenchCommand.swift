import ArgumentParser

/// `spectree bench`: headless measurements.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the runtime and speculative decoding on this machine.",
        subcommands: [RuntimeBenchCommand.self, SpeculativeBenchCommand.self, PairBenchCommand.self, DraftDepthBenchCommand.self,
                      MethodsBenchCommand.self, UIBenchCommand.self, SoakBenchCommand.self]
    )
}
