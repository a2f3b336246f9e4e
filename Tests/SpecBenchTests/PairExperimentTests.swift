import SpecBench
import SpecCore
import SpecModels
import Testing

/// `bench pair`'s configurations: the trees per budget are real trees (a
/// shape of one child per node is a chain, which the chains already
/// measure), within the budget, and the pair's default runs with its own knobs.
@Suite struct PairExperimentTests {
    @Test func theTreesPerBudgetAreRealTreesWithinTheBudget() throws {
        ComputePool.start(threads: 2)
        let file = try #require(try? GGUFFile(path: DefaultModel.path), "the default model is missing at \(DefaultModel.path): run `make test`")
        let tokenizer = try Tokenizer(file: file)
        let target = try Transformer(weights: try TransformerWeights(file: file), contextLength: 256)
        let runner = try BenchRunner(target: target, tokenizer: tokenizer, prompts: PromptSet(prompts: []), system: nil, tokens: 8)
        let (draft, _) = try DraftSpecification("self:4").load(for: target)
        var experiment = PairExperiment(runner: runner, draft: draft)
        experiment.budgets = [4, 8, 16]
        experiment.chainDepths = [2, 4]
        experiment.pairDefault = PairDefaults.Entry(target: "t", draft: "d", shape: .chain(depth: 4), draftVocabulary: 32768,
                                                    pMin: 0.5, draftLookup: 3)
        var trees = 0
        for method in [DraftMethod.rsdC, .rsdS] {
            for budget in experiment.budgets {
                for shape in experiment.trees(method, budget: budget) {
                    trees += 1
                    #expect(shape.maxNodeCount > shape.depth, "\(shape.label) at budget \(budget) is a chain")
                    #expect(shape.maxNodeCount <= budget, "\(shape.label) exceeds budget \(budget)")
                }
            }
        }
        #expect(trees >= 6, "at least one tree per method and budget")
        let configurations = experiment.configurations
        #expect(configurations.prefix(2).map(\.shape) == [.chain(depth: 2), .chain(depth: 4)])
        let last = try #require(configurations.last)
        #expect(last.isDefault && last.pMin == 0.5 && last.draftLookup == 3 && last.draftVocabulary == 32768)
        #expect(last.label == "default chain L=4 v32k p0.5 lk3")
    }

    /// The runs go prompt by prompt: plain, every configuration, plain; then the
    /// next prompt. Each row compares with the plain runs of its own prompts.
    @Test func theRunsInterleavePromptByPrompt() throws {
        ComputePool.start(threads: 2)
        let file = try #require(try? GGUFFile(path: DefaultModel.path), "the default model is missing at \(DefaultModel.path): run `make test`")
        let tokenizer = try Tokenizer(file: file)
        let target = try Transformer(weights: try TransformerWeights(file: file), contextLength: 256)
        let prompts = PromptSet(prompts: Array(PromptSet.builtIn.prompts.filter { $0.kind == "chat" }.prefix(2)))
        let runner = try BenchRunner(target: target, tokenizer: tokenizer, prompts: prompts, system: nil, tokens: 4)
        let (draft, _) = try DraftSpecification("self:4").load(for: target)
        var experiment = PairExperiment(runner: runner, draft: draft)
        experiment.budgets = []
        experiment.chainDepths = [2, 3]
        var lines: [String] = []
        let result = try #require(try experiment.run { lines.append($0) })
        let names = prompts.prompts.map(\.name)
        let expected = names.flatMap { name in ["plain", "chain L=2", "chain L=3", "plain"].map { "\(name): \($0)" } }
        #expect(lines.count == expected.count && zip(lines, expected).allSatisfy { $0.hasPrefix($1 + " ") }, "\(lines)")
        #expect(experiment.runsPerPrompt == 4)
        #expect(result.plainTokensPerSecond.count == 2 && result.chains.count == 2)
        #expect(result.chains.allSatisfy { $0.plainTokensPerSecond > 0 && $0.speedup > 0 })
    }
}
