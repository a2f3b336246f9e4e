import SpecCore
import SpecModels

/// Everything a session decodes with, as plain values: where drafts come from,
/// the tree's method and shape (fixed, or chosen by a target budget), sampling,
/// the token limit and the seed.
///
/// A value type with pure functions only: `applying(_:layerCount:vocabularySize:)`
/// turns a live `SettingsChange` into new settings (or a `SettingsError`) and
/// `shape(vocabularySize:)` derives the draft tree's shape, so both are tested
/// without a model. `Codable` so a trace or a test can state them.
public struct SessionSettings: Sendable, Equatable, Codable {
    /// The draft source in force, as users write it: `self:8`, `self:0-5,29`,
    /// `ngram:3`, or a GGUF path (see `DraftSpecification`).
    public var draft: String
    /// The sources `SettingsChange.nextDraftSource` cycles through, in order.
    /// Layer changes of a self-draft are remembered in its entry.
    public var draftSources: [String]
    public var method: DraftMethod
    /// Beams for rsd-s; first-level branching for specinfer and rsd-c; unused by a chain.
    public var width: Int
    /// Levels L of the tree.
    public var depth: Int
    /// Branching per level (b1 … bL) for specinfer and rsd-c; when set it wins
    /// over `width` and `depth` (which are kept equal to b1 and L).
    public var branching: [Int]?
    /// When set, the shape is the largest of `method` whose tree has at most
    /// this many nodes (`DraftShape.largest`), spread over at most `depth`
    /// levels; when `nil`, the shape is fixed by `width`, `depth`, `branching`.
    public var budget: Int?
    public var sampling: SamplingParameters
    /// The verifier (`--verifier`); nil means token by token (traces from
    /// before the choice existed decode as nil).
    public var verifier: Verifier?
    /// Most tokens generated per prompt (the step that reaches it is emitted whole).
    public var maxTokens: Int
    public var seed: UInt64
    /// Tokens the draft's output head keeps (`--draft-vocab`, FR-Spec); nil: all.
    public var draftVocabulary: Int?
    /// Adaptive draft length (`--p-min`); nil or 0: off.
    public var pMin: Double?
    /// Lookup-assisted chain drafting (`--draft-lookup`): the longest suffix
    /// the n-gram guess matches; nil or 0: off (`SpeculativeDecoder.draftLookup`).
    public var draftLookup: Int?

    /// The n-gram length the live toggle turns the lookup on with.
    public static let defaultDraftLookup = 3

    /// The lookup in force, nil when off.
    public var draftLookupDrafter: NGramDrafter? {
        guard let n = draftLookup, n > 0 else { return nil }
        return try? NGramDrafter(maxN: n)
    }

    /// Highest p-min a live change reaches.
    public static let maxPMin = 0.95

    /// Largest tree (nodes, root excluded) a session drafts: the target
    /// verifies the root token plus the tree in one call, of at most the
    /// transformer's default batch.
    public static let maxTreeNodes = Transformer.defaultMaxBatch - 1
    /// Highest temperature a live change reaches.
    public static let maxTemperature = 2.0

    public init(draft: String = "self:8", draftSources: [String]? = nil, method: DraftMethod = .chain,
                width: Int = 2, depth: Int = 4, branching: [Int]? = nil, budget: Int? = nil,
                sampling: SamplingParameters = SamplingParameters(), maxTokens: Int = 256, seed: UInt64 = 0) {
        self.draft = draft
        var sources = draftSources ?? [draft]
        if !sources.contains(draft) { sources.insert(draft, at: 0) }
        self.draftSources = sources
        self.method = method
        self.branching = branching
        if let branching, !branching.isEmpty {
            self.width = branching[0]
            self.depth = branching.count
        } else {
            self.width = width
            self.depth = depth
        }
        self.budget = budget
        self.sampling = sampling
        self.maxTokens = maxTokens
        self.seed = seed
    }

    // MARK: - Shape

    /// The draft tree's shape these settings describe, checked against the
    /// vocabulary and against `maxTreeNodes`.
    /// - Throws: `SettingsError` saying what is impossible.
    /// - Complexity: O(1) for a fixed shape; a small search for a budget (`DraftShape.largest`).
    public func shape(vocabularySize: Int) throws(SettingsError) -> DraftShape {
        let shape = try DraftShape(method: method, width: width, depth: depth, branching: branching, budget: budget,
                                   vocabularySize: vocabularySize)
        try (verifier ?? .token).validate(shape)
        guard shape.maxNodeCount <= Self.maxTreeNodes else {
            throw SettingsError("\(shape.label) drafts up to \(shape.maxNodeCount) tokens; a tree holds at most \(Self.maxTreeNodes)")
        }
        if let budget = shape.dynamicBudget, max(budget, shape.width) > Self.maxTreeNodes {
            throw SettingsError("\(shape.label): a budget or width above \(Self.maxTreeNodes) does not fit a tree of at most \(Self.maxTreeNodes) tokens")
        }
        return shape
    }

    /// The shape without a budget (unchecked): `width`, `depth` and `branching` as they are.
    var fixedShape: DraftShape {
        (try? DraftShape(method: method, width: width, depth: depth, branching: branching)) ?? .chain(depth: depth)
    }

    /// What the header shows: the shape and, in budget mode, the budget.
    public func info(target: String, draftLabel: String, vocabularySize: Int) throws(SettingsError) -> SessionInfo {
        SessionInfo(target: target, draft: draftLabel,
                    shape: try shape(vocabularySize: vocabularySize).label
                        + ((verifier ?? .token) == .token ? "" : " · \(verifier!.rawValue) verification"),
                    sampling: sampling, budget: budget, draftVocabulary: draftVocabulary, pMin: pMin,
                    draftLookup: draftLookup)
    }

    // MARK: - Live changes

    /// These settings after `change`, clamped to what can run.
    ///
    /// - Width (or, in budget mode, the budget) and depth stay ≥ 1 and keep the
    ///   tree within `maxTreeNodes` (and the width within the vocabulary):
    ///   a change past a limit stops at it.
    /// - Temperature stays in 0…`maxTemperature`, rounded to 1/1000 so repeated
    ///   steps do not drift.
    /// - `draftLayers` changes K of a `self:K` draft, clamped to 1…`layerCount`,
    ///   and of a separate draft's first K layers (`D:0-K`, `D` for all), clamped to 1…`draftLayerCount`.
    /// - `draftVocabulary` steps through `DraftVocabulary.steps`; `pMin` stays in 0…`maxPMin`.
    /// - `toggleDraftLookup` turns lookup-assisted drafting off, or on with
    ///   `defaultDraftLookup` (a draft model only: an n-gram draft is a lookup itself).
    /// - `nextDraftSource` moves to the next entry of `draftSources`.
    /// - `toggleBudget` switches a fixed shape to the budget it uses (its node
    ///   count), and a budget to the fixed shape it currently gives.
    /// - `apply` takes a tune suggestion's shape as it is (an impossible one throws).
    /// - Throws: `SettingsError` for a change that cannot apply at all (layers
    ///   of a draft that has none, a single draft source); the caller keeps the old settings.
    /// - Parameter draftLayerCount: the layers of a separate draft model, for `draftLayers` on it.
    public func applying(_ change: SettingsChange, layerCount: Int, vocabularySize: Int,
                         draftLayerCount: Int? = nil) throws(SettingsError) -> SessionSettings {
        var next = self
        switch change {
        case let .width(delta):
            if let budget {
                next.budget = min(max(1, budget + delta), Self.maxTreeNodes)
            } else {
                next.setWidth(width + delta, vocabularySize: vocabularySize)
            }
        case let .depth(delta):
            next.setDepth(depth + delta, vocabularySize: vocabularySize)
        case .nextMethod:
            let all = DraftMethod.allCases
            next.method = all[(all.firstIndex(of: method)! + 1) % all.count]
            // A width that suited one method may not suit the next (rsd-s trees are W·L).
            if next.budget == nil, (try? next.shape(vocabularySize: vocabularySize)) == nil {
                next.setWidth(next.width, vocabularySize: vocabularySize)
                next.setDepth(next.depth, vocabularySize: vocabularySize)
            }
        case let .temperature(delta):
            let t = min(max(0, sampling.temperature + delta), Self.maxTemperature)
            next.sampling.temperature = (t * 1000).rounded() / 1000
        case let .draftLayers(delta) where !draft.hasPrefix("self:") && !draft.hasPrefix("ngram"):
            guard let draftLayerCount else {
                throw SettingsError("the draft \(draft)'s layer count is not known here")
            }
            // D:0-K@q4_0: the layer list sits before a requantisation, which stays.
            let (unquantised, suffix) = DraftSpecification.splitQuantizationSuffix(draft)
            let (base, list) = DraftSpecification.splitLayerList(unquantised)
            let k: Int
            if let list {
                guard let selection = try? LayerSelection(parsing: list, layerCount: draftLayerCount),
                      selection.layers == Array(0..<selection.layers.count) else {
                    throw SettingsError("the draft \(draft) lists its layers; only a draft of its first K layers (\(base):0-K) can grow or shrink")
                }
                k = selection.layers.count
            } else {
                k = draftLayerCount
            }
            let layers = min(max(1, k + delta), draftLayerCount)
            next.replaceDraft(with: DraftSpecification.firstLayers(layers, of: base + suffix, layerCount: draftLayerCount))
        case let .draftVocabulary(delta):
            guard !draft.hasPrefix("ngram") else {
                throw SettingsError("an n-gram draft has no output head to trim")
            }
            next.draftVocabulary = DraftVocabulary.step(from: draftVocabulary, by: delta)
            if let v = next.draftVocabulary, v >= vocabularySize { next.draftVocabulary = nil }
        case .toggleDraftLookup:
            guard !draft.hasPrefix("ngram") else {
                throw SettingsError("the n-gram draft is a lookup itself: the lookup guesses a draft model's tokens")
            }
            next.draftLookup = (draftLookup ?? 0) > 0 ? nil : Self.defaultDraftLookup
        case let .pMin(delta):
            let value = min(max(0, (pMin ?? 0) + delta), Self.maxPMin)
            next.pMin = (value * 1000).rounded() / 1000
        case let .draftLayers(delta):
            guard draft.hasPrefix("self:") else {
                throw SettingsError("the draft \(draft) has no layers to change: only a self-draft (self:K) does")
            }
            guard let k = Int(draft.dropFirst(5)) else {
                throw SettingsError("the self-draft \(draft) lists its layers; only a self-draft of the first K layers (self:K) can grow or shrink")
            }
            let layers = min(max(1, k + delta), layerCount)
            next.replaceDraft(with: "self:\(layers)")
        case .nextDraftSource:
            guard draftSources.count > 1 else {
                throw SettingsError("only one draft source was given (\(draft)); give several to switch between them")
            }
            let i = draftSources.firstIndex(of: draft) ?? -1
            next.draft = draftSources[(i + 1) % draftSources.count]
        case .toggleBudget:
            if budget != nil {
                let current = try shape(vocabularySize: vocabularySize)
                next.budget = nil
                next.depth = current.depth
                if current.method != .chain { next.width = current.width }
                next.branching = current.explicitBranching
            } else {
                let current = try shape(vocabularySize: vocabularySize)
                next.budget = current.maxNodeCount
                next.depth = current.depth
            }
        case .nextVerifier:
            let all = Verifier.allCases
            let shape = try self.shape(vocabularySize: vocabularySize)
            var i = all.firstIndex(of: verifier ?? .token)!
            repeat { i = (i + 1) % all.count } while (try? all[i].validate(shape)) == nil
            next.verifier = all[i]
        case let .apply(suggestion):
            let shape = suggestion.draftShape
            next.method = shape.method
            if shape.method != .chain { next.width = shape.width }  // a chain has no width: keep it for later methods
            next.depth = shape.depth
            next.branching = shape.explicitBranching
            next.budget = nil
            if shape.method == .chain { next.pMin = suggestion.pMin }
        }
        _ = try next.shape(vocabularySize: vocabularySize)
        return next
    }

    /// Sets the width, then lowers it until the tree fits.
    private mutating func setWidth(_ value: Int, vocabularySize: Int) {
        var w = min(max(1, value), max(1, min(vocabularySize, Self.maxTreeNodes)))
        func apply(_ w: Int) {
            width = w
            if branching != nil && !branching!.isEmpty { branching![0] = w }
        }
        apply(w)
        while w > 1, fixedShape.maxNodeCount > Self.maxTreeNodes {
            w -= 1
            apply(w)
        }
    }

    /// Sets the depth, then lowers it until the tree fits.
    private mutating func setDepth(_ value: Int, vocabularySize: Int) {
        var d = min(max(1, value), Self.maxTreeNodes)
        func apply(_ d: Int) {
            depth = d
            if var b = branching, !b.isEmpty {
                if b.count > d { b.removeLast(b.count - d) }
                while b.count < d { b.append(1) }
                branching = b
            }
        }
        apply(d)
        guard budget == nil else { return }  // a budget caps the tree itself
        while d > 1, fixedShape.maxNodeCount > Self.maxTreeNodes {
            d -= 1
            apply(d)
        }
    }

    /// Makes `spec` the draft, in place of the current one in `draftSources`.
    private mutating func replaceDraft(with spec: String) {
        if let i = draftSources.firstIndex(of: draft) { draftSources[i] = spec } else { draftSources.insert(spec, at: 0) }
        draft = spec
    }
}
