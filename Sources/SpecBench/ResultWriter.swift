import Foundation
import SpecCore

/// Keeps a sweep's `ResultTable` and its output files (`--csv`, `--json`,
/// `--markdown`) in step: each file is created (empty table) before the sweep
/// starts, so an unwritable path fails before any work, and rewritten whole
/// after every row, so an interrupted sweep leaves valid files holding every
/// finished row. Cost per row: one write of each file, O(rows).
public final class ResultWriter {
    public private(set) var table: ResultTable
    private let files: [(path: String, render: (ResultTable) -> String)]

    /// - Throws: `BenchError` naming the first path that cannot be written.
    public init(columns: [ResultTable.Column], csv: String?, json: String?, markdown: String?) throws(BenchError) {
        table = ResultTable(columns: columns)
        var files: [(String, (ResultTable) -> String)] = []
        if let csv { files.append((csv, { $0.renderCSV() })) }
        if let json { files.append((json, { $0.renderJSON() })) }
        if let markdown { files.append((markdown, { $0.renderMarkdown() })) }
        self.files = files
        try flush()
    }

    /// Adds a row and rewrites the files.
    public func append(_ row: [ResultTable.Value]) throws(BenchError) {
        table.append(row)
        try flush()
    }

    private func flush() throws(BenchError) {
        for (path, render) in files {
            let directory = (path as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
                throw BenchError("cannot write \(path): the folder \(directory) does not exist")
            }
            do {
                try Data(render(table).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw BenchError("cannot write \(path): \(error.localizedDescription)")
            }
        }
    }
}
