#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SpecCore
import SpecModels

/// A long run of speculative steps on one target whose settings change along
/// the way (method, width, depth, temperature, draft source) and whose prompt
/// is renewed whenever the context fills or a round ends, with the process's
/// resident memory sampled: memory must stay flat once warmed up.
///
/// Every draft source and shape is visited during the warm-up (the first
/// `warmUpFraction` of the steps), so that what they allocate once (caches,
/// packed weights, per-shape buffers) is in the baseline; after it, any
/// lasting growth is a leak. Cost: `steps` speculative steps, about a minute
/// per thousand on the small model.
public struct SoakExperiment {
    /// One resident-memory sample.
    public struct Sample: Sendable, Equatable {
        public let step: Int
        public let residentBytes: Int
    }

    /// The outcome: samples, the figures the report quotes, and the verdict.
    public struct Report: Sendable {
        public let steps: Int
        public let tokens: Int
        public let prompts: Int
        public let settingsChanges: Int
        public let samples: [Sample]
        public let warmUpStep: Int
        /// Resident memory at the first sample, at the end of the warm-up, and at the end.
        public let startBytes: Int, warmBytes: Int, endBytes: Int
        /// Largest resident memory after the warm-up.
        public let peakAfterWarmUp: Int
        /// Least-squares slope of resident memory over steps after the warm-up.
        public let bytesPerStep: Double
        public let allowedGrowth: Int
        public let allowedBytesPerStep: Double

        /// Memory stayed within `allowedGrowth` of the warm level and grew by
        /// no more than `allowedBytesPerStep` per step on average.
        public var isFlat: Bool {
            peakAfterWarmUp - warmBytes <= allowedGrowth && bytesPerStep <= allowedBytesPerStep
        }
    }

    public var steps = 10_000
    public var warmUpFraction = 0.2
    /// Steps between memory samples.
    public var sampleEvery = 50
    /// Steps between settings changes.
    public var changeEvery = 97
    /// Steps after which the prompt is renewed even if the context is not full.
    public var promptEvery = 400
    public var drafts = ["self:4", "ngram:3", "self:8"]
    public var prompts = [
        "Tell me a short story about a fox who learns to swim.",
        "Explain how a bicycle gear works, step by step.",
        "Write a poem about the sea at night.",
        "List five facts about the moon.",
    ]
    /// Growth allowed after the warm-up (allocator noise), and average growth per step.
    public var allowedGrowth = 24 << 20
    public var allowedBytesPerStep = 256.0

    public init() {}

    /// The shapes cycled through: every method, a few widths and depths.
    public static let shapes: [DraftShape] = [
        .chain(depth: 4), .rsdS(width: 2, depth: 4), .rsdC(branching: [3, 2, 1]), .specInfer(branching: [2, 2]),
        .chain(depth: 8), .rsdS(width: 4, depth: 3), .rsdC(branching: [4, 1, 1, 1]), .chain(depth: 1),
    ]
    public static let temperatures = [0.0, 0.8, 1.3]

    /// Runs the soak on `target` with `tokenizer`; `progress` gets the step
    /// count and resident memory at each sample.
    /// - Throws: model errors other than a full context (which renews the prompt).
    public func run(target: Transformer, tokenizer: Tokenizer, system: String?,
                    progress: (Sample) -> Void = { _ in }) throws -> Report {
        let sources = try drafts.map { try DraftSpecification($0).load(for: target).source }
        let ranges = SettingRanges(model: target)
        var samples: [Sample] = []
        var step = 0, tokens = 0, promptCount = 0, changes = 0
        var configuration = 0
        var decoder: SpeculativeDecoder?
        var stepsOnPrompt = 0
        let warmUpStep = Int(Double(steps) * warmUpFraction)

        var sourceInUse = -1
        /// Configuration k: the draft source changes every other k, shape and temperature every k.
        func settings(_ k: Int) -> (source: Int, shape: DraftShape, sampling: SamplingParameters) {
            ((k / 2) % sources.count, Self.shapes[k % Self.shapes.count],
             SamplingParameters(temperature: Self.temperatures[k % Self.temperatures.count]))
        }
        func renew() throws -> SpeculativeDecoder {
            let text = ChatTemplate.chatML(system: system, user: prompts[promptCount % prompts.count])
            promptCount += 1
            stepsOnPrompt = 0
            target.reset()
            for source in sources { if case let .model(model) = source { model.reset() } }
            let (source, shape, sampling) = settings(configuration)
            try ranges.check(shape)
            sourceInUse = source
            return try SpeculativeDecoder(target: target, draft: sources[source], shape: shape, sampling: sampling,
                                          prompt: tokenizer.encode(text, addSpecial: true, parseSpecial: true),
                                          seed: UInt64(promptCount))
        }

        while step < steps {
            if decoder == nil || stepsOnPrompt >= promptEvery { decoder = try renew() }
            if step > 0 && step % changeEvery == 0 {
                configuration += 1
                changes += 1
                let (source, shape, sampling) = settings(configuration)
                if source != sourceInUse {
                    decoder = try renew()  // another draft source: a new decoder on a fresh prompt
                } else {  // a live change, applied at the next step
                    try ranges.check(shape)
                    decoder!.shape = shape
                    decoder!.sampling = sampling
                }
            }
            do {
                tokens += try decoder!.step().count
            } catch is ModelError {
                decoder = try renew()  // the context is full: a new prompt
                continue
            }
            step += 1
            stepsOnPrompt += 1
            if step % sampleEvery == 0 || step == 1 {
                let sample = Sample(step: step, residentBytes: Self.residentBytes())
                samples.append(sample)
                progress(sample)
            }
        }
        let after = samples.filter { $0.step >= warmUpStep }
        let warm = after.first ?? samples.last!
        return Report(
            steps: step, tokens: tokens, prompts: promptCount, settingsChanges: changes, samples: samples,
            warmUpStep: warmUpStep, startBytes: samples.first!.residentBytes, warmBytes: warm.residentBytes,
            endBytes: samples.last!.residentBytes, peakAfterWarmUp: after.map(\.residentBytes).max() ?? warm.residentBytes,
            bytesPerStep: Self.slope(after), allowedGrowth: allowedGrowth, allowedBytesPerStep: allowedBytesPerStep)
    }

    /// Least-squares slope of resident bytes over steps; 0 for fewer than two samples.
    static func slope(_ samples: [Sample]) -> Double {
        guard samples.count >= 2 else { return 0 }
        let n = Double(samples.count)
        let mx = samples.reduce(0.0) { $0 + Double($1.step) } / n
        let my = samples.reduce(0.0) { $0 + Double($1.residentBytes) } / n
        var sxy = 0.0, sxx = 0.0
        for s in samples {
            sxy += (Double(s.step) - mx) * (Double(s.residentBytes) - my)
            sxx += (Double(s.step) - mx) * (Double(s.step) - mx)
        }
        return sxx > 0 ? sxy / sxx : 0
    }

    /// This process's resident memory (`VmRSS` in /proc/self/status), or 0 where unknown.
    public static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kib = Int(fields[1]) { return kib * 1024 }
        }
        return 0
    }
}
