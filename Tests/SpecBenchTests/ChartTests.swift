import Foundation
import SpecBench
import SpecCore
import Testing

/// The SVG chart writer: well-formed XML, axes with ticks and units, one mark
/// per data point, labels and legends, escaped text; and the experiments'
/// figures built from rows.
@Suite struct ChartTests {
    static let context = ChartContext(model: "Tiny <model> & co", draft: "self:8", machine: "test CPU, 2 cores", date: "2026-12-07")

    static func parse(_ chart: Chart) throws -> SVGDocument {
        let text = SVGChartRenderer().render(chart)
        return try #require(SVGDocument(text), "well-formed XML:\n\(text.prefix(2000))")
    }

    @Test func aPlotHasAxesTicksUnitsMarksErrorBarsAndALegend() throws {
        let plot = Plot(title: "speed", x: Axis("budget", unit: "tokens", scale: .log2), y: Axis("speedup", unit: "×", includesZero: true),
                        series: [Series(name: "a", points: [DataPoint(x: 4, y: 1.2, error: 0.1, label: "p<1>"), DataPoint(x: 16, y: 1.5)]),
                                 Series(name: "b", points: [DataPoint(x: 4, y: 0.9), DataPoint(x: 8, y: 1.1, marked: false), DataPoint(x: 16, y: 1.3)],
                                        dashed: true)],
                        references: [ReferenceLine(label: "plain", horizontal: 1)])
        let svg = try Self.parse(Chart(title: "T & <t>", subtitle: Self.context.subtitle, panels: [.plot(plot)]))
        #expect(svg.rootName == "svg")
        #expect(svg.all("circle", class: "mark").count == 4, "one mark per marked point")
        #expect(svg.all("path", class: "error-bar").count == 1)
        let xTicks = svg.all("text", class: "tick").filter { $0.inside("x") }.map(\.text)
        #expect(xTicks == ["4", "8", "16"], "log₂ ticks: \(xTicks)")
        let yTicks = svg.all("text", class: "tick").filter { $0.inside("y") }.compactMap { Double($0.text) }
        #expect(yTicks.first == 0 && (yTicks.last ?? 0) >= 1.5, "y from 0 past the data: \(yTicks)")
        let titles = svg.all("text", class: "axis-title").map(\.text)
        #expect(titles.contains("budget (tokens)") && titles.contains("speedup (×)"))
        #expect(svg.all("text", class: "legend-label").map(\.text) == ["a", "b", "plain"])
        #expect(svg.texts.contains("T & <t>"), "escaped and read back")
        #expect(svg.texts.contains("p<1>"), "point label")
        #expect(svg.texts.contains { $0.contains("Tiny <model> & co") && $0.contains("test CPU") && $0.contains("2026-12-07") })
    }

    @Test func marksSitInsideThePlotAreaAndInOrder() throws {
        let points = [DataPoint(x: 1, y: 10), DataPoint(x: 2, y: 20), DataPoint(x: 3, y: 5)]
        let svg = try Self.parse(Chart(title: "t", subtitle: "", panels: [.plot(Plot(title: "p", x: Axis("x"), y: Axis("y"),
                                                                                       series: [Series(name: "s", points: points)]))]))
        let marks = svg.all("circle", class: "mark")
        let cx = marks.compactMap { Double($0.attributes["cx"] ?? "") }, cy = marks.compactMap { Double($0.attributes["cy"] ?? "") }
        #expect(cx == cx.sorted() && Set(cx).count == 3)
        #expect(cy[1] < cy[0] && cy[0] < cy[2], "higher values are higher up: \(cy)")
        #expect(marks.map { $0.attributes["data-y"] } == ["10.0", "20.0", "5.0"])
    }

    @Test func aHeatMapHasOneCellPerValueWithItsText() throws {
        let map = HeatMap(title: "acceptance", rowAxis: "depth", columnAxis: "rank", rowLabels: ["1", "2"], columnLabels: ["0", "1", "2"],
                          values: [[0.9, 0.5, nil], [0.7, 0.1, 0.05]], valueLabel: "rate")
        let svg = try Self.parse(Chart(title: "t", subtitle: "s", panels: [.heatMap(map)]))
        let cells = svg.all("rect", class: "cell")
        #expect(cells.count == 6)
        #expect(cells.filter { $0.attributes["data-value"] == "" }.count == 1, "the unmeasured cell is blank")
        #expect(svg.texts.contains("0.90") && svg.texts.contains("0.05"))
        #expect(svg.all("text", class: "axis-title").map(\.text) == ["rank", "depth"])
        let dark = cells.first { $0.attributes["data-value"] == "0.9" }?.attributes["fill"], light = cells.first { $0.attributes["data-value"] == "0.05" }?.attributes["fill"]
        #expect(dark != light)
    }

    @Test(arguments: [[0.0, 1], [3, 3], [0.013, 0.0171], [-2, 7]])
    func ticksAreRoundAndCoverTheData(values: [Double]) {
        let t = AxisTicks(values: values, axis: Axis("x"))
        #expect(t.lower <= values.min()! && t.upper >= values.max()!)
        #expect(t.ticks.count >= 2 && t.ticks.count <= 12, "\(t.ticks)")
        let labels = t.ticks.map(t.label)
        #expect(Set(labels).count == labels.count, "distinct labels: \(labels)")
    }

    @Test func log2TicksIgnoreASlightDodge() {
        let t = AxisTicks(values: [4 * 0.97, 4, 16, 16 * 1.03], axis: Axis("budget", scale: .log2))
        #expect(t.ticks == [4, 8, 16], "\(t.ticks)")
        #expect(t.lower <= 4 * 0.97 && t.upper >= 16 * 1.03)
    }

    @Test func longLegendEntriesAreCut() throws {
        let svg = try Self.parse(Chart(title: "t", subtitle: "", panels: [.plot(Plot(title: "p", x: Axis("x"), y: Axis("y"),
            series: [Series(name: "draft Qwen2.5-Coder-0.5B-Instruct", points: [DataPoint(x: 1, y: 1)])]))]))
        #expect(svg.all("text", class: "legend-label").map(\.text) == ["draft Qwen2.5-Coder…"])
    }

    @Test func controlCharactersAndQuotesAreEscaped() throws {
        let name = "a\"b'c\u{1}d"
        let svg = try Self.parse(Chart(title: name, subtitle: "", panels: [.plot(Plot(title: "p", x: Axis("x"), y: Axis("y"),
                                                                                    series: [Series(name: name, points: [DataPoint(x: 1, y: 1)])]))]))
        #expect(svg.all("g", class: "series").first?.attributes["data-name"] == "a\"b'cd")
    }

    // MARK: - The experiments' figures

    static func depthRow(_ draft: String, c: Double, alpha: Double, speedup: Double) -> DraftDepthExperiment.Row {
        DraftDepthExperiment.Row(draft: draft, layers: 4, draftSecondsPerToken: c * 0.01, targetSecondsPerCall: 0.01, acceptanceRate: alpha,
                                 blockEfficiency: 1 + 3 * alpha, tokensPerSecond: 10 * speedup, plainTokensPerSecond: 10, depth: 4,
                                 prompts: [PromptSpeedup(prompt: "a", kind: "chat", speedup: speedup - 0.02, blockEfficiency: 2),
                                           PromptSpeedup(prompt: "b", kind: "code", speedup: speedup + 0.02, blockEfficiency: 2)])
    }

    @Test func draftDepthChartHasOneLabelledMeasuredMarkPerDraftInEachPanel() throws {
        let rows = [Self.depthRow("self:2", c: 0.1, alpha: 0.2, speedup: 0.8),
                    Self.depthRow("/models/Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf", c: 0.3, alpha: 0.7, speedup: 1.4),
                    Self.depthRow("self:16", c: 0.6, alpha: 0.8, speedup: 0.9)]
        let svg = try Self.parse(DraftDepthExperiment.chart(rows, context: Self.context, depth: 4, temperature: 0))
        let panels = svg.all("g", class: "panel")
        #expect(panels.count == 2)
        let measured = svg.all("circle", class: "mark").filter { _ in true }
        #expect(measured.count == 2 * 2 * rows.count, "measured and predicted, two panels")
        let labels = svg.all("text", class: "point-label").map(\.text)
        #expect(labels.filter { $0 == "Qwen2.5-Coder-0.5B-Instruct" }.count == 2, "short draft names: \(labels)")
        #expect(svg.all("path", class: "error-bar").count == 2 * rows.count)
        let axes = svg.all("text", class: "axis-title").map(\.text)
        #expect(axes.contains("acceptance rate α") && axes.contains { $0.hasPrefix("c = draft time") } && axes.contains("speedup over plain decoding (×)"))
    }

    static func methodRow(_ t: Double, _ methods: [DraftMethod], budget: Int, shape: DraftShape, speedups: [Double], efficiency: Double = 2) -> MethodsExperiment.Row {
        let prompts = speedups.enumerated().map { PromptSpeedup(prompt: "p\($0.offset)", kind: $0.offset % 2 == 0 ? "chat" : "code", speedup: $0.element, blockEfficiency: efficiency) }
        return MethodsExperiment.Row(temperature: t, methods: methods, budget: budget, shape: shape, efficiency: SampleSummary(prompts.map(\.blockEfficiency)),
                                     tokensPerSecond: SampleSummary(speedups.map { 10 * $0 }), speedup: SampleSummary(speedups),
                                     plainTokensPerSecond: 10, prompts: prompts)
    }

    static var methodRows: [MethodsExperiment.Row] {
        var rows: [MethodsExperiment.Row] = []
        for t in [0.0, 1.0] {
            rows.append(methodRow(t, MethodsExperiment.paperMethods, budget: 4, shape: .chain(depth: 4), speedups: [1.1, 1.2, 1.15]))
            rows.append(methodRow(t, [.chain], budget: 16, shape: .chain(depth: 16), speedups: [0.8, 0.9, 0.85]))
            rows.append(methodRow(t, [.specInfer], budget: 16, shape: .specInfer(branching: [2, 2, 1, 1]), speedups: [1.2, 1.3, 1.25]))
            rows.append(methodRow(t, [.rsdC], budget: 16, shape: .rsdC(branching: [2, 2, 1, 1]), speedups: [1.4, 1.5, 1.45], efficiency: 3))
            rows.append(methodRow(t, [.rsdS], budget: 16, shape: .rsdS(width: 4, depth: 4), speedups: [1.0, 1.1, 1.05]))
        }
        return rows
    }

    @Test func methodsChartHasGreedyAndSampledPanelsWithOneMarkPerRow() throws {
        let rows = Self.methodRows
        let svg = try Self.parse(MethodsExperiment.chart(rows, context: Self.context, methods: MethodsExperiment.paperMethods))
        #expect(svg.all("g", class: "panel").count == 4)
        #expect(svg.all("circle", class: "mark").count == 2 * rows.count, "block efficiency and speedup panels, one mark per row in each")
        let titles = svg.all("text", class: "panel-title").map(\.text)
        #expect(titles.contains("block efficiency, greedy (T=0)") && titles.contains("speedup, sampled (T=1)"))
        let legend = Set(svg.all("text", class: "legend-label").map(\.text))
        #expect(legend == ["chain", "specinfer", "rsd-c", "rsd-s", "all (same chain)", "plain decoding (1×)"])
        // Every method's line passes through the shared chain at budget 4 and on to its own shape at 16.
        let lines = svg.all("polyline").filter { $0.inside("series") }
        #expect(lines.count == 4 * 4)
        #expect(svg.all("path", class: "error-bar").count == rows.count, "speedups vary over prompts; these efficiencies do not (sd 0: no bar)")
    }

    @Test func runtimeChartHasOneMarkPerSizeAndTheBandwidthLine() throws {
        let calls = [(n: 1, milliseconds: 30.0), (n: 2, milliseconds: 31.0), (n: 4, milliseconds: 33.5), (n: 64, milliseconds: 190.0)]
        let svg = try Self.parse(RuntimeChart.chart(calls: calls, bandwidthLimit: 22.5, context: Self.context))
        #expect(svg.all("circle", class: "mark").map { $0.attributes["data-x"] } == ["1.0", "2.0", "4.0", "64.0"])
        #expect(svg.all("line", class: "reference").count == 1)
        #expect(svg.all("text", class: "legend-label").map(\.text) == ["measured", "bandwidth limit"])
        #expect(svg.all("text", class: "note").contains { $0.text.contains("= 22.50 ms") })
        #expect(svg.all("text", class: "axis-title").map(\.text) == ["tokens per call N", "time per call (ms)"])
    }

    // MARK: - Conclusions

    @Test func theMethodsConclusionNamesTheWinnerFromTheRows() {
        let lines = MethodsExperiment.conclusion(Self.methodRows)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("conclusion at T=0 (greedy): rsd-c b=2,2,1,1 (budget 16) wins at 1.45× ± 0.05 sd over 3 prompts, 45% faster"), "\(lines[0])")
        #expect(lines[0].contains("next specinfer b=2,2,1,1 (budget 16) at 1.25× (the lead is beyond the prompts' spread)"), "\(lines[0])")
        #expect(lines[0].contains("Most tokens per call: rsd-c"))
        // Slow rsd-c down on every prompt: specinfer wins, and the conclusion says so.
        var rows = Self.methodRows
        for i in rows.indices where rows[i].methods == [.rsdC] {
            rows[i] = Self.methodRow(rows[i].temperature, [.rsdC], budget: 16, shape: rows[i].shape, speedups: [0.7, 0.8, 0.75], efficiency: 3)
        }
        #expect(MethodsExperiment.conclusion(rows)[0].contains("specinfer b=2,2,1,1 (budget 16) wins at 1.25×"), "\(MethodsExperiment.conclusion(rows)[0])")
    }

    @Test func theMethodsConclusionSaysWhenPlainDecodingIsFaster() {
        let rows = [Self.methodRow(0, [.chain], budget: 4, shape: .chain(depth: 4), speedups: [0.8, 0.9]),
                    Self.methodRow(0, [.rsdC], budget: 4, shape: .rsdC(branching: [2, 1]), speedups: [0.88, 0.92])]
        let line = MethodsExperiment.conclusion(rows)[0]
        #expect(line.contains("plain decoding is faster: the best, rsd-c b=2,1 (budget 4), reaches 0.90×"), "\(line)")
    }

    @Test func closeWinnersAreWithinTheSpread() {
        let rows = [Self.methodRow(0, [.chain], budget: 4, shape: .chain(depth: 4), speedups: [1.3, 1.1, 1.2]),
                    Self.methodRow(0, [.rsdC], budget: 4, shape: .rsdC(branching: [2, 1]), speedups: [1.1, 1.35, 1.2])]
        #expect(MethodsExperiment.conclusion(rows)[0].contains("(the lead is within the prompts' spread)"))
    }

    @Test func theDraftDepthConclusionNamesTheBestDraftAndWhetherPlainIsFaster() {
        let rows = [Self.depthRow("self:2", c: 0.1, alpha: 0.2, speedup: 0.8), Self.depthRow("self:8", c: 0.3, alpha: 0.5, speedup: 0.9),
                    Self.depthRow("self:16", c: 0.6, alpha: 0.8, speedup: 0.7)]
        let text = DraftDepthExperiment.conclusion(rows)
        #expect(text.contains("best: self:8 at 0.90×") && text.contains("Plain decoding is faster here"), "\(text)")
        var faster = rows
        faster[2] = Self.depthRow("/m/draft.Q8_0.gguf", c: 0.6, alpha: 0.8, speedup: 1.3)
        let text2 = DraftDepthExperiment.conclusion(faster)
        #expect(text2.contains("best: draft at 1.30×") && text2.contains("30% faster than plain decoding, ahead of self:8 (0.90×)"), "\(text2)")
        // Pooled below 1×, but the prompts disagree widely: not a clear loss.
        var spread = rows
        spread[1].prompts = [PromptSpeedup(prompt: "a", kind: "chat", speedup: 0.5, blockEfficiency: 2),
                             PromptSpeedup(prompt: "b", kind: "code", speedup: 1.6, blockEfficiency: 2)]
        let text3 = DraftDepthExperiment.conclusion(spread)
        #expect(text3.contains("Not clearly faster or slower than plain decoding") && !text3.contains("Plain decoding is faster"), "\(text3)")
    }

    @Test func aSpreadThatHoldsOneIsNotAVerdict() {
        let rows = [Self.methodRow(0, [.chain], budget: 4, shape: .chain(depth: 4), speedups: [0.5, 1.4, 0.8])]
        let line = MethodsExperiment.conclusion(rows)[0]
        #expect(line.contains("no configuration is clearly faster or slower than plain decoding"), "\(line)")
    }

    @Test func degenerateBudgetsRunOnceAndAreSaidOnce() throws {
        let experiment = MethodsExperiment(draft: "self:8", budgets: [4, 16], depth: 4, temperatures: [0, 1], seed: 0)
        let configurations = try experiment.configurations(vocabularySize: 1000)
        #expect(configurations.count == 2 * (1 + 4))
        #expect(configurations.filter { $0.budget == 4 }.allSatisfy { $0.methods == MethodsExperiment.paperMethods && $0.shape == .chain(depth: 4) })
        let notes = MethodsExperiment.degenerateNotes(Self.methodRows)
        #expect(notes == ["budget 4: every method (chain, specinfer, rsd-c, rsd-s) drafts the same chain L=4, so it ran once, as method \"all\"."])
    }

    @Test func speedupByKindHasOneRowPerKindAndOneForAll() {
        let table = MethodsExperiment.kindTable(Self.methodRows, temperature: 0)
        #expect(table.columns.map(\.title) == ["prompt kind", "all @4", "specinfer @16", "rsd-c @16"], "rsd-s and chain do best on the shared chain: no column of their own")
        #expect(table.rows.count == 3)
        guard case let .number(chat) = table.rows[0][3] else { Issue.record("a number"); return }
        #expect(abs(chat - 1.425) < 1e-9, "rsd-c's chat prompts: mean of 1.4 and 1.45")
        #expect(table.rows[2][0] == .text("all (3 prompts)"))
    }
}
