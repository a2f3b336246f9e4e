import ArgumentParser
import CKernels
import Foundation
import SpecCore
import SpecModels

/// `spectree bench runtime`: plain decode tokens/s, and the cost of evaluating
/// N tree tokens in one call relative to one token: the ratio speculative
/// decoding lives on.
struct RuntimeBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runtime",
        abstract: "Plain decode tokens/s and the time of one N-token tree evaluation relative to N = 1."
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .customLong("decode-tokens"), parsing: .unconditional, help: "Tokens of greedy decoding to time.")
    var decodeTokens = 128

    @Option(name: .long, parsing: .unconditional, help: "Seconds to spend on each batch size.")
    var seconds = 1.0

    func run() throws {
        let loaded = try modelOptions.load()
        let model = loaded.model
        print("model    \(loaded.path)")
        print("kernels  \(String(cString: sk_cpu_description())), \(ComputePool.threads) threads")

        // Plain greedy decoding, best of three runs.
        let prompt = loaded.tokenizer.encode("The history of the printing press begins", addSpecial: true)
        var best = 0.0
        for _ in 0..<3 {
            model.reset()
            var decoder = try AutoregressiveDecoder(model: model, prompt: prompt, sampling: .greedy, seed: 0)
            _ = try decoder.next()
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 1..<decodeTokens { _ = try decoder.next() }
            best = max(best, Double(decodeTokens - 1) / (clock.now - start).seconds)
        }
        print(String(format: "plain greedy decode: %.1f tokens/s (best of 3, %d tokens)", best, decodeTokens))

        // N tree tokens (a binary tree: parent of i is (i - 1) / 2) on a 64-token prefix.
        model.reset()
        let prefix = (0..<64).map { TokenID(1000 + $0) }
        _ = try model.prefill(prefix)
        var baseline = 0.0
        print("tree tokens N   ms/call   × N=1")
        for n in [1, 2, 4, 8, 16, 32, 64] where n <= model.maxBatch {
            let batch = TokenBatch(tokens: (0..<n).map { TokenID(2000 + $0) }, parents: (0..<n).map { ($0 - 1) / 2 - ($0 == 0 ? 1 : 0) })
            let time = try medianCallTime(seconds: seconds) { _ = try model.evaluate(batch, logits: .all) }
            if n == 1 { baseline = time }
            print(String(format: "%13d  %8.3f   %5.2f", n, time * 1e3, time / baseline))
        }
    }

    /// The median time of `body` over repeated calls for about `seconds` (at least 5 calls).
    private func medianCallTime(seconds: Double, _ body: () throws -> Void) throws -> Double {
        let clock = ContinuousClock()
        var times: [Double] = []
        let deadline = clock.now + .milliseconds(Int(seconds * 1000))
        try body()  // warm-up
        while times.count < 5 || clock.now < deadline {
            let start = clock.now
            try body()
            times.append((clock.now - start).seconds)
        }
        return times.sorted()[times.count / 2]
    }
}
