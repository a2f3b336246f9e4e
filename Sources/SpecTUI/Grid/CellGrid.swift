/// A `width` × `height` grid of cells: the frame that views draw into and the
/// terminal flushes.
///
/// Writing clips to the grid and to an optional clip rectangle, so views
/// never need to check bounds. Wide characters take two cells (see `Cell`);
/// writing over half of one blanks the other half, so the grid is always
/// something a terminal can show.
///
/// Storage is 8 bytes a cell (a Unicode scalar, or an index into a side
/// table for the rare multi-scalar grapheme, plus style and width), so
/// clearing and diffing a 200×60 frame are a few microseconds. Reuse one grid
/// across frames: `clear` keeps the storage, and `resize` reallocates only
/// when the size grows.
public struct CellGrid: Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    /// Row-major: cell (x, y) is `storage[y * width + x]`.
    @usableFromInline var storage: [Packed]
    /// Grapheme clusters of more than one scalar, referenced by `Packed.code` with `clusterFlag`.
    @usableFromInline var clusters: [Character]

    /// One stored cell: `code` is a scalar value, or `clusterFlag | index` into `clusters`.
    @usableFromInline
    struct Packed: Equatable, Sendable {
        @usableFromInline var code: UInt32
        @usableFromInline var style: CellStyle
        @usableFromInline var width: UInt8

        @inlinable init(code: UInt32, style: CellStyle, width: UInt8) {
            self.code = code
            self.style = style
            self.width = width
        }
    }

    @usableFromInline static let clusterFlag: UInt32 = 0x8000_0000
    /// What control characters are drawn as: U+FFFD.
    @usableFromInline static let replacement: UInt32 = 0xFFFD

    /// A grid filled with blank cells in `style`.
    /// - Complexity: O(width × height).
    public init(width: Int, height: Int, style: CellStyle = .normal) {
        self.width = max(0, width)
        self.height = max(0, height)
        storage = Array(repeating: Packed(code: 0x20, style: style, width: 1), count: self.width * self.height)
        clusters = []
    }

    /// The whole grid as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y); a blank cell outside the grid.
    /// - Complexity: O(1).
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < width, y < height else { return .blank() }
        return cell(storage[y * width + x])
    }

    /// The public form of a stored cell.
    @usableFromInline
    func cell(_ p: Packed) -> Cell {
        Cell(character(p.code), style: p.style, width: p.width)
    }

    @usableFromInline
    func character(_ code: UInt32) -> Character {
        if code & CellGrid.clusterFlag != 0 {
            let i = Int(code & ~CellGrid.clusterFlag)
            return i < clusters.count ? clusters[i] : "\u{FFFD}"
        }
        return Character(Unicode.Scalar(code) ?? "\u{FFFD}")
    }

    /// Changes the size and blanks every cell. Keeps the storage's capacity.
    /// - Complexity: O(width × height).
    public mutating func resize(width: Int, height: Int, style: CellStyle = .normal) {
        self.width = max(0, width)
        self.height = max(0, height)
        storage.removeAll(keepingCapacity: true)
        storage.append(contentsOf: repeatElement(Packed(code: 0x20, style: style, width: 1), count: self.width * self.height))
        clusters.removeAll(keepingCapacity: true)
    }

    /// Blanks every cell in `style`.
    /// - Complexity: O(width × height); allocates nothing.
    public mutating func clear(_ style: CellStyle = .normal) {
        let blank = Packed(code: 0x20, style: style, width: 1)
        storage.withUnsafeMutableBufferPointer { $0.update(repeating: blank) }
        clusters.removeAll(keepingCapacity: true)
    }

    /// Fills `rect` (clipped to the grid) with `character` in `style`.
    /// - Complexity: O(area).
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: CellStyle = .normal) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            var x = r.x
            while x < r.maxX {
                let next = put(character, x: x, y: y, style: style, clip: r)
                x = max(next, x + 1)
            }
        }
    }

    /// Restyles the cells of `rect` (clipped to the grid) without changing their characters.
    /// - Complexity: O(area).
    public mutating func restyle(_ rect: Rect, _ transform: (inout CellStyle) -> Void) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { transform(&storage[y * width + x].style) }
        }
    }

    /// Writes one character at (x, y) and returns the column after it.
    ///
    /// Zero-width characters are skipped; control characters draw as `�`; a
    /// wide character that would straddle the right edge of the clip becomes
    /// a blank. Out-of-clip writes only advance the column.
    /// - Complexity: O(1).
    @discardableResult
    public mutating func put(_ character: Character, x: Int, y: Int, style: CellStyle = .normal, clip: Rect? = nil) -> Int {
        let c = clip.map { $0.intersection(bounds) } ?? bounds
        return put(character, x: x, y: y, style: style, clipped: c)
    }

    /// `put` with a clip already intersected with the grid.
    @inlinable
    mutating func put(_ character: Character, x: Int, y: Int, style: CellStyle, clipped c: Rect) -> Int {
        var it = character.unicodeScalars.makeIterator()
        let first = it.next()!
        if it.next() == nil {
            return put(code: first.value, width: DisplayWidth.of(scalar: first), x: x, y: y, style: style, clipped: c)
        }
        let w = DisplayWidth.of(character)
        guard w > 0 else { return x }
        guard y >= c.y, y < c.maxY, x >= c.x, x < c.maxX else { return x + w }
        clusters.append(character)
        return put(code: CellGrid.clusterFlag | UInt32(clusters.count - 1), width: w, x: x, y: y, style: style, clipped: c)
    }

    /// Writes a scalar (or cluster reference) of known width; the core of every write.
    @inlinable
    mutating func put(code: UInt32, width w: Int, x: Int, y: Int, style: CellStyle, clipped c: Rect) -> Int {
        var code = code, w = w
        if code < 0x20 || code == 0x7F || (code >= 0x80 && code < 0xA0) {
            code = CellGrid.replacement
            w = 1
        }
        if w == 0 { return x }
        guard y >= c.y, y < c.maxY, x >= c.x, x < c.maxX else { return x + w }
        if w == 2 && x + 1 >= c.maxX {
            place(Packed(code: 0x20, style: style, width: 1), x: x, y: y)
        } else {
            place(Packed(code: code, style: style, width: UInt8(w)), x: x, y: y)
        }
        return x + w
    }

    /// Writes `text` from (x, y) rightwards, clipped, and returns the column after it.
    /// ASCII runs take a fast path; other text goes grapheme by grapheme.
    /// - Complexity: O(n) in the text's length.
    @discardableResult
    public mutating func write<S: StringProtocol>(_ text: S, x: Int, y: Int, style: CellStyle = .normal, clip: Rect? = nil) -> Int {
        let c = clip.map { $0.intersection(bounds) } ?? bounds
        if y < c.y || y >= c.maxY { return x + DisplayWidth.of(text) }
        var cx = x
        let u = text.utf8
        var i = u.startIndex
        while i < u.endIndex {
            let b = u[i]
            let n = u.index(after: i)
            if b < 0x80, b != 0x0D, n == u.endIndex || u[n] < 0x80 {
                cx = put(code: UInt32(b), width: 1, x: cx, y: y, style: style, clipped: c)
                i = n
                continue
            }
            cx = put(text[i], x: cx, y: y, style: style, clipped: c)
            i = text.index(after: i)
        }
        return cx
    }

    /// Writes `text` in at most `maxWidth` columns, ending with `…` when it
    /// had to be cut. Returns the column after what was written.
    /// - Complexity: O(n).
    @discardableResult
    public mutating func write<S: StringProtocol>(_ text: S, x: Int, y: Int, maxWidth: Int, style: CellStyle = .normal, clip: Rect? = nil) -> Int {
        guard maxWidth > 0 else { return x }
        let total = DisplayWidth.of(text)
        if total <= maxWidth { return write(text, x: x, y: y, style: style, clip: clip) }
        let c = clip.map { $0.intersection(bounds) } ?? bounds
        var cx = x
        for ch in text {
            let w = DisplayWidth.of(ch)
            if cx - x + w > maxWidth - 1 { break }
            cx = put(ch, x: cx, y: y, style: style, clipped: c)
        }
        return put(code: 0x2026, width: 1, x: cx, y: y, style: style, clipped: c)
    }

    /// Stores `cell` at (x, y), which must be inside the grid, keeping wide
    /// characters whole: halves of wide characters it overlaps are blanked.
    @inlinable
    mutating func place(_ cell: Packed, x: Int, y: Int) {
        let row = y * width
        let wide = cell.width == 2
        let gridWidth = width
        storage.withUnsafeMutableBufferPointer { s in
            CellGrid.unpair(s, x: x, row: row, width: gridWidth)
            if wide {
                CellGrid.unpair(s, x: x + 1, row: row, width: gridWidth)
                s[row + x] = cell
                s[row + x + 1] = Packed(code: 0x20, style: cell.style, width: 0)
            } else {
                s[row + x] = cell
            }
        }
    }

    /// Blanks the other half of any wide character covering column `x`.
    @inlinable
    static func unpair(_ s: UnsafeMutableBufferPointer<Packed>, x: Int, row: Int, width: Int) {
        let w = s[row + x].width
        if w == 0, x > 0 {
            s[row + x - 1].code = 0x20
            s[row + x - 1].width = 1
            s[row + x].width = 1
        } else if w == 2, x + 1 < width {
            s[row + x + 1].code = 0x20
            s[row + x + 1].width = 1
            s[row + x].width = 1
        }
    }

    /// The characters of row `y` as a string (continuation cells skipped), for tests and logs.
    /// - Complexity: O(width).
    public func text(row y: Int) -> String {
        text(in: Rect(x: 0, y: y, width: width, height: 1)).first ?? ""
    }

    /// The characters of `rect`'s rows, one string per row, trailing spaces kept.
    public func text(in rect: Rect) -> [String] {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return [] }
        return (r.y..<r.maxY).map { y in
            var s = ""
            for x in r.x..<r.maxX where storage[y * width + x].width != 0 { s.append(character(storage[y * width + x].code)) }
            return s
        }
    }

    /// All rows, joined by newlines.
    public var text: String { (0..<height).map { text(row: $0) }.joined(separator: "\n") }
}

extension CellGrid: Equatable {
    /// Same size and every cell shows the same thing.
    /// - Complexity: O(width × height).
    public static func == (a: CellGrid, b: CellGrid) -> Bool {
        a.width == b.width && a.height == b.height && a.changes(from: b).isEmpty
    }
}

extension CellGrid {
    /// Makes this grid a copy of `other`, reusing this grid's storage when
    /// it is large enough (the terminal keeps its previous frame this way
    /// without allocating per frame).
    /// - Complexity: O(width × height).
    public mutating func assign(from other: CellGrid) {
        width = other.width
        height = other.height
        if storage.count == other.storage.count {
            storage.withUnsafeMutableBufferPointer { dst in
                other.storage.withUnsafeBufferPointer { src in _ = dst.update(fromContentsOf: src) }
            }
        } else {
            storage.removeAll(keepingCapacity: true)
            storage.append(contentsOf: other.storage)
        }
        clusters.removeAll(keepingCapacity: true)
        clusters.append(contentsOf: other.clusters)
    }
}
