import SpecBench
import SpecCore
import SpecEngine

/// The live screen's tune: SpecBench's `QuickTune` on the session's models,
/// given to the session as its `SessionTuning`, with the `spectree run`
/// command that starts a session with the suggested shape.
struct LiveTuner: SessionTuning {
    var quick = QuickTune()
    /// `--model` of the suggested command, when the target is not the default model.
    var modelPath: String?

    func tune(_ request: TuneRequest, progress: @escaping (String) -> Void, shouldStop: @escaping () -> Bool) throws -> TuneSuggestion? {
        guard let result = try quick.run(target: request.target, draft: request.draft, draftModel: request.draftModel,
                                        prompt: request.prompt, sampling: request.sampling, seed: request.seed,
                                        budget: request.budget, progress: progress, shouldStop: shouldStop)
        else { return nil }
        return TuneSuggestion(
            draft: request.draft, shape: result.best.shape, predictedTokensPerSecond: result.best.tokensPerSecond,
            predictedTokensPerStep: result.best.expectedTokensPerStep, plainTokensPerSecond: result.plainPredictedTokensPerSecond,
            measuredTokensPerSecond: result.measured?.speculative, measuredPlainTokensPerSecond: result.measured?.plain,
            command: RunCommandLine.words(modelPath: modelPath, draft: request.draft, shape: result.best.shape, sampling: request.sampling,
                                          extra: result.pMin > 0 ? ["--p-min", RunCommandLine.number(result.pMin)] : []),
            seconds: result.seconds, pMin: result.pMin)
    }
}
