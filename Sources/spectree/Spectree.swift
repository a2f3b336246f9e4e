import ArgumentParser

/// The `spectree` command: argument parsing and wiring only.
@main
struct Spectree: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spectree",
        abstract: "Watch and tune speculative decoding of GGUF models on the CPU.",
        subcommands: []
    )
}
