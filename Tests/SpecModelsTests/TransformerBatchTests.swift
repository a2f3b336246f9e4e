import SpecCore
import SpecModels
import Testing

/// The seam speculative decoding rests on: tree batches, commits, and batch
/// invariance (bit-identical logits however tokens are batched).
@Suite struct TransformerBatchTests {
    static let prompt: [TokenID] = [1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 2, 198, 1, 520, 9531, 198]

    /// A random tree of `n` nodes (parents before children), seeded.
    static func randomTree(_ n: Int, seed: UInt64) -> TokenBatch {
        var random = RandomSource(seed: seed)
        let tokens = (0..<n).map { _ in TokenID(random.next() % 49152) }
        let parents = (0..<n).map { i in i == 0 ? -1 : Int(random.next() % UInt64(i + 1)) - 1 }
        return TokenBatch(tokens: tokens, parents: parents)
    }

    @Test func treeBatchIsBitIdenticalToEachPathAloneForN1To64() throws {
        let model = try TestSupport.defaultModel()
        _ = try model.prefill(Self.prompt)
        for n in 1...64 {
            let tree = Self.randomTree(n, seed: UInt64(n))
            let treeLogits = TestSupport.rows(try model.evaluate(tree, logits: .all))
            let children = Set(tree.parents)
            var checked = Set<Int>()
            // Each leaf's path, evaluated alone as a chain, covers every node on it.
            for leaf in 0..<n where !children.contains(leaf) {
                let path = tree.path(to: leaf)
                let alone = try model.evaluate(TokenBatch(chain: path.map { tree.tokens[$0] }), logits: .all)
                for (k, node) in path.enumerated() where !checked.contains(node) {
                    #expect(Array(alone[row: k]) == treeLogits[node], "N=\(n): node \(node) differs from its path alone")
                    checked.insert(node)
                }
            }
            #expect(checked.count == n)
            #expect(model.committedCount == Self.prompt.count, "evaluating must not commit")
        }
    }

    @Test func chainBatchIsBitIdenticalToOneTokenAtATime() throws {
        let model = try TestSupport.defaultModel()
        _ = try model.prefill(Self.prompt)
        let chain: [TokenID] = [6403, 1980, 253, 655, 28, 665, 436, 253, 1165, 14768, 567, 21, 30, 19, 1431, 7]
        let batched = TestSupport.rows(try model.evaluate(TokenBatch(chain: chain), logits: .all))
        for (k, token) in chain.enumerated() {
            let one = try model.evaluate(TokenBatch(chain: [token]), logits: .all)
            #expect(Array(one[row: 0]) == batched[k], "token \(k) alone differs from the batch")
            try model.commit(path: [0])
        }
    }

    @Test func committingAPathEqualsNeverHavingDrafted() throws {
        let drafted = try TestSupport.defaultModel()
        _ = try drafted.prefill(Self.prompt)
        let tree = Self.randomTree(24, seed: 99)
        _ = try drafted.evaluate(tree, logits: .all)
        let leaf = (0..<24).max { tree.depths[$0] < tree.depths[$1] }!
        let path = tree.path(to: leaf)
        try drafted.commit(path: path)
        #expect(drafted.committedCount == Self.prompt.count + path.count)
        let next: [TokenID] = [42, 1000]
        let afterCommit = TestSupport.rows(try drafted.evaluate(TokenBatch(chain: next), logits: .all))

        let plain = try TestSupport.defaultModel()
        _ = try plain.prefill(Self.prompt + path.map { tree.tokens[$0] })
        let neverDrafted = TestSupport.rows(try plain.evaluate(TokenBatch(chain: next), logits: .all))
        #expect(afterCommit == neverDrafted)
    }

    @Test func contextOverflowIsAnErrorNotCorruption() throws {
        let model = try TestSupport.defaultModel(context: 20)
        _ = try model.prefill(Array(Self.prompt.prefix(16)))
        #expect(throws: ModelError.contextOverflow(committed: 16, batch: 5, context: 20)) {
            try model.evaluate(TokenBatch(chain: [1, 2, 3, 4, 5]), logits: .last)
        }
        #expect(model.committedCount == 16)
        _ = try model.evaluate(TokenBatch(chain: [1, 2, 3, 4]), logits: .last)  // exactly full is fine
    }

    @Test func invalidCommitPathsAndTokensAreRejected() throws {
        let model = try TestSupport.defaultModel()
        _ = try model.prefill(Self.prompt)
        _ = try model.evaluate(TokenBatch(tokens: [5, 6, 7], parents: [-1, -1, 0]), logits: .all)
        #expect(throws: ModelError.self) { try model.commit(path: [1, 2]) }  // 2's parent is 0, not 1
        #expect(throws: ModelError.self) { try model.commit(path: [3]) }
        #expect(throws: ModelError.self) { try model.evaluate(TokenBatch(chain: [49152]), logits: .last) }
        #expect(model.committedCount == Self.prompt.count)
    }
}
