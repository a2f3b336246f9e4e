/// Which rows of logits an evaluation should produce.
public enum LogitRows: Sendable, Equatable {
    /// One row per token in the batch.
    case all
    /// Only the last token's row (a prompt prefill needs nothing else).
    case last
}

/// A causal language model with a KV cache: the seam speculative decoding rests on.
///
/// A caller evaluates a batch of new tokens (a chain or a tree) on top of the
/// committed prefix, then commits one root-to-node path of that batch; every
/// other entry of the batch is dropped. Evaluating a tree in one call gives the
/// same logits as evaluating each root-to-node path on its own.
public protocol LanguageModel: AnyObject {
    /// Number of rows of the output head.
    var vocabularySize: Int { get }
    /// Longest sequence (committed plus batch) the model accepts.
    var contextLength: Int { get }
    /// Tokens committed to the KV cache so far.
    var committedCount: Int { get }
    /// Most tokens one `evaluate` call takes.
    var maxBatch: Int { get }

    /// Evaluates `batch` on top of the committed prefix and returns its logits,
    /// `(rows, vocabularySize)` row-major: one row per token, or one for `.last`.
    /// Any uncommitted tokens from earlier calls are dropped first; `batch`
    /// becomes the pending tree. The returned view is valid until the next call.
    /// - Throws: `ModelError.contextOverflow` when the batch does not fit.
    func evaluate(_ batch: TokenBatch, logits: LogitRows) throws -> LogitsView

    /// Grows the pending tree by `tokens`, whose `parents` index the pending
    /// tree as it will be (earlier tokens keep their indices; -1 attaches to
    /// the committed prefix), and returns the new tokens' logits. A draft
    /// model evaluates a tree level by level this way without recomputing.
    func extend(tokens: [TokenID], parents: [Int], logits: LogitRows) throws -> LogitsView

    /// Appends the pending tokens at `path` (indices into the pending tree; a
    /// root first, each the parent of the next) to the committed prefix and
    /// drops the rest of the pending tree.
    func commit(path: [Int]) throws

    /// Drops the whole KV cache.
    func reset()
}

/// A read-only view of logits owned by a model: `rows × columns`, row-major.
public struct LogitsView {
    public let base: UnsafePointer<Float>  // (rows, columns)
    public let rows: Int
    public let columns: Int

    public init(base: UnsafePointer<Float>, rows: Int, columns: Int) {
        self.base = base
        self.rows = rows
        self.columns = columns
    }

    /// Row `i` as a buffer into the model's storage.
    public subscript(row i: Int) -> UnsafeBufferPointer<Float> {
        precondition(i >= 0 && i < rows)
        return UnsafeBufferPointer(start: base + i * columns, count: columns)
    }
}

/// Errors a language model reports to its caller.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    /// The batch would take the sequence past the model's context.
    case contextOverflow(committed: Int, batch: Int, context: Int)
    /// A commit path that is not a root-to-node chain of the last batch.
    case invalidPath(String)
    /// A token id outside the vocabulary.
    case invalidToken(TokenID, vocabulary: Int)

    public var description: String {
        switch self {
        case let .contextOverflow(committed, batch, context):
            "context full: \(committed) committed + \(batch) new tokens exceed the context of \(context)"
        case let .invalidPath(why): "invalid commit path: \(why)"
        case let .invalidToken(id, vocabulary): "token id \(id) is outside the vocabulary of \(vocabulary)"
        }
    }
}

extension LanguageModel {
    /// Evaluates and commits `tokens` as a chain, in batches of at most
    /// `maxBatch`, and returns the logits of the last one (a prompt prefill).
    /// - Precondition: `tokens` is not empty.
    public func prefill(_ tokens: [TokenID]) throws -> LogitsView {
        precondition(!tokens.isEmpty, "nothing to prefill")
        var start = 0
        while true {
            let end = min(tokens.count, start + maxBatch)
            let chunk = Array(tokens[start..<end])
            let logits = try evaluate(TokenBatch(chain: chunk), logits: .last)
            try commit(path: Array(chunk.indices))
            if end == tokens.count { return logits }
            start = end
        }
    }
}
