import Foundation
import SpecCore

extension TuneExperiment {
    /// Tune's measurements as a figure: (a, b) one model call's time against
    /// the tokens it evaluates (the target's verification cost curve and each
    /// draft's level cost), one mark per measured size; (c) per draft, the
    /// acceptance of the sibling of rank r at depth d given its parent was
    /// accepted, as a depth × rank heat map (cells: rate and decisions behind it).
    public static func chart(_ measured: [(draft: String, m: Measurements)], context: ChartContext, greedy: Bool) -> Chart {
        var series: [Series] = []
        if let first = measured.first {
            series.append(Series(name: "target", points: first.m.verifyCall.points.map { DataPoint(x: $0.x, y: $0.y * 1e3) }, colour: 0))
        }
        for (i, d) in measured.enumerated() {
            series.append(Series(name: "draft \(DraftName.short(d.draft))", points: d.m.draftCall.points.map { DataPoint(x: $0.x, y: $0.y * 1e3) },
                                 dashed: true, colour: i + 1))
        }
        var panels: [Chart.Panel] = [.plot(Plot(
            title: "model call time against tokens per call",
            x: Axis("tokens evaluated in one call", scale: .log2), y: Axis("time per call", unit: "ms", includesZero: true), series: series))]
        for d in measured {
            let counts = d.m.counts
            let ranks = counts.tested.map(\.count).max() ?? 0
            guard ranks > 0 else { continue }
            let values: [[Double?]] = counts.tested.indices.map { depth in
                (0..<ranks).map { r in
                    r < counts.tested[depth].count && counts.tested[depth][r] > 0
                        ? Double(counts.accepted[depth][r]) / Double(counts.tested[depth][r]) : nil
                }
            }
            let texts: [[String]] = counts.tested.indices.map { depth in
                (0..<ranks).map { r in
                    guard let v = values[depth][r] else { return "" }
                    return String(format: "%.2f /%d", v, counts.tested[depth][r])
                }
            }
            panels.append(.heatMap(HeatMap(
                title: "acceptance, draft \(DraftName.short(d.draft))", rowAxis: "depth d", columnAxis: greedy ? "sibling rank r (by draft probability)" : "sibling rank r (order tried)",
                rowLabels: counts.tested.indices.map { String($0 + 1) }, columnLabels: (0..<ranks).map(String.init),
                values: values, cellTexts: texts, valueLabel: "accepted ÷ tested")))
        }
        return Chart(title: "Verification cost and acceptance: what tune searches over", subtitle: context.subtitle, panels: panels, columns: 2,
                     notes: ["left: median time of one call on n tokens (sizes interleaved, scaled to the calibration steps' own timings);",
                             "heat maps: a_{d,r}, accepted ÷ tested for the sibling of rank r at depth d given its parent was accepted (cell: rate /decisions)."])
    }
}
