/// The decision pane: the test (`DecisionView`) on the left and, when the
/// decision recorded them and `showDistributions` is on, the distributions
/// (`DistributionView`) on the right; a pane narrower than
/// `splitMinimumWidth` stacks them (the test's five rows on top) when it has
/// `stackMinimumHeight` rows, and shows the test alone otherwise.
public enum DecisionPanel {
    /// Below this width the distributions are not shown beside the test.
    public static let splitMinimumWidth = 64
    /// Columns the test takes when split.
    public static let testWidth = 30
    /// Rows a narrow pane needs to show the distributions below the test.
    public static let stackMinimumHeight = 9

    /// Draws `d` into `rect`. - Complexity: O(area).
    public static func draw(_ d: DecisionState, showDistributions: Bool, into grid: inout CellGrid, in rect: Rect) {
        guard let dist = d.distributions, showDistributions else {
            DecisionView.draw(d, into: &grid, in: rect)
            return
        }
        if rect.width < splitMinimumWidth {
            guard rect.height >= stackMinimumHeight else {
                DecisionView.draw(d, into: &grid, in: rect)
                return
            }
            DecisionView.draw(d, into: &grid, in: Rect(x: rect.x, y: rect.y, width: rect.width, height: 5))
            grid.horizontalLine(y: rect.y + 5, from: rect.x, to: rect.maxX - 1, style: CellStyle(.border))
            DistributionView.draw(dist, into: &grid, in: Rect(x: rect.x, y: rect.y + 6, width: rect.width, height: rect.height - 6))
            return
        }
        let left = Rect(x: rect.x, y: rect.y, width: testWidth, height: rect.height)
        DecisionView.draw(d, into: &grid, in: left)
        for y in rect.y..<rect.maxY { grid.put("│", x: rect.x + testWidth, y: y, style: CellStyle(.border), clip: rect) }
        let right = Rect(x: rect.x + testWidth + 2, y: rect.y, width: rect.width - testWidth - 2, height: rect.height)
        DistributionView.draw(dist, into: &grid, in: right)
    }
}
