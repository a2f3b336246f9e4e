import Foundation
import SpecCore

/// A `ResultTable` as text that fits a width: column titles on one line and
/// their units on the line below (so no title carries its unit), numbers
/// right-aligned, and, when the table is wider than `width`, the columns
/// named in `droppable` left out one by one (first named, first dropped)
/// until it fits, with a last line naming what was left out. Draft
/// specifications in the `draft` column are shortened (`DraftName.short`).
///
/// Complexity: O(rows · columns) per attempt, at most `droppable.count + 1` attempts.
public struct TextTable: Sendable {
    public var table: ResultTable
    /// Column keys that may be left out, least important first.
    public var droppable: [String]
    /// Column keys whose text values are draft specifications, shown short.
    public var draftColumns: Set<String> = ["draft"]

    public init(_ table: ResultTable, droppable: [String] = []) {
        self.table = table
        self.droppable = droppable
    }

    /// The width every experiment prints within: the terminal's columns when
    /// standard output is a terminal, else 100.
    public static var outputWidth: Int {
        var size = winsize()
        if isatty(STDOUT_FILENO) != 0, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 100
    }

    /// - Parameter width: the most columns a line may take; nil for every column (`--wide`).
    public func render(width: Int?) -> String {
        var hidden: [String] = []
        var text = render(hiding: [])
        guard let width else { return text }
        for key in droppable where Self.widest(text) > width {
            guard table.columns.contains(where: { $0.key == key }) else { continue }
            hidden.append(key)
            text = render(hiding: Set(hidden))
        }
        if !hidden.isEmpty {
            let titles = hidden.compactMap { key in table.columns.first { $0.key == key }?.title }
            text += "(left out to fit \(width) columns: \(titles.joined(separator: ", ")); --wide shows every column)\n"
        }
        return text
    }

    static func widest(_ text: String) -> Int { text.split(separator: "\n").map(\.count).max() ?? 0 }

    private func render(hiding hidden: Set<String>) -> String {
        let shown = table.columns.indices.filter { !hidden.contains(table.columns[$0].key) }
        let cells = table.rows.map { row in shown.map { format(row[$0], table.columns[$0]) } }
        let hasUnits = shown.contains { !table.columns[$0].unit.isEmpty }
        let widths = shown.indices.map { i in
            max(table.columns[shown[i]].title.count, table.columns[shown[i]].unit.count, cells.map { $0[i].count }.max() ?? 0)
        }
        let numeric = shown.map { c in !table.rows.isEmpty && table.rows.allSatisfy { if case .text = $0[c] { false } else { true } } }
        func line(_ parts: [String]) -> String {
            parts.indices.map { i in
                let fill = String(repeating: " ", count: max(0, widths[i] - parts[i].count))
                return numeric[i] ? fill + parts[i] : parts[i] + fill
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var lines = [line(shown.map { table.columns[$0].title })]
        if hasUnits { lines.append(line(shown.map { table.columns[$0].unit })) }
        lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        lines += cells.map(line)
        return lines.joined(separator: "\n") + "\n"
    }

    private func format(_ value: ResultTable.Value, _ column: ResultTable.Column) -> String {
        switch value {
        case let .text(s): draftColumns.contains(column.key) ? DraftName.short(s) : s
        case let .integer(i): String(i)
        case let .number(x): x.isFinite ? String(format: "%.\(column.decimals)f", x) : "n/a"
        }
    }
}

/// Short names for draft specifications in tables and charts.
public enum DraftName {
    /// A GGUF path becomes its file stem without the quantisation suffix
    /// (`/m/Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf` → `Qwen2.5-Coder-0.5B-Instruct`);
    /// `self:K`, `ngram:N` and catalog names stay as they are.
    public static func short(_ spec: String) -> String {
        guard spec.lowercased().hasSuffix(".gguf") || spec.contains("/") else { return spec }
        var stem = ((spec as NSString).lastPathComponent as NSString).deletingPathExtension
        // Drop a trailing quantisation tag such as .Q4_K_M, -Q8_0, .F16.
        if let range = stem.range(of: "[.-](Q[0-9][A-Z0-9_]*|[BF]F?16|F32|IQ[0-9][A-Z0-9_]*)$", options: [.regularExpression, .caseInsensitive]) {
            stem.removeSubrange(range)
        }
        return stem.isEmpty ? spec : stem
    }
}
