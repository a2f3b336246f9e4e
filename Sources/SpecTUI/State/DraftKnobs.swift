import SpecCore
import SpecEngine

/// The settings line of the draft's knobs (keys `x`/`X` draft vocabulary,
/// `o`/`O` p-min, `<`/`>` draft layers) with what they do, measured: the
/// draft's time per tree level and the speedup `ThroughputModel` predicts from
/// this configuration's totals, so turning a knob shows the first paper's
/// trade-off (a cheaper draft against lower acceptance) move.
public enum DraftKnobs {
    /// E.g. "vocab 16k · p-min 0.30 · draft 9.1 ms/level · predicted 1.45×"; a
    /// dynamic tree's budget, top-k and depth lead it (`dynamic budget 8 · top-4 · ≤6 levels · …`);
    /// nil for a draft without a model (n-gram). Figures appear once a step ran.
    /// - Complexity: O(1).
    public static func line(_ info: SessionInfo, statistics s: DecodingStatistics) -> String? {
        guard !info.draft.hasPrefix("n-gram") else { return nil }
        var parts = ["vocab " + vocabularyLabel(info.draftVocabulary)]
        if let settings = info.settings, settings.method == .dynamic,
           case let .dynamic(budget, width, depth)? = try? settings.shape(vocabularySize: info.vocabularySize ?? .max) {
            // A dynamic tree's knobs (p-min does not apply to it).
            parts.insert("dynamic budget \(budget) · top-\(width) · ≤\(depth) levels", at: 0)
        } else if let p = info.pMin, p > 0 { parts.append("p-min " + NumberFormat.fixed(p, 2)) }
        if let n = info.draftLookup, n > 0, (info.settings?.method ?? .chain) == .chain { parts.append("lookup n≤\(n)") }
        if s.treeDepths > 0 {
            parts.append("draft " + NumberFormat.fixed(s.draftSeconds / Double(s.treeDepths) * 1e3, 1) + " ms/level")
        }
        if let predicted = s.predictedSpeedup { parts.append("predicted " + NumberFormat.fixed(predicted, 2) + "×") }
        return parts.joined(separator: " · ")
    }

    /// "8k", "16k", "full" (or the exact count when not whole thousands of 1024).
    static func vocabularyLabel(_ size: Int?) -> String {
        guard let size else { return "full" }
        return size % 1024 == 0 ? "\(size / 1024)k" : "\(size)"
    }
}
