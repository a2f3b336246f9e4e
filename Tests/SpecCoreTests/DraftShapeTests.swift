import SpecCore
import Testing

@Suite("Draft shapes and budgets")
struct DraftShapeTests {
    /// Impossible shapes are refused with a message naming the problem.
    @Test(arguments: [
        (DraftShape.chain(depth: 0), "depth"),
        (.specInfer(branching: []), "depth"),
        (.rsdC(branching: []), "depth"),
        (.specInfer(branching: [2, 0]), "branching"),
        (.rsdC(branching: [0]), "branching"),
        (.rsdC(branching: [3, 5]), "vocabulary"),
        (.rsdS(width: 0, depth: 2), "width"),
        (.rsdS(width: 2, depth: 0), "depth"),
        (.rsdS(width: 5, depth: 2), "vocabulary"),
    ])
    func badShapesThrow(_ shape: DraftShape, _ word: String) {
        #expect {
            try shape.validate(vocabularySize: 4)
        } throws: { error in
            (error as? SettingsError)?.description.contains(word) == true
        }
    }

    /// With replacement, more children than tokens is allowed (duplicates).
    @Test func labelsNameTheMethodAndShape() {
        #expect(DraftShape.chain(depth: 4).label == "chain L=4")
        #expect(DraftShape.specInfer(branching: [3, 2]).label == "specinfer b=3,2")
        #expect(DraftShape.rsdC(branching: [3, 2, 1]).label == "rsd-c b=3,2,1")
        #expect(DraftShape.rsdS(width: 4, depth: 5).label == "rsd-s W=4 L=5")
    }

    @Test func specInferMayExceedTheVocabulary() throws {
        try DraftShape.specInfer(branching: [6]).validate(vocabularySize: 4)
        try DraftShape.rsdC(branching: [4, 4]).validate(vocabularySize: 4)
    }

    @Test func builderRefusesBadShapes() {
        #expect(throws: SettingsError.self) { try DraftTreeBuilder(shape: .chain(depth: 0)) }
        #expect(throws: SettingsError.self) { try DraftTreeBuilder(shape: .rsdS(width: 0, depth: 1)) }
    }

    @Test func badBudgetsThrow() {
        for method in DraftMethod.allCases {
            #expect(throws: SettingsError.self) { try DraftShape.largest(method, budget: 0, depth: 2) }
        }
        #expect(throws: SettingsError.self) { try DraftShape.largest(.rsdS, budget: 8, depth: 0) }
        #expect(throws: SettingsError.self) { try DraftShape.largest(.rsdC, budget: 8, depth: -1) }
    }

    /// The documented rules, on examples.
    @Test func budgetRules() throws {
        #expect(try DraftShape.largest(.chain, budget: 7, depth: 3) == .chain(depth: 7))
        #expect(try DraftShape.largest(.rsdS, budget: 10, depth: 3) == .rsdS(width: 3, depth: 3))
        #expect(try DraftShape.largest(.rsdS, budget: 2, depth: 5) == .rsdS(width: 1, depth: 2))
        #expect(try DraftShape.largest(.rsdS, budget: 64, depth: 4, vocabularySize: 8) == .rsdS(width: 8, depth: 4))
        #expect(try DraftShape.largest(.rsdC, budget: 10, depth: 3) == .rsdC(branching: [2, 2, 1]))
        #expect(try DraftShape.largest(.specInfer, budget: 1, depth: 3) == .specInfer(branching: [1]))
        #expect(try DraftShape.largest(.rsdC, budget: 64, depth: 1, vocabularySize: 4) == .rsdC(branching: [4]))
        #expect(try DraftShape.largest(.specInfer, budget: 64, depth: 1, vocabularySize: 4) == .specInfer(branching: [64]))
        #expect(try DraftShape.largest(.rsdC, budget: 64, depth: 64) == .rsdC(branching: [Int](repeating: 1, count: 64)))
    }

    /// For every budget up to 40 and depth up to 5, the chosen branching fits
    /// the budget, is non-increasing, and no non-increasing vector of that
    /// depth has more nodes within the budget (brute force).
    @Test func branchingIsTheLargestThatFits() throws {
        for budget in 1...40 {
            for depth in 1...5 {
                let shape = try DraftShape.largest(.rsdC, budget: budget, depth: depth)
                let b = shape.branching
                #expect(b.count == min(depth, budget))
                #expect(shape.maxNodeCount <= budget)
                #expect(zip(b, b.dropFirst()).allSatisfy { $0 >= $1 })
                #expect(shape.maxNodeCount == bruteForceBest(levels: b.count, budget: budget), "budget \(budget) depth \(depth): \(b)")
                let beams = try DraftShape.largest(.rsdS, budget: budget, depth: depth)
                #expect(beams.maxNodeCount <= budget && (beams.depth == depth || beams.depth == budget))
            }
        }
    }

    @Test func nodeCounts() {
        #expect(DraftShape.chain(depth: 5).maxNodeCount == 5)
        #expect(DraftShape.specInfer(branching: [3, 2, 1]).maxNodeCount == 3 + 6 + 6)
        #expect(DraftShape.rsdS(width: 4, depth: 5).maxNodeCount == 20)
        #expect(DraftShape.rsdS(width: 4, depth: 2).branching == [4, 4])
        #expect(DraftShape.chain(depth: 3).method.verificationRule(greedy: false) == .chain)
        #expect(DraftShape.rsdS(width: 2, depth: 2).method.verificationRule(greedy: false) == .recursive)
        #expect(DraftShape.specInfer(branching: [2]).method.verificationRule(greedy: true) == .greedy)
    }

    private func bruteForceBest(levels: Int, budget: Int) -> Int {
        var best = 0
        func search(_ prefix: [Int], product: Int, count: Int) {
            if prefix.count == levels { best = max(best, count); return }
            for b in 1...(prefix.last ?? budget) {
                let next = product * b
                if count + next <= budget { search(prefix + [b], product: next, count: count + next) }
            }
        }
        search([], product: 1, count: 0)
        return best
    }
}
