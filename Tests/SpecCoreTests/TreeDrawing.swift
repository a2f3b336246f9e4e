import SpecCore

/// Draws a whole tree with `DraftTreeBuilder`, level by level, as the decoder
/// will: `draft(path)` gives q at the node reached by `path` below the root.
func drawTree(
    _ shape: DraftShape, random: inout RandomSource, draft: ([TokenID]) -> [Float]
) throws -> DraftTree {
    var builder = try DraftTreeBuilder(shape: shape)
    while !builder.isComplete {
        let frontier = builder.frontier
        let rows = frontier.map { draft(builder.tree.tokens(to: $0)) }
        let v = rows[0].count
        let flat = rows.flatMap { $0 }
        flat.withUnsafeBufferPointer { buffer in
            _ = builder.drawLevel(random: &random) { node in
                let i = frontier.firstIndex(of: node)!
                return UnsafeBufferPointer(rebasing: buffer[(i * v)..<((i + 1) * v)])
            }
        }
    }
    return builder.tree
}
