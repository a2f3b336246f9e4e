import Foundation
import SpecCore

extension MethodsExperiment {
    /// The second paper's figure: block efficiency and speedup against the
    /// target budget, one line per method, error bars over prompts (sd), one
    /// pair of panels per temperature (greedy, sampled). A budget where every
    /// method drafts the same chain is one black mark the methods' lines pass
    /// through, so there is exactly one mark per row in each panel.
    public static func chart(_ rows: [Row], context: ChartContext, methods: [DraftMethod]) -> Chart {
        var temperatures: [Double] = []
        for r in rows where !temperatures.contains(r.temperature) { temperatures.append(r.temperature) }
        var panels: [Chart.Panel] = []
        for t in temperatures {
            let atT = rows.filter { $0.temperature == t }.sorted { $0.budget < $1.budget }
            let name = t == 0 ? "greedy (T=0)" : String(format: "sampled (T=%g)", t)
            func series(_ value: (Row) -> SampleSummary) -> [Series] {
                // Each method's points sit a little apart (×2^±0.03 per method) so that equal figures and their bars stay visible.
                var out: [Series] = methods.enumerated().compactMap { i, m in
                    let dodge = pow(2, 0.03 * (Double(i) - Double(methods.count - 1) / 2))
                    let points = atT.filter { $0.methods.contains(m) }.map { r in
                        r.methods.count == 1
                            ? DataPoint(x: Double(r.budget) * dodge, y: value(r).mean, error: value(r).count >= 2 ? value(r).standardDeviation : nil)
                            : DataPoint(x: Double(r.budget), y: value(r).mean, marked: false)
                    }
                    return points.isEmpty ? nil : Series(name: m.rawValue, points: points, colour: DraftMethod.allCases.firstIndex(of: m) ?? i)
                }
                let shared = atT.filter { $0.methods.count > 1 }
                if !shared.isEmpty {
                    out.append(Series(name: "all (same chain)", points: shared.map {
                                          DataPoint(x: Double($0.budget), y: value($0).mean, error: value($0).count >= 2 ? value($0).standardDeviation : nil)
                                      },
                                      style: .points, colour: 6))
                }
                return out
            }
            let x = Axis("target budget", unit: "tree tokens per call", scale: .log2)
            panels.append(.plot(Plot(title: "block efficiency, \(name)", x: x, y: Axis("block efficiency", unit: "tokens per call", includesZero: true),
                                     series: series(\.efficiency))))
            panels.append(.plot(Plot(title: "speedup, \(name)", x: x, y: Axis("speedup over plain decoding", unit: "×", includesZero: true),
                                     series: series(\.speedup), references: [ReferenceLine(label: "plain decoding (1×)", horizontal: 1)])))
        }
        return Chart(title: "Drafting methods at a fixed target budget", subtitle: context.subtitle, panels: panels, columns: 2,
                     notes: ["budget: tree tokens the target verifies per call; each method's largest shape within it (a chain's depth is the budget);",
                             "bars: sd over prompts; speedup per prompt = speculative ÷ plain tokens/s, plain run just before (Recursive Speculative Decoding, Jeon et al. 2024)."])
    }
}
