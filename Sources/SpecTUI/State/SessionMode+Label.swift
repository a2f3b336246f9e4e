import SpecEngine

extension SessionMode {
    /// The label shown at the right of the header.
    public var label: String {
        switch self {
        case .running: "running"
        case .paused: "paused"
        case .decision: "one decision"
        case .finished: "done"
        }
    }
}
