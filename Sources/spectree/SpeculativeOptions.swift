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

    @Option(name: .long, help: "Verifier: token (token by token), block (a chain judged jointly), traversal (a tree, leaves towards the root).")
    var verifier: String?

    var drafting: Bool { draft != nil }

    /// The verifier named by --verifier (token when none was given), checked
    /// against `shape` when one is given: block verification judges chains only.
    func verifierChoice(for shape: DraftShape? = nil) throws -> Verifier {
        guard let verifier else { return .token }
        guard let parsed = Verifier(rawValue: verifier) else {
            throw ValidationError("unknown verifier '\(verifier)': use token, block or traversal")
        }
        if let shape {
            do { try parsed.validate(shape) } catch { throw ValidationError(error.description) }
        }
        return parsed
    }

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
        let method = try draftMethod()
        let shape: DraftShape
        do {
            if let budget {
                shape = try DraftShape.largest(method, budget: budget, depth: depth, vocabularySize: vocabularySize)
            } else if let levels = try branchingLevels(), method == .specInfer || method == .rsdC {
                shape = method == .specInfer ? .specInfer(branching: levels) : .rsdC(branching: levels)
            } else {
                switch method {
                case .chain: shape = .chain(depth: depth)
                case .specInfer: shape = .specInfer(branching: [width] + Array(repeating: 1, count: max(0, depth - 1)))
                case .rsdC: shape = .rsdC(branching: [width] + Array(repeating: 1, count: max(0, depth - 1)))
                case .rsdS: shape = .rsdS(width: width, depth: depth)
                }
            }
            try shape.validate(vocabularySize: vocabularySize)
        } catch let error as SettingsError {
            throw ValidationError(error.description)
        }
        return shape
    }
}
