/// Number formatting for the views, without Foundation's formatters (which
/// allocate and are slow per frame). Results are short strings (no heap
/// allocation for fewer than 16 bytes).
public enum NumberFormat {
    /// `value` with `decimals` digits after the point, rounded half away
    /// from zero: `fixed(2.345, 1) == "2.3"`; `–` for NaN or infinity.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "–" }
        let d = max(0, min(6, decimals))
        var scale = 1
        for _ in 0..<d { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded()
        guard scaled < 9.0e15 else { return value < 0 ? "-∞" : "∞" }
        let n = Int(scaled)
        var s = value < 0 && n != 0 ? "-" : ""
        s += String(n / scale)
        if d > 0 {
            s += "."
            let frac = String(n % scale)
            s += String(repeating: "0", count: d - frac.count) + frac
        }
        return s
    }

    /// A probability in four columns without the leading zero: `.61`, `.05`,
    /// `1.0` for values that round to 1, `.00` for tiny ones; `  –` for nil.
    public static func probability(_ value: Double?) -> String {
        guard let v = value, v.isFinite else { return "  –" }
        let hundredths = Int((min(1, max(0, v)) * 100).rounded())
        if hundredths >= 100 { return "1.0" }
        return hundredths < 10 ? ".0\(hundredths)" : ".\(hundredths)"
    }

    /// Milliseconds, compact: `0.4ms`, `12ms`, `1.2s`.
    public static func milliseconds(_ ms: Double) -> String {
        guard ms.isFinite else { return "–" }
        if ms < 10 { return fixed(ms, 1) + "ms" }
        if ms < 1000 { return fixed(ms, 0) + "ms" }
        return fixed(ms / 1000, 1) + "s"
    }

    /// A speedup factor: `×1.84`; `×–` for nil.
    public static func speedup(_ value: Double?) -> String {
        guard let v = value, v.isFinite else { return "×–" }
        return "×" + fixed(v, 2)
    }

    /// `value` right-aligned in `width` columns (not truncated).
    public static func pad(_ s: String, to width: Int) -> String {
        let w = DisplayWidth.of(s)
        return w >= width ? s : String(repeating: " ", count: width - w) + s
    }
}
