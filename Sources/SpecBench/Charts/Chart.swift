/// A figure of one experiment: panels side by side under a title that names
/// what was measured where (model, draft, machine, date). A pure value:
/// `SVGChartRenderer` turns it into a self-contained SVG document.
///
/// Each panel is either an x–y plot (`Plot`: series of points or lines with
/// optional error bars and point labels, reference lines, a legend) or a
/// heat map (`HeatMap`: a grid of values with row and column labels).
public struct Chart: Sendable, Equatable {
    public var title: String
    /// The second title line: model, draft, machine and date (`ChartContext.subtitle`).
    public var subtitle: String
    public var panels: [Panel]
    /// Panels per row; the rest wrap onto further rows.
    public var columns: Int
    /// Lines of text under the panels (how to read the figure).
    public var notes: [String]

    public init(title: String, subtitle: String, panels: [Panel], columns: Int? = nil, notes: [String] = []) {
        self.title = title
        self.subtitle = subtitle
        self.panels = panels
        self.columns = max(1, columns ?? min(2, max(1, panels.count)))
        self.notes = notes
    }

    public enum Panel: Sendable, Equatable {
        case plot(Plot)
        case heatMap(HeatMap)
    }
}

/// One x–y panel.
public struct Plot: Sendable, Equatable {
    public var title: String
    public var x: Axis
    public var y: Axis
    public var series: [Series]
    public var references: [ReferenceLine]

    public init(title: String, x: Axis, y: Axis, series: [Series], references: [ReferenceLine] = []) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.references = references
    }
}

/// An axis: what it measures, in which unit, on which scale.
public struct Axis: Sendable, Equatable {
    public enum Scale: Sendable, Equatable {
        case linear
        /// Powers of two apart (budgets, tokens per call); values must be positive.
        case log2
    }

    public var label: String
    public var unit: String
    public var scale: Scale
    /// Linear axes: stretch the range to include 0.
    public var includesZero: Bool

    public init(_ label: String, unit: String = "", scale: Scale = .linear, includesZero: Bool = false) {
        self.label = label
        self.unit = unit
        self.scale = scale
        self.includesZero = includesZero
    }

    /// `label (unit)`, or the label alone.
    public var title: String { unit.isEmpty ? label : "\(label) (\(unit))" }
}

/// A named set of points drawn in one colour: marks, a line through them, or both.
public struct Series: Sendable, Equatable {
    public enum Style: Sendable, Equatable {
        case points
        case line
        case lineAndPoints
    }

    public var name: String
    public var points: [DataPoint]
    public var style: Style
    public var dashed: Bool
    /// Index into the palette; nil takes the series' position.
    public var colour: Int?
    /// Hollow marks (a second figure of the same thing, such as a prediction).
    public var hollow: Bool

    public init(name: String, points: [DataPoint], style: Style = .lineAndPoints, dashed: Bool = false,
                colour: Int? = nil, hollow: Bool = false) {
        self.name = name
        self.points = points
        self.style = style
        self.dashed = dashed
        self.colour = colour
        self.hollow = hollow
    }
}

/// A point with an optional symmetric error (drawn as a bar of ± `error`) and label.
public struct DataPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var error: Double?
    public var label: String?
    /// False: the point shapes the series' line but draws no mark (a mark
    /// another series already drew, such as a shape several methods share).
    public var marked: Bool

    public init(x: Double, y: Double, error: Double? = nil, label: String? = nil, marked: Bool = true) {
        self.x = x
        self.y = y
        self.error = error
        self.label = label
        self.marked = marked
    }
}

/// A labelled guide: a horizontal line (`y = 1`, plain decoding) or a polyline (a bound).
public struct ReferenceLine: Sendable, Equatable {
    public var label: String
    public var points: [(x: Double, y: Double)]
    /// Horizontal at this y across the whole panel (then `points` is empty).
    public var horizontal: Double?

    public init(label: String, horizontal y: Double) {
        self.label = label
        self.points = []
        self.horizontal = y
    }

    public init(label: String, points: [(x: Double, y: Double)]) {
        self.label = label
        self.points = points
        self.horizontal = nil
    }

    public static func == (a: ReferenceLine, b: ReferenceLine) -> Bool {
        a.label == b.label && a.horizontal == b.horizontal && a.points.map(\.x) == b.points.map(\.x) && a.points.map(\.y) == b.points.map(\.y)
    }
}

/// A grid of values (rows × columns), each cell coloured by its value and
/// printed with its text; nil cells are blank (nothing measured).
public struct HeatMap: Sendable, Equatable {
    public var title: String
    /// What the rows and columns are (`depth`, `sibling rank`).
    public var rowAxis: String
    public var columnAxis: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var values: [[Double?]]  // (rows, columns)
    /// The text in each cell; nil uses the value with two decimals.
    public var cellTexts: [[String]]?
    /// What the colour measures (`accepted ÷ tested`).
    public var valueLabel: String
    /// The colour scale's ends.
    public var range: ClosedRange<Double>

    public init(title: String, rowAxis: String, columnAxis: String, rowLabels: [String], columnLabels: [String],
                values: [[Double?]], cellTexts: [[String]]? = nil, valueLabel: String, range: ClosedRange<Double> = 0...1) {
        precondition(values.count == rowLabels.count && values.allSatisfy { $0.count == columnLabels.count }, "values must be (rows, columns)")
        self.title = title
        self.rowAxis = rowAxis
        self.columnAxis = columnAxis
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.cellTexts = cellTexts
        self.valueLabel = valueLabel
        self.range = range
    }
}
