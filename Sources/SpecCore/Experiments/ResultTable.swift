import Foundation

/// Rows of an experiment, one per configuration, with named columns and
/// units, rendered as an aligned text table, CSV, JSON or Markdown. Every row
/// has a value in every column (the initialiser of a row checks it).
public struct ResultTable: Sendable, Equatable {
    /// A column: `key` names it in CSV and JSON (snake_case, unit included),
    /// `title` and `unit` head the text and Markdown tables.
    public struct Column: Sendable, Equatable {
        public var key: String
        public var title: String
        public var unit: String
        /// Digits after the point for numbers.
        public var decimals: Int

        public init(_ key: String, _ title: String, unit: String = "", decimals: Int = 2) {
            self.key = key
            self.title = title
            self.unit = unit
            self.decimals = decimals
        }

        var heading: String { unit.isEmpty ? title : "\(title) (\(unit))" }
    }

    /// A cell's value.
    public enum Value: Sendable, Equatable {
        case text(String)
        case number(Double)
        case integer(Int)
    }

    public let columns: [Column]
    public private(set) var rows: [[Value]] = []

    public init(columns: [Column]) {
        precondition(!columns.isEmpty)
        self.columns = columns
    }

    /// Appends a row with one value per column, in column order.
    public mutating func append(_ row: [Value]) {
        precondition(row.count == columns.count, "a row needs \(columns.count) values, got \(row.count)")
        rows.append(row)
    }

    // MARK: - Rendering

    func text(_ value: Value, _ column: Column) -> String {
        switch value {
        case let .text(s): s
        case let .integer(i): String(i)
        case let .number(x): x.isFinite ? String(format: "%.\(column.decimals)f", x) : "n/a"
        }
    }

    /// Columns padded to their widest cell: text left-aligned, numbers right-aligned.
    public func renderText() -> String {
        let cells = rows.map { row in zip(row, columns).map { text($0, $1) } }
        let widths = columns.indices.map { c in
            max(columns[c].heading.count, cells.map { $0[c].count }.max() ?? 0)
        }
        func pad(_ s: String, _ width: Int, right: Bool) -> String {
            let fill = String(repeating: " ", count: max(0, width - s.count))
            return right ? fill + s : s + fill
        }
        let numeric = columns.indices.map { c in rows.allSatisfy { if case .text = $0[c] { false } else { true } } && !rows.isEmpty }
        var lines = [columns.indices.map { pad(columns[$0].heading, widths[$0], right: numeric[$0]) }.joined(separator: "  ")]
        lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        for row in cells {
            lines.append(row.indices.map { pad(row[$0], widths[$0], right: numeric[$0]) }.joined(separator: "  "))
        }
        return lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV with a header of column keys; numbers at full precision.
    public func renderCSV() -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = columns.map { field($0.key) }.joined(separator: ",") + "\n"
        for row in rows {
            out += row.map { value in
                switch value {
                case let .text(s): field(s)
                case let .integer(i): String(i)
                case let .number(x): x.isFinite ? "\(x)" : ""
                }
            }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// A JSON array with one object per row, keyed by column key.
    public func renderJSON() -> String {
        func escape(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
                }
            }
            return out + "\""
        }
        let objects = rows.map { row in
            "  {" + zip(columns, row).map { column, value in
                let v: String
                switch value {
                case let .text(s): v = escape(s)
                case let .integer(i): v = String(i)
                case let .number(x): v = x.isFinite ? "\(x)" : "null"
                }
                return escape(column.key) + ": " + v
            }.joined(separator: ", ") + "}"
        }
        return objects.isEmpty ? "[]\n" : "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    /// A GitHub Markdown table with the text table's headings and numbers.
    public func renderMarkdown() -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = "| " + columns.map { cell($0.heading) }.joined(separator: " | ") + " |\n"
        out += "|" + columns.indices.map { c in
            rows.first.map { if case .text = $0[c] { " --- " } else { " ---: " } } ?? " --- "
        }.joined(separator: "|") + "|\n"
        for row in rows {
            out += "| " + zip(row, columns).map { cell(text($0, $1)) }.joined(separator: " | ") + " |\n"
        }
        return out
    }
}
