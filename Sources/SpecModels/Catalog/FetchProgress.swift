import Foundation

/// How far a fetch is: which phase, bytes done of the phase's total, time
/// since it started. `line` renders it as a progress bar or a plain line.
public struct FetchProgress: Sendable, Equatable {
    public enum Phase: String, Sendable {
        case downloading, assembling
    }

    public var model: String
    public var phase: Phase
    public var done: Int64
    public var total: Int64
    public var seconds: Double

    public init(model: String, phase: Phase, done: Int64, total: Int64, seconds: Double) {
        self.model = model
        self.phase = phase
        self.done = done
        self.total = total
        self.seconds = seconds
    }

    /// Bytes per second so far (0 before the first byte).
    public var rate: Double { seconds > 0 ? Double(done) / seconds : 0 }

    /// Seconds left at the rate so far, if known.
    public var eta: Double? {
        guard rate > 0 else { return nil }
        return Double(max(0, total - done)) / rate
    }

    /// "qwen2.5-coder-1.5b downloading [████░░░░] 512 MB / 1.1 GB  38 MB/s  ETA 15s"
    /// (`bar` false: the same without the bar, for logs).
    public func line(bar: Bool) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        var text = "\(model) \(phase.rawValue) "
        if bar {
            text += "[\(ProgressText.bar(fraction: fraction))] "
        } else {
            text += String(format: "%3.0f%% ", 100 * fraction)
        }
        text += "\(ByteCount.format(done)) / \(ByteCount.format(total))"
        if rate > 0 { text += "  \(ByteCount.format(Int64(rate)))/s" }
        if let eta { text += "  ETA \(ProgressText.duration(eta))" }
        return text
    }
}
