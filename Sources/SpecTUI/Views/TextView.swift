/// The text pane: the prompt and the generated text, word-wrapped, each
/// token coloured by provenance (prompt, draft-accepted, resampled, bonus),
/// newest text at the bottom. With step boundaries on, a dim `│` precedes the
/// first token of each step.
///
/// Only the tail that can be visible is laid out: from a stable anchor (a
/// token after a newline, or a multiple of 256 tokens) about a pane's worth
/// of text before the end, so the cost per frame does not grow with the
/// text and wrapping does not jump as tokens arrive.
public enum TextView {
    /// Draws `text` into `rect`; row 0 is the pane title. `scrollBack` shows
    /// the text that many lines before its end (the whole history is kept),
    /// with `▲n` in the title.
    /// - Complexity: O(area + tail) with two arrays of that size; the tail
    ///   grows with `scrollBack`.
    public static func draw(_ text: TextState, showStepBoundaries: Bool, scrollBack: Int = 0, into grid: inout CellGrid, in rect: Rect) {
        guard !rect.isEmpty else { return }
        var x = grid.write("text", x: rect.x, y: rect.y, style: CellStyle(.title, on: .mainBg, .bold), clip: rect)
        if showStepBoundaries { x = grid.write("  │ step boundaries", x: x, y: rect.y, style: CellStyle(.dim), clip: rect) }
        let back = max(0, scrollBack)
        let body = rect.droppingTop(1)
        guard !body.isEmpty else { return }
        let tokens = text.tokens
        if tokens.isEmpty {
            grid.write("no text yet", x: body.x, y: body.y, maxWidth: body.width, style: CellStyle(.dim), clip: body)
            return
        }
        let start = anchor(tokens, width: body.width, height: body.height + back)
        var glyphs: [Glyph] = []
        var clusters: [Character] = []
        glyphs.reserveCapacity(body.width * (body.height + 2) + 64)
        collect(tokens[start...], previousStep: start > 0 ? tokens[start - 1].step : nil,
                showStepBoundaries: showStepBoundaries, into: &glyphs, clusters: &clusters)
        let lines = wrap(glyphs, width: body.width)
        let first = max(0, lines.count - body.height - back)
        let below = lines.count - min(lines.count, first + body.height)
        if back > 0 && below > 0 {
            let shown = "▼\(below) newer · End follows"
            grid.write(shown, x: rect.maxX - DisplayWidth.of(shown), y: rect.y, style: CellStyle(.title, on: .mainBg, .bold), clip: rect)
        }
        let clip = body.intersection(grid.bounds)
        for (row, line) in lines[first..<min(lines.count, first + body.height)].enumerated() {
            var cx = body.x
            for g in glyphs[line.start..<line.end] where !g.isNewline {
                if g.code == Glyph.cluster {
                    cx = grid.put(clusters[Int(g.clusterIndex)], x: cx, y: body.y + row, style: g.style, clipped: clip)
                } else {
                    cx = grid.put(code: g.code, width: Int(g.width), x: cx, y: body.y + row, style: g.style, clipped: clip)
                }
            }
        }
    }

    /// A character to lay out: a scalar (or a reference to a multi-scalar
    /// cluster), its style and width. 12 bytes, no references.
    struct Glyph {
        static let cluster: UInt32 = 0xFFFF_FFFF
        var code: UInt32
        var clusterIndex: UInt32 = 0
        var style: CellStyle
        var width: UInt8
        var isSpace: Bool { code == 0x20 }
        var isNewline: Bool { code == 0x0A }
    }

    /// A wrapped line: glyphs `start..<end`.
    struct Line {
        var start: Int
        var end: Int
    }

    /// The token to start laying out from: far enough back to fill
    /// `height` lines of `width` (counting bytes and newlines), then moved
    /// back to a stable point (the start, after a newline, or a multiple of 256).
    static func anchor(_ tokens: [EmittedToken], width: Int, height: Int) -> Int {
        var i = tokens.count
        var bytes = 0, newlines = 0
        let budget = width * (height + 2)
        while i > 0, bytes < budget, newlines <= height {
            i -= 1
            let u = tokens[i].text.utf8
            bytes += max(1, u.count)
            for b in u where b == 0x0A { newlines += 1 }
        }
        while i > 0, i % 256 != 0, !tokens[i - 1].text.utf8.contains(0x0A) { i -= 1 }
        return i
    }

    static func collect(_ tokens: ArraySlice<EmittedToken>, previousStep: Int?, showStepBoundaries: Bool,
                        into glyphs: inout [Glyph], clusters: inout [Character]) {
        var last = previousStep
        let marker = CellStyle(.dim)
        for t in tokens {
            let style = CellStyle(t.provenance.role)
            if showStepBoundaries, t.provenance != .prompt, let l = last, l != t.step {
                glyphs.append(Glyph(code: 0x2502, style: marker, width: 1))
            }
            last = t.step
            let text = t.text
            let u = text.utf8
            var i = u.startIndex
            while i < u.endIndex {
                let b = u[i]
                let n = u.index(after: i)
                if b < 0x80, b != 0x0D, n == u.endIndex || u[n] < 0x80 {
                    // ASCII: the common case.
                    switch b {
                    case 0x0A: glyphs.append(Glyph(code: 0x0A, style: style, width: 0))
                    case 0x09: for _ in 0..<4 { glyphs.append(Glyph(code: 0x20, style: style, width: 1)) }
                    case 0x20...0x7E: glyphs.append(Glyph(code: UInt32(b), style: style, width: 1))
                    default: escape(UInt32(b), marker, &glyphs)
                    }
                    i = n
                    continue
                }
                let ch = text[i]
                i = text.index(after: i)
                var it = ch.unicodeScalars.makeIterator()
                let v = it.next()!.value
                let single = it.next() == nil
                if v == 0x0D {
                    // "\r\n" is a newline; a lone "\r" is dropped.
                    if !single { glyphs.append(Glyph(code: 0x0A, style: style, width: 0)) }
                } else if v < 0x20 || v == 0x7F || (v >= 0x80 && v < 0xA0) {
                    escape(v, marker, &glyphs)
                } else {
                    let w = single ? DisplayWidth.of(scalar: Unicode.Scalar(v)!) : DisplayWidth.of(ch)
                    guard w > 0 else { continue }
                    if single {
                        glyphs.append(Glyph(code: v, style: style, width: UInt8(w)))
                    } else {
                        glyphs.append(Glyph(code: Glyph.cluster, clusterIndex: UInt32(clusters.count), style: style, width: UInt8(w)))
                        clusters.append(ch)
                    }
                }
            }
        }
    }

    /// `\xNN` in the marker style, for a control character in the text.
    static func escape(_ v: UInt32, _ style: CellStyle, _ glyphs: inout [Glyph]) {
        let hex: [UInt32] = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46]
        for c in [0x5C, 0x78, hex[Int(v >> 4) & 0xF], hex[Int(v & 0xF)]] {
            glyphs.append(Glyph(code: c, style: style, width: 1))
        }
    }

    /// Greedy word wrap to `width` columns: break at spaces, drop spaces at
    /// the break; a word longer than a line starts a new line and is cut.
    /// - Complexity: O(n).
    static func wrap(_ glyphs: [Glyph], width: Int) -> [Line] {
        var lines: [Line] = []
        var lineStart = 0, col = 0, i = 0
        let n = glyphs.count
        func newLine(at end: Int, next: Int) {
            lines.append(Line(start: lineStart, end: end))
            lineStart = next
            col = 0
        }
        while i < n {
            let g = glyphs[i]
            if g.isNewline {
                newLine(at: i, next: i + 1)
                i += 1
                continue
            }
            if g.isSpace {
                if col == 0 && lineStart == i && i > 0 && !glyphs[i - 1].isNewline {
                    // A wrapped line does not start with a space.
                    lineStart = i + 1
                    i += 1
                    continue
                }
                if col + 1 > width {
                    newLine(at: i, next: i + 1)
                } else {
                    col += 1
                }
                i += 1
                continue
            }
            var j = i, wordWidth = 0
            while j < n, !glyphs[j].isSpace, !glyphs[j].isNewline {
                wordWidth += Int(glyphs[j].width)
                j += 1
            }
            if col + wordWidth <= width {
                col += wordWidth
                i = j
                continue
            }
            if col > 0 {
                // Wrap before a word that does not fit (a word longer than a
                // line starts on its own line, then is cut).
                newLine(at: i, next: i)
                continue
            }
            // The word is longer than a line: cut it.
            while i < j {
                let w = Int(glyphs[i].width)
                if col + w > width {
                    if col == 0 { i += 1 }  // wider than the pane: let the grid clip it
                    newLine(at: i, next: i)
                    if i >= j { break }
                    continue
                }
                col += w
                i += 1
            }
        }
        lines.append(Line(start: lineStart, end: n))
        return lines
    }
}
