import Foundation

/// `bench runtime`'s figure: milliseconds per model call against the tokens N
/// evaluated in the call, with the bandwidth limit (the time to stream the
/// weights once at the measured memory bandwidth, a floor no call on any N
/// can beat) and, optionally, further bounds as dashed lines.
public enum RuntimeChart {
    /// - Parameters:
    ///   - calls: (N, median milliseconds per call), one mark each.
    ///   - bandwidthLimit: milliseconds to read the weights once at the measured bandwidth; nil when not measured.
    ///   - bounds: other named limits, each a polyline of (N, ms).
    public static func chart(calls: [(n: Int, milliseconds: Double)], bandwidthLimit: Double?,
                             bounds: [(label: String, points: [(x: Double, y: Double)])] = [], context: ChartContext) -> Chart {
        var references: [ReferenceLine] = []
        if let bandwidthLimit { references.append(ReferenceLine(label: String(format: "bandwidth limit (%.2f ms)", bandwidthLimit), horizontal: bandwidthLimit)) }
        references += bounds.map { ReferenceLine(label: $0.label, points: $0.points) }
        let series = Series(name: "measured", points: calls.map { DataPoint(x: Double($0.n), y: $0.milliseconds) }, colour: 0)
        return Chart(
            title: "The cost of verifying N tokens in one call",
            subtitle: context.subtitle,
            panels: [.plot(Plot(title: "time per call against tokens per call", x: Axis("tokens per call N", scale: .log2),
                                y: Axis("time per call", unit: "ms", includesZero: true), series: [series], references: references))],
            notes: ["median of repeated calls on a binary tree of N tokens after a 64-token prefix; the flatter the curve, the cheaper a wide draft tree.",
                    "bandwidth limit: bytes of weights ÷ measured memory bandwidth, the least time one call can take."])
    }
}
