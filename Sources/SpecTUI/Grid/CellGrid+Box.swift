/// Box drawing on a cell grid. Lines merge with box characters already in
/// place (see `BoxGlyph`), so panes sharing a border get `├ ┬ ┼` junctions.
extension CellGrid {
    /// Adds `arms` to the box character at (x, y) (clipped).
    /// - Complexity: O(1).
    public mutating func addBox(_ arms: BoxGlyph, x: Int, y: Int, style: CellStyle) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let old = storage[y * width + x]
        var merged = arms
        if old.width == 1, let existing = BoxGlyph(scalar: old.code) { merged.formUnion(existing) }
        place(Packed(code: merged.scalar, style: style, width: 1), x: x, y: y)
    }

    /// A horizontal line on row `y` from column `x0` to `x1` inclusive.
    /// - Complexity: O(x1 − x0).
    /// - Parameter joinEnds: give the end cells both arms, for a line that
    ///   continues into corners drawn separately.
    public mutating func horizontalLine(y: Int, from x0: Int, to x1: Int, style: CellStyle, joinEnds: Bool = false) {
        guard x0 <= x1 else { return }
        for x in max(0, x0)...max(0, min(x1, width - 1)) where x <= x1 {
            var arms: BoxGlyph = []
            if x > x0 || joinEnds { arms.insert(.left) }
            if x < x1 || joinEnds { arms.insert(.right) }
            addBox(arms.isEmpty ? .horizontal : arms, x: x, y: y, style: style)
        }
    }

    /// A top or bottom edge of the screen on row `y`, columns `x0`…`x1`: a
    /// line with the corner characters `left` and `right` at its ends
    /// (`┌ … ┐` for the header, `└ … ┘` for the status line).
    /// - Complexity: O(x1 − x0).
    public mutating func edgeRow(y: Int, from x0: Int, to x1: Int, left: Character, right: Character, style: CellStyle) {
        horizontalLine(y: y, from: x0, to: x1, style: style)
        put(left, x: x0, y: y, style: style)
        put(right, x: x1, y: y, style: style)
    }

    /// A vertical line in column `x` from row `y0` to `y1` inclusive.
    /// - Complexity: O(y1 − y0).
    /// - Parameter joinEnds: give the end cells both arms.
    public mutating func verticalLine(x: Int, from y0: Int, to y1: Int, style: CellStyle, joinEnds: Bool = false) {
        guard y0 <= y1 else { return }
        for y in max(0, y0)...max(0, min(y1, height - 1)) where y <= y1 {
            var arms: BoxGlyph = []
            if y > y0 || joinEnds { arms.insert(.up) }
            if y < y1 || joinEnds { arms.insert(.down) }
            addBox(arms.isEmpty ? .vertical : arms, x: x, y: y, style: style)
        }
    }

    /// The outline of `rect` (its outermost cells), optionally with a title
    /// written into the top edge after `┌ `.
    /// - Complexity: O(perimeter).
    public mutating func box(_ rect: Rect, style: CellStyle, title: String? = nil, titleStyle: CellStyle? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let x1 = rect.maxX - 1, y1 = rect.maxY - 1
        // Edges without their ends, then corners with exactly their two arms,
        // merged with whatever line already meets them.
        if rect.width > 2 {
            horizontalLine(y: rect.y, from: rect.x + 1, to: x1 - 1, style: style, joinEnds: true)
            horizontalLine(y: y1, from: rect.x + 1, to: x1 - 1, style: style, joinEnds: true)
        }
        if rect.height > 2 {
            verticalLine(x: rect.x, from: rect.y + 1, to: y1 - 1, style: style, joinEnds: true)
            verticalLine(x: x1, from: rect.y + 1, to: y1 - 1, style: style, joinEnds: true)
        }
        addBox([.down, .right], x: rect.x, y: rect.y, style: style)
        addBox([.down, .left], x: x1, y: rect.y, style: style)
        addBox([.up, .right], x: rect.x, y: y1, style: style)
        addBox([.up, .left], x: x1, y: y1, style: style)
        if let title, rect.width > 4 {
            edgeTitle(title, on: rect, style: titleStyle ?? style)
        }
    }

    /// Writes ` title ` into the top edge of `rect`, starting two columns in,
    /// cut with `…` to leave the corners intact.
    public mutating func edgeTitle(_ title: String, on rect: Rect, style: CellStyle) {
        let room = rect.width - 4
        guard room > 0 else { return }
        let x = write(" ", x: rect.x + 1, y: rect.y, style: style)
        let end = write(title, x: x, y: rect.y, maxWidth: room, style: style)
        if end < rect.maxX - 1 { put(" ", x: end, y: rect.y, style: style) }
    }
}
