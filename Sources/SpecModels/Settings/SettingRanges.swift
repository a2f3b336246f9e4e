#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SpecCore

/// Every range a decoding setting must lie in, in one place, so that `run`,
/// `generate`, `bench`, `tune` and `check` refuse the same impossible values
/// with the same words, before any work: a tree larger than one model call
/// holds, a tree or prompt that cannot fit the context, a context larger than
/// the machine's memory, an absurd n-gram length.
///
/// The limits come from the model: `maxBatch` (tokens one transformer call
/// takes: the root token plus the tree), `contextLength` (the KV cache), the
/// vocabulary and the layer count. Checks are O(1) or O(depth), with no
/// allocation in proportion to the values checked, so a setting of 10⁹ fails
/// in microseconds. Shape arithmetic saturates instead of overflowing.
public struct SettingRanges: Sendable, Equatable {
    /// Tokens one model call takes (`Transformer.maxBatch`).
    public let maxBatch: Int
    /// Positions the KV cache holds.
    public let contextLength: Int
    public let vocabularySize: Int
    public let layerCount: Int

    /// Compute threads a process may ask for.
    public static let threads = 1...64
    /// The longest suffix an n-gram (prompt lookup) draft may match. Longer
    /// suffixes almost never recur and each step costs O(history · n).
    public static let maxNGram = 32
    /// The batch a transformer is built with unless told otherwise.
    public static let defaultMaxBatch = Transformer.defaultMaxBatch
    /// The default KV cache: the model's trained context, at most this.
    public static let defaultContextCap = 4096

    /// The most tree tokens (root excluded) a step may draft: the target
    /// verifies the root token and the tree in one call of `maxBatch`.
    public var maxTreeNodes: Int { maxBatch - 1 }

    public init(maxBatch: Int, contextLength: Int, vocabularySize: Int, layerCount: Int) {
        self.maxBatch = maxBatch
        self.contextLength = contextLength
        self.vocabularySize = vocabularySize
        self.layerCount = layerCount
    }

    /// The ranges of a model of `config` that will be built with a cache of
    /// `contextLength` and a batch of `maxBatch`: known before its weights load.
    public init(config: TransformerConfig, contextLength: Int, maxBatch: Int = defaultMaxBatch) {
        self.init(maxBatch: maxBatch, contextLength: contextLength, vocabularySize: config.vocabularySize,
                  layerCount: config.layerCount)
    }

    /// The ranges of `model` (a target): its batch, context, vocabulary and layers.
    public init(model: Transformer) {
        self.init(maxBatch: model.maxBatch, contextLength: model.contextLength,
                  vocabularySize: model.vocabularySize, layerCount: model.config.layerCount)
    }

    // MARK: - Tree shape

    /// The shape `method` makes of the command-line settings, checked:
    /// `budget` (the largest shape within it, `DraftShape.largest`) wins over
    /// `branching` (specinfer and rsd-c), which wins over `width` and `depth`.
    /// Every number is checked against `maxTreeNodes` before a shape is built,
    /// so no value, however large, allocates or overflows.
    /// - Throws: `SettingsError` saying which value is out of range and why.
    public func shape(method: DraftMethod, depth: Int, width: Int, branching: [Int]?,
                      budget: Int?) throws(SettingsError) -> DraftShape {
        let limit = maxTreeNodes
        let call = "one target call holds the root token and at most \(limit) tree tokens"
        guard depth >= 1 else { throw SettingsError("depth must be at least 1, got \(depth)") }
        if method == .dynamic {
            // A dynamic tree's budget is its own parameter, not a choice among shapes.
            guard width >= 1 else { throw SettingsError("width must be at least 1, got \(width)") }
            guard width <= limit else { throw SettingsError("width \(width) is too wide: \(call)") }
            guard depth <= limit else { throw SettingsError("depth \(depth) is too deep: \(call)") }
            if let budget {
                guard budget >= 1 else { throw SettingsError("budget must be at least 1 tree token, got \(budget)") }
                guard budget <= limit else { throw SettingsError("a budget of \(budget) tree tokens is too large: \(call)") }
            }
            let shape = try DraftShape(method: .dynamic, width: width, depth: depth, budget: budget, vocabularySize: vocabularySize)
            try check(shape)
            return shape
        }
        if let budget {
            guard budget >= 1 else { throw SettingsError("budget must be at least 1 tree token, got \(budget)") }
            guard budget <= limit else { throw SettingsError("a budget of \(budget) tree tokens is too large: \(call)") }
            guard depth <= limit else { throw SettingsError("depth \(depth) is too deep: \(call)") }
            let shape = try DraftShape.largest(method, budget: budget, depth: depth, vocabularySize: vocabularySize)
            try check(shape)
            return shape
        }
        let shape: DraftShape
        if let branching, method == .specInfer || method == .rsdC {
            guard !branching.isEmpty else { throw SettingsError("branching needs at least one level") }
            guard branching.count <= limit else {
                throw SettingsError("\(branching.count) levels of branching are too deep: \(call)")
            }
            for (level, b) in branching.enumerated() where b < 1 {
                throw SettingsError("branching at level \(level + 1) must be at least 1, got \(b)")
            }
            shape = method == .specInfer ? .specInfer(branching: branching) : .rsdC(branching: branching)
            try shape.validate(vocabularySize: vocabularySize)  // siblings beyond the vocabulary say so first
            let nodes = Self.nodeCount(branching)
            guard nodes <= limit else {
                let text = branching.map(String.init).joined(separator: ",")
                throw SettingsError("branching \(text) drafts up to \(nodes == .max ? "more than \(Int.max)" : "\(nodes)") "
                                    + "tree tokens: \(call)")
            }
        } else {
            guard depth <= limit else { throw SettingsError("depth \(depth) is too deep: \(call)") }
            guard width >= 1 else { throw SettingsError("width must be at least 1, got \(width)") }
            shape = try DraftShape(method: method, width: width, depth: depth, vocabularySize: vocabularySize)  // a width beyond the vocabulary says so first
            guard method == .chain || width <= limit else { throw SettingsError("width \(width) is too wide: \(call)") }
        }
        try check(shape)
        return shape
    }

    /// Checks a shape built elsewhere (a live change, a tune suggestion):
    /// valid for the vocabulary, within `maxTreeNodes`, and, when
    /// `promptTokens` is given, fitting in the context after that prompt
    /// (prompt + tree + the token each step emits).
    /// - Throws: `SettingsError` saying what does not fit.
    public func check(_ shape: DraftShape, promptTokens: Int? = nil) throws(SettingsError) {
        let branching = shape.depth <= maxTreeNodes ? shape.branching : []
        let nodes: Int = switch shape {
        case let .chain(depth): depth
        case let .rsdS(width, depth): width.multipliedReportingOverflow(by: depth).overflow ? .max : width * depth
        case .specInfer, .rsdC: shape.depth <= maxTreeNodes ? Self.nodeCount(branching) : .max
        case let .dynamic(budget, _, _): budget
        }
        if case let .dynamic(budget, width, depth) = shape, max(budget, width, depth) > maxTreeNodes {
            // The target verifies the budget; the draft evaluates up to k candidates per call.
            throw SettingsError("\(shape.label): budget, width and depth must each be at most \(maxTreeNodes): "
                                + "one target call holds the root token and at most \(maxTreeNodes) tree tokens")
        }
        guard nodes <= maxTreeNodes else {
            throw SettingsError("\(shape.method.rawValue) depth \(shape.depth) drafts up to "
                                + "\(nodes == .max ? "more than \(Int.max)" : "\(nodes)") tree tokens: one target call "
                                + "holds the root token and at most \(maxTreeNodes) tree tokens")
        }
        try shape.validate(vocabularySize: vocabularySize)
        if let promptTokens { try checkFits(promptTokens: promptTokens, treeTokens: nodes) }
    }

    /// Checks that a prompt of `promptTokens` and a tree of `treeTokens` fit
    /// in the context, with room for at least one more emitted token.
    public func checkFits(promptTokens: Int, treeTokens: Int = 0) throws(SettingsError) {
        let needed = promptTokens + treeTokens + 1
        guard needed <= contextLength else {
            let tree = treeTokens > 0 ? " and a tree of \(treeTokens) tokens" : ""
            throw SettingsError("the prompt (\(promptTokens) tokens)\(tree) need \(needed) positions, but the context holds "
                                + "\(contextLength): give a shorter prompt, a smaller tree, or a larger --context")
        }
    }

    /// b1 + b1·b2 + … + b1⋯bL, saturating at `Int.max`.
    /// - Complexity: O(L).
    public static func nodeCount(_ branching: [Int]) -> Int {
        var product = 1, total = 0
        for b in branching {
            let p = product.multipliedReportingOverflow(by: b)
            guard !p.overflow else { return .max }
            product = p.partialValue
            let t = total.addingReportingOverflow(product)
            guard !t.overflow else { return .max }
            total = t.partialValue
        }
        return total
    }

    // MARK: - Draft sources

    /// Checks a draft source as users write it (`self:K`, `self:LIST`,
    /// `ngram:N`, a path): layers within the model, an n-gram length of
    /// 1…`maxNGram`. A path is checked when it is opened.
    /// - Throws: `SettingsError` naming the source and the range.
    public func check(draft text: String) throws(SettingsError) {
        switch DraftSpecification(text) {
        case let .selfDraft(layers):
            try DraftSpecification.checkSelfDraft(layers)
            do { _ = try LayerSelection(parsing: layers, layerCount: layerCount) } catch {
                throw SettingsError("draft \(text): \(error.description)")
            }
        case let .ngram(n):
            guard (1...Self.maxNGram).contains(n) else {
                throw SettingsError("draft \(text): the n-gram length must be 1…\(Self.maxNGram), got \(n)")
            }
        case .file:
            if text.hasPrefix("ngram:") {
                throw SettingsError("draft \(text): give the n-gram length as a whole number, e.g. ngram:3")
            }
            _ = try DraftSpecification.splitQuantization(text)
        }
    }

    /// Checks what a sweep (`bench`, `tune`) is given: every draft source,
    /// and the deepest tree it will draft (1…`maxTreeNodes`).
    public func checkSweep(drafts: [String], depth: Int, option: String = "--depth") throws(SettingsError) {
        for draft in drafts { try check(draft: draft) }
        guard depth >= 1 else { throw SettingsError("\(option) must be at least 1, got \(depth)") }
        guard depth <= maxTreeNodes else {
            throw SettingsError("\(option) \(depth) is too deep: one target call holds the root token and at most "
                                + "\(maxTreeNodes) tree tokens")
        }
    }

    // MARK: - Cheaper drafts

    /// Checks a trimmed draft vocabulary (`--draft-vocab N`): 1…vocabulary.
    public static func checkDraftVocabulary(_ size: Int, vocabularySize: Int) throws(SettingsError) {
        guard size >= 1, size <= vocabularySize else {
            throw SettingsError("--draft-vocab must be 1…\(vocabularySize) (the vocabulary's tokens), got \(size)")
        }
    }

    /// Checks `--draft-vocab` against this model's vocabulary.
    public func check(draftVocabulary size: Int) throws(SettingsError) {
        try Self.checkDraftVocabulary(size, vocabularySize: vocabularySize)
    }

    /// Checks p-min (`--p-min`): a probability, 0…1.
    public static func checkPMin(_ value: Double) throws(SettingsError) {
        guard value >= 0, value <= 1 else { throw SettingsError("--p-min must be within 0…1, got \(value)") }
    }

    // MARK: - Context and memory

    /// The KV cache size for `config`: `requested`, or the trained context
    /// capped at `defaultContextCap`; at least 2.
    /// - Throws: `SettingsError` for a context below 2.
    public static func contextLength(requested: Int?, config: TransformerConfig) throws(SettingsError) -> Int {
        let context = requested ?? min(config.trainedContext, defaultContextCap)
        guard context >= 2 else { throw SettingsError("the context must hold at least 2 tokens, got \(context)") }
        return context
    }

    /// Checks that a cache of `context` positions for the model of `config`
    /// (the file `model`, named in the message) fits in the memory available.
    /// Call it once the weights have loaded (a header with absurd layer or
    /// head counts fails there, naming the missing tensor) and before the
    /// transformer allocates its cache.
    /// - Parameter availableBytes: memory that may be used; default `availableMemory()`.
    /// - Throws: `SettingsError` saying how much memory the context needs and
    ///   the largest context that fits.
    public static func checkMemory(context: Int, config: TransformerConfig, model: String,
                                   availableBytes: UInt64? = availableMemory()) throws(SettingsError) {
        guard let available = availableBytes else { return }
        let perToken = bytesPerContextToken(config)
        let needed = Double(context) * perToken
        guard needed > Double(available) else { return }
        let most = Int(Double(available) / perToken)
        let name = model.split(separator: "/").last.map(String.init) ?? model
        throw SettingsError(String(format: "a context of %d tokens needs %.1f GiB for %@ (KV cache and attention "
                                   + "scratch, %.0f KiB per token), but %.1f GiB of memory is available: %@",
                                   context, needed / 1_073_741_824, name, perToken / 1024,
                                   Double(available) / 1_073_741_824,
                                   most >= 2 ? "use --context \(most) or less" : "not even 2 tokens fit"))
    }

    /// Bytes a transformer of `config` allocates per context position: keys
    /// and values in float32 for every layer, and the attention scores' rows
    /// of its 64 scratch slots.
    public static func bytesPerContextToken(_ config: TransformerConfig) -> Double {
        let kv = 2.0 * 4 * Double(config.layerCount) * Double(config.kvDim)
        let scores = 64.0 * 4 * Double(config.headCount / max(1, config.kvHeadCount))
        return kv + scores
    }

    /// Memory the process may still use: `MemAvailable` from /proc/meminfo
    /// on Linux, else the physical memory; nil when neither is known.
    public static func availableMemory() -> UInt64? {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
                let fields = line.split(separator: " ")
                if fields.count >= 2, let kib = UInt64(fields[1]) { return kib * 1024 }
            }
        }
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? UInt64(pages) * UInt64(size) : nil
    }

    // MARK: - Scalars

    /// Checks a thread count against `threads`.
    public static func checkThreads(_ count: Int) throws(SettingsError) {
        guard threads.contains(count) else {
            throw SettingsError("--threads must be \(threads.lowerBound)…\(threads.upperBound), got \(count)")
        }
    }

    /// Parses a seed: a whole number 0…2⁶⁴−1 (for option transforms, so that
    /// `--seed -1` is refused with the range instead of a parsing error).
    public static func seed(_ text: String) throws(SettingsError) -> UInt64 {
        guard let value = UInt64(text) else {
            throw SettingsError("a seed is a whole number from 0 to \(UInt64.max), got '\(text)'")
        }
        return value
    }
}
