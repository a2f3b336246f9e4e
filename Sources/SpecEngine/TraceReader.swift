import Foundation
import SpecCore

/// Reads traces written by `TraceWriter`.
///
/// A trace that simply stops (a killed run: no `.finished` at the end) is
/// valid. A line that is not JSON of the expected shape is an error naming
/// the file and the line; a last line without its newline that does not
/// parse is reported as cut off.
public enum TraceReader {
    /// Reads the trace at `path`.
    /// - Throws: `TraceError`, e.g. "trace t.jsonl is cut off at line 17: …".
    /// - Complexity: O(file size); the whole trace is held in memory.
    public static func read(path: String) throws -> Trace {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TraceError(path: path, line: 0, "cannot read the trace \(path)")
        }
        return try parse(data, path: path)
    }

    /// Parses the bytes of a trace; `path` only names it in errors.
    public static func parse(_ data: Data, path: String) throws -> Trace {
        let name = (path as NSString).lastPathComponent
        let decoder = TraceCoding.decoder()
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        let endsWithNewline = data.last == 0x0A
        if endsWithNewline { lines.removeLast() }  // the empty piece after the final newline
        guard let first = lines.first, !first.isEmpty else {
            throw TraceError(path: path, line: 1, "trace \(name) is empty: it has no header line")
        }
        func failure(_ number: Int, _ what: String, _ error: Error) -> TraceError {
            let reason = Self.reason(error)
            if number == lines.count && !endsWithNewline {
                return TraceError(path: path, line: number, "trace \(name) is cut off at line \(number): \(reason)")
            }
            return TraceError(path: path, line: number, "trace \(name): line \(number) is not \(what): \(reason)")
        }
        let header: TraceHeader
        do {
            header = try decoder.decode(TraceHeader.self, from: Data(first))
        } catch {
            throw failure(1, "a spectree trace header", error)
        }
        guard header.format == TraceHeader.formatName else {
            throw TraceError(path: path, line: 1, "trace \(name): line 1 names the format '\(header.format)', not '\(TraceHeader.formatName)'")
        }
        guard header.version <= TraceHeader.currentVersion else {
            throw TraceError(path: path, line: 1, "trace \(name) has format version \(header.version); this spectree reads up to \(TraceHeader.currentVersion)")
        }
        var events: [SessionEvent] = []
        events.reserveCapacity(lines.count)
        for (i, line) in lines.enumerated().dropFirst() {
            let number = i + 1
            if line.isEmpty {
                if number == lines.count { break }
                throw TraceError(path: path, line: number, "trace \(name): line \(number) is empty")
            }
            let event: SessionEvent
            do {
                event = try decoder.decode(SessionEvent.self, from: Data(line))
            } catch {
                throw failure(number, "a session event", error)
            }
            if case let .decoding(.stepFinished(summary)) = event, let problem = Self.impossibleTime(summary) {
                throw TraceError(path: path, line: number, "trace \(name): line \(number) has \(problem)")
            }
            events.append(event)
        }
        return Trace(header: header, events: events)
    }

    /// The longest a recorded step may take: replaying it waits that long.
    public static let longestStepSeconds = 3600.0

    /// What is impossible about a step's times (negative, not finite, longer
    /// than `longestStepSeconds`), or nil.
    static func impossibleTime(_ summary: StepSummary) -> String? {
        for (part, seconds) in [("draft", summary.draftSeconds), ("verify", summary.verifySeconds), ("other", summary.otherSeconds)]
        where !(seconds.isFinite && seconds >= 0 && seconds <= longestStepSeconds) {
            return "a step whose \(part) time is \(seconds) s; a step takes between 0 and \(Int(longestStepSeconds)) s"
        }
        return nil
    }

    /// A one-line reason from a decoding error.
    private static func reason(_ error: Error) -> String {
        switch error {
        case let DecodingError.dataCorrupted(context):
            return context.underlyingError.map { "\(context.debugDescription) (\($0.localizedDescription))" } ?? context.debugDescription
        case let DecodingError.keyNotFound(key, context):
            return "missing '\(key.stringValue)' at \(path(context))"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            return "\(context.debugDescription) at \(path(context))"
        default:
            return String(describing: error)
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? "the top level" : context.codingPath.map(\.stringValue).joined(separator: ".")
    }
}
