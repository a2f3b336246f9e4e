/// The text pane's content: the prompt and every token emitted so far.
///
/// Append-only while decoding; the view lays out only the tail that can be
/// visible, so a long text costs little per frame.
public struct TextState: Sendable, Equatable {
    public var tokens: [EmittedToken]

    public init(tokens: [EmittedToken] = []) { self.tokens = tokens }

    /// Appends one token. - Complexity: amortised O(1).
    public mutating func append(_ text: String, _ provenance: Provenance, step: Int) {
        tokens.append(EmittedToken(text, provenance, step: step))
    }
}
