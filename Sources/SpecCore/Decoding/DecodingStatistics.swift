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

    public init() {}

    /// Adds one step.
    public mutating func record(_ step: StepSummary) {
        steps += 1
        targetCalls += 1
        emittedTokens += step.emitted.count
        verifiedTreeTokens += step.treeSize
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
}
