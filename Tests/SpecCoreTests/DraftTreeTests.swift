import Foundation
import SpecCore
import Testing

@Suite("Draft tree")
struct DraftTreeTests {
    /// root ─┬─ 0:"7" ─┬─ 2:"9"
    ///       │         └─ 3:"4" ── 4:"5"
    ///       └─ 1:"8"
    static func sample() -> DraftTree {
        var tree = DraftTree()
        tree.append(token: 7, parent: -1, draftProbability: 0.5)
        tree.append(token: 8, parent: -1, draftProbability: 0.25)
        tree.append(token: 9, parent: 0, draftProbability: 0.5)
        tree.append(token: 4, parent: 0, draftProbability: 0.125)
        tree.append(token: 5, parent: 3, draftProbability: 1)
        return tree
    }

    @Test func structure() {
        let tree = Self.sample()
        #expect(tree.count == 5 && tree.depth == 3 && !tree.isChain)
        #expect(tree.children(of: -1) == [0, 1])
        #expect(tree.children(of: 0) == [2, 3])
        #expect(tree.children(of: 1).isEmpty)
        #expect(tree.nodes.map(\.siblingRank) == [0, 1, 0, 1, 0])
        #expect(tree.nodes.map(\.depth) == [1, 1, 2, 2, 3])
        #expect(tree.path(to: 4) == [0, 3, 4])
        #expect(tree.path(to: -1).isEmpty)
        #expect(tree.tokens(to: 4) == [7, 4, 5])
        #expect(tree.levels == [[0, 1], [2, 3], [4]])
        #expect(abs(tree[4].logProbability - log(0.5 * 0.125)) < 1e-12)
    }

    /// The target evaluates [root] + nodes: node i is batch index i + 1, and
    /// the batch's tree structure and depths match the draft tree's.
    @Test func batchMapping() {
        let tree = Self.sample()
        let batch = tree.batch(root: 42)
        #expect(batch.tokens == [42, 7, 8, 9, 4, 5])
        #expect(batch.parents == [-1, 0, 0, 1, 1, 4])
        #expect(batch.depths == [0] + tree.nodes.map(\.depth))
        for i in 0..<tree.count {
            #expect(DraftTree.batchIndex(ofNode: i) == i + 1)
            #expect(DraftTree.node(ofBatchIndex: i + 1) == i)
            #expect(batch.path(to: DraftTree.batchIndex(ofNode: i)) == DraftTree.batchPath(accepting: tree.path(to: i)))
        }
        #expect(DraftTree.batchIndex(ofNode: -1) == 0)
        #expect(DraftTree.batchPath(accepting: []) == [0])
    }

    /// The builder's levels per method: sizes, parents, frontier, completion.
    @Test func builderLevels() throws {
        let v = 10
        let q = [Float](repeating: 0.1, count: v)
        var random = RandomSource(seed: 9)
        func draw(_ shape: DraftShape) throws -> DraftTree {
            try drawTree(shape, random: &random) { _ in q }
        }
        let chain = try draw(.chain(depth: 4))
        #expect(chain.count == 4 && chain.isChain && chain.depth == 4)
        let spec = try draw(.specInfer(branching: [3, 2]))
        #expect(spec.levels.map(\.count) == [3, 6])
        #expect(spec.levels[1].map { spec[$0].parent } == [0, 0, 1, 1, 2, 2])
        let rsdc = try draw(.rsdC(branching: [3, 2]))
        #expect(rsdc.levels.map(\.count) == [3, 6])
        for node in -1..<rsdc.count {
            let tokens = rsdc.children(of: node).map { rsdc[$0].token }
            #expect(Set(tokens).count == tokens.count, "siblings repeat")
        }
        let rsds = try draw(.rsdS(width: 4, depth: 3))
        #expect(rsds.levels.map(\.count) == [4, 4, 4])
        // Within a parent, children come by decreasing score (sampling order).
        for node in -1..<rsds.count {
            let scores = rsds.children(of: node).map { rsds[$0].score! }
            #expect(zip(scores, scores.dropFirst()).allSatisfy { $0 >= $1 })
        }

        var builder = try DraftTreeBuilder(shape: .rsdC(branching: [2, 2]))
        #expect(builder.frontier == [-1])
        q.withUnsafeBufferPointer { row in
            let first = builder.drawLevel(random: &random) { _ in row }
            #expect(first == 0..<2 && builder.frontier == [0, 1])
            let second = builder.drawLevel(random: &random) { _ in row }
            #expect(second == 2..<6 && builder.isComplete && builder.frontier.isEmpty)
        }
    }
}
