import Foundation
import SpecCore
import SpecModels

/// The first paper's question on the user's own model (*Decoding Speculative
/// Decoding*): does the draft's latency or its acceptance decide throughput?
/// One target; drafts of several depths (self-drafts of the first K layers,
/// draft GGUFs); the chain method at a fixed depth γ; plain decoding of the
/// same target timed in the same run on the same prompts, paired with each
/// configuration prompt by prompt (`BenchRunner.paired`).
public struct DraftDepthExperiment {
    /// Draft specifications (`self:K`, a GGUF path, `ngram:N`), in sweep order.
    public var drafts: [String]
    /// γ: chain depth.
    public var depth: Int
    public var sampling: SamplingParameters
    public var seed: UInt64
    /// Trimmed draft vocabularies to sweep for every draft (`DraftVocabulary`; nil: the full head).
    public var vocabularies: [Int?] = [nil]
    /// p-min of every speculative run (0: off).
    public var pMin = 0.0

    public init(drafts: [String], depth: Int, sampling: SamplingParameters, seed: UInt64,
                vocabularies: [Int?] = [nil], pMin: Double = 0) {
        self.drafts = drafts
        self.vocabularies = vocabularies.isEmpty ? [nil] : vocabularies
        self.pMin = pMin
        self.depth = depth
        self.sampling = sampling
        self.seed = seed
    }

    /// One configuration's figures (all prompts pooled).
    public struct Row: Sendable, Equatable {
        public var draft: String
        public var layers: Int
        /// Tokens the draft's head keeps (nil: all).
        public var vocabulary: Int? = nil
        /// Draft time per drafted token (one draft call per chain level), seconds.
        public var draftSecondsPerToken: Double
        /// Target time per verification call, seconds.
        public var targetSecondsPerCall: Double
        public var acceptanceRate: Double
        public var blockEfficiency: Double
        public var tokensPerSecond: Double
        public var plainTokensPerSecond: Double
        public var speedup: Double { plainTokensPerSecond <= 0 ? 0 : tokensPerSecond / plainTokensPerSecond }
        /// c = T_draft / T_target.
        public var costRatio: Double { targetSecondsPerCall <= 0 ? 0 : draftSecondsPerToken / targetSecondsPerCall }
        public var predictedSpeedup: Double {
            ThroughputModel.predictedSpeedup(acceptanceRate: acceptanceRate, draftLength: depth, costRatio: costRatio)
        }
        public var depth: Int
        /// Each prompt's paired speedup (spread over prompts, per kind).
        public var prompts: [PromptSpeedup]

        public init(draft: String, layers: Int, draftSecondsPerToken: Double, targetSecondsPerCall: Double, acceptanceRate: Double,
                    blockEfficiency: Double, tokensPerSecond: Double, plainTokensPerSecond: Double, depth: Int,
                    prompts: [PromptSpeedup] = []) {
            self.draft = draft
            self.layers = layers
            self.draftSecondsPerToken = draftSecondsPerToken
            self.targetSecondsPerCall = targetSecondsPerCall
            self.acceptanceRate = acceptanceRate
            self.blockEfficiency = blockEfficiency
            self.tokensPerSecond = tokensPerSecond
            self.plainTokensPerSecond = plainTokensPerSecond
            self.depth = depth
            self.prompts = prompts
        }
    }

    public static let columns: [ResultTable.Column] = [
        .init("draft", "draft"), .init("draft_layers", "layers", decimals: 0), .init("draft_vocab", "vocab"),
        .init("depth", "γ", decimals: 0),
        .init("temperature", "T", decimals: 1),
        .init("draft_ms_per_token", "draft", unit: "ms/token", decimals: 2),
        .init("target_ms_per_call", "target", unit: "ms/call", decimals: 2),
        .init("cost_ratio", "c", decimals: 3), .init("acceptance_rate", "α", decimals: 3),
        .init("block_efficiency", "block eff.", unit: "tokens/call", decimals: 2),
        .init("tokens_per_s", "speculative", unit: "tokens/s", decimals: 1),
        .init("plain_tokens_per_s", "plain", unit: "tokens/s", decimals: 1),
        .init("speedup", "speedup", unit: "×", decimals: 2),
        .init("predicted_speedup", "predicted", unit: "×", decimals: 2),
    ]

    func values(_ row: Row) -> [ResultTable.Value] {
        [.text(row.draft), .integer(row.layers), .text(DraftVocabulary.label(row.vocabulary)), .integer(depth), .number(sampling.temperature),
         .number(row.draftSecondsPerToken * 1e3), .number(row.targetSecondsPerCall * 1e3), .number(row.costRatio),
         .number(row.acceptanceRate), .number(row.blockEfficiency), .number(row.tokensPerSecond),
         .number(row.plainTokensPerSecond), .number(row.speedup), .number(row.predictedSpeedup)]
    }

    /// Units of progress `run` reports: one per prompt run.
    public func progressUnits(prompts: Int) -> Int { 2 * drafts.count * vocabularies.count * prompts }

    /// Runs the sweep, appending each finished configuration to `writer`.
    /// - Parameter limit: stop after this many configurations (as if interrupted).
    /// - Returns: the finished rows; fewer than `drafts` when stopped.
    public func run(runner: BenchRunner, writer: ResultWriter, limit: Int? = nil) throws -> [Row] {
        guard depth >= 1 else { throw BenchError("the draft depth must be at least 1 level, got \(depth)") }
        var rows: [Row] = []
        runner.pMin = pMin
        for spec in drafts {
          for vocabulary in vocabularies {
            if let limit, rows.count >= limit { break }
            let (source, _) = try DraftSpecification(spec).load(for: runner.target)
            do { try DraftVocabulary.apply(vocabulary, to: source) } catch { throw BenchError(error.description) }
            let label = vocabularies.count > 1 ? "\(spec) v\(DraftVocabulary.label(vocabulary))" : spec
            let layers: Int
            switch source {
            case let .model(model): layers = (model as? Transformer)?.layerIndices.count ?? 0
            case .ngram: layers = 0
            }
            guard let (plain, runs) = try runner.paired(draft: source, shape: .chain(depth: depth), sampling: sampling,
                                                        seed: seed, label: label) else { break }
            let s = runs.pooledStatistics
            var row = Row(draft: label, layers: layers,
                          draftSecondsPerToken: s.steps == 0 ? 0 : s.draftSeconds / Double(s.steps * depth),
                          targetSecondsPerCall: s.targetCalls == 0 ? 0 : s.verifySeconds / Double(s.targetCalls),
                          acceptanceRate: s.acceptanceRate, blockEfficiency: s.blockEfficiency,
                          tokensPerSecond: runs.pooledTokensPerSecond, plainTokensPerSecond: plain.pooledTokensPerSecond, depth: depth,
                          prompts: PromptSpeedup.paired(plain: plain, speculative: runs))
            row.vocabulary = vocabulary
            rows.append(row)
            try writer.append(values(row))
          }
        }
        return rows
    }

    /// Columns the text table leaves out first when it does not fit, least important first.
    public static let droppable = ["temperature", "draft_vocab", "depth", "block_efficiency", "plain_tokens_per_s", "tokens_per_s", "draft_layers", "target_ms_per_call"]

    /// Speedup by prompt kind, one column per draft.
    public static func kindTable(_ rows: [Row]) -> ResultTable {
        KindTable.make(rows.map { (DraftName.short($0.draft), $0.prompts) })
    }

    /// The conclusion in words, from the rows: which draft wins and by how
    /// much (with the spread over prompts), whether plain decoding is faster,
    /// and which decides throughput over the sweep, draft latency or
    /// acceptance, by Pearson's r of speedup with each (the larger |r| with
    /// the expected sign: negative for latency, positive for α).
    public static func conclusion(_ rows: [Row]) -> String {
        let speedup = rows.map(\.speedup)
        let ranked = rows.sorted { $0.speedup > $1.speedup }
        guard let best = ranked.first else { return "conclusion: no configuration finished" }
        var bestText = String(format: "best: %@ at %.2f×", DraftName.short(best.draft), best.speedup)
        if let s = best.prompts.speedupSummary, s.count >= 2 {
            bestText += String(format: " (per prompt %.2f ± %.2f sd over %d prompts)", s.mean, s.standardDeviation, s.count)
        }
        bestText += String(format: ", α %.2f, draft %.2f ms/token", best.acceptanceRate, best.draftSecondsPerToken * 1e3)
        switch best.prompts.verdictAgainstPlain(pooled: best.speedup) {
        case .slower:
            bestText += String(format: ". Plain decoding is faster here: no draft beats it (the best is %.0f%% slower)", 100 * (1 - best.speedup))
        case .unclear:
            bestText += ". Not clearly faster or slower than plain decoding: the spread over prompts holds 1×"
        case .faster:
            bestText += String(format: ": %.0f%% faster than plain decoding", 100 * (best.speedup - 1))
        }
        if best.speedup >= 1, ranked.count >= 2 {
            let second = ranked[1]
            bestText += String(format: "%@ahead of %@ (%.2f×)%@", best.prompts.verdictAgainstPlain(pooled: best.speedup) == .faster ? ", " : "; it is ",
                               DraftName.short(second.draft), second.speedup,
                               best.prompts.clearlyAhead(of: second.prompts) ? "; the lead is beyond the prompts' spread" : "; the lead is within the prompts' spread")
        }
        bestText += "."
        guard let rLatency = SampleSummary.correlation(speedup, rows.map(\.draftSecondsPerToken)),
              let rAlpha = SampleSummary.correlation(speedup, rows.map(\.acceptanceRate))
        else { return "conclusion: too few drafts (or constant figures) to correlate; need 3 or more. " + bestText }
        // Latency decides when speedup falls as latency grows, more tightly than it follows α (and vice versa).
        let decider: String
        if abs(rLatency) >= abs(rAlpha) && rLatency < 0 {
            decider = "draft latency decides throughput more than acceptance does"
        } else if abs(rAlpha) > abs(rLatency) && rAlpha > 0 {
            decider = "acceptance decides throughput more than draft latency does"
        } else {
            decider = "neither decides clearly (speedup does not fall with latency nor rise with acceptance more than with the other)"
        }
        return String(format: "conclusion: over %d drafts, speedup vs draft latency r = %+.2f, speedup vs acceptance α r = %+.2f: on this machine %@. %@",
                      rows.count, rLatency, rAlpha, decider, bestText)
    }
}
