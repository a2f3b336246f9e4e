/// The decision pane: the test (`DecisionView`) on the left and, when the
/// decision recorded them and `showDistributions` is on, the distributions
/// (`DistributionView`) on the right; a pane narrower than
/// `splitMinimumWidth` shows the test alone.
public enum DecisionPanel {
    /// Below this width the distributions are not shown beside the test.
    public static let splitMinimumWidth = 64
    /// Columns the test takes when split.
    public static let testWidth = 30

    /// Draws `d` into `rect`. - Complexity: O(area).
    public static func draw(_ d: DecisionState, showDistributions: Bool, into grid: inout CellGrid, in rect: Rect) {
        guard let dist = d.distributions, showDistributions, rect.width >= splitMinimumWidth else {
            DecisionView.draw(d, into: &grid, in: rect)
            return
        }
        let left = Rect(x: rect.x, y: rect.y, width: testWidth, height: rect.height)
        DecisionView.draw(d, into: &grid, in: left)
        for y in rect.y..<rect.maxY { grid.put("│", x: rect.x + testWidth, y: y, style: CellStyle(.border), clip: rect) }
        let right = Rect(x: rect.x + testWidth + 2, y: rect.y, width: rect.width - testWidth - 2, height: rect.height)
        DistributionView.draw(dist, into: &grid, in: right)
    }
}
