/// btop-style graphs on the cell grid in braille: each cell holds 2 × 4
/// dots, so a graph `w` cells wide and `h` rows high shows `2w` points at
/// `4h` levels. Points are right-aligned (the newest at the right edge), as
/// in a scrolling monitor.
///
/// Pure drawing helpers; the views decide values, scales and colours.
public enum BrailleGraph {
    /// Dot bits of a braille cell's left and right columns, bottom dot first (U+2800 + bits).
    static let leftDots: [UInt32] = [0x40, 0x04, 0x02, 0x01]
    static let rightDots: [UInt32] = [0x80, 0x20, 0x10, 0x08]
    /// What an empty column of a settings-change marker shows.
    public static let markerGlyph: Character = "┊"

    /// Dots filled from the bottom for `fraction` of a graph `rows` high:
    /// 0 for nil, zero or less; at least one dot for any positive value.
    public static func level(_ fraction: Double?, rows: Int) -> Int {
        guard let f = fraction, f.isFinite, f > 0 else { return 0 }
        return min(4 * rows, max(1, Int((f * Double(4 * rows)).rounded())))
    }

    /// The dot pattern of cell row `row` (0 at the top) in one dot column
    /// (`right` or left) filled to `level` from the bottom of a `rows`-high graph.
    static func bits(level: Int, row: Int, rows: Int, right: Bool) -> UInt32 {
        let filled = min(4, max(0, level - (rows - 1 - row) * 4))
        let dots = right ? rightDots : leftDots
        var b: UInt32 = 0
        for k in 0..<filled { b |= dots[k] }
        return b
    }

    /// The single dot at `level` (1-based from the bottom) in cell row `row`, or 0 when it lies in another row.
    static func lineBits(level: Int, row: Int, rows: Int, right: Bool) -> UInt32 {
        guard level >= 1, level <= 4 * rows, rows - 1 - (level - 1) / 4 == row else { return 0 }
        return (right ? rightDots : leftDots)[(level - 1) % 4]
    }

    /// Draws an area graph of `fractions` (each 0…1 of the height, nil for no
    /// point) into `rect`, right-aligned, with an optional horizontal `line`
    /// (a fraction: the dots of that level across the whole width), and
    /// `markers` (per point: settings changed) as a column in `markerStyle`
    /// whose empty cells show `┊`. `style(i)` colours the cell holding point `i`
    /// (the newer point of a cell decides).
    /// - Complexity: O(rect area + points).
    public static func area(_ fractions: [Double?], line: Double? = nil, markers: [Bool] = [],
                            into grid: inout CellGrid, in rect: Rect, markerStyle: CellStyle = CellStyle(.bonus),
                            lineStyle: CellStyle = CellStyle(.dim), style: (Int) -> CellStyle) {
        guard !rect.isEmpty else { return }
        let rows = rect.height
        let shown = min(fractions.count, 2 * rect.width)
        let first = fractions.count - shown  // first point drawn
        let startDot = 2 * rect.width - shown
        let lineLevel = line.map { level($0, rows: rows) } ?? 0
        for cx in 0..<rect.width {
            // The points in this cell's two dot columns.
            let leftPoint = 2 * cx - startDot + first, rightPoint = leftPoint + 1
            let hasLeft = 2 * cx >= startDot, hasRight = 2 * cx + 1 >= startDot
            let leftLevel = hasLeft ? level(fractions[leftPoint], rows: rows) : 0
            let rightLevel = hasRight ? level(fractions[rightPoint], rows: rows) : 0
            let marked = (hasLeft && leftPoint < markers.count && markers[leftPoint])
                || (hasRight && rightPoint < markers.count && markers[rightPoint])
            let cellStyle: CellStyle = hasRight ? style(rightPoint) : hasLeft ? style(leftPoint) : lineStyle
            for row in 0..<rows {
                var b = bits(level: leftLevel, row: row, rows: rows, right: false)
                    | bits(level: rightLevel, row: row, rows: rows, right: true)
                let data = b
                if lineLevel > 0 {
                    b |= lineBits(level: lineLevel, row: row, rows: rows, right: false)
                        | lineBits(level: lineLevel, row: row, rows: rows, right: true)
                }
                let x = rect.x + cx, y = rect.y + row
                if marked {
                    grid.put(b == 0 ? markerGlyph : Character(Unicode.Scalar(0x2800 + b)!), x: x, y: y, style: markerStyle, clip: rect)
                } else if b != 0 {
                    grid.put(Character(Unicode.Scalar(0x2800 + b)!), x: x, y: y, style: data == 0 ? lineStyle : cellStyle, clip: rect)
                }
            }
        }
    }

    /// Draws line charts of several `series` (each value 0…1 of the height,
    /// nil for no point; zero on the bottom dot row) into `rect`, right-aligned,
    /// one dot per point; a cell takes the style of the last series with a dot
    /// in it. `markers` (per point) colour a column in `markerStyle`, `┊` where empty.
    /// - Complexity: O(rect area × series + points × series).
    public static func lines(_ series: [[Double?]], markers: [Bool] = [], into grid: inout CellGrid, in rect: Rect,
                             styles: [CellStyle], markerStyle: CellStyle = CellStyle(.bonus)) {
        guard !rect.isEmpty else { return }
        let rows = rect.height
        let count = series.reduce(0) { max($0, $1.count) }
        let shown = min(count, 2 * rect.width)
        let first = count - shown, startDot = 2 * rect.width - shown
        for cx in 0..<rect.width {
            let leftPoint = 2 * cx - startDot + first, rightPoint = leftPoint + 1
            let hasLeft = 2 * cx >= startDot, hasRight = 2 * cx + 1 >= startDot
            let marked = (hasLeft && leftPoint < markers.count && markers[leftPoint])
                || (hasRight && rightPoint < markers.count && markers[rightPoint])
            for row in 0..<rows {
                var b: UInt32 = 0
                var owner = -1
                for (k, values) in series.enumerated() {
                    var mine: UInt32 = 0
                    for (point, right) in [(leftPoint, false), (rightPoint, true)] where (right ? hasRight : hasLeft) && point < values.count {
                        guard let v = values[point], v.isFinite else { continue }
                        mine |= lineBits(level: max(1, level(v, rows: rows)), row: row, rows: rows, right: right)
                    }
                    if mine != 0 { b |= mine; owner = k }
                }
                let x = rect.x + cx, y = rect.y + row
                if marked {
                    grid.put(b == 0 ? markerGlyph : Character(Unicode.Scalar(0x2800 + b)!), x: x, y: y, style: markerStyle, clip: rect)
                } else if b != 0 {
                    grid.put(Character(Unicode.Scalar(0x2800 + b)!), x: x, y: y, style: styles[min(owner, styles.count - 1)], clip: rect)
                }
            }
        }
    }

    /// Groups `count` values into at most `points` consecutive buckets of
    /// one size (`ceil(count / points)`), the newest bucket ending at the
    /// newest value; the oldest bucket may be shorter. Oldest first.
    /// - Complexity: O(points).
    public static func buckets(count: Int, points: Int) -> [Range<Int>] {
        guard count > 0, points > 0 else { return [] }
        let size = (count + points - 1) / points
        var out: [Range<Int>] = []
        out.reserveCapacity(min(points, count))
        var end = count
        while end > 0 {
            let start = max(0, end - size)
            out.append(start..<end)
            end = start
        }
        return out.reversed()
    }
}
