import SpecCore

/// The decision panel of verify-one-decision mode: the token under test,
/// p(x) and q(x) as two bars on one scale, the uniform draw u against the
/// acceptance probability min(1, p/q), the verdict and the residual mass.
///
/// ```
/// node ␣fox · depth 3
/// p(x) █████████████▋      .31
/// q(x) █████████▋          .22
/// u .734 < min(1,p/q) 1.00
/// ✓ accepted · residual .27
/// ```
///
/// Block and traversal verification (a `pathWeight`) judge the path, not the
/// token: the u row compares with the acceptance they computed (block: h_i,
/// p_γ at the end; traversal: the node's sequence-level acceptance after its
/// subtree), the path row shows the running ratio p_i / the sequence-level
/// acceptance w when the node was reached, and the residual is the weight
/// Σ max(0, w·p − q) the residual keeps at the node.
public enum DecisionView {
    /// Draws `d` into `rect`; with fewer than five rows the u and verdict rows merge.
    /// - Complexity: O(area).
    public static func draw(_ d: DecisionState, into grid: inout CellGrid, in rect: Rect) {
        guard !rect.isEmpty else { return }
        var y = rect.y
        var cx = grid.write(d.draw == nil ? "node " : "draw ", x: rect.x, y: y, style: CellStyle(.dim), clip: rect)
        let token = CellStyle(.acceptedPath, on: .highlight, .bold)
        VisibleText.forEach(d.token) { ch, isEscape in
            cx = grid.put(ch, x: cx, y: y, style: isEscape ? CellStyle(.dim, on: .highlight, .bold) : token, clip: rect)
        }
        grid.write(" · depth \(d.depth)", x: cx, y: y, style: CellStyle(.dim), clip: rect)
        y += 1
        if let source = d.draw {
            drawFinal(source, d, into: &grid, y: y, in: rect)
            return
        }
        let scale = max(d.p, d.q, 1e-9)
        let barWidth = max(1, rect.width - 10)
        for (label, value, role) in [("p(x)", d.p, ThemeRole.targetBar), ("q(x)", d.q, .draftBar)] where y < rect.maxY {
            grid.write(label, x: rect.x, y: y, style: CellStyle(.dim), clip: rect)
            Bars.horizontal(&grid, x: rect.x + 5, y: y, width: barWidth, fraction: value / scale,
                            style: CellStyle(role), emptyStyle: CellStyle(.meterBg), clip: rect)
            grid.write(NumberFormat.pad(NumberFormat.probability(value), to: 4), x: rect.x + 5 + barWidth, y: y, style: CellStyle(.mainFg), clip: rect)
            y += 1
        }
        guard y < rect.maxY else { return }
        let a = d.acceptanceProbability
        let verdict: (String, ThemeRole) = switch d.verdict {
        case .undecided: ("? undecided", .pending)
        case .accepted: ("✓ accepted", .accepted)
        case .rejected: ("✗ rejected", .rejected)
        }
        var uLine = "u " + (d.u.map { NumberFormat.fixed($0, 3) } ?? "–")
        if let u = d.u { uLine += u < a ? " < " : " ≥ " } else { uLine += " vs " }
        uLine += (d.pathWeight == nil ? "min(1,p/q) " : "accept ") + NumberFormat.fixed(a, 2)
        if let w = d.pathWeight { uLine += " · path w " + NumberFormat.fixed(w, 2) }
        cx = grid.write(uLine, x: rect.x, y: y, style: CellStyle(.mainFg), clip: rect)
        if rect.maxY - y < 2 { cx = grid.write("  ", x: cx, y: y, clip: rect) } else { y += 1; cx = rect.x }
        cx = grid.write(verdict.0, x: cx, y: y, style: CellStyle(verdict.1, on: .mainBg, .bold), clip: rect)
        if let r = d.residualMass {
            grid.write((d.pathWeight == nil ? " · residual " : " · residual weight ") + NumberFormat.fixed(r, 2),
                       x: cx, y: y, style: CellStyle(.dim), clip: rect)
        }
    }
}

extension DecisionView {
    /// The step's final draw: which token, from which distribution, with what probability.
    static func drawFinal(_ source: FinalDraw.Source, _ d: DecisionState, into grid: inout CellGrid, y: Int, in rect: Rect) {
        var y = y
        let lines: [(String, CellStyle)] = switch source {
        case .target: [("★ bonus token", CellStyle(.bonus, on: .mainBg, .bold)),
                       ("drawn from p at the last accepted node", CellStyle(.mainFg))]
        case .residual: [("↻ resampled", CellStyle(.resampled, on: .mainBg, .bold)),
                         ("drawn from the residual norm(max(0, p − q))", CellStyle(.mainFg)),
                         ("after every child was rejected", CellStyle(.dim))]
        case .argmax: [("= argmax p", CellStyle(.bonus, on: .mainBg, .bold)),
                       ("temperature 0: the target's most likely token", CellStyle(.mainFg))]
        }
        for (text, style) in lines where y < rect.maxY {
            grid.write(text, x: rect.x, y: y, maxWidth: rect.width, style: style, clip: rect)
            y += 1
        }
        if y < rect.maxY {
            grid.write("its probability there " + NumberFormat.fixed(d.p, 2), x: rect.x, y: y, maxWidth: rect.width,
                       style: CellStyle(.dim), clip: rect)
        }
    }
}
