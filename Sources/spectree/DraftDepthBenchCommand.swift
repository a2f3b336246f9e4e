import ArgumentParser
import Foundation
import SpecBench
import SpecCore
import SpecModels

/// `spectree bench draft-depth`: the first paper's sweep (draft latency vs
/// acceptance) on one target. Wiring only; the experiment is `DraftDepthExperiment`.
struct DraftDepthBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft-depth",
        abstract: "Sweep draft depth (self-draft layers, draft GGUFs) with a chain: latency, acceptance, speedup, predicted speedup."
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var sweep: BenchSweepOptions

    @Option(name: .long, parsing: .unconditional, help: "Self-draft layer counts K (first K layers), e.g. 1,2,4,8 (default 1,2,4,8,12,16,24; 2,8,16,24 with --quick; only those below the model's layer count).")
    var layers: String?

    @Option(name: .long, help: "A draft GGUF (or any draft spec: self:LIST, ngram:N) to add to the sweep; repeatable.")
    var draft: [String] = []

    @Option(name: .customLong("draft-base"), help: "A separate draft model (catalog name or GGUF): --layers then keeps its first K layers (D:0-(K-1); all of them at its layer count).")
    var draftBase: String?

    @Option(name: .customLong("draft-vocabs"), help: "Trimmed draft vocabularies to sweep for every draft, e.g. 8192,16384,32768,full (FR-Spec; default: full).")
    var draftVocabs: String?

    @Option(name: .customLong("p-min"), parsing: .unconditional, help: "p-min of every speculative run (0…1; default 0: off).")
    var pMin = 0.0

    @Option(name: .long, parsing: .unconditional, help: "Chain depth γ.")
    var depth = 4

    @Option(name: .long, parsing: .unconditional, help: "Sampling temperature; 0 is greedy.")
    var temperature = 0.0

    func validate() throws {
        guard depth >= 1 else { throw ValidationError("--depth must be at least 1, got \(depth)") }
        do { try SamplingParameters(temperature: temperature, topK: 0, topP: 1).validate() } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let prompts = try sweep.promptSet()
        let explicit = try layers.map { try ListOption.integers($0, option: "--layers") }
        let writer = try sweep.writer(columns: DraftDepthExperiment.columns)
        let loaded = try modelOptions.load()
        var layerCount = loaded.model.config.layerCount
        var base = "self:"
        if let draftBase {
            let model: String
            do { model = try DraftSpecification.splitQuantization(draftBase).rest } catch { throw ValidationError(error.description) }
            let config = try TransformerConfig(file: GGUFFile(path: try ModelCatalog.resolve(model)))
            layerCount = config.layerCount
            base = draftBase
        }
        let counts = explicit ?? (sweep.quick ? [2, 8, 16, 24] : [1, 2, 4, 8, 12, 16, 24]).filter { $0 < layerCount }
        let drafts = counts.map { k in
            draftBase == nil ? "self:\(k)" : DraftSpecification.firstLayers(k, of: base, layerCount: layerCount)
        } + draft
        if draftBase != nil, let bad = counts.first(where: { $0 < 1 || $0 > layerCount }) {
            throw ValidationError("--layers \(bad) is outside the draft \(base)'s 1…\(layerCount) layers")
        }
        try loaded.ranges.checkSweep(drafts: drafts.filter { $0.hasPrefix("self:") || $0.hasPrefix("ngram") }, depth: depth)
        let vocabularies: [Int?] = try draftVocabs.map { text in
            try text.split(separator: ",").map { (part: Substring) throws -> Int? in
                let t = part.trimmingCharacters(in: .whitespaces)
                if t == "full" { return nil }
                guard let n = Int(t) else { throw ValidationError("--draft-vocabs takes token counts or 'full', e.g. 8192,16384,full; got '\(t)'") }
                do { try loaded.ranges.check(draftVocabulary: n) } catch { throw ValidationError("\(error)") }
                return n
            }
        } ?? [nil]
        do { try SettingRanges.checkPMin(pMin) } catch { throw ValidationError(error.description) }
        let experiment = DraftDepthExperiment(drafts: drafts, depth: depth,
                                              sampling: SamplingParameters(temperature: temperature, topK: 0, topP: 1), seed: sweep.seed,
                                              vocabularies: vocabularies, pMin: pMin)
        let progress = ProgressReporter(total: experiment.progressUnits(prompts: prompts.prompts.count))
        let runner = try sweep.runner(loaded, prompts: prompts, progress: progress)
        print("target \(loaded.name) (\(loaded.model.config.layerCount) layers), chain γ=\(depth), T=\(temperature), \(runner.tokens) tokens × \(prompts.prompts.count) prompts (\(prompts.kinds.joined(separator: ", ")))")
        let rows = try experiment.run(runner: runner, writer: writer, limit: sweep.limit)
        progress.finish()
        print(sweep.text(writer.table, droppable: DraftDepthExperiment.droppable), terminator: "")
        print("draft: draft time per drafted token; target: time per verification call of γ+1 tokens; c = draft ÷ target;")
        print("speedup = speculative ÷ plain tokens/s, plain run on each prompt just before; predicted = (1 − α^(γ+1)) / ((1 − α)(γc + 1)).")
        if prompts.kinds.count > 1 && !rows.isEmpty {
            print("\nspeedup by prompt kind (mean over the kind's prompts)")
            print(sweep.text(DraftDepthExperiment.kindTable(rows)), terminator: "")
        }
        print("\n" + DraftDepthExperiment.conclusion(rows))
        try sweep.writePlot {
            DraftDepthExperiment.chart(rows, context: ChartContext(model: loaded.name, draft: "chain γ=\(depth), drafts \(experiment.drafts.map(DraftName.short).joined(separator: ", "))"),
                                       depth: depth, temperature: temperature)
        }
        try sweep.finish(rows: rows.count, expected: experiment.drafts.count, progress: progress)
    }
}
