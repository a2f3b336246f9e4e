import ArgumentParser
import Foundation
import SpecCore
import SpecModels

/// `spectree bench speculative`: every drafting method with self-drafts of a
/// few depths and with the n-gram drafter, greedy, against plain decoding
/// measured in the same run on the same prompts.
struct SpeculativeBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speculative",
        abstract: "Block efficiency, tokens/s, speedup and the step time split for each method and draft."
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "Tokens to generate per prompt.")
    var tokens = 128

    @Option(name: .long, help: "Self-draft layer counts to try, e.g. 4,8,16.")
    var layers = "4,8,16"

    @Option(name: .long, help: "Tree depth.")
    var depth = 4

    /// Fixed prompts: two open-ended, one that invites copying (where prompt lookup shines).
    static let prompts: [(name: String, text: String)] = [
        ("story", "Write a short story about a lighthouse keeper who finds a message in a bottle."),
        ("explain", "Explain how a refrigerator keeps food cold, step by step."),
        ("rewrite", """
            Rewrite the following passage, keeping every sentence but fixing the spelling.

            The old mill stood at the edge of the vilage, where the river bent twice before runing into the sea. \
            Every morning the miller opened the great wooden doors, and every evening he closed them again, \
            counting the sacks of flour that the carts would carry to the market in the town.
            """),
    ]

    struct Measured {
        var tokens = 0
        var seconds = 0.0
        var statistics = DecodingStatistics()
        var tokensPerSecond: Double { seconds == 0 ? 0 : Double(tokens) / seconds }
    }

    func run() throws {
        let loaded = try modelOptions.load()
        let target = loaded.model
        let prompts = try Self.prompts.map { name, text in
            (name, loaded.tokenizer.encode(ChatTemplate.chatML(system: PromptOptions.defaultSystem(in: loaded.file), user: text),
                                           addSpecial: true, parseSpecial: true))
        }
        print("model \(loaded.name), greedy, \(tokens) tokens per prompt, prompts: \(prompts.map(\.0).joined(separator: ", "))")

        // Plain decoding, per prompt.
        var plain: [String: Measured] = [:]
        for (name, prompt) in prompts {
            target.reset()
            var decoder = try AutoregressiveDecoder(model: target, prompt: prompt, sampling: .greedy, seed: 0)
            _ = try decoder.next()  // the prompt's own prediction: not a decode step
            let start = ContinuousClock.now
            for _ in 1..<tokens { _ = try decoder.next() }
            plain[name] = Measured(tokens: tokens - 1, seconds: (ContinuousClock.now - start).seconds)
        }
        let plainAll = plain.values.reduce(Measured()) { Measured(tokens: $0.tokens + $1.tokens, seconds: $0.seconds + $1.seconds) }
        print(String(format: "plain decoding: %.1f tokens/s", plainAll.tokensPerSecond))
        print("")
        print("draft      method              block eff.  tokens/s  speedup  draft%  verify%  other%  accept@1  rewrite speedup")

        let shapes: [DraftShape] = [.chain(depth: depth), .specInfer(branching: [2] + Array(repeating: 1, count: depth - 1)),
                                    .rsdC(branching: [2] + Array(repeating: 1, count: depth - 1)), .rsdS(width: 2, depth: depth)]
        let drafts = layers.split(separator: ",").map { "self:\($0)" } + ["ngram:3"]
        for draft in drafts {
            for shape in shapes {
                var total = Measured()
                var perPrompt: [String: Measured] = [:]
                for (name, prompt) in prompts {
                    target.reset()
                    let (source, _) = try DraftSpecification(draft).load(for: target)
                    let decoder = try SpeculativeDecoder(target: target, draft: source, shape: shape, sampling: .greedy,
                                                         prompt: prompt, seed: 0)
                    var emitted = 0
                    let start = ContinuousClock.now
                    while emitted < tokens { emitted += try decoder.step().count }
                    // Same count of decode tokens as plain: the first emitted token is the prompt's prediction.
                    let m = Measured(tokens: emitted - 1, seconds: (ContinuousClock.now - start).seconds, statistics: decoder.statistics)
                    perPrompt[name] = m
                    total.tokens += m.tokens
                    total.seconds += m.seconds
                    total.statistics.add(m.statistics)
                }
                let s = total.statistics
                let time = max(1e-9, s.totalSeconds)
                let rewrite = perPrompt["rewrite"]!.tokensPerSecond / plain["rewrite"]!.tokensPerSecond
                print(String(format: "%-10@ %-18@ %10.2f  %8.1f  %6.2f×  %5.1f%%  %6.1f%%  %5.1f%%  %8.2f  %6.2f×",
                             draft, shape.label, s.blockEfficiency, total.tokensPerSecond,
                             total.tokensPerSecond / plainAll.tokensPerSecond,
                             100 * s.draftSeconds / time, 100 * s.verifySeconds / time, 100 * s.otherSeconds / time,
                             s.acceptanceByDepth.first ?? 0, rewrite))
            }
        }
        print("")
        print("draft% is drafting (draft model calls and tree sampling), verify% the target's call, other% the rest:")
        print("verification, cache commits and bookkeeping. Speedup = tokens/s ÷ plain tokens/s in this run.")
    }
}
