/// One cell the terminal must redraw: its position and new content.
public struct GridChange: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var cell: Cell
}

/// Frame-to-frame differences, so the terminal owner redraws only what changed.
extension CellGrid {
    /// Calls `body` for each cell that differs from `previous` (every cell when
    /// there is no previous frame or its size differs), in row-major order.
    ///
    /// A wide character is reported at its leading cell when either of its
    /// halves changed; continuation cells are never reported on their own.
    /// - Complexity: O(width × height) comparisons of 8-byte cells; allocates nothing.
    public func forEachChange(from previous: CellGrid?, _ body: (Int, Int, Cell) throws -> Void) rethrows {
        let full = previous == nil || previous!.width != width || previous!.height != height
        let w = width
        try storage.withUnsafeBufferPointer { new in
            if full {
                for y in 0..<height {
                    for x in 0..<w where new[y * w + x].width != 0 { try body(x, y, cell(new[y * w + x])) }
                }
                return
            }
            let prev = previous!
            try prev.storage.withUnsafeBufferPointer { old in
                for y in 0..<height {
                    let row = y * w
                    var x = 0
                    while x < w {
                        let i = row + x
                        let c = new[i]
                        if c.width == 2 {
                            if !same(c, old[i], prev) || (x + 1 < w && !same(new[i + 1], old[i + 1], prev)) {
                                try body(x, y, cell(c))
                            }
                            x += 2
                            continue
                        }
                        if c.width != 0, !same(c, old[i], prev) { try body(x, y, cell(c)) }
                        x += 1
                    }
                }
            }
        }
    }

    /// Whether stored cell `a` of this grid shows the same as `b` of `other`
    /// (cluster references are compared by their text).
    @inline(__always)
    private func same(_ a: Packed, _ b: Packed, _ other: CellGrid) -> Bool {
        if a == b {
            return a.code & CellGrid.clusterFlag == 0 || character(a.code) == other.character(b.code)
        }
        guard a.style == b.style, a.width == b.width,
              a.code & CellGrid.clusterFlag != 0, b.code & CellGrid.clusterFlag != 0 else { return false }
        return character(a.code) == other.character(b.code)
    }

    /// The changes from `previous`, as an array (for tests; the terminal uses `forEachChange`).
    public func changes(from previous: CellGrid?) -> [GridChange] {
        var out: [GridChange] = []
        forEachChange(from: previous) { x, y, cell in out.append(GridChange(x: x, y: y, cell: cell)) }
        return out
    }
}
