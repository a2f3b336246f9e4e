/// One regular expression of a pre-tokenizer, as a hand-written scanner over scalars.
///
/// A stage splits a piece of text into the pattern's leftmost, non-overlapping
/// matches, and keeps the text between matches as pieces of their own (the way
/// llama.cpp's `unicode_regex_split` and Hugging Face's "isolated" split do).
/// Each scanner gives exactly the match the backtracking regex gives, including
/// the alternatives' order, greedy runs and the `\s+(?!\S)` look-ahead; the end of
/// the piece counts as the end of the text.
enum PreTokenizerStage: Sendable {
    /// `\p{N}`: every number scalar alone.
    case eachNumber
    /// `\p{N}+`
    case numberRuns
    /// `[0-9][0-9][0-9]`
    case asciiDigitTriples
    /// `[\p{P}\$\+<=>\^~\|]+`
    case punctuationRuns
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)`
    case gpt2
    /// Llama 3 (`maxDigits` 3) and Qwen 2 (`maxDigits` 1):
    /// `(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxDigits}|`
    /// ` ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
    case llama3(maxDigits: Int)

    /// Appends the pieces of `text[range]` (scalar indices) to `pieces`.
    ///
    /// - Complexity: O(n) in the range's length.
    func split(_ text: ScalarText, _ range: Range<Int>, into pieces: inout [Range<Int>]) {
        text.scalars.withUnsafeBufferPointer { scalars in
            text.classes.withUnsafeBufferPointer { classes in
                let scanner = Scanner(scalars: scalars, classes: classes, end: range.upperBound)
                var gapStart = range.lowerBound
                var i = range.lowerBound
                while i < range.upperBound {
                    let matchEnd: Int?
                    switch self {
                    case .eachNumber: matchEnd = scanner.eachNumber(at: i)
                    case .numberRuns: matchEnd = scanner.numberRun(at: i)
                    case .asciiDigitTriples: matchEnd = scanner.asciiDigitTriple(at: i)
                    case .punctuationRuns: matchEnd = scanner.punctuationRun(at: i)
                    case .gpt2: matchEnd = scanner.gpt2(at: i)
                    case .llama3(let maxDigits): matchEnd = scanner.llama3(at: i, maxDigits: maxDigits)
                    }
                    if let matchEnd {
                        if gapStart < i { pieces.append(gapStart..<i) }
                        pieces.append(i..<matchEnd)
                        i = matchEnd
                        gapStart = i
                    } else {
                        i += 1
                    }
                }
                if gapStart < range.upperBound { pieces.append(gapStart..<range.upperBound) }
            }
        }
    }
}

/// The match functions: each returns where the pattern's match starting at `i` ends
/// (always past `i`), or `nil` if the pattern does not match at `i`.
private struct Scanner {
    let scalars: UnsafeBufferPointer<UInt32>
    let classes: UnsafeBufferPointer<UInt8>
    /// End of the piece being split; acts as end of text.
    let end: Int

    private static let apostrophe: UInt32 = 0x27
    private static let space: UInt32 = 0x20

    @inline(__always)
    private func has(_ i: Int, _ kind: ScalarClass) -> Bool {
        classes[i] & kind.rawValue != 0
    }

    @inline(__always)
    private func isOther(_ i: Int) -> Bool {
        ScalarClass(rawValue: classes[i]).isOther
    }

    /// End of the run of scalars of class `kind` starting at `i`.
    @inline(__always)
    private func run(from i: Int, _ kind: ScalarClass) -> Int {
        var j = i
        while j < end && has(j, kind) { j += 1 }
        return j
    }

    /// End of the run of `[^\s\p{L}\p{N}]` scalars starting at `i`.
    @inline(__always)
    private func otherRun(from i: Int) -> Int {
        var j = i
        while j < end && isOther(j) { j += 1 }
        return j
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d`, ASCII case folded when `ignoringCase`.
    @inline(__always)
    private func contraction(at i: Int, ignoringCase: Bool) -> Int? {
        guard scalars[i] == Self.apostrophe, i + 1 < end else { return nil }
        func letter(_ k: Int) -> UInt32 {
            let c = scalars[k]
            return ignoringCase && (0x41...0x5A).contains(c) ? c + 0x20 : c
        }
        switch letter(i + 1) {
        case 0x73, 0x74, 0x6D, 0x64:  // s t m d
            return i + 2
        case 0x72, 0x76:  // r v -> re ve
            return i + 2 < end && letter(i + 2) == 0x65 ? i + 3 : nil
        case 0x6C:  // l -> ll
            return i + 2 < end && letter(i + 2) == 0x6C ? i + 3 : nil
        default:
            return nil
        }
    }

    func eachNumber(at i: Int) -> Int? {
        has(i, .number) ? i + 1 : nil
    }

    func numberRun(at i: Int) -> Int? {
        has(i, .number) ? run(from: i, .number) : nil
    }

    func asciiDigitTriple(at i: Int) -> Int? {
        i + 2 < end && has(i, .asciiDigit) && has(i + 1, .asciiDigit) && has(i + 2, .asciiDigit)
            ? i + 3 : nil
    }

    func punctuationRun(at i: Int) -> Int? {
        has(i, .punctuationOrSymbol) ? run(from: i, .punctuationOrSymbol) : nil
    }

    func gpt2(at i: Int) -> Int? {
        if let e = contraction(at: i, ignoringCase: false) { return e }
        // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: the scalar after an optional
        // space decides which of the three can match (the space itself is none of them).
        let start = scalars[i] == Self.space ? i + 1 : i
        if start < end {
            if has(start, .letter) { return run(from: start, .letter) }
            if has(start, .number) { return run(from: start, .number) }
            if isOther(start) { return otherRun(from: start) }
        }
        // `\s+(?!\S)`
        guard has(i, .whitespace) else { return nil }
        let k = run(from: i, .whitespace)
        if k == end { return k }
        return k - i >= 2 ? k - 1 : nil
    }

    func llama3(at i: Int, maxDigits: Int) -> Int? {
        if let e = contraction(at: i, ignoringCase: true) { return e }
        let c = ScalarClass(rawValue: classes[i])
        // `[^\r\n\p{L}\p{N}]?\p{L}+`
        if c.isDisjoint(with: [.letter, .number, .newline]) && i + 1 < end && has(i + 1, .letter) {
            return run(from: i + 1, .letter)
        }
        if c.contains(.letter) { return run(from: i, .letter) }
        // `\p{N}{1,maxDigits}`
        if c.contains(.number) {
            var j = i + 1
            while j < end && j - i < maxDigits && has(j, .number) { j += 1 }
            return j
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        let start = scalars[i] == Self.space ? i + 1 : i
        if start < end && isOther(start) {
            var j = otherRun(from: start)
            while j < end && has(j, .newline) { j += 1 }
            return j
        }
        guard c.contains(.whitespace) else { return nil }
        let k = run(from: i, .whitespace)
        // `\s*[\r\n]+`: the backtracking `\s*` stops before the run's last newline.
        var m = k - 1
        while m >= i && !has(m, .newline) { m -= 1 }
        if m >= i { return m + 1 }
        // `\s+(?!\S)`, then `\s+`
        if k == end { return k }
        return k - i >= 2 ? k - 1 : k
    }
}
