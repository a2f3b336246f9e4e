import ArgumentParser
import SpecCore
import SpecModels

/// The draft source, drafting method and tree shape.
struct SpeculativeOptions: ParsableArguments {
    @Option(name: .long, help: "Draft source: self:K (first K layers), self:LIST (e.g. self:0-5,29), ngram[:N], a catalog name (qwen2.5-coder-0.5b) or a GGUF path, the last two optionally with :LIST (a subset of its layers) and @q4_0 (its weights requantised to 4.5 bits at load: a cheaper draft; @file keeps the file's types). None: plain decoding.")
    var draft: String?

    @Option(name: .long, help: "Drafting method: chain, specinfer, rsd-c, rsd-s, dynamic (EAGLE-2's dynamic tree: --budget nodes, --width top-k, --depth levels; default: chain; for run, rsd-s).")
    var method: String?

    @Option(name: .long, parsing: .unconditional, help: "Tree depth L (levels of draft tokens; default 4).")
    var depth: Int?

    @Option(name: .long, parsing: .unconditional, help: "Width: beams for rsd-s; first-level branching for specinfer and rsd-c; top-k per expanded node for dynamic (default 2).")
    var width: Int?

    @Option(name: .long, parsing: .unconditional, help: "Branching per level for specinfer and rsd-c, e.g. 3,2,1 (overrides --depth and --width).")
    var branching: String?

    @Option(name: .long, parsing: .unconditional, help: "Target budget: tree tokens the target verifies per call; picks the largest shape of the method that fits (for dynamic, the node budget B; default width × depth).")
    var budget: Int?

    @Option(name: .long, help: "Verifier: token (token by token), block (a chain judged jointly), traversal (a tree, leaves towards the root).")
    var verifier: String?

    @Option(name: .customLong("draft-vocab"), parsing: .unconditional, help: "Trimmed draft vocabulary (FR-Spec): the draft's output head keeps only the N most frequent tokens (e.g. 16384; default: all). Lossless.")
    var draftVocab: Int?

    @Option(name: .customLong("p-min"), parsing: .unconditional, help: "Stop drafting below a node whose draft probability of its most likely next token is under P (0…1; default 0: never). Lossless.")
    var pMin: Double?

    @Option(name: .customLong("draft-lookup"), parsing: .unconditional, help: "Lookup-assisted chain drafting: an n-gram lookup (suffixes of up to N tokens) in the text guesses the draft model's next tokens, so one draft call evaluates several (chain method; the drafted tokens are unchanged; default 0: off).")
    var draftLookup: Int?

    var drafting: Bool { draft != nil }

    /// The draft source to load: --draft, with the pair's measured requantisation
    /// (`@q4_0`, `PairDefaults`) when the options choose no shape and the draft names none.
    func draftSource(targetPath: String?) -> String? {
        guard let draft else { return nil }
        guard !draft.contains("@"), let entry = pairEntry(targetPath: targetPath) else { return draft }
        return draft + entry.quantizationSuffix
    }

    /// The lookup's n-gram length in force: --draft-lookup, else the pair's
    /// measured default when the options choose no shape; nil when off.
    func draftLookupLength(targetPath: String? = nil) -> Int? {
        let n = draftLookup ?? pairEntry(targetPath: targetPath)?.draftLookup ?? 0
        return n > 0 ? n : nil
    }

    /// The lookup in force (`draftLookupLength`), nil when off.
    /// - Throws: `ValidationError` for a negative --draft-lookup.
    func draftLookupDrafter(targetPath: String? = nil) throws -> NGramDrafter? {
        if let draftLookup, draftLookup < 0 {
            throw ValidationError("--draft-lookup must be 0 (off) or at least 1, got \(draftLookup)")
        }
        return try draftLookupLength(targetPath: targetPath).map { try NGramDrafter(maxN: $0) }
    }

    /// p-min in force: --p-min, else the pair's measured default (`PairDefaults`)
    /// when the options choose no shape, else 0.
    func pMinValue(targetPath: String?) -> Double {
        if let pMin { return pMin }
        return pairEntry(targetPath: targetPath)?.pMin ?? 0
    }

    /// The pair's measured defaults, when the options choose no shape and name a catalog pair.
    private func pairEntry(targetPath: String?) -> PairDefaults.Entry? {
        guard choosesNoShape, let targetPath, let draft else { return nil }
        return PairDefaults.entry(targetPath: targetPath, draft: draft)
    }

    /// Checks --draft-vocab and --p-min against the model (`SettingRanges`).
    func checkCheaperDraft(ranges: SettingRanges) throws {
        do {
            if let draftVocab { try ranges.check(draftVocabulary: draftVocab) }
            if let pMin { try SettingRanges.checkPMin(pMin) }
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// --draft-vocab, or else the pair's measured default (`PairDefaults`) when
    /// the options choose no shape either.
    func draftVocabulary(targetPath: String?) -> Int? {
        if let draftVocab { return draftVocab }
        return pairEntry(targetPath: targetPath)?.draftVocabulary
    }

    /// Applies the draft vocabulary (`draftVocabulary(targetPath:)`) to a loaded draft source.
    func prepare(_ source: DraftSource, targetPath: String?) throws {
        do {
            try DraftVocabulary.apply(draftVocabulary(targetPath: targetPath), to: source)
        } catch {
            throw ValidationError(error.description)
        }
    }

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

    /// True when no option chooses the method or the shape: a catalog pair then
    /// gets its measured default (`PairDefaults`).
    var choosesNoShape: Bool { method == nil && depth == nil && width == nil && branching == nil && budget == nil }

    /// The measured default shape for `targetPath` and the draft, when the options choose none.
    func pairDefault(targetPath: String) -> DraftShape? {
        pairEntry(targetPath: targetPath)?.shape
    }

    /// The drafting method named by --method, or `defaultMethod` when none was given.
    func draftMethod(default defaultMethod: DraftMethod = .chain) throws -> DraftMethod {
        guard let method else { return defaultMethod }
        guard let parsed = DraftMethod(rawValue: method) else {
            throw ValidationError("unknown method '\(method)': use chain, specinfer, rsd-c, rsd-s or dynamic")
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

    /// The tree shape the options describe (or `pairDefault` when they choose
    /// none), checked against the model's ranges (tree within one call,
    /// vocabulary) and, given the prompt's length, the context; the draft source too.
    func shape(ranges: SettingRanges, promptTokens: Int? = nil, pairDefault: DraftShape? = nil) throws -> DraftShape {
        let method = try draftMethod()
        do {
            if let draft { try ranges.check(draft: draft) }
            try checkCheaperDraft(ranges: ranges)
            let shape: DraftShape
            if let pairDefault, choosesNoShape {
                shape = pairDefault
                try ranges.check(shape)
            } else {
                shape = try ranges.shape(method: method, depth: depth ?? 4, width: width ?? 2,
                                         branching: try branchingLevels(), budget: budget)
            }
            if let promptTokens { try ranges.check(shape, promptTokens: promptTokens) }
            return shape
        } catch let error as SettingsError {
            throw ValidationError(error.description)
        }
    }
}
