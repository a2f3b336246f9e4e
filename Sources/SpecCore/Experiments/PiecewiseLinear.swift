/// A function of a count, tabulated at some points and interpolated linearly
/// between them (extrapolated from the last two points beyond the table, held
/// at the first point below it): how a measured cost such as "milliseconds to
/// evaluate n tokens" is looked up at any n.
public struct PiecewiseLinear: Sendable, Equatable, Codable {
    /// (x, y) points, sorted by x, x distinct.
    public private(set) var points: [Point]

    public struct Point: Sendable, Equatable, Codable {
        public var x: Double
        public var y: Double
        public init(x: Double, y: Double) { self.x = x; self.y = y }
    }

    /// - Precondition: at least one point.
    public init(points: [(x: Double, y: Double)]) {
        precondition(!points.isEmpty, "a table needs at least one point")
        var sorted = points.sorted { $0.x < $1.x }.map { Point(x: $0.x, y: $0.y) }
        // Keep the first of equal x.
        var i = 1
        while i < sorted.count {
            if sorted[i].x == sorted[i - 1].x { sorted.remove(at: i) } else { i += 1 }
        }
        self.points = sorted
    }

    /// The value at `x`. Complexity: O(log points).
    public func callAsFunction(_ x: Double) -> Double {
        if points.count == 1 || x <= points[0].x { return points[0].y }
        var lo = 0, hi = points.count - 1
        if x >= points[hi].x { lo = hi - 1 } else {
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if points[mid].x <= x { lo = mid } else { hi = mid }
            }
        }
        let a = points[lo], b = points[lo + 1]
        return a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x)
    }

    public func callAsFunction(_ n: Int) -> Double { self(Double(n)) }

    /// The closest non-decreasing table (least squares, pool-adjacent-violators):
    /// a cost that cannot fall as the count grows, with timing noise removed.
    /// Complexity: O(points).
    public func nonDecreasing() -> PiecewiseLinear {
        var blocks: [(sum: Double, count: Int)] = []
        for p in points {
            blocks.append((p.y, 1))
            while blocks.count >= 2, blocks[blocks.count - 2].sum / Double(blocks[blocks.count - 2].count)
                    > blocks[blocks.count - 1].sum / Double(blocks[blocks.count - 1].count) {
                let last = blocks.removeLast()
                blocks[blocks.count - 1].sum += last.sum
                blocks[blocks.count - 1].count += last.count
            }
        }
        var ys: [Double] = []
        for b in blocks { ys += [Double](repeating: b.sum / Double(b.count), count: b.count) }
        return PiecewiseLinear(points: zip(points, ys).map { (x: $0.x, y: $1) })
    }

    /// Every y multiplied by `factor`.
    public func scaled(by factor: Double) -> PiecewiseLinear {
        PiecewiseLinear(points: points.map { (x: $0.x, y: $0.y * factor) })
    }

    /// Least-squares line y ≈ intercept + slope · x through the points (slope 0 for one point).
    public var linearFit: (intercept: Double, slope: Double) {
        let n = Double(points.count)
        let mx = points.map(\.x).reduce(0, +) / n, my = points.map(\.y).reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for p in points { sxy += (p.x - mx) * (p.y - my); sxx += (p.x - mx) * (p.x - mx) }
        let slope = sxx == 0 ? 0 : sxy / sxx
        return (my - slope * mx, slope)
    }
}
