import Foundation
import SpecCore
import SpecModels

/// `spectree tune`: measure this machine's costs and this model pair's
/// acceptance, search tree shapes for the best predicted tokens/s
/// (`ShapeSearch` under `TreeThroughputModel`), and validate the best ones by
/// running them.
///
/// What is measured:
/// - (a) V(n): seconds of one target call on n tokens (a tree on a real prompt prefix), median of a few, sizes interleaved;
/// - (b) D(w): seconds of one draft-model call on w tokens (one tree level);
/// - (c) acceptance by depth and sibling rank (`AcceptanceCounts.recordStep`)
///   from runs of a wide rsd-c tree and a deep chain on the prompts;
/// - the level of the (a) and (b) curves under the load of the moment: each
///   scaled so that it predicts the calibration steps' median verify (draft)
///   time as the decoder timed it (the draft's time includes its sampling);
/// - the per-step overhead o₀ + o₁·N, fitted to the calibration steps'
///   median time outside the model calls (intercept and slope ≥ 0).
public struct TuneExperiment {
    /// Draft specifications to measure and search over (each a draft model).
    public var drafts: [String]
    public var sampling: SamplingParameters
    public var seed: UInt64
    /// Most tree tokens per target call.
    public var budget: Int
    public var maxDepth: Int
    public var methods: [DraftMethod] = [.chain, .rsdC, .rsdS]
    /// Target batch sizes n of (a).
    public var verifySizes: [Int]
    /// Draft batch widths w of (b).
    public var draftWidths: [Int]
    /// Timed calls per point (median kept).
    public var callsPerPoint: Int
    /// Shapes run to measure acceptance: a wide rsd-c tree and a deep chain.
    public var calibrationShapes: [DraftShape]
    /// How many of the best predicted shapes to run.
    public var validateCount: Int
    /// p-min values searched for chains (empty: p-min is not searched). When
    /// set, the calibration chain records the draft's confidence at each
    /// node and chains up to its depth are predicted by replaying its steps
    /// at each p-min (`PMinChainModel`), p-min 0 included, in place of the
    /// acceptance profile's prediction for them.
    public var pMins: [Double] = []
    /// Node budgets of the dynamic trees run when `methods` holds `dynamic` (`dynamicShapes`).
    public var dynamicBudgets: [Int]

    public init(drafts: [String], sampling: SamplingParameters, seed: UInt64, budget: Int, maxDepth: Int, quick: Bool) {
        self.drafts = drafts
        self.sampling = sampling
        self.seed = seed
        self.budget = budget
        self.maxDepth = maxDepth
        verifySizes = quick ? [1, 2, 4, 8, 16, 32, 48, 64] : Array(1...64)
        draftWidths = quick ? [1, 2, 4, 8, 16, 32] : [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64]
        callsPerPoint = quick ? 5 : 7
        calibrationShapes = quick ? [.rsdC(branching: [4, 2, 2]), .chain(depth: min(maxDepth, 6))]
                                  : [.rsdC(branching: [6, 3, 2]), .chain(depth: maxDepth)]
        validateCount = quick ? 2 : 3
        dynamicBudgets = quick ? [8, 16] : [8, 16, 32]
    }

    /// What was measured and fitted.
    public struct Measurements: Sendable {
        /// V(n) and D(w): the tables of (a) and (b) scaled to the calibration steps' level.
        public var verifyCall: PiecewiseLinear
        public var draftCall: PiecewiseLinear
        /// Calibration steps' median verify (draft) seconds ÷ the unscaled tables' prediction for them.
        public var verifyScale: Double
        public var draftScale: Double
        public var counts: AcceptanceCounts
        public var profile: AcceptanceProfile
        public var cost: StepCostModel
        /// Per calibration shape: measured median step seconds and mean tree tokens.
        public var calibration: [(shape: DraftShape, stepSeconds: Double, treeTokens: Double, blockEfficiency: Double)]
        /// The calibration chain's steps with the draft's confidences (empty unless `pMins` is set).
        public var chainSteps: [PMinChainModel.Step] = []
        /// Mean seconds to compute one confidence (what p-min adds per draft call).
        public var confidenceSeconds = 0.0
    }

    /// A shape with one draft, and its prediction.
    public struct Candidate: Sendable {
        public var draft: String
        public var prediction: ShapePrediction
        /// p-min the shape runs with (0: off).
        public var pMin: Double
        /// The replay behind a chain's prediction when p-min is searched.
        public var replay: PMinChainModel.Prediction?
        /// Whether the prediction is a run of the shape itself (dynamic trees), not the model.
        public var measured: Bool
        public init(draft: String, prediction: ShapePrediction, pMin: Double = 0, replay: PMinChainModel.Prediction? = nil,
                    measured: Bool = false) {
            self.draft = draft
            self.prediction = prediction
            self.pMin = pMin
            self.replay = replay
            self.measured = measured
        }

        /// The shape's label, with p-min when on (`chain L=6 p-min 0.5`).
        public var label: String { prediction.shape.label + (pMin > 0 ? " p-min \(RunCommandLine.number(pMin))" : "") }
    }

    /// A validated suggestion: predicted and measured.
    public struct Validation: Sendable {
        public var rank: Int
        public var draft: String
        public var prediction: ShapePrediction
        /// p-min of the runs (0: off).
        public var pMin = 0.0
        public var runs: [PromptRun]
        /// Plain decoding of the same prompts, each run just before its speculative run.
        public var plain: [PromptRun]
        public var measuredTokensPerSecond: Double { runs.pooledTokensPerSecond }
        public var plainTokensPerSecond: Double { plain.pooledTokensPerSecond }
        public var measuredStepSeconds: Double {
            let s = runs.pooledStatistics
            return s.steps == 0 ? 0 : s.totalSeconds / Double(s.steps)
        }
        public var measuredBlockEfficiency: Double { runs.pooledStatistics.blockEfficiency }
        /// The shape's label, with p-min when on.
        public var label: String { prediction.shape.label + (pMin > 0 ? " p-min \(RunCommandLine.number(pMin))" : "") }
    }

    public func progressUnits(prompts: Int) -> Int {
        // The last 2 · prompts: the suggestion's reproduction run (`reproduce`).
        callsPerPoint + drafts.count * (callsPerPoint + (calibrationShapes.count + dynamicShapes.count) * prompts)
            + 2 * validateCount * prompts + 2 * prompts
    }

    /// Checks the settings before any model runs.
    public func validate(maxTreeTokens: Int) throws {
        guard budget >= 1 else { throw BenchError("budget \(budget) is too small for any tree: a tree needs at least 1 token") }
        guard budget <= maxTreeTokens else { throw BenchError("budget \(budget) exceeds the \(maxTreeTokens) tree tokens one target call verifies") }
        guard maxDepth >= 1 else { throw BenchError("the deepest tree searched must be at least 1 level, got \(maxDepth)") }
        do { _ = try ShapeSearch.candidates(methods: methods, budget: budget, maxDepth: maxDepth) } catch { throw BenchError(error.description) }
    }

    /// What a measurement is doing, as it starts or ends a part: typed, so a
    /// caller (the live tune's banner, `tune`'s progress bar) reads it without parsing text.
    public enum Progress: Sendable, Equatable, CustomStringConvertible {
        /// A timed pass over the target's call sizes ended (1-based).
        case targetCallPass(Int, of: Int)
        /// A timed pass over the draft's call widths ended (1-based).
        case draftCallPass(Int, of: Int)
        /// An acceptance (calibration) run with this shape starts (`index` 0-based).
        case calibrating(DraftShape, index: Int, of: Int)

        public var description: String {
            switch self {
            case let .targetCallPass(pass, count): "target call, pass \(pass) of \(count)"
            case let .draftCallPass(pass, count): "draft call, pass \(pass) of \(count)"
            case let .calibrating(shape, index, count): "acceptance with \(shape.label) (\(index + 1) of \(count))"
            }
        }

        /// Whether this ends a unit counted by `progressUnits(prompts:)` (the passes; a run counts itself).
        public var endsAPass: Bool {
            if case .calibrating = self { return false }
            return true
        }
    }

    // MARK: - Measuring

    /// Loads a draft; tune needs a draft model (an n-gram draft has no cost curve to measure).
    public func loadDraft(_ draft: String, for target: Transformer) throws -> any LanguageModel {
        let (source, _) = try DraftSpecification(draft).load(for: target)
        guard case let .model(model) = source else {
            throw BenchError("tune needs a draft model (self:K or a GGUF file); '\(draft)' has no model to measure")
        }
        return model
    }

    /// (a) or (b): the median of `callsPerPoint` calls of `model` on n tokens,
    /// for each n, on top of `prefix`, after a warm-up pass. The sizes are
    /// timed round-robin (one call per size per pass) so that a change of
    /// the machine's load (other processes) affects every size alike, and the
    /// median drops the odd call another process delayed. The batch is a
    /// binary tree (parent of i is (i − 1) / 2).
    public func callTimes(_ model: any LanguageModel, prefix: [TokenID], sizes: [Int],
                          tick: (_ pass: Int, _ of: Int) -> Void, shouldStop: () -> Bool) throws -> PiecewiseLinear? {
        model.reset()
        _ = try model.prefill(prefix)
        let sizes = sizes.filter { $0 >= 1 && $0 <= model.maxBatch }
        let batches = sizes.map { n in
            TokenBatch(tokens: (0..<n).map { TokenID(1000 + 7 * $0) }, parents: (0..<n).map { $0 == 0 ? -1 : ($0 - 1) / 2 })
        }
        var times = [[Double]](repeating: [], count: sizes.count)
        let passes = max(1, callsPerPoint)
        for pass in 0...passes {  // pass 0 warms up
            if shouldStop() { return nil }
            for (i, batch) in batches.enumerated() {
                let start = ContinuousClock.now
                _ = try model.evaluate(batch, logits: .all)
                if pass > 0 { times[i].append((ContinuousClock.now - start).seconds) }
            }
            if pass > 0 { tick(pass, passes) }
        }
        model.reset()
        return sizes.isEmpty ? nil : PiecewiseLinear(points: zip(sizes, times).map { (Double($0), Self.median($1)) }).nonDecreasing()
    }

    /// (a): the target's call times; nil when stopped.
    public func measureTarget(runner: BenchRunner, progress: (Progress) -> Void) throws -> PiecewiseLinear? {
        try callTimes(runner.target, prefix: runner.prompts[0].tokens, sizes: verifySizes, tick: { progress(.targetCallPass($0, of: $1)) },
                      shouldStop: runner.shouldStop)
    }

    /// (b), (c) and the overhead fit for one draft, on top of (a) `verify`;
    /// nil when stopped. The call-time tables are made non-decreasing (more
    /// tokens never cost less).
    public func measure(runner: BenchRunner, draftModel: any LanguageModel, verify: PiecewiseLinear,
                        progress: (Progress) -> Void) throws -> Measurements? {
        let prefix = runner.prompts[0].tokens
        guard let draftCall = try callTimes(draftModel, prefix: prefix, sizes: draftWidths, tick: { progress(.draftCallPass($0, of: $1)) },
                                            shouldStop: runner.shouldStop)
        else { return nil }
        var counts = AcceptanceCounts()
        let order: AcceptanceCounts.RankOrder = sampling.isGreedy ? .draftProbability : .tryOrder
        var calibration: [(shape: DraftShape, stepSeconds: Double, treeTokens: Double, blockEfficiency: Double)] = []
        var split: [(shape: DraftShape, draft: Double, verify: Double, other: Double)] = []
        var chainSteps: [PMinChainModel.Step] = []
        var confidenceSeconds = 0.0, confidenceRows = 0
        // The deepest calibration chain records the draft's confidences when p-min is searched.
        let recordedChain = pMins.isEmpty ? nil
            : calibrationShapes.filter { $0.method == .chain }.max { $0.depth < $1.depth }
        for (index, shape) in calibrationShapes.enumerated() {
            progress(.calibrating(shape, index: index, of: calibrationShapes.count))
            var nodes: [DraftNodeRecord] = []
            var decisions: [VerificationDecision] = []
            var shapeCounts = AcceptanceCounts()
            var stepSeconds: [Double] = [], draftSeconds: [Double] = [], verifySeconds: [Double] = [], otherSeconds: [Double] = []
            let recorder = shape == recordedChain
                ? ConfidenceRecorder(draftModel, temperature: sampling.isGreedy ? 1 : sampling.temperature) : nil
            guard let runs = try runner.speculative(
                draft: .model(recorder ?? draftModel), shape: shape, sampling: sampling, seed: seed, label: "calibrate \(shape.label)",
                onEvent: { event in
                    switch event {
                    case .stepStarted:
                        nodes.removeAll(keepingCapacity: true); decisions.removeAll(keepingCapacity: true)
                        recorder?.clear()
                    case let .levelDrafted(_, _, new, _): nodes += new
                    case let .decision(_, decision): decisions.append(decision)
                    case let .stepFinished(summary):
                        shapeCounts.recordStep(nodes: nodes, decisions: decisions, order: order)
                        // The recorder's own work is not the decoder's: take it out of the step's draft time.
                        let extra = recorder?.recordingSeconds ?? 0
                        if let recorder {
                            chainSteps.append(.init(confidences: recorder.confidences, accepted: summary.acceptedPath.count))
                            confidenceSeconds += recorder.confidenceSeconds
                            confidenceRows += recorder.rows
                        }
                        stepSeconds.append(summary.totalSeconds - extra)
                        draftSeconds.append(summary.draftSeconds - extra)
                        verifySeconds.append(summary.verifySeconds)
                        otherSeconds.append(summary.otherSeconds)
                    default: break
                    }
                })
            else { return nil }
            counts.add(shapeCounts)
            let s = runs.pooledStatistics
            calibration.append((shape, Self.median(stepSeconds),
                                Double(s.verifiedTreeTokens) / Double(max(1, s.steps)), s.blockEfficiency))
            split.append((shape, Self.median(draftSeconds), Self.median(verifySeconds), Self.median(otherSeconds)))
        }
        // The tables give the cost curves' shape; the calibration steps (timed by the
        // decoder) give their level under the load of the moment, and the overhead.
        let callsOnly = StepCostModel(verifyCall: verify, draftCall: draftCall)
        let verifyScale = Self.ratio(split.map(\.verify), split.map { callsOnly.verifySeconds($0.shape) })
        let draftScale = Self.ratio(split.map(\.draft), split.map { callsOnly.draftSeconds($0.shape) })
        let (o0, o1) = Self.fitOverhead(split.map { (x: Double($0.shape.maxNodeCount), y: $0.other) })
        let scaledVerify = verify.scaled(by: verifyScale), scaledDraft = draftCall.scaled(by: draftScale)
        let cost = StepCostModel(verifyCall: scaledVerify, draftCall: scaledDraft, overheadPerStep: o0, overheadPerNode: o1)
        return Measurements(verifyCall: scaledVerify, draftCall: scaledDraft, verifyScale: verifyScale, draftScale: draftScale,
                            counts: counts, profile: counts.profile(), cost: cost, calibration: calibration,
                            chainSteps: chainSteps, confidenceSeconds: confidenceRows > 0 ? confidenceSeconds / Double(confidenceRows) : 0)
    }

    /// Σ measured ÷ Σ tabulated (1 when nothing was tabulated).
    public static func ratio(_ measured: [Double], _ tabulated: [Double]) -> Double {
        let t = tabulated.reduce(0, +)
        return t > 0 ? measured.reduce(0, +) / t : 1
    }

    /// The middle value (mean of the two middle ones for an even count); 0 for none.
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let v = values.sorted(), m = v.count / 2
        return v.count % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2
    }

    /// Least-squares line through (tree tokens, residual seconds) with
    /// intercept and slope kept ≥ 0: a negative slope falls back to a constant
    /// (the mean), a negative intercept to a line through the origin.
    public static func fitOverhead(_ points: [(x: Double, y: Double)]) -> (perStep: Double, perNode: Double) {
        guard !points.isEmpty else { return (0, 0) }
        let meanY = points.map(\.y).reduce(0, +) / Double(points.count)
        guard points.count >= 2 else { return (max(0, meanY), 0) }
        let fit = PiecewiseLinear(points: points).linearFit
        if fit.slope < 0 || !fit.slope.isFinite { return (max(0, meanY), 0) }
        if fit.intercept < 0 {
            let sxy = points.map { $0.x * $0.y }.reduce(0, +), sxx = points.map { $0.x * $0.x }.reduce(0, +)
            return (0, sxx > 0 ? max(0, sxy / sxx) : 0)
        }
        return (fit.intercept, fit.slope)
    }

    // MARK: - Searching and validating

    /// Every candidate shape with `draft`, best predicted tokens/s first.
    /// With `pMins` set, chains up to the recorded chain's depth are
    /// predicted at each p-min by replaying its steps (`PMinChainModel`)
    /// instead of from the acceptance profile.
    public func search(_ m: Measurements, draft: String) throws -> [Candidate] {
        let shapes: [ShapePrediction]
        do {
            shapes = try ShapeSearch.search(methods: methods, budget: budget, maxDepth: maxDepth, profile: m.profile, cost: m.cost)
        } catch {
            throw BenchError(error.description)
        }
        let replays = pMins.isEmpty || !methods.contains(.chain) ? []
            : PMinChainModel.predictAll(pMins: pMins, maxDepth: maxDepth, budget: budget, steps: m.chainSteps, cost: m.cost,
                                        confidenceSeconds: m.confidenceSeconds)
        let replayed = Set(replays.map(\.prediction.shape))
        let candidates = shapes.filter { !replayed.contains($0.shape) }.map { Candidate(draft: draft, prediction: $0) }
            + replays.map { Candidate(draft: draft, prediction: $0.prediction, pMin: $0.pMin, replay: $0) }
        return Self.merge([candidates])
    }

    /// Several drafts' rankings as one, best predicted tokens/s first (ties keep the drafts' order).
    public static func merge(_ rankings: [[Candidate]]) -> [Candidate] {
        let all = rankings.flatMap { $0 }
        return all.indices.sorted { i, j in
            let a = all[i].prediction.tokensPerSecond, b = all[j].prediction.tokensPerSecond
            return a != b ? a > b : i < j
        }.map { all[$0] }
    }

    /// Runs the `validateCount` best shapes, each paired prompt by prompt with
    /// plain decoding (`BenchRunner.paired`), appending each to `writer`.
    /// Plain decoding's predicted tokens/s: one 1-token target call per token.
    public static func plainTokensPerSecond(_ verifyCall: PiecewiseLinear) -> Double { 1 / max(1e-9, verifyCall(1)) }

    /// - Parameters:
    ///   - models: the loaded draft model of each draft in `ranking`.
    ///   - plainPredicted: plain decoding's predicted tokens/s, for the predicted speedup
    ///     (a ratio of two figures measured together, so it holds when the machine's load changes).
    public func validate(_ ranking: [Candidate], runner: BenchRunner, models: [String: any LanguageModel],
                         plainPredicted: Double, writer: ResultWriter, limit: Int? = nil) throws -> [Validation] {
        var validations: [Validation] = []
        for (i, candidate) in ranking.prefix(validateCount).enumerated() {
            if let limit, validations.count >= limit { break }
            guard let model = models[candidate.draft] else { throw BenchError("no model loaded for draft \(candidate.draft)") }
            let prediction = candidate.prediction
            let pMinBefore = runner.pMin
            runner.pMin = candidate.pMin
            defer { runner.pMin = pMinBefore }
            guard let (plain, runs) = try runner.paired(draft: .model(model), shape: prediction.shape, sampling: sampling, seed: seed,
                                                        label: "validate \(candidate.draft) \(candidate.label)") else { break }
            let v = Validation(rank: i + 1, draft: candidate.draft, prediction: prediction, pMin: candidate.pMin, runs: runs, plain: plain)
            validations.append(v)
            try writer.append(Self.validationValues(v, temperature: sampling.temperature, plainPredicted: plainPredicted))
        }
        return validations
    }

    // MARK: - Tables

    public static let validationColumns: [ResultTable.Column] = [
        .init("rank", "rank", decimals: 0), .init("draft", "draft"), .init("temperature", "T", decimals: 1), .init("method", "method"),
        .init("shape", "shape"), .init("p_min", "p-min", decimals: 2),
        .init("tree_tokens", "tree", unit: "tokens", decimals: 0),
        .init("predicted_tokens_per_step", "pred. tokens/step", decimals: 2),
        .init("measured_block_efficiency", "meas. tokens/step", decimals: 2),
        .init("predicted_step_ms", "pred. step", unit: "ms", decimals: 2), .init("measured_step_ms", "meas. step", unit: "ms", decimals: 2),
        .init("predicted_tokens_per_s", "predicted", unit: "tokens/s", decimals: 1),
        .init("measured_tokens_per_s", "measured", unit: "tokens/s", decimals: 1),
        .init("error_percent", "error", unit: "%", decimals: 1),
        .init("plain_tokens_per_s", "plain", unit: "tokens/s", decimals: 1),
        .init("predicted_speedup", "pred. speedup", unit: "×", decimals: 2),
        .init("measured_speedup", "meas. speedup", unit: "×", decimals: 2),
    ]

    static func validationValues(_ v: Validation, temperature: Double, plainPredicted: Double) -> [ResultTable.Value] {
        let p = v.prediction, plain = v.plainTokensPerSecond
        return [.integer(v.rank), .text(v.draft), .number(temperature), .text(p.shape.method.rawValue), .text(v.label),
                .number(v.pMin), .integer(p.shape.maxNodeCount), .number(p.expectedTokensPerStep), .number(v.measuredBlockEfficiency),
                .number(p.stepSeconds * 1e3), .number(v.measuredStepSeconds * 1e3),
                .number(p.tokensPerSecond), .number(v.measuredTokensPerSecond),
                .number(100 * (p.tokensPerSecond - v.measuredTokensPerSecond) / max(1e-9, v.measuredTokensPerSecond)),
                .number(plain), .number(p.tokensPerSecond / max(1e-9, plainPredicted)),
                .number(plain <= 0 ? 0 : v.measuredTokensPerSecond / plain)]
    }

    /// (a) and (b) side by side at the draft widths, plus the verify table's fit.
    public static func costTable(_ m: Measurements, sizes: [Int]) -> ResultTable {
        var t = ResultTable(columns: [.init("tokens", "tokens per call", decimals: 0),
                                      .init("target_ms", "target call", unit: "ms", decimals: 2),
                                      .init("draft_ms", "draft call", unit: "ms", decimals: 2)])
        for n in sizes { t.append([.integer(n), .number(m.verifyCall(n) * 1e3), .number(m.draftCall(n) * 1e3)]) }
        return t
    }

    /// (c): a_{d,r} with the decisions behind each.
    public static func acceptanceTable(_ m: Measurements, ranks: Int) -> ResultTable {
        var t = ResultTable(columns: [.init("depth", "depth", decimals: 0)]
                            + (0..<ranks).map { .init("rank_\($0)", "rank \($0)") })
        for d in m.counts.tested.indices {
            t.append([.integer(d + 1)] + (0..<ranks).map { r in
                r < m.counts.tested[d].count && m.counts.tested[d][r] > 0
                    ? .text(String(format: "%.2f /%d", Double(m.counts.accepted[d][r]) / Double(m.counts.tested[d][r]), m.counts.tested[d][r]))
                    : .text("–")
            })
        }
        return t
    }

    /// The best predicted shapes.
    public static func rankingTable(_ ranking: [Candidate], count: Int) -> ResultTable {
        var t = ResultTable(columns: [.init("rank", "rank", decimals: 0), .init("draft", "draft"), .init("shape", "shape"),
                                      .init("tree_tokens", "tree", unit: "tokens", decimals: 0),
                                      .init("tokens_per_step", "tokens/step", decimals: 2), .init("draft_ms", "draft", unit: "ms", decimals: 2),
                                      .init("verify_ms", "verify", unit: "ms", decimals: 2), .init("other_ms", "other", unit: "ms", decimals: 2),
                                      .init("tokens_per_s", "predicted", unit: "tokens/s", decimals: 1)])
        for (i, c) in ranking.prefix(count).enumerated() {
            let p = c.prediction
            t.append([.integer(i + 1), .text(c.draft), .text(c.label), .integer(p.shape.maxNodeCount), .number(p.expectedTokensPerStep),
                      .number(p.draftSeconds * 1e3), .number(p.verifySeconds * 1e3), .number(p.overheadSeconds * 1e3), .number(p.tokensPerSecond)])
        }
        return t
    }
}
