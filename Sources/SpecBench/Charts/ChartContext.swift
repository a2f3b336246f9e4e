import Foundation

/// What a figure was measured on, for its subtitle: the model, the draft,
/// the machine (CPU and cores) and the date.
public struct ChartContext: Sendable, Equatable {
    public var model: String
    public var draft: String
    public var machine: String
    public var date: String

    public init(model: String, draft: String, machine: String = ChartContext.machineDescription(), date: String = ChartContext.today()) {
        self.model = model
        self.draft = draft
        self.machine = machine
        self.date = date
    }

    /// `model · draft · machine · date`, the parts that are known.
    public var subtitle: String {
        [model.isEmpty ? nil : "model \(model)", draft.isEmpty ? nil : "draft \(draft)", machine, date]
            .compactMap { $0 }.joined(separator: " · ")
    }

    /// The CPU's name from /proc/cpuinfo (Linux) and the core count, e.g.
    /// `Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz, 2 cores`.
    public static func machineDescription() -> String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var cpu = "unknown CPU"
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            cpu = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        } else {
            var name = utsname()
            uname(&name)
            cpu = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(cpu), \(cores) core\(cores == 1 ? "" : "s")"
    }

    /// Today in UTC, `yyyy-MM-dd`.
    public static func today() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }

    /// Checks that `path` can be written (its folder exists and is writable),
    /// so that a bad `--plot` fails before a sweep starts.
    /// - Throws: `BenchError` naming the path.
    public static func checkWritable(_ path: String) throws(BenchError) {
        let directory = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw BenchError("cannot write \(path): the folder \(directory) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: directory.isEmpty ? "." : directory) else {
            throw BenchError("cannot write \(path): the folder is not writable")
        }
    }

    /// Writes `chart` as SVG to `path`.
    /// - Throws: `BenchError` naming the path when it cannot be written.
    public static func write(_ chart: Chart, to path: String) throws(BenchError) {
        try checkWritable(path)
        do {
            try Data(SVGChartRenderer().render(chart).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw BenchError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
