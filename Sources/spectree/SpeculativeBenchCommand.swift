import ArgumentParser
import Foundation
import SpecBench
import SpecCore
import SpecModels

/// `spectree bench speculative`: every drafting method with self-drafts of a
/// few depths and with the n-gram drafter, greedy, against plain decoding
/// measured in the same run on the same prompts (timed by `BenchRunner`).
struct SpeculativeBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speculative",
        abstract: "Block efficiency, tokens/s, speedup and the step time split for each method and draft."
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, parsing: .unconditional, help: "Tokens to generate per prompt.")
    var tokens = 128

    @Option(name: .long, help: "Self-draft layer counts to try, e.g. 4,8,16.")
    var layers = "4,8,16"

    @Option(name: .long, parsing: .unconditional, help: "Tree depth.")
    var depth = 4

    @Option(name: .customLong("draft-vocab"), parsing: .unconditional, help: "Trim each self-draft's output head to its N most frequent tokens (FR-Spec; the n-gram draft has no head; default: the whole head).")
    var draftVocab: Int?

    @Option(name: .customLong("p-min"), parsing: .unconditional, help: "p-min of every speculative run (0…1; default 0: off; rsd-s ignores it).")
    var pMin = 0.0

    func validate() throws {
        do { try SettingRanges.checkPMin(pMin) } catch { throw ValidationError("\(error)") }
        if let draftVocab, draftVocab < 1 { throw ValidationError("--draft-vocab must be at least 1, got \(draftVocab)") }
    }

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

    func run() throws {
        let loaded = try modelOptions.load { ranges in
            try ranges.checkSweep(drafts: self.layers.split(separator: ",").map { "self:\($0)" }, depth: depth)
            if let draftVocab { do { try ranges.check(draftVocabulary: draftVocab) } catch { throw ValidationError("\(error)") } }
        }
        let target = loaded.model
        let set = PromptSet(prompts: Self.prompts.map { BenchPrompt(name: $0.name, kind: "text", turns: [.init(role: "user", text: $0.text)]) })
        let runner = try BenchRunner(target: target, tokenizer: loaded.tokenizer, prompts: set,
                                     system: PromptOptions.defaultSystem(in: loaded.file), tokens: tokens)
        runner.pMin = pMin
        print("model \(loaded.name), greedy, \(tokens) tokens per prompt, prompts: \(set.prompts.map(\.name).joined(separator: ", "))"
              + (draftVocab.map { ", draft vocabulary \(DraftVocabulary.label($0))" } ?? "") + (pMin > 0 ? ", p-min \(pMin)" : ""))

        // Plain decoding, per prompt (BenchRunner never stops unasked, hence the `!`).
        let plain = try runner.plain(sampling: .greedy, seed: 0)!
        let plainRewrite = plain.first { $0.prompt == "rewrite" }!.tokensPerSecond
        print(String(format: "plain decoding: %.1f tokens/s", plain.pooledTokensPerSecond))
        print("")
        print("draft      method              block eff.  tokens/s  speedup  draft%  verify%  other%  accept@1  rewrite speedup")

        let shapes: [DraftShape] = [.chain(depth: depth), .specInfer(branching: [2] + Array(repeating: 1, count: depth - 1)),
                                    .rsdC(branching: [2] + Array(repeating: 1, count: depth - 1)), .rsdS(width: 2, depth: depth)]
        let drafts = layers.split(separator: ",").map { "self:\($0)" } + ["ngram:3"]
        for draft in drafts {
            let (source, _) = try DraftSpecification(draft).load(for: target)
            if case .model = source { do { try DraftVocabulary.apply(draftVocab, to: source) } catch { throw ValidationError("\(error)") } }
            for shape in shapes {
                let runs = try runner.speculative(draft: source, shape: shape, sampling: .greedy, seed: 0, label: draft)!
                let s = runs.pooledStatistics
                let time = max(1e-9, s.totalSeconds)
                let rewrite = runs.first { $0.prompt == "rewrite" }!.tokensPerSecond / plainRewrite
                // %@ ignores its width on Linux: pad the two text columns by hand.
                func padded(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
                print(padded(draft, 10) + " " + padded(shape.label, 19) + String(format: " %10.2f  %8.1f  %6.2f×  %5.1f%%  %6.1f%%  %5.1f%%  %8.2f  %6.2f×",
                             s.blockEfficiency, runs.pooledTokensPerSecond,
                             runs.pooledTokensPerSecond / plain.pooledTokensPerSecond,
                             100 * s.draftSeconds / time, 100 * s.verifySeconds / time, 100 * s.otherSeconds / time,
                             s.acceptanceByDepth.first ?? 0, rewrite))
            }
        }
        print("")
        print("draft% is drafting (draft model calls and tree sampling), verify% the target's call, other% the rest:")
        print("verification, cache commits and bookkeeping. Speedup = tokens/s ÷ plain tokens/s in this run.")
    }
}
