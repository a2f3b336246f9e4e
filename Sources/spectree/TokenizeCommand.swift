import ArgumentParser
import Foundation
import SpecModels

/// `spectree tokenize`: the ids and pieces a model's tokenizer makes of a text.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Show the token ids and pieces of a text."
    )

    @Option(name: .long, help: "A GGUF model file (default: the default model).")
    var model: String?

    @Flag(name: .long, help: "Print one JSON object with ids and pieces.")
    var json = false

    @Flag(name: .long, help: "Do not add BOS/EOS, and treat special-token text as plain text.")
    var noSpecial = false

    @Argument(help: "The text to tokenize.")
    var text: String

    func run() throws {
        let file = try GGUFFile(path: try model ?? DefaultModel.locate())
        let tokenizer = try Tokenizer(file: file)
        let ids = tokenizer.encode(text, addSpecial: !noSpecial, parseSpecial: !noSpecial)
        let pieces = ids.map { tokenizer.pieceText($0) }
        if json {
            struct Output: Encodable { let ids: [Int32]; let pieces: [String]; let count: Int }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(Output(ids: ids, pieces: pieces, count: ids.count)), as: UTF8.self))
        } else {
            for (id, piece) in zip(ids, pieces) {
                print(String(format: "%6d  ", id) + String(reflecting: piece))
            }
            print("\(ids.count) tokens")
        }
    }
}
