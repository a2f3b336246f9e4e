import Foundation
import SpecCore

/// One prompt's result for a configuration, paired with plain decoding of
/// the same prompt run just before: the unit every spread over prompts, every
/// per-kind figure and every paired comparison is computed from.
public struct PromptSpeedup: Sendable, Equatable {
    public var prompt: String
    public var kind: String
    /// Speculative ÷ plain tokens/s on this prompt.
    public var speedup: Double
    /// Emitted tokens ÷ target calls on this prompt.
    public var blockEfficiency: Double

    public init(prompt: String, kind: String, speedup: Double, blockEfficiency: Double) {
        self.prompt = prompt
        self.kind = kind
        self.speedup = speedup
        self.blockEfficiency = blockEfficiency
    }

    /// Pairs the runs prompt by prompt (same order, as `BenchRunner.paired` returns them).
    public static func paired(plain: [PromptRun], speculative: [PromptRun]) -> [PromptSpeedup] {
        zip(plain, speculative).map { p, s in
            PromptSpeedup(prompt: s.prompt, kind: s.kind, speedup: s.tokensPerSecond / max(1e-9, p.tokensPerSecond),
                          blockEfficiency: s.statistics.blockEfficiency)
        }
    }
}

extension Array where Element == PromptSpeedup {
    /// Speedups over prompts; nil when empty.
    public var speedupSummary: SampleSummary? { isEmpty ? nil : SampleSummary(map(\.speedup)) }

    /// Mean speedup of the prompts of `kind`; nil when none.
    public func meanSpeedup(kind: String) -> Double? {
        let s = filter { $0.kind == kind }.map(\.speedup)
        return s.isEmpty ? nil : s.reduce(0, +) / Double(s.count)
    }

    /// Kinds in first-appearance order.
    public var kinds: [String] {
        var seen: [String] = []
        for p in self where !seen.contains(p.kind) { seen.append(p.kind) }
        return seen
    }

    /// Is `self` ahead of `other` beyond the prompts' spread? A paired
    /// comparison: the per-prompt differences' mean exceeds twice its
    /// standard error (about a 95% interval; needs two or more prompts in common).
    public func clearlyAhead(of other: [PromptSpeedup]) -> Bool {
        let theirs = Dictionary(other.map { ($0.prompt, $0.speedup) }, uniquingKeysWith: { a, _ in a })
        let differences = compactMap { p in theirs[p.prompt].map { p.speedup - $0 } }
        guard differences.count >= 2 else { return false }
        let s = SampleSummary(differences)
        return s.mean > 2 * s.standardDeviation / Double(s.count).squareRoot()
    }
}

/// Speedup by prompt kind: one row per kind and one for all prompts, one
/// column per configuration (mean over the kind's prompts of the paired speedups).
public enum KindTable {
    /// - Parameter configurations: (column title, that configuration's per-prompt results).
    public static func make(_ configurations: [(title: String, prompts: [PromptSpeedup])]) -> ResultTable {
        var kinds: [String] = []
        for c in configurations { for k in c.prompts.kinds where !kinds.contains(k) { kinds.append(k) } }
        var table = ResultTable(columns: [.init("kind", "prompt kind")]
                                + configurations.enumerated().map { .init("config_\($0.offset)", $0.element.title, unit: "×", decimals: 2) })
        for kind in kinds {
            table.append([.text(kind)] + configurations.map { c in c.prompts.meanSpeedup(kind: kind).map { .number($0) } ?? .number(.nan) })
        }
        table.append([.text("all (\(configurations.first?.prompts.count ?? 0) prompts)")]
                     + configurations.map { c in c.prompts.speedupSummary.map { .number($0.mean) } ?? .number(.nan) })
        return table
    }
}
