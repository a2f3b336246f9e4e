/// Meter drawing shared by the views: horizontal bars with eighth-cell
/// precision and vertical eighth blocks for sparklines.
public enum Bars {
    /// Left eighth blocks, 1/8 … 7/8 of a cell.
    static let leftEighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    /// Lower eighth blocks, 1/8 … 8/8 of a cell.
    static let lowerEighths: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// A bar of `fraction` (clamped to 0…1) of `width` cells at (x, y): full
    /// blocks, one partial block, then `empty` cells in `emptyStyle`.
    /// Returns the number of cells filled (full or partial).
    /// - Complexity: O(width).
    @discardableResult
    public static func horizontal(_ grid: inout CellGrid, x: Int, y: Int, width: Int, fraction: Double,
                                  style: CellStyle, empty: Character = "·", emptyStyle: CellStyle, clip: Rect? = nil) -> Int {
        guard width > 0 else { return 0 }
        let f = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let eighths = Int((f * Double(width * 8)).rounded())
        let full = eighths / 8, part = eighths % 8
        var filled = 0
        for i in 0..<width {
            if i < full {
                grid.put("█", x: x + i, y: y, style: style, clip: clip)
                filled += 1
            } else if i == full, part > 0 {
                grid.put(leftEighths[part - 1], x: x + i, y: y, style: style, clip: clip)
                filled += 1
            } else {
                grid.put(empty, x: x + i, y: y, style: emptyStyle, clip: clip)
            }
        }
        return filled
    }

    /// The lower-block glyph for `fraction` of a cell's height: space for 0,
    /// at least `▁` for any positive value, `█` for 1.
    public static func vertical(_ fraction: Double) -> Character {
        guard fraction.isFinite, fraction > 0 else { return " " }
        let e = max(1, min(8, Int((fraction * 8).rounded())))
        return lowerEighths[e - 1]
    }

    /// Splits `width` cells among segments in proportion to `values` scaled
    /// so that `scale` fills the width, rounding cumulative boundaries so the
    /// parts add up exactly to the rounded total.
    /// - Complexity: O(values.count).
    public static func segments(_ values: [Double], scale: Double, width: Int) -> [Int] {
        guard scale > 0, width > 0 else { return values.map { _ in 0 } }
        var out: [Int] = []
        out.reserveCapacity(values.count)
        var cumulative = 0.0, previous = 0
        for v in values {
            cumulative += max(0, v.isFinite ? v : 0)
            let boundary = min(width, Int((cumulative / scale * Double(width)).rounded()))
            out.append(max(0, boundary - previous))
            previous = max(previous, boundary)
        }
        return out
    }
}
