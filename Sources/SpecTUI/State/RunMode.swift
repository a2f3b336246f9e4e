/// What the decoder is doing, as shown at the right of the header.
public enum RunMode: String, Sendable, Equatable, CaseIterable {
    /// Decoding continuously.
    case running
    /// Stopped until resumed or stepped.
    case paused
    /// Paused after running one step on request.
    case stepping
    /// Paused inside a step, one verification decision at a time.
    case decision
    /// The output is complete (end of sequence or token limit).
    case finished

    /// The label shown in the header.
    public var label: String {
        switch self {
        case .running: "running"
        case .paused: "paused"
        case .stepping: "step"
        case .decision: "one decision"
        case .finished: "done"
        }
    }
}
