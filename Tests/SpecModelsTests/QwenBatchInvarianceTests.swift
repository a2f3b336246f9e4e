import Foundation
import SpecCore
import SpecModels
import Testing

/// Batch invariance on the real Qwen2.5-Coder-1.5B Q4_K_M, whose matrices are Q4_K
/// and Q6_K (the output head too): the K-quant kernels SmolLM2 (Q4_1, Q8_0) never runs.
/// Three of its 28 layers (0 and 1 hold Q6_K attn_v and ffn_down, 11 is all Q4_K) and
/// the full output head keep it to a few seconds. Skipped, visibly, when the file is absent.
/// The Qwen2.5-Coder-1.5B Q4_K_M file in the models directory.
let qwen15BPath = DefaultModel.directory + "/Qwen2.5-Coder-1.5B-Instruct.Q4_K_M.gguf"

@Suite(.enabled(if: FileManager.default.fileExists(atPath: qwen15BPath),
                "Qwen2.5-Coder-1.5B-Instruct.Q4_K_M.gguf is not in the models directory"))
struct QwenBatchInvarianceTests {
    static let path = qwen15BPath
    static let weights: TransformerWeights? = {
        ComputePool.start(threads: 2)
        return try? TransformerWeights(path: path)
    }()
    static let prompt: [TokenID] = [151644, 8948, 198, 2610, 525, 264, 10950, 17847, 13, 151645, 198, 151644, 872, 198]

    func model() throws -> Transformer {
        let weights = try #require(Self.weights, "\(Self.path) did not load")
        return try Transformer(weights: weights, layers: [0, 1, 11], contextLength: 256)
    }

    /// A random tree of `n` nodes (parents before children), seeded.
    static func randomTree(_ n: Int, seed: UInt64) -> TokenBatch {
        var random = RandomSource(seed: seed)
        let tokens = (0..<n).map { _ in TokenID(random.next() % 151_000) }
        let parents = (0..<n).map { i in i == 0 ? -1 : Int(random.next() % UInt64(i + 1)) - 1 }
        return TokenBatch(tokens: tokens, parents: parents)
    }

    @Test func treeBatchIsBitIdenticalToPathsAloneForN1To64() throws {
        let model = try model()
        _ = try model.prefill(Self.prompt)
        for n in 1...64 {
            let tree = Self.randomTree(n, seed: UInt64(n) &+ 500)
            let treeLogits = TestSupport.rows(try model.evaluate(tree, logits: .all))
            // The deepest leaf's path and the last node's path, each evaluated alone as a chain.
            let deepest = (0..<n).max { tree.depths[$0] < tree.depths[$1] }!
            for leaf in Set([deepest, n - 1]) {
                let path = tree.path(to: leaf)
                let alone = try model.evaluate(TokenBatch(chain: path.map { tree.tokens[$0] }), logits: .all)
                for (k, node) in path.enumerated() {
                    #expect(Array(alone[row: k]) == treeLogits[node], "N=\(n): node \(node) differs from its path alone")
                }
            }
        }
    }

    @Test func chainBatchIsBitIdenticalToOneTokenAtATime() throws {
        let model = try model()
        _ = try model.prefill(Self.prompt)
        let chain: [TokenID] = [7985, 264, 13027, 729, 311, 1779, 421, 264, 1372, 374, 10250, 13]
        let batched = TestSupport.rows(try model.evaluate(TokenBatch(chain: chain), logits: .all))
        for (k, token) in chain.enumerated() {
            let one = try model.evaluate(TokenBatch(chain: [token]), logits: .all)
            #expect(Array(one[row: 0]) == batched[k], "token \(k) alone differs from the batch")
            try model.commit(path: [0])
        }
    }
}
