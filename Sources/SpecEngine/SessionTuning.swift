import SpecCore
import SpecModels

/// What `SessionCommand.tune` runs: measures this machine's costs and the
/// draft's acceptance on the session's own models and prompt, searches tree
/// shapes and suggests one. The engine only calls it between two steps; the
/// executable supplies it (`spectree`'s `LiveTuner`, over SpecBench's
/// `TuneExperiment`), so the engine does not depend on the experiments.
///
/// An implementation may use both models freely: the session re-prefills its
/// history after it returns.
public protocol SessionTuning: Sendable {
    /// Measures, searches and suggests.
    /// - Parameters:
    ///   - request: the session's models, prompt, sampling and budget.
    ///   - progress: a short note for the screen as each stage starts.
    ///   - shouldStop: polled between measurements; true abandons the tune.
    /// - Returns: the suggestion, or nil when stopped.
    func tune(_ request: TuneRequest, progress: @escaping (String) -> Void,
              shouldStop: @escaping () -> Bool) throws -> TuneSuggestion?
}

/// What a tune works on: the session's target, its draft (as specified and
/// as loaded), the current prompt, sampling and seed, and the most tree tokens a step may draft.
public struct TuneRequest {
    public var target: Transformer
    /// The draft's specification (`self:8`, a path) and its loaded model.
    public var draft: String
    public var draftModel: any LanguageModel
    public var prompt: [TokenID]
    public var sampling: SamplingParameters
    public var seed: UInt64
    /// Most tree tokens a step may draft.
    public var budget: Int

    public init(target: Transformer, draft: String, draftModel: any LanguageModel, prompt: [TokenID],
                sampling: SamplingParameters, seed: UInt64, budget: Int) {
        self.target = target
        self.draft = draft
        self.draftModel = draftModel
        self.prompt = prompt
        self.sampling = sampling
        self.seed = seed
        self.budget = budget
    }
}
