import ArgumentParser
import CKernels
import Foundation
import SpecBench
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

    @Option(name: .long, help: "Draw ms per call against N as an SVG chart in this file.")
    var plot: String?

    @Option(name: .long, help: "Tree sizes N to time, comma-separated (N = 1 is always timed first).")
    var sizes = "1,2,4,8,16,32,64"

    func validate() throws {
        guard parsedSizes != nil else {
            throw ValidationError("--sizes takes positive whole numbers separated by commas, such as 1,4,8,16 (got '\(sizes)')")
        }
    }

    /// The sizes of --sizes in increasing order with 1 first, or nil when one is not a positive integer.
    private var parsedSizes: [Int]? {
        var result: Set<Int> = [1]
        for part in sizes.split(separator: ",", omittingEmptySubsequences: false) {
            guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n >= 1 else { return nil }
            result.insert(n)
        }
        return result.sorted()
    }

    func run() throws {
        let loaded = try modelOptions.load()
        let model = loaded.model
        print("model    \(loaded.path)")
        print("kernels  \(String(cString: sk_cpu_description())), \(ComputePool.threads) threads")

        let bandwidth = RuntimeBenchmark.memoryBandwidth()
        let bytes = RuntimeBenchmark.weightBytesPerToken(model)
        let limit = bandwidth / Double(bytes)
        print(String(format: "memory   %.1f GB/s streaming read (best of 5, %d threads); weights read per token %.1f MB; limit %.1f tokens/s",
                     bandwidth / 1e9, ComputePool.threads, Double(bytes) / 1e6, limit))

        let prompt = loaded.tokenizer.encode("The history of the printing press begins", addSpecial: true)
        let rate = try RuntimeBenchmark.decodeRate(model, prompt: prompt, tokens: decodeTokens)
        print(String(format: "plain greedy decode: %.1f tokens/s (best of 3, %d tokens), %.1f GB/s of weights, %.0f%% of the bandwidth limit",
                     rate, decodeTokens, rate * Double(bytes) / 1e9, 100 * rate / limit))

        // The median call, and the fastest (the steadier figure on a busy machine,
        // where most calls of tens of milliseconds lose the core for a while).
        var baseline = (median: 0.0, best: 0.0)
        var calls: [(n: Int, milliseconds: Double)] = []
        print("tree tokens N   ms/call   × N=1   best ms   × N=1")
        for n in parsedSizes ?? [1] where n <= model.maxBatch {
            let time = try RuntimeBenchmark.treeCallTimes(model, n: n, seconds: seconds)
            if n == 1 { baseline = time }
            print(String(format: "%13d  %8.3f   %5.2f  %8.3f   %5.2f", n, time.median * 1e3, time.median / baseline.median,
                         time.best * 1e3, time.best / baseline.best))
            calls.append((n, time.median * 1e3))
        }
        if let plot { try ChartContext.write(RuntimeChart.chart(calls: calls, bandwidthLimit: 1e3 / limit, context: ChartContext(model: loaded.name, draft: "")), to: plot) }
    }
}
