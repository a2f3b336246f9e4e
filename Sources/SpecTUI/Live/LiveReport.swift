/// What a live run measured about itself, for the summary printed on exit
/// and for `spectree bench`: frames, key latencies, frame times.
public struct LiveReport: Sendable {
    /// 0 after `q` (or the end with `exitWhenFinished`); 128 + signal after SIGINT, SIGTERM or SIGHUP.
    public var exitStatus: Int32
    /// The screen model as it ended (statistics, finish reason, …).
    public var model: ScreenModel
    /// Frames drawn and presented.
    public var frames = 0
    /// Event batches applied.
    public var batches = 0
    /// Milliseconds from a key's arrival to the end of the next frame presented.
    public var keyToFrameMs: [Double] = []
    /// Milliseconds from a settings key's arrival to the end of the first
    /// frame that shows the new settings (a `configured` event after it).
    public var settingToEffectMs: [Double] = []
    /// Microseconds to draw and present each frame.
    public var frameMicroseconds: [Double] = []

    public init(exitStatus: Int32, model: ScreenModel) {
        self.exitStatus = exitStatus
        self.model = model
    }

    /// The median and the maximum of `values`, nil when empty.
    public static func medianAndMax(_ values: [Double]) -> (median: Double, max: Double)? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        return (s[s.count / 2], s[s.count - 1])
    }

    /// A few lines for standard error after the terminal is restored.
    public var summary: String {
        let s = model.statistics
        var lines: [String] = []
        if s.steps > 0 {
            var line = "\(s.emittedTokens) tokens in \(s.steps) steps at \(NumberFormat.fixed(s.tokensPerSecond, 1)) tokens/s"
            line += ", block efficiency \(NumberFormat.fixed(s.blockEfficiency, 2))"
            if let b = model.baselineTokensPerSecond {
                line += ", baseline \(NumberFormat.fixed(b, 1)) tokens/s (\(NumberFormat.speedup(s.tokensPerSecond / b)))"
            }
            if let info = model.info { line += " [\(info.draft), \(info.shape)]" }
            if model.state.acceptance.previous != nil { line += ", since the last settings change" }
            lines.append(line)
        }
        var ui = "\(frames) frames"
        if let f = Self.medianAndMax(frameMicroseconds) {
            ui += ", frame draw+present median \(NumberFormat.fixed(f.median, 0)) µs (max \(NumberFormat.fixed(f.max, 0)) µs)"
        }
        if let k = Self.medianAndMax(keyToFrameMs) {
            ui += "; key→frame median \(NumberFormat.fixed(k.median, 1)) ms (max \(NumberFormat.fixed(k.max, 1)), \(keyToFrameMs.count) keys)"
        }
        if let k = Self.medianAndMax(settingToEffectMs) {
            ui += "; setting key→new settings on screen median \(NumberFormat.fixed(k.median, 1)) ms (max \(NumberFormat.fixed(k.max, 1)), \(settingToEffectMs.count) changes)"
        }
        lines.append(ui)
        if let r = model.finishReason { lines.append("finished: \(r)") }
        return lines.joined(separator: "\n")
    }
}
