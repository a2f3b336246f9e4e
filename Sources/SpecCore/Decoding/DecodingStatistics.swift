/// Running totals over a decoding session: the figures every view and report uses.
public struct DecodingStatistics: Sendable, Equatable, Codable {
    public var steps = 0
    /// Target forward calls (one per step).
    public var targetCalls = 0
    public var emittedTokens = 0
    /// Per tree level (index 0 = depth 1): steps whose verification reached the level.
    public var reachedByDepth: [Int] = []
    /// Per tree level: steps that accepted a node at that level.
    public var acceptedByDepth: [Int] = []
    /// `acceptedLengthCounts[k]`: steps that accepted exactly k draft tokens.
    public var acceptedLengthCounts: [Int] = []
    public var draftSeconds = 0.0
    public var verifySeconds = 0.0
    public var otherSeconds = 0.0
    /// Tree tokens the target verified, summed over steps.
    public var verifiedTreeTokens = 0
    /// Tree depths (draft levels), summed over steps.
    public var treeDepths = 0

    public init() {}

    /// Reads totals written before `treeDepths` existed (older traces) with it at 0.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        steps = try c.decode(Int.self, forKey: .steps)
        targetCalls = try c.decode(Int.self, forKey: .targetCalls)
        emittedTokens = try c.decode(Int.self, forKey: .emittedTokens)
        reachedByDepth = try c.decode([Int].self, forKey: .reachedByDepth)
        acceptedByDepth = try c.decode([Int].self, forKey: .acceptedByDepth)
        acceptedLengthCounts = try c.decode([Int].self, forKey: .acceptedLengthCounts)
        draftSeconds = try c.decode(Double.self, forKey: .draftSeconds)
        verifySeconds = try c.decode(Double.self, forKey: .verifySeconds)
        otherSeconds = try c.decode(Double.self, forKey: .otherSeconds)
        verifiedTreeTokens = try c.decode(Int.self, forKey: .verifiedTreeTokens)
        treeDepths = try c.decodeIfPresent(Int.self, forKey: .treeDepths) ?? 0
    }

    /// Adds one step.
    public mutating func record(_ step: StepSummary) {
        steps += 1
        targetCalls += 1
        emittedTokens += step.emitted.count
        verifiedTreeTokens += step.treeSize
        treeDepths += step.treeDepth
        Self.grow(&reachedByDepth, to: step.deepestTested)
        Self.grow(&acceptedByDepth, to: step.deepestTested)
        for d in 0..<step.deepestTested { reachedByDepth[d] += 1 }
        for d in 0..<step.acceptedPath.count { acceptedByDepth[d] += 1 }
        Self.grow(&acceptedLengthCounts, to: step.acceptedPath.count + 1)
        acceptedLengthCounts[step.acceptedPath.count] += 1
        draftSeconds += step.draftSeconds
        verifySeconds += step.verifySeconds
        otherSeconds += step.otherSeconds
    }

    /// Adds another session's totals (e.g. the same settings on another prompt).
    public mutating func add(_ other: DecodingStatistics) {
        func add(_ a: inout [Int], _ b: [Int]) {
            Self.grow(&a, to: b.count)
            for i in b.indices { a[i] += b[i] }
        }
        steps += other.steps
        targetCalls += other.targetCalls
        emittedTokens += other.emittedTokens
        verifiedTreeTokens += other.verifiedTreeTokens
        treeDepths += other.treeDepths
        add(&reachedByDepth, other.reachedByDepth)
        add(&acceptedByDepth, other.acceptedByDepth)
        add(&acceptedLengthCounts, other.acceptedLengthCounts)
        draftSeconds += other.draftSeconds
        verifySeconds += other.verifySeconds
        otherSeconds += other.otherSeconds
    }

    private static func grow(_ array: inout [Int], to count: Int) {
        if array.count < count { array += [Int](repeating: 0, count: count - array.count) }
    }

    /// Emitted tokens per target call (TAR in the DSD paper).
    public var blockEfficiency: Double { targetCalls == 0 ? 0 : Double(emittedTokens) / Double(targetCalls) }

    /// Accepted ÷ reached, per tree level.
    public var acceptanceByDepth: [Double] {
        zip(acceptedByDepth, reachedByDepth).map { $1 == 0 ? 0 : Double($0) / Double($1) }
    }

    /// Accepted draft tokens ÷ draft tokens tested at a level reached (the α of the throughput formula,
    /// for chains the per-token acceptance rate).
    public var acceptanceRate: Double {
        let reached = reachedByDepth.reduce(0, +)
        return reached == 0 ? 0 : Double(acceptedByDepth.reduce(0, +)) / Double(reached)
    }

    public var totalSeconds: Double { draftSeconds + verifySeconds + otherSeconds }

    /// Emitted tokens per second of decoding.
    public var tokensPerSecond: Double { totalSeconds == 0 ? 0 : Double(emittedTokens) / totalSeconds }

    /// The speedup `ThroughputModel` predicts from these totals: α the
    /// acceptance rate, γ the mean tree depth (rounded), c the draft time per
    /// level ÷ the target's time per verification call. Nil until a step with
    /// a verify time (or for totals without tree depths).
    public var predictedSpeedup: Double? {
        guard steps > 0, targetCalls > 0, verifySeconds > 0, treeDepths > 0 else { return nil }
        let gamma = Int((Double(treeDepths) / Double(steps)).rounded())
        let c = (draftSeconds / Double(treeDepths)) / (verifySeconds / Double(targetCalls))
        return ThroughputModel.predictedSpeedup(acceptanceRate: acceptanceRate, draftLength: gamma, costRatio: c)
    }
}
