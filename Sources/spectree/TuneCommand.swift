import ArgumentParser
import Foundation
import SpecBench
import SpecCore
import SpecModels

/// `spectree tune`: measure costs and acceptance, search tree shapes for the
/// best predicted tokens/s, suggest a `spectree run` command and validate it.
/// Wiring only; the work is `TuneExperiment` and `ShapeSearch`.
struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Find the draft tree with the best tokens/s for this model on this machine, and check the prediction."
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var sweep: BenchSweepOptions

    @Option(name: .long, help: "Draft source: self:K or a GGUF path (a draft model); repeat to search over several drafts (default: self:8).")
    var draft: [String] = []

    @Option(name: .customLong("draft-layers"), help: "Also search these depths of each separate draft model: its first K layers, e.g. 8,12,16,24 (D:0-(K-1)).")
    var draftLayers: String?

    @Option(name: .customLong("draft-vocabs"), help: "Also search these trimmed draft vocabularies (FR-Spec), e.g. 16384,32768,full.")
    var draftVocabs: String?

    @Option(name: .customLong("p-mins"), help: "Also search these p-min values (adaptive draft length) for chains, e.g. 0,0.3,0.5,0.7: the calibration chain is replayed at each.")
    var pMins: String?

    @Option(name: .long, parsing: .unconditional, help: "Sampling temperature; 0 is greedy.")
    var temperature = 0.0

    @Option(name: .long, parsing: .unconditional, help: "Most tree tokens per target call (default: all one call takes, 63).")
    var budget: Int?

    @Option(name: .customLong("max-depth"), parsing: .unconditional, help: "Deepest tree to consider.")
    var maxDepth = 8

    @Option(name: .long, help: "Methods to search (chain, rsd-c, rsd-s).")
    var methods = "chain,rsd-c,rsd-s"

    func validate() throws {
        do { try SamplingParameters(temperature: temperature, topK: 0, topP: 1).validate() } catch { throw ValidationError(error.description) }
        if let budget, budget < 1 { throw ValidationError("budget \(budget) is too small for any tree: a tree needs at least 1 token") }
        guard maxDepth >= 1 else { throw ValidationError("--max-depth must be at least 1, got \(maxDepth)") }
        if let pMins { _ = try ListOption.pMins(pMins) }
    }

    func run() throws {
        let prompts = try sweep.promptSet()
        let methodList = try ListOption.methods(methods)
        let bases = draft.isEmpty ? ["self:8"] : draft
        let writer = try sweep.writer(columns: TuneExperiment.validationColumns)
        let loaded = try modelOptions.load { try $0.checkSweep(drafts: bases, depth: maxDepth, option: "--max-depth") }
        let layerList = try draftLayers.map { try ListOption.integers($0, option: "--draft-layers") }
        let pMinList = try pMins.map { try ListOption.pMins($0) } ?? []
        let vocabularies: [Int?] = try draftVocabs.map { text in
            try text.split(separator: ",").map { (part: Substring) throws -> Int? in
                let t = part.trimmingCharacters(in: .whitespaces)
                if t == "full" { return nil }
                guard let n = Int(t) else { throw ValidationError("--draft-vocabs takes token counts or 'full', e.g. 16384,full; got '\(t)'") }
                do { try loaded.ranges.check(draftVocabulary: n) } catch { throw ValidationError("\(error)") }
                return n
            }
        } ?? [nil]
        let candidates = try TuneDraft.combinations(drafts: bases, layers: layerList, vocabularies: vocabularies) { spec in
            spec.hasPrefix("self:") || spec.hasPrefix("ngram") ? nil
                : try TransformerConfig(file: GGUFFile(path: try ModelCatalog.resolve(spec))).layerCount
        }
        let drafts = candidates.map(\.label)
        let byLabel = Dictionary(candidates.map { ($0.label, $0) }, uniquingKeysWith: { a, _ in a })
        let sampling = SamplingParameters(temperature: temperature, topK: 0, topP: 1)
        var experiment = TuneExperiment(drafts: drafts, sampling: sampling, seed: sweep.seed,
                                        budget: budget ?? loaded.model.maxBatch - 1, maxDepth: maxDepth, quick: sweep.quick)
        experiment.methods = methodList
        experiment.pMins = pMinList
        try experiment.validate(maxTreeTokens: loaded.ranges.maxTreeNodes)
        var models: [String: any LanguageModel] = [:]
        for c in candidates where models[c.label] == nil { models[c.label] = try c.load(for: loaded.model) }
        let progress = ProgressReporter(total: experiment.progressUnits(prompts: prompts.prompts.count))
        let runner = try sweep.runner(loaded, prompts: prompts, progress: progress)
        print("target \(loaded.name), draft \(drafts.joined(separator: ", ")), T=\(temperature), budget \(experiment.budget) tree tokens, depth ≤ \(maxDepth), \(runner.tokens) tokens × \(prompts.prompts.count) prompts"
              + (pMinList.isEmpty ? "" : ", p-min \(pMinList.map(RunCommandLine.number).joined(separator: ", ")) for chains"))

        // (a) once, then (b), (c) and the overhead per draft.
        var measured: [(draft: String, m: TuneExperiment.Measurements)] = []
        if let verify = try experiment.measureTarget(runner: runner, progress: { if $0.endsAPass { progress.advance($0.description) } }) {
            for d in drafts where !measured.contains(where: { $0.draft == d }) {
                guard let m = try experiment.measure(runner: runner, draftModel: models[d]!, verify: verify,
                                                     progress: { if $0.endsAPass { progress.advance("\(d) \($0)") } }) else { break }
                measured.append((d, m))
            }
        }
        guard measured.count == Set(drafts).count else {
            try sweep.finish(rows: 0, expected: experiment.validateCount, progress: progress)
            return
        }
        progress.finish()
        // One load for every draft (the target's verify time as the gauge), so that drafts compare fairly.
        let normalised = TuneExperiment.sameLoad(measured.map(\.m))
        let loadNotes = zip(measured, normalised).compactMap { pair, n in
            abs(n.factor - 1) > 0.005 ? String(format: "%@ ×%.2f", pair.draft, n.factor) : nil
        }
        measured = zip(measured, normalised).map { ($0.draft, $1.m) }
        let sizes = Array(Set(experiment.draftWidths + experiment.verifySizes)).sorted()
        for (d, m) in measured {
            print("\n(a, b) \(d): model call time by tokens per call (median of \(experiment.callsPerPoint), sizes interleaved, then scaled; the draft is timed at w = \(experiment.draftWidths.map(String.init).joined(separator: ", ")), other rows interpolate)")
            print(TuneExperiment.costTable(m, sizes: sizes).renderText(), terminator: "")
            let vf = m.verifyCall.linearFit, df = m.draftCall.linearFit
            print(String(format: "scaled to the calibration steps: target ×%.2f, draft ×%.2f (the draft's time includes its sampling)",
                         m.verifyScale, m.draftScale))
            print(String(format: "fit: target ≈ %.2f + %.3f·n ms, draft ≈ %.2f + %.3f·w ms; other per step ≈ %.2f + %.3f·N ms (N tree tokens)",
                         vf.intercept * 1e3, vf.slope * 1e3, df.intercept * 1e3, df.slope * 1e3,
                         m.cost.overheadPerStep * 1e3, m.cost.overheadPerNode * 1e3))
            let ranks = m.counts.tested.map(\.count).max() ?? 1
            print("\n(c) \(d): acceptance by depth and sibling rank: accepted ÷ tested given the parent was accepted (\(sampling.isGreedy ? "ranks by draft probability" : "ranks in the order tried"))")
            print(TuneExperiment.acceptanceTable(m, ranks: ranks).renderText(), terminator: "")
            for c in m.calibration {
                let predicted = TreeThroughputModel.predict(c.shape, profile: m.profile, cost: m.cost)
                print(String(format: "calibration %@: median step %.2f ms measured, %.2f ms modelled; %.2f tokens/step measured, %.2f modelled",
                             c.shape.label, c.stepSeconds * 1e3, predicted.stepSeconds * 1e3, c.blockEfficiency, predicted.expectedTokensPerStep))
            }
            if !pMinList.isEmpty { print(TuneExperiment.pMinSummary(m, pMins: pMinList, maxDepth: maxDepth, budget: experiment.budget)) }
        }

        if !loadNotes.isEmpty {
            print("\nthe machine's load changed between the drafts' calibrations (the target's verify time moved): costs brought to the first draft's load, "
                  + loadNotes.joined(separator: ", ") + " (the tables above are after this scaling)")
        }
        // Dynamic trees (EAGLE-2) are run, not modelled: each one on the prompts with each draft.
        var dynamic: [TuneExperiment.Candidate] = []
        if !experiment.dynamicShapes.isEmpty {
            for (d, m) in measured {
                guard let found = try experiment.measureDynamic(experiment.dynamicShapes, runner: runner, draftModel: models[d]!, m: m, draft: d)
                else { break }
                dynamic += found
            }
            progress.finish()
            print("\ndynamic trees, run on the prompts (not modelled: which nodes a dynamic tree keeps depends on the draft's confidence at each step):")
            for c in dynamic {
                print(String(format: "  %@ %@: %.2f tokens/step, step %.2f ms at the draft's calibration load → %.1f tokens/s",
                             c.draft, c.label, c.prediction.expectedTokensPerStep, c.prediction.stepSeconds * 1e3, c.prediction.tokensPerSecond))
            }
        }
        let ranking = TuneExperiment.merge(try measured.map { try experiment.search($0.m, draft: $0.draft) } + [dynamic])
        print("\nbest predicted shapes (of \(ranking.count) searched)")
        print(sweep.text(TuneExperiment.rankingTable(ranking, count: 10)), terminator: "")
        let plainPredicted = TuneExperiment.plainTokensPerSecond(measured[0].m.verifyCall)
        print(String(format: "plain decoding: predicted %.1f tokens/s (one 1-token target call per token)", plainPredicted))

        let validations = try experiment.validate(ranking, runner: runner, models: models, plainPredicted: plainPredicted,
                                                  writer: writer, limit: sweep.limit)
        progress.finish()
        print("\nvalidation: the best \(experiment.validateCount) shapes run on the prompts, each prompt paired with plain decoding")
        print(sweep.text(writer.table, droppable: TuneExperiment.validationDroppable), terminator: "")
        sweep.printByKind(TuneExperiment.kindTable(validations))
        if let best = ranking.first {
            let chosen = byLabel[best.draft] ?? TuneDraft(spec: best.draft)
            let command = TuneExperiment.suggestion(best, draft: chosen, modelPath: modelOptions.model, sampling: sampling)
            if best.prediction.tokensPerSecond < plainPredicted {
                print(String(format: "\nno tree is predicted to beat plain decoding with %@ (best %.1f vs plain %.1f tokens/s): a faster or better-matched draft is needed. The best tree:",
                             drafts.count == 1 ? "draft \(drafts[0])" : "these drafts", best.prediction.tokensPerSecond, plainPredicted))
            }
            print("\nsuggestion: " + command)
            if let v = validations.first {
                print(String(format: "predicted %.1f tokens/s, measured %.1f tokens/s (%+.1f%%); speedup over plain decoding predicted %.2f×, measured %.2f× (plain %.1f tokens/s, paired)",
                             best.prediction.tokensPerSecond, v.measuredTokensPerSecond,
                             100 * (best.prediction.tokensPerSecond - v.measuredTokensPerSecond) / max(1e-9, v.measuredTokensPerSecond),
                             best.prediction.tokensPerSecond / plainPredicted,
                             v.measuredTokensPerSecond / max(1e-9, v.plainTokensPerSecond), v.plainTokensPerSecond))
                print("(tokens/s depend on the machine's load when each was measured; the speedups compare figures measured together)")
            }
            if !Interruption.requested,
               let reproduction = try experiment.reproduce(best, runner: runner, model: models[best.draft]!, plainPredicted: plainPredicted) {
                progress.finish()
                print("")
                for line in reproduction.report { print(line) }
            }
        }
        try sweep.writePlot { TuneExperiment.chart(measured, context: ChartContext(model: loaded.name, draft: drafts.map(DraftName.short).joined(separator: ", ")), greedy: sampling.isGreedy) }
        try sweep.finish(rows: validations.count, expected: experiment.validateCount, progress: progress)
    }
}
