import Foundation

/// Draws a `Chart` as one self-contained SVG document: no scripts, no
/// external fonts or styles, every text XML-escaped, so the file opens in any
/// browser and embeds in a README.
///
/// Layout: the title and subtitle on top, then the panels in a grid of
/// `chart.columns`, each `panelWidth × panelHeight` (a plot area with axes,
/// ticks and grid lines, the legend at its right; or a heat map with its
/// colour scale), then the notes. Marks carry `class="mark"` and their data
/// in `data-x` / `data-y`, heat-map cells `class="cell"`, so a test can read
/// the figure back. Complexity: O(points + cells) text.
public struct SVGChartRenderer: Sendable {
    public var panelWidth = 540.0
    public var panelHeight = 340.0

    public init() {}

    /// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

    // Panel geometry: the plot area inside a panel.
    private let left = 64.0, top = 34.0, bottom = 52.0, legendWidth = 150.0
    private let header = 62.0, gap = 16.0, noteLine = 16.0

    public func render(_ chart: Chart) -> String {
        let rows = (chart.panels.count + chart.columns - 1) / chart.columns
        let width = 2 * gap + Double(chart.columns) * panelWidth
        let height = header + Double(max(1, rows)) * panelHeight + gap + Double(chart.notes.count) * noteLine + gap
        var svg = SVGBuilder()
        svg.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        svg.open("svg", ["xmlns": "http://www.w3.org/2000/svg", "width": n(width), "height": n(height),
                         "viewBox": "0 0 \(n(width)) \(n(height))", "font-family": "DejaVu Sans, Helvetica, Arial, sans-serif"])
        svg.element("title", text: chart.title)
        svg.element("rect", ["width": n(width), "height": n(height), "fill": "#ffffff"])
        svg.element("text", ["class": "title", "x": n(gap), "y": "26", "font-size": "17", "font-weight": "bold"], text: chart.title)
        svg.element("text", ["class": "subtitle", "x": n(gap), "y": "47", "font-size": "12", "fill": "#444444"], text: chart.subtitle)
        for (i, panel) in chart.panels.enumerated() {
            let x = gap + Double(i % chart.columns) * panelWidth, y = header + Double(i / chart.columns) * panelHeight
            svg.open("g", ["class": "panel", "transform": "translate(\(n(x)),\(n(y)))"])
            switch panel {
            case let .plot(plot): draw(plot, into: &svg)
            case let .heatMap(map): draw(map, into: &svg)
            }
            svg.close("g")
        }
        for (i, note) in chart.notes.enumerated() {
            svg.element("text", ["class": "note", "x": n(gap), "y": n(header + Double(rows) * panelHeight + gap + Double(i) * noteLine),
                                 "font-size": "11", "fill": "#444444"], text: note)
        }
        svg.close("svg")
        return svg.text
    }

    // MARK: - Plots

    private func draw(_ plot: Plot, into svg: inout SVGBuilder) {
        let plotWidth = panelWidth - left - legendWidth, plotHeight = panelHeight - top - bottom
        let points = plot.series.flatMap(\.points)
        let xValues = points.map(\.x) + plot.references.flatMap { $0.points.map(\.x) }
        let yValues = points.flatMap { p in [p.y - (p.error ?? 0), p.y + (p.error ?? 0)] }
            + plot.references.flatMap { r in r.horizontal.map { [$0] } ?? r.points.map(\.y) }
        let xt = AxisTicks(values: xValues, axis: plot.x), yt = AxisTicks(values: yValues, axis: plot.y)
        // Data keep 3% of the plot area clear on the left and right, so marks on the outer ticks stay whole.
        func px(_ x: Double) -> Double { left + (0.03 + 0.94 * xt.fraction(x, scale: plot.x.scale)) * plotWidth }
        func py(_ y: Double) -> Double { top + (1 - yt.fraction(y, scale: plot.y.scale)) * plotHeight }

        svg.element("text", ["class": "panel-title", "x": n(left), "y": "20", "font-size": "13", "font-weight": "bold"], text: plot.title)
        // Grid and axes.
        svg.open("g", ["class": "grid", "stroke": "#e4e4e4", "stroke-width": "1"])
        for t in yt.ticks { svg.element("line", ["x1": n(left), "x2": n(left + plotWidth), "y1": n(py(t)), "y2": n(py(t))]) }
        for t in xt.ticks { svg.element("line", ["x1": n(px(t)), "x2": n(px(t)), "y1": n(top), "y2": n(top + plotHeight)]) }
        svg.close("g")
        svg.open("g", ["class": "axis x", "font-size": "11"])
        svg.element("line", ["x1": n(left), "x2": n(left + plotWidth), "y1": n(top + plotHeight), "y2": n(top + plotHeight), "stroke": "#333333"])
        for t in xt.ticks {
            svg.element("line", ["x1": n(px(t)), "x2": n(px(t)), "y1": n(top + plotHeight), "y2": n(top + plotHeight + 4), "stroke": "#333333"])
            svg.element("text", ["class": "tick", "x": n(px(t)), "y": n(top + plotHeight + 16), "text-anchor": "middle"], text: xt.label(t))
        }
        svg.element("text", ["class": "axis-title", "x": n(left + plotWidth / 2), "y": n(top + plotHeight + 36), "text-anchor": "middle",
                             "font-size": "12"], text: plot.x.title)
        svg.close("g")
        svg.open("g", ["class": "axis y", "font-size": "11"])
        svg.element("line", ["x1": n(left), "x2": n(left), "y1": n(top), "y2": n(top + plotHeight), "stroke": "#333333"])
        for t in yt.ticks {
            svg.element("line", ["x1": n(left - 4), "x2": n(left), "y1": n(py(t)), "y2": n(py(t)), "stroke": "#333333"])
            svg.element("text", ["class": "tick", "x": n(left - 7), "y": n(py(t) + 4), "text-anchor": "end"], text: yt.label(t))
        }
        let yMid = top + plotHeight / 2
        svg.element("text", ["class": "axis-title", "x": n(16), "y": n(yMid), "text-anchor": "middle", "font-size": "12",
                             "transform": "rotate(-90 16 \(n(yMid)))"], text: plot.y.title)
        svg.close("g")

        // Reference lines under the data.
        svg.open("g", ["class": "references"])
        for r in plot.references {
            if let y = r.horizontal {
                svg.element("line", ["class": "reference", "x1": n(left), "x2": n(left + plotWidth), "y1": n(py(y)), "y2": n(py(y)),
                                     "stroke": "#777777", "stroke-width": "1.2", "stroke-dasharray": "2 3"])
                svg.element("text", ["x": n(left + plotWidth - 3), "y": n(py(y) - 4), "text-anchor": "end", "font-size": "10", "fill": "#555555"],
                            text: r.label)
            } else if !r.points.isEmpty {
                svg.element("polyline", ["class": "reference", "points": r.points.map { "\(n(px($0.x))),\(n(py($0.y)))" }.joined(separator: " "),
                                         "fill": "none", "stroke": "#777777", "stroke-width": "1.5", "stroke-dasharray": "6 3"])
            }
        }
        svg.close("g")

        // Series: line, error bars, marks, labels.
        for (i, series) in plot.series.enumerated() {
            let colour = Self.palette[(series.colour ?? i) % Self.palette.count]
            svg.open("g", ["class": "series", "data-name": series.name])
            if series.style != .points, series.points.count >= 2 {
                var line: [String: String] = ["points": series.points.map { "\(n(px($0.x))),\(n(py($0.y)))" }.joined(separator: " "),
                                              "fill": "none", "stroke": colour, "stroke-width": "2"]
                if series.dashed { line["stroke-dasharray"] = "5 3" }
                svg.element("polyline", line)
            }
            for p in series.points {
                if let e = p.error, e > 0 {
                    let x = px(p.x), lo = py(p.y - e), hi = py(p.y + e)
                    svg.element("path", ["class": "error-bar", "d": "M\(n(x)),\(n(lo))V\(n(hi))M\(n(x - 4)),\(n(lo))h8M\(n(x - 4)),\(n(hi))h8",
                                         "stroke": colour, "stroke-width": "1.2", "fill": "none"])
                }
            }
            for p in series.points where p.marked && series.style != .line {
                svg.element("circle", ["class": "mark", "cx": n(px(p.x)), "cy": n(py(p.y)), "r": "4",
                                       "fill": series.hollow ? "#ffffff" : colour, "stroke": colour, "stroke-width": "1.5",
                                       "data-x": "\(p.x)", "data-y": "\(p.y)"])
            }
            for p in series.points {
                guard let label = p.label else { continue }
                svg.element("text", ["class": "point-label", "x": n(px(p.x) + 6), "y": n(py(p.y) - 6), "font-size": "10", "fill": "#333333"],
                            text: label)
            }
            svg.close("g")
        }

        // Legend at the right of the plot area.
        svg.open("g", ["class": "legend", "font-size": "11"])
        var ly = top + 6
        let lx = left + plotWidth + 14
        for (i, series) in plot.series.enumerated() {
            let colour = Self.palette[(series.colour ?? i) % Self.palette.count]
            if series.style != .points {
                var line: [String: String] = ["x1": n(lx), "x2": n(lx + 22), "y1": n(ly), "y2": n(ly), "stroke": colour, "stroke-width": "2"]
                if series.dashed { line["stroke-dasharray"] = "5 3" }
                svg.element("line", line)
            }
            if series.style != .line {
                svg.element("circle", ["cx": n(lx + 11), "cy": n(ly), "r": "4", "fill": series.hollow ? "#ffffff" : colour,
                                       "stroke": colour, "stroke-width": "1.5"])
            }
            svg.element("text", ["class": "legend-label", "x": n(lx + 28), "y": n(ly + 4)], text: series.name)
            ly += 18
        }
        for r in plot.references {
            svg.element("line", ["x1": n(lx), "x2": n(lx + 22), "y1": n(ly), "y2": n(ly), "stroke": "#777777", "stroke-width": "1.5",
                                 "stroke-dasharray": r.horizontal == nil ? "6 3" : "2 3"])
            svg.element("text", ["class": "legend-label", "x": n(lx + 28), "y": n(ly + 4)], text: r.label)
            ly += 18
        }
        svg.close("g")
    }

    // MARK: - Heat maps

    private func draw(_ map: HeatMap, into svg: inout SVGBuilder) {
        let areaWidth = panelWidth - left - 90, areaHeight = panelHeight - top - bottom
        let rows = max(1, map.rowLabels.count), columns = max(1, map.columnLabels.count)
        let cw = areaWidth / Double(columns), ch = areaHeight / Double(rows)
        svg.element("text", ["class": "panel-title", "x": n(left), "y": "20", "font-size": "13", "font-weight": "bold"], text: map.title)
        svg.open("g", ["class": "cells", "font-size": "11"])
        for (r, row) in map.values.enumerated() {
            for (c, value) in row.enumerated() {
                let x = left + Double(c) * cw, y = top + Double(r) * ch
                let text = map.cellTexts?[r][c] ?? value.map { String(format: "%.2f", $0) } ?? ""
                let fraction = value.map { (($0 - map.range.lowerBound) / max(1e-12, map.range.upperBound - map.range.lowerBound)).clamped() }
                svg.element("rect", ["class": "cell", "x": n(x), "y": n(y), "width": n(cw), "height": n(ch),
                                     "fill": fraction.map(Self.blue) ?? "#f4f4f4", "stroke": "#ffffff", "stroke-width": "1",
                                     "data-row": map.rowLabels[r], "data-column": map.columnLabels[c], "data-value": value.map { "\($0)" } ?? ""])
                if !text.isEmpty {
                    svg.element("text", ["x": n(x + cw / 2), "y": n(y + ch / 2 + 4), "text-anchor": "middle",
                                         "fill": (fraction ?? 0) > 0.55 ? "#ffffff" : "#111111"], text: text)
                }
            }
        }
        svg.close("g")
        svg.open("g", ["class": "axis x", "font-size": "11"])
        for (c, label) in map.columnLabels.enumerated() {
            svg.element("text", ["class": "tick", "x": n(left + (Double(c) + 0.5) * cw), "y": n(top + areaHeight + 16), "text-anchor": "middle"],
                        text: label)
        }
        svg.element("text", ["class": "axis-title", "x": n(left + areaWidth / 2), "y": n(top + areaHeight + 36), "text-anchor": "middle",
                             "font-size": "12"], text: map.columnAxis)
        svg.close("g")
        svg.open("g", ["class": "axis y", "font-size": "11"])
        for (r, label) in map.rowLabels.enumerated() {
            svg.element("text", ["class": "tick", "x": n(left - 7), "y": n(top + (Double(r) + 0.5) * ch + 4), "text-anchor": "end"], text: label)
        }
        let yMid = top + areaHeight / 2
        svg.element("text", ["class": "axis-title", "x": n(16), "y": n(yMid), "text-anchor": "middle", "font-size": "12",
                             "transform": "rotate(-90 16 \(n(yMid)))"], text: map.rowAxis)
        svg.close("g")
        // Colour scale: ten steps from the range's low end (bottom) to its high end (top).
        let sx = left + areaWidth + 16, steps = 10
        svg.open("g", ["class": "colour-scale", "font-size": "10"])
        for s in 0..<steps {
            let f = (Double(s) + 0.5) / Double(steps)
            svg.element("rect", ["x": n(sx), "y": n(top + (1 - Double(s + 1) / Double(steps)) * areaHeight), "width": "14",
                                 "height": n(areaHeight / Double(steps) + 0.5), "fill": Self.blue(f)])
        }
        svg.element("text", ["x": n(sx + 18), "y": n(top + 8)], text: String(format: "%.2g", map.range.upperBound))
        svg.element("text", ["x": n(sx + 18), "y": n(top + areaHeight)], text: String(format: "%.2g", map.range.lowerBound))
        svg.element("text", ["x": n(sx + 7), "y": n(top + areaHeight + 16), "text-anchor": "middle"], text: map.valueLabel)
        svg.close("g")
    }

    /// White to dark blue by `fraction` (0…1), through three stops.
    static func blue(_ fraction: Double) -> String {
        let stops: [(Double, Double, Double)] = [(247, 251, 255), (107, 174, 214), (8, 48, 107)]
        let f = fraction.clamped() * 2, i = min(1, Int(f)), t = f - Double(i)
        let (a, b) = (stops[i], stops[i + 1])
        func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * t).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    /// A coordinate with one decimal.
    private func n(_ x: Double) -> String { String(format: "%.1f", x) }
}

extension Double {
    fileprivate func clamped() -> Double { Swift.min(1, Swift.max(0, self)) }
}

/// Writes XML text: elements with attributes in a stable (sorted) order,
/// every attribute value and text node escaped.
struct SVGBuilder {
    private(set) var text = ""

    mutating func raw(_ s: String) { text += s }

    mutating func open(_ name: String, _ attributes: [String: String] = [:]) {
        text += "<\(name)\(Self.attributes(attributes))>\n"
    }

    mutating func close(_ name: String) { text += "</\(name)>\n" }

    /// An empty element, or one holding escaped `text`.
    mutating func element(_ name: String, _ attributes: [String: String] = [:], text content: String? = nil) {
        if let content {
            text += "<\(name)\(Self.attributes(attributes))>\(Self.escape(content))</\(name)>\n"
        } else {
            text += "<\(name)\(Self.attributes(attributes))/>\n"
        }
    }

    static func attributes(_ attributes: [String: String]) -> String {
        attributes.keys.sorted().map { " \($0)=\"\(escape(attributes[$0]!))\"" }.joined()
    }

    /// `&`, `<`, `>`, `"` and `'` as entities; control characters other than
    /// tab and newline (not allowed in XML 1.0) dropped.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" { continue }
                if scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
