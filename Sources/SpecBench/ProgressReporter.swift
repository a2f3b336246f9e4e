import Foundation
import SpecModels

/// Progress of a long sweep on standard error: a bar with the ETA redrawn in
/// place when stderr is a terminal, one plain line per unit otherwise (logs,
/// pipes, tests). The ETA is the mean time per finished unit times the units left.
public final class ProgressReporter {
    public let total: Int
    public private(set) var done = 0
    private let isTerminal: Bool
    private let enabled: Bool
    private let start = ContinuousClock.now

    /// - Parameters:
    ///   - total: units of work (e.g. prompt runs) in the sweep.
    ///   - enabled: false prints nothing.
    public init(total: Int, enabled: Bool = true) {
        self.total = max(1, total)
        self.enabled = enabled
        isTerminal = isatty(STDERR_FILENO) != 0
    }

    /// Marks one unit done; `detail` says which.
    public func advance(_ detail: String) {
        done += 1
        guard enabled else { return }
        let elapsed = (ContinuousClock.now - start).seconds
        let eta = Double(total - min(done, total)) * elapsed / Double(done)
        let fraction = Double(min(done, total)) / Double(total)
        if isTerminal {
            write("\r\u{1B}[2K[\(ProgressText.bar(fraction: fraction))] \(done)/\(total)  ETA \(ProgressText.duration(eta))  \(detail)")
        } else {
            write(String(format: "progress %d/%d (%.0f%%) ETA %@: %@\n", done, total, 100 * fraction, ProgressText.duration(eta), detail))
        }
    }

    /// Ends the bar's line (terminal only).
    public func finish() {
        if enabled && isTerminal && done > 0 { write("\r\u{1B}[2K") }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
