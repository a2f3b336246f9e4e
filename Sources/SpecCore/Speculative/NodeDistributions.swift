/// Read-only probability rows for a draft tree, one per batch index: row 0 is
/// the context root, row `i + 1` node `i` (`DraftTree.batchIndex(ofNode:)`),
/// the same layout as the target's logits for `DraftTree.batch(root:)`.
///
/// Rows hold *processed* distributions (after temperature, top-k, top-p), each
/// summing to 1 as `Sampler.probabilities` writes them. The verifier reads the
/// target's row at the root and at every node it reaches, and the draft's row
/// at the root and at every node that has children; other rows are never read.
public struct NodeDistributions {
    public let rows: UnsafeBufferPointer<Float>  // (nodeCount + 1, vocabularySize), row-major
    public let vocabularySize: Int

    /// - Precondition: `rows.count` is a positive multiple of `vocabularySize`.
    public init(rows: UnsafeBufferPointer<Float>, vocabularySize: Int) {
        precondition(vocabularySize > 0 && rows.count >= vocabularySize && rows.count % vocabularySize == 0,
                     "rows must be whole rows of the vocabulary size")
        self.rows = rows
        self.vocabularySize = vocabularySize
    }

    /// Number of rows (the root plus the nodes they cover).
    public var rowCount: Int { rows.count / vocabularySize }

    /// The distribution at `node` (-1 = the context root). Cost: O(1).
    public subscript(node node: Int) -> UnsafeBufferPointer<Float> {
        let row = DraftTree.batchIndex(ofNode: node)
        precondition(row >= 0 && row < rowCount, "no row for node \(node)")
        return UnsafeBufferPointer(rebasing: rows[(row * vocabularySize)..<((row + 1) * vocabularySize)])
    }
}
