/// The tune banner, in the error banner's row when there is no error:
/// `◆ tuning… timing target calls`, then
/// `◆ tune: rsd-c b=3,1 beats plain · predicted 210 tok/s vs plain 190     A apply · Esc dismisses`
/// (see `TuneState.line` for when plain wins);
/// the keys stay at the right and a long suggestion is cut before them.
public enum TuneBanner {
    /// Draws `tune` on row `rect.y` across `rect.width`.
    /// - Complexity: O(width).
    public static func draw(_ tune: TuneState, into grid: inout CellGrid, in rect: Rect) {
        guard !rect.isEmpty else { return }
        let style = CellStyle(tune.isRunning ? .pending : .bonus, on: .mainBg, .bold)
        grid.fill(rect.top(1), style: CellStyle(.mainFg))
        let keys = tune.keyHint(wide: rect.width >= 60 + (tune.treeWins == false ? 30 : 0))
        let hint = keys.isEmpty ? "" : "  " + keys
        let hintWidth = DisplayWidth.of(hint)
        var cx = grid.write("◆ ", x: rect.x, y: rect.y, style: style, clip: rect)
        cx = grid.write(tune.line, x: cx, y: rect.y, maxWidth: rect.maxX - cx - hintWidth, style: style, clip: rect)
        if hintWidth > 0 { grid.write(hint, x: rect.maxX - hintWidth, y: rect.y, style: CellStyle(.title, on: .mainBg), clip: rect) }
    }
}
