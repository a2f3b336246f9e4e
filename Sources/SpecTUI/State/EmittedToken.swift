/// One token of text in the text pane, with where it came from and the step that emitted it.
public struct EmittedToken: Sendable, Equatable {
    public var text: String
    public var provenance: Provenance
    /// The step that emitted it; 0 for the prompt.
    public var step: Int

    public init(_ text: String, _ provenance: Provenance, step: Int) {
        self.text = text
        self.provenance = provenance
        self.step = step
    }
}
