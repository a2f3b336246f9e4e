import ArgumentParser
import Foundation

/// The `spectree` command: argument parsing and wiring only.
@main
struct Spectree: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spectree",
        abstract: "Watch and tune speculative decoding of GGUF models on the CPU.",
        subcommands: [RunCommand.self, ReplayCommand.self, GenerateCommand.self, CheckCommand.self, InfoCommand.self, TokenizeCommand.self, PruneCommand.self, BenchCommand.self, TuneCommand.self, ModelsCommand.self, DraftVocabCommand.self],
        defaultSubcommand: RunCommand.self
    )
}
