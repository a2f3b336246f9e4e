import SpecTUI

/// Draws into a fresh `width` × `height` grid and returns it.
func render(_ width: Int, _ height: Int, _ draw: (inout CellGrid) -> Void) -> CellGrid {
    var grid = CellGrid(width: width, height: height)
    draw(&grid)
    return grid
}

extension CellGrid {
    /// Every row with trailing spaces removed.
    var rows: [String] { (0..<height).map { trimmed(text(row: $0)) } }

    /// Column of the first occurrence of `needle` in row `y` (in cells, wide characters counting two), or nil.
    func column(of needle: String, row y: Int) -> Int? {
        let target = Array(needle)
        var xs: [Int] = []
        var chars: [Character] = []
        for x in 0..<width where !self[x, y].isContinuation {
            xs.append(x)
            chars.append(self[x, y].character)
        }
        guard target.count <= chars.count else { return nil }
        for i in 0...(chars.count - target.count) where Array(chars[i..<(i + target.count)]) == target { return xs[i] }
        return nil
    }

    /// The row index of the first row containing `needle`, or nil.
    func row(containing needle: String) -> Int? { (0..<height).first { text(row: $0).contains(needle) } }
}

func trimmed(_ s: String) -> String {
    var s = s
    while s.last == " " { s.removeLast() }
    return s
}
