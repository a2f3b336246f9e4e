import SpecCore

extension TuneExperiment {
    /// Columns of the validation table left out first when it does not fit, least important first.
    public static let validationDroppable = ["temperature", "method", "p_min", "predicted_step_ms", "measured_step_ms", "tree_tokens",
                                             "predicted_tokens_per_step", "measured_block_efficiency", "error_percent"]

    /// Speedup by prompt kind of each validated shape (nil when none ran or
    /// the prompts have one kind only).
    public static func kindTable(_ validations: [Validation]) -> ResultTable? {
        let columns = validations.map { v in
            (title: "#\(v.rank) \(v.label)", prompts: PromptSpeedup.paired(plain: v.plain, speculative: v.runs))
        }
        guard let first = columns.first, first.prompts.kinds.count > 1 else { return nil }
        return KindTable.make(columns)
    }
}

extension TuneExperiment {
    /// p-min's effect, from the replay of the calibration chain: at each
    /// p-min, the chain depth with the best predicted tokens/s, the nodes and
    /// draft calls it takes per step, and how often p-min cut it short.
    public static func pMinSummary(_ m: Measurements, pMins: [Double], maxDepth: Int, budget: Int) -> String {
        let replays = PMinChainModel.predictAll(pMins: pMins, maxDepth: maxDepth, budget: budget, steps: m.chainSteps, cost: m.cost,
                                                confidenceSeconds: m.confidenceSeconds)
        guard !replays.isEmpty else { return "p-min: no calibration chain was recorded to replay" }
        var t = ResultTable(columns: [.init("p_min", "p-min", decimals: 2), .init("depth", "best L", decimals: 0),
                                      .init("drafted", "drafted", unit: "tokens", decimals: 2), .init("calls", "draft calls", decimals: 2),
                                      .init("stopped", "cut short", unit: "%", decimals: 0),
                                      .init("tokens_per_step", "tokens/step", decimals: 2), .init("step_ms", "step", unit: "ms", decimals: 2),
                                      .init("tokens_per_s", "predicted", unit: "tokens/s", decimals: 1)])
        for pMin in pMins {
            guard let best = replays.filter({ $0.pMin == pMin }).max(by: { $0.prediction.tokensPerSecond < $1.prediction.tokensPerSecond })
            else { continue }
            let p = best.prediction
            t.append([.number(pMin), .integer(p.shape.depth), .number(best.meanDrafted), .number(best.meanDraftCalls),
                      .number(100 * best.stoppedShare), .number(p.expectedTokensPerStep), .number(p.stepSeconds * 1e3),
                      .number(p.tokensPerSecond)])
        }
        let depth = PMinChainModel.deepestReplayable(m.chainSteps)
        return String(format: "\np-min, replayed on the calibration chain's %d steps (L=%d, drafted without p-min; a confidence costs %.3f ms per draft call):\n",
                      m.chainSteps.count, depth, m.confidenceSeconds * 1e3) + t.renderText()
    }
}

extension TuneExperiment {
    /// The `spectree run` command line of `candidate` with its draft `draft`
    /// (`--draft`, `--draft-vocab`, `--p-min` when on, the shape, the sampling).
    public static func suggestion(_ candidate: Candidate, draft: TuneDraft, modelPath: String?, sampling: SamplingParameters) -> String {
        RunCommandLine.words(modelPath: modelPath, draft: draft.spec, shape: candidate.prediction.shape, sampling: sampling,
                             extra: draft.extraOptions + (candidate.pMin > 0 ? ["--p-min", RunCommandLine.number(candidate.pMin)] : []))
    }
}

extension TuneExperiment.Measurements {
    /// These measurements with every cost (call tables, overhead, the
    /// confidence's cost) multiplied by `factor`: the same draft under another load.
    public func scaled(by factor: Double) -> Self {
        var m = self
        m.verifyCall = verifyCall.scaled(by: factor)
        m.draftCall = draftCall.scaled(by: factor)
        m.verifyScale = verifyScale * factor
        m.draftScale = draftScale * factor
        m.cost = StepCostModel(verifyCall: m.verifyCall, draftCall: m.draftCall, overheadPerStep: cost.overheadPerStep * factor,
                               overheadPerNode: cost.overheadPerNode * factor)
        m.confidenceSeconds = confidenceSeconds * factor
        m.calibration = calibration.map { ($0.shape, $0.stepSeconds * factor, $0.treeTokens, $0.blockEfficiency) }
        return m
    }
}

extension TuneExperiment {
    /// Several drafts' measurements brought to one load: each draft is
    /// calibrated at its own time, and on a shared machine the load may
    /// change in between (other processes), which would favour the draft
    /// measured when it was quiet. The target is the same in every
    /// calibration, so its verify scale (calibration verify time ÷ the
    /// target table measured once) gauges each calibration's load; each
    /// draft's costs are multiplied by the first draft's verify scale ÷ its own.
    /// - Returns: the measurements and the factor applied to each (1 for the first).
    public static func sameLoad(_ measured: [Measurements]) -> [(m: Measurements, factor: Double)] {
        guard let reference = measured.first?.verifyScale, reference > 0 else { return measured.map { ($0, 1) } }
        return measured.map { m in
            let factor = m.verifyScale > 0 ? reference / m.verifyScale : 1
            return (factor == 1 ? m : m.scaled(by: factor), factor)
        }
    }
}
