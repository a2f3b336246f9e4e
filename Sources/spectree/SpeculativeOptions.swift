import ArgumentParser
import SpecCore
import SpecModels

/// The draft source, drafting method and tree shape.
struct SpeculativeOptions: ParsableArguments {
    @Option(name: .long, help: "Draft source: self:K (first K layers), self:LIST (e.g. self:0-5,29), ngram[:N], or a GGUF path. None: plain decoding.")
    var draft: String?

    @Option(name: .long, help: "Drafting method: chain, specinfer, rsd-c, rsd-s (default: chain; for run, rsd-s).")
    var method: String?

    @Option(name: .long, help: "Tree depth L (levels of draft tokens).")
    var depth = 4

    @Option(name: .long, help: "Width: beams for rsd-s; first-level branching for specinfer and rsd-c.")
    var width = 2

    @Option(name: .long, help: "Branching per level for specinfer and rsd-c, e.g. 3,2,1 (overrides --depth and --width).")
    var branching: String?

    @Option(name: .long, help: "Target budget: tree tokens the target verifies per call; picks the largest shape of the method that fits.")
    var budget: Int?

    var drafting: Bool { draft != nil }

    /// The drafting method named by --method, or `defaultMethod` when none was given.
    func draftMethod(default defaultMethod: DraftMethod = .chain) throws -> DraftMethod {
        guard let method else { return defaultMethod }
        guard let parsed = DraftMethod(rawValue: method) else {
            throw ValidationError("unknown method '\(method)': use chain, specinfer, rsd-c or rsd-s")
        }
        return parsed
    }

    /// The levels of --branching, if given.
    func branchingLevels() throws -> [Int]? {
        guard let branching else { return nil }
        let levels = branching.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !levels.isEmpty, levels.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--branching takes numbers separated by commas, e.g. 3,2,1; got '\(branching)'")
        }
        return levels.map { $0! }
    }

    /// The tree shape the options describe, checked against the vocabulary.
    func shape(vocabularySize: Int) throws -> DraftShape {
        do {
            return try DraftShape(method: try draftMethod(), width: width, depth: depth, branching: try branchingLevels(),
                                  budget: budget, vocabularySize: vocabularySize)
        } catch let error as SettingsError {
            throw ValidationError(error.description)
        }
    }
}
