/// A rectangle of cells: `x`, `y` of the top-left cell, `width` columns by `height` rows.
///
/// Negative sizes are treated as empty. All operations are O(1) and allocate nothing.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The empty rectangle at the origin.
    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    /// One past the last column.
    public var maxX: Int { x + width }
    /// One past the last row.
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    /// Number of cells covered.
    public var area: Int { width * height }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// Whether `other` lies wholly inside this rectangle (an empty rectangle lies inside anything).
    public func contains(_ other: Rect) -> Bool {
        other.isEmpty || (other.x >= x && other.y >= y && other.maxX <= maxX && other.maxY <= maxY)
    }

    /// The common part of two rectangles; empty (at this rectangle's origin) when they do not meet.
    public func intersection(_ other: Rect) -> Rect {
        let nx = max(x, other.x), ny = max(y, other.y)
        let mx = min(maxX, other.maxX), my = min(maxY, other.maxY)
        if mx <= nx || my <= ny { return Rect(x: x, y: y, width: 0, height: 0) }
        return Rect(x: nx, y: ny, width: mx - nx, height: my - ny)
    }

    public func intersects(_ other: Rect) -> Bool { !intersection(other).isEmpty }

    /// The rectangle shrunk by `dx` columns on the left and right and `dy` rows on the top and bottom.
    public func insetBy(dx: Int, dy: Int) -> Rect {
        Rect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy)
    }

    /// The top `n` rows (clamped to the height).
    public func top(_ n: Int) -> Rect { Rect(x: x, y: y, width: width, height: min(max(0, n), height)) }
    /// The bottom `n` rows (clamped to the height).
    public func bottom(_ n: Int) -> Rect {
        let h = min(max(0, n), height)
        return Rect(x: x, y: maxY - h, width: width, height: h)
    }
    /// Everything below the top `n` rows.
    public func droppingTop(_ n: Int) -> Rect {
        let k = min(max(0, n), height)
        return Rect(x: x, y: y + k, width: width, height: height - k)
    }
    /// Everything above the bottom `n` rows.
    public func droppingBottom(_ n: Int) -> Rect {
        Rect(x: x, y: y, width: width, height: height - min(max(0, n), height))
    }
    /// Row `i` of this rectangle as a one-row rectangle.
    public func row(_ i: Int) -> Rect { Rect(x: x, y: y + i, width: width, height: i >= 0 && i < height ? 1 : 0) }

    public var description: String { "(\(x),\(y) \(width)×\(height))" }
}
