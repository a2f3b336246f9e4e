import Foundation
import SpecBench
import SpecCore
import SpecModels

/// A small `TuneExperiment` sized for a live session: one prompt (the
/// session's own), few call sizes and passes, short calibration runs, and
/// the best shape run once against plain decoding. `DecodingSession` runs it
/// on its own target and draft model for `SessionCommand.tune`.
///
/// Cost: about `2 · callsPerPoint` passes over the call sizes (a few hundred
/// milliseconds on a 135M model), `calibrationShapes.count` speculative runs
/// of `tokens` tokens, then one plain and one speculative run of `tokens`
/// when `validates`: some seconds to some tens of seconds on a small model.
/// It resets both models' caches: the caller restores its own state after.
public struct SessionTuner: Sendable {
    /// Target call sizes n timed for V(n).
    public var verifySizes: [Int]
    /// Draft call widths w timed for D(w).
    public var draftWidths: [Int]
    /// Timed passes over the sizes (after one warm-up).
    public var callsPerPoint: Int
    /// Runs that measure acceptance by depth and rank.
    public var calibrationShapes: [DraftShape]
    /// Tokens per calibration and validation run.
    public var tokens: Int
    /// Deepest tree searched.
    public var maxDepth: Int
    public var methods: [DraftMethod]
    /// Whether the best shape is run (paired with plain decoding) after the search.
    public var validates: Bool

    public init(verifySizes: [Int] = [1, 2, 4, 8, 16, 32, 48, 64], draftWidths: [Int] = [1, 2, 4, 8, 16, 32], callsPerPoint: Int = 3,
                calibrationShapes: [DraftShape] = [.rsdC(branching: [4, 2, 2]), .chain(depth: 6)], tokens: Int = 48,
                maxDepth: Int = 8, methods: [DraftMethod] = [.chain, .rsdC, .rsdS], validates: Bool = true) {
        self.verifySizes = verifySizes
        self.draftWidths = draftWidths
        self.callsPerPoint = callsPerPoint
        self.calibrationShapes = calibrationShapes
        self.tokens = tokens
        self.maxDepth = maxDepth
        self.methods = methods
        self.validates = validates
    }

    /// The live screen's tune: about 10–30 s on the default model on two busy cores.
    public static let live = SessionTuner()

    /// What a tune needs from the session.
    public struct Inputs {
        public var target: Transformer
        /// The draft's specification (`self:8`, a path) and its loaded model.
        public var draft: String
        public var draftModel: any LanguageModel
        public var prompt: [TokenID]
        public var sampling: SamplingParameters
        public var seed: UInt64
        /// Most tree tokens a step may draft.
        public var budget: Int
        /// `--model` of the suggested command, when the target is not the default model.
        public var modelPath: String?

        public init(target: Transformer, draft: String, draftModel: any LanguageModel, prompt: [TokenID], sampling: SamplingParameters,
                    seed: UInt64, budget: Int, modelPath: String? = nil) {
            self.target = target
            self.draft = draft
            self.draftModel = draftModel
            self.prompt = prompt
            self.sampling = sampling
            self.seed = seed
            self.budget = budget
            self.modelPath = modelPath
        }
    }

    /// Measures, searches and (with `validates`) runs the best shape.
    /// - Parameters:
    ///   - progress: a short note as each stage starts ("target call, pass 2 of 3", "acceptance with chain L=5 (2 of 2)").
    ///   - shouldStop: polled between measurements; true abandons the tune.
    /// - Returns: the suggestion, or nil when stopped.
    /// - Throws: `BenchError` when the prompt leaves no room in the context, or a model error.
    public func run(_ inputs: Inputs, progress: @escaping (String) -> Void, shouldStop: @escaping () -> Bool) throws -> TuneSuggestion? {
        let start = ContinuousClock.now
        let target = inputs.target
        let budget = min(inputs.budget, target.maxBatch - 1)
        var experiment = TuneExperiment(drafts: [inputs.draft], sampling: inputs.sampling, seed: inputs.seed,
                                        budget: budget, maxDepth: maxDepth, quick: true)
        experiment.methods = methods
        experiment.verifySizes = verifySizes
        experiment.draftWidths = draftWidths
        experiment.callsPerPoint = callsPerPoint
        // Calibration trees within the budget (a small budget gets a short chain and one level of siblings).
        var calibration = calibrationShapes.filter { $0.maxNodeCount <= budget && $0.depth <= maxDepth }
        if calibration.isEmpty, budget >= 1 {
            calibration = [.chain(depth: min(budget, maxDepth, 6))] + (budget >= 2 ? [.rsdC(branching: [min(budget, 4)])] : [])
        }
        experiment.calibrationShapes = calibration
        try experiment.validate(maxTreeTokens: target.maxBatch - 1)
        let runner = try BenchRunner(target: target, encodedPrompts: [.init(name: "session prompt", kind: "live", tokens: inputs.prompt)],
                                     tokens: tokens)
        runner.shouldStop = shouldStop
        // Notes say what runs next: the calibration runs are the long part.
        let shapes = experiment.calibrationShapes
        func calibrating(_ i: Int) -> String { "acceptance with \(shapes[i].label) (\(i + 1) of \(shapes.count))" }
        var calibrated = 0
        runner.onPromptRun = { label in
            guard label.hasPrefix("calibrate") else { return }
            calibrated += 1
            if calibrated < shapes.count { progress(calibrating(calibrated)) }
        }

        progress("timing target calls")
        guard let verify = try experiment.measureTarget(runner: runner, tick: progress) else { return nil }
        progress("timing draft calls")
        let lastDraftPass = "pass \(experiment.callsPerPoint) of \(experiment.callsPerPoint)"
        guard let m = try experiment.measure(runner: runner, draftModel: inputs.draftModel, verify: verify, tick: { note in
            progress(note)
            if note.hasPrefix("draft call"), note.hasSuffix(lastDraftPass), !shapes.isEmpty { progress(calibrating(0)) }
        }) else { return nil }
        if shouldStop() { return nil }
        guard let best = try experiment.search(m, draft: inputs.draft).first?.prediction else {
            throw BenchError("no tree shape fits a budget of \(budget) tokens and depth \(maxDepth)")
        }
        let plainPredicted = TuneExperiment.plainTokensPerSecond(m.verifyCall)
        var measured: (plain: Double, speculative: Double)?
        if validates {
            progress("running \(best.shape.label) against plain decoding on the prompt")
            guard let (plain, runs) = try runner.paired(draft: .model(inputs.draftModel), shape: best.shape, sampling: inputs.sampling,
                                                        seed: inputs.seed, label: "validate \(best.shape.label)")
            else { return nil }
            measured = (plain.pooledTokensPerSecond, runs.pooledTokensPerSecond)
        }
        return TuneSuggestion(
            draft: inputs.draft, shape: best.shape, predictedTokensPerSecond: best.tokensPerSecond,
            predictedTokensPerStep: best.expectedTokensPerStep, plainTokensPerSecond: plainPredicted,
            measuredTokensPerSecond: measured?.speculative, measuredPlainTokensPerSecond: measured?.plain,
            command: Self.command(modelPath: inputs.modelPath, draft: inputs.draft, shape: best.shape, sampling: inputs.sampling),
            seconds: (ContinuousClock.now - start).seconds)
    }

    /// `spectree run [--model M] --draft D <shape> --temperature T [--top-k K] [--top-p P]`, shell-quoted.
    public static func command(modelPath: String?, draft: String, shape: DraftShape, sampling: SamplingParameters) -> String {
        var words = ["spectree", "run"]
        if let modelPath { words += ["--model", modelPath] }
        words += ["--draft", draft] + shape.commandLineOptions + ["--temperature", number(sampling.temperature)]
        if sampling.topK > 0 { words += ["--top-k", String(sampling.topK)] }
        if sampling.topP < 1 { words += ["--top-p", number(sampling.topP)] }
        return words.map(shellQuoted).joined(separator: " ")
    }

    static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }

    static func shellQuoted(_ s: String) -> String {
        s.allSatisfy({ $0.isLetter || $0.isNumber || "-_./:,=+".contains($0) }) ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
