import Foundation

/// An axis's range and tick positions for some data: round numbers (1, 2,
/// 2.5 or 5 times a power of ten) on a linear axis, powers of two on a log₂
/// axis. The range is the data's, widened to the outer ticks.
public struct AxisTicks: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var ticks: [Double]
    /// Digits after the point in the tick labels.
    public var decimals: Int

    /// - Parameters:
    ///   - values: the data on this axis (error bars included); empty gives 0…1.
    ///   - target: about how many ticks.
    /// - Complexity: O(values.count).
    public init(values: [Double], axis: Axis, target: Int = 5) {
        let finite = values.filter(\.isFinite)
        switch axis.scale {
        case .log2:
            let positive = finite.filter { $0 > 0 }
            let lo = positive.min() ?? 1, hi = positive.max() ?? 2
            var a = Foundation.floor(Foundation.log2(lo)), b = Foundation.ceil(Foundation.log2(hi))
            if a == b { a -= 1; b += 1 }
            lower = Foundation.pow(2, a)
            upper = Foundation.pow(2, b)
            ticks = stride(from: a, through: b, by: 1).map { Foundation.pow(2, $0) }
            decimals = lower < 1 ? Int(-a) : 0
        case .linear:
            var lo = finite.min() ?? 0, hi = finite.max() ?? 1
            if axis.includesZero { lo = Swift.min(lo, 0); hi = Swift.max(hi, 0) }
            if lo == hi {
                let pad = lo == 0 ? 1 : abs(lo) * 0.1
                lo -= pad
                hi += pad
            }
            let step = Self.niceStep((hi - lo) / Double(Swift.max(1, target)))
            let first = Foundation.floor(lo / step + 1e-9) * step, last = Foundation.ceil(hi / step - 1e-9) * step
            lower = Swift.min(first, lo)  // (rounding may put a tick a hair inside the data)
            upper = Swift.max(last, hi)
            let count = Int(((last - first) / step).rounded())
            ticks = (0...count).map { first + Double($0) * step }
            decimals = Swift.max(0, Int(Foundation.ceil(-Foundation.log10(step) - 1e-9)) + (Self.isHalfStep(step) ? 1 : 0))
        }
    }

    /// The round number (1, 2, 2.5, 5 × 10^k) nearest above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        for m in [1.0, 2, 2.5, 5, 10] where m * power >= raw * (1 - 1e-9) { return m * power }
        return 10 * power
    }

    /// 2.5 × 10^k needs one more digit than its power.
    private static func isHalfStep(_ step: Double) -> Bool {
        let mantissa = step / Foundation.pow(10, Foundation.floor(Foundation.log10(step)))
        return abs(mantissa - 2.5) < 1e-6
    }

    /// Where `value` falls between `lower` (0) and `upper` (1) on `scale`.
    public func fraction(_ value: Double, scale: Axis.Scale) -> Double {
        switch scale {
        case .linear: return upper == lower ? 0.5 : (value - lower) / (upper - lower)
        case .log2:
            guard value > 0 else { return 0 }
            return (Foundation.log2(value) - Foundation.log2(lower)) / (Foundation.log2(upper) - Foundation.log2(lower))
        }
    }

    /// A tick's text: `decimals` digits, no trailing noise.
    public func label(_ value: Double) -> String {
        String(format: "%.\(decimals)f", abs(value) < 1e-12 ? 0 : value)
    }
}
