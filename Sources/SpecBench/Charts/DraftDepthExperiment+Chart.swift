import Foundation

extension DraftDepthExperiment {
    /// The first paper's figure: measured and predicted speedup against the
    /// draft's latency ratio c and against acceptance α, one labelled point
    /// per draft (error bars: sd of the paired speedup over prompts), with
    /// plain decoding's 1× as a guide.
    public static func chart(_ rows: [Row], context: ChartContext, depth: Int, temperature: Double) -> Chart {
        func series(_ x: (Row) -> Double) -> [Series] {
            [Series(name: "measured", points: rows.map { r in
                        DataPoint(x: x(r), y: r.speedup, error: r.prompts.count >= 2 ? r.prompts.speedupSummary?.standardDeviation : nil,
                                  label: DraftName.short(r.draft))
                    }, style: .points, colour: 0),
             Series(name: "predicted", points: rows.map { DataPoint(x: x($0), y: $0.predictedSpeedup) }, style: .points, colour: 1, hollow: true)]
        }
        let y = Axis("speedup over plain decoding", unit: "×", includesZero: true)
        let plain = ReferenceLine(label: "plain decoding (1×)", horizontal: 1)
        return Chart(
            title: "Draft latency or acceptance: what decides the speedup?",
            subtitle: context.subtitle,
            panels: [
                .plot(Plot(title: "speedup against draft latency c", x: Axis("c = draft time per token ÷ target time per call", includesZero: true),
                           y: y, series: series(\.costRatio), references: [plain])),
                .plot(Plot(title: "speedup against acceptance α", x: Axis("acceptance rate α"), y: y, series: series(\.acceptanceRate),
                           references: [plain])),
            ],
            notes: [String(format: "chain γ = %d, T = %g; measured: speculative ÷ plain tokens/s, each prompt paired with plain decoding just before (bars: sd over prompts);", depth, temperature),
                    "predicted: (1 − α^(γ+1)) / ((1 − α)(γc + 1)) from the measured α and c (Decoding Speculative Decoding, Yan et al. 2024)."])
    }
}
