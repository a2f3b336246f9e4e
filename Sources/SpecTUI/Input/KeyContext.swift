import SpecCore
import SpecEngine

/// What the screen knows that decides whether a key can do anything: the
/// session's settings (from `.configured`), its mode, the tune banner.
///
/// `availability(of:)` is the one place that decides, for every command,
/// whether it would change anything and, if not, why: the key handler
/// refuses with that reason in the status line, and the footer leaves out
/// items none of whose keys can act. Setting keys are judged by
/// `SessionSettings.applying`, the session's own rule, so the screen and the
/// session never disagree. Without settings (an old trace) every key is available.
public struct KeyContext: Sendable, Equatable {
    public var settings: SessionSettings?
    /// The target's layer count (the most a self-draft keeps) and vocabulary size.
    public var layerCount: Int?
    public var vocabularySize: Int?
    public var mode: SessionMode
    /// A tune is running (`a` again is refused).
    public var tuneRunning: Bool
    /// The tune's suggestion is waiting for `A`.
    public var hasSuggestion: Bool

    public init(settings: SessionSettings? = nil, layerCount: Int? = nil, vocabularySize: Int? = nil,
                mode: SessionMode = .paused, tuneRunning: Bool = false, hasSuggestion: Bool = false) {
        self.settings = settings
        self.layerCount = layerCount
        self.vocabularySize = vocabularySize
        self.mode = mode
        self.tuneRunning = tuneRunning
        self.hasSuggestion = hasSuggestion
    }

    /// Whether a command can act now, and if not, why.
    public enum Availability: Sendable, Equatable {
        case available
        /// The command would do nothing; the reason is shown in the status line.
        case refused(String)

        public var isAvailable: Bool { self == .available }
        public var reason: String? { if case let .refused(r) = self { r } else { nil } }
    }

    /// The most nodes a tree may hold (root excluded).
    public static var nodeLimit: Int { SessionSettings.maxTreeNodes }

    /// `nodes 21/63`: the current shape's most nodes against the limit, if known.
    public var nodesLabel: String? {
        guard let s = settings, let v = vocabularySize, let shape = try? s.shape(vocabularySize: v) else { return nil }
        return "nodes \(shape.maxNodeCount)/\(Self.nodeLimit)"
    }

    /// Whether `command` can act now, and if not, why.
    /// - Complexity: O(1) for most commands; one `SessionSettings.applying`
    ///   (a small shape search in budget mode) for setting keys.
    public func availability(of command: UICommand) -> Availability {
        let done = "the generation is done: i starts a new prompt"
        switch command {
        case .togglePause, .step, .stepDecision:
            return mode == .finished ? .refused(done) : .available
        case .tune:
            if tuneRunning { return .refused("tune: already running") }
            if let s = settings, s.draft == "ngram" || s.draft.hasPrefix("ngram:") {
                return .refused("tune needs a draft model: \(s.draft) has none to measure (d switches the draft)")
            }
            return .available
        case .tuneApply:
            if hasSuggestion { return .available }
            return .refused(tuneRunning ? "tune: still running" : "tune: no suggestion yet (a tunes)")
        default:
            guard let change = InputController.sessionCommand(for: command), case let .change(c) = change else { return .available }
            return availability(of: c)
        }
    }

    /// Whether a settings change would change anything, and if not, why.
    public func availability(of change: SettingsChange) -> Availability {
        guard let s = settings, let layers = layerCount, let v = vocabularySize else { return .available }
        let next: SessionSettings
        do { next = try s.applying(change, layerCount: layers, vocabularySize: v) } catch {
            return .refused(error.description)
        }
        if Self.effect(of: next, v) != Self.effect(of: s, v) { return .available }
        return .refused(reason(unchanged: change, s, v, layers))
    }

    /// What an available draft or verifier change will switch to, for the
    /// status line (`draft → ngram:3`): pressed twice while paused, `d` then
    /// says where each press went. Nil for other changes (the header shows them).
    public func preview(of change: SettingsChange) -> String? {
        guard let s = settings, let layers = layerCount, let v = vocabularySize,
              let next = try? s.applying(change, layerCount: layers, vocabularySize: v) else { return nil }
        switch change {
        case .nextDraftSource: return "draft → \(next.draft) (was \(s.draft))"
        case .nextVerifier: return "verifier → \((next.verifier ?? .token).rawValue)"
        default: return nil
        }
    }

    /// What a user sees of settings: the shape, budget, sampling, draft, verifier and the draft's knobs.
    private struct Effect: Equatable {
        var shape: DraftShape?
        var budget: Int?
        var sampling: SamplingParameters
        var draft: String
        var verifier: Verifier
        var draftVocabulary: Int?
        var pMin: Double
        var draftLookup: Int
    }

    private static func effect(of s: SessionSettings, _ v: Int) -> Effect {
        Effect(shape: try? s.shape(vocabularySize: v), budget: s.budget, sampling: s.sampling, draft: s.draft,
               verifier: s.verifier ?? .token, draftVocabulary: s.draftVocabulary, pMin: s.pMin ?? 0,
               draftLookup: s.draftLookup ?? 0)
    }

    /// Why `change` leaves `s` as it is.
    private func reason(unchanged change: SettingsChange, _ s: SessionSettings, _ v: Int, _ layers: Int) -> String {
        let shape = (try? s.shape(vocabularySize: v)) ?? .chain(depth: s.depth)
        let limit = "the \(Self.nodeLimit)-node limit (\(shape.label): \(shape.maxNodeCount) nodes)"
        switch change {
        case let .width(d):
            if let b = s.budget {
                return d > 0 ? "budget \(b) is the largest: a tree holds at most \(Self.nodeLimit) nodes" : "budget 1 is the smallest"
            }
            if shape.method == .chain { return "a chain has no width (m changes the method)" }
            if d < 0 { return "W=1 is the narrowest" }
            if s.width >= v { return "W=\(s.width) is the vocabulary's size" }
            return "W=\(shape.branching.first ?? s.width) is the widest within \(limit)"
        case let .depth(d):
            if s.budget != nil { return "in budget mode the budget sets the \(shape.method.rawValue) tree's depth (b leaves budget mode)" }
            if d < 0 { return "L=1 is the shallowest" }
            return "L=\(shape.depth) is the deepest within \(limit)"
        case let .temperature(d):
            return d < 0 ? "T=0 is the lowest (greedy)" : "T=\(NumberFormat.fixed(SessionSettings.maxTemperature, 2)) is the highest"
        case let .draftLayers(d):
            return d < 0 ? "\(s.draft) is the fewest layers" : "\(s.draft) keeps every layer of the target (\(layers))"
        case .nextVerifier:
            return "only token-by-token verification can judge \(shape.label)"
        case .nextDraftSource:
            return "only one draft source (\(s.draft))"
        case let .pMin(d):
            return d < 0 ? "p-min 0 is the lowest (off)" : "p-min \(NumberFormat.fixed(SessionSettings.maxPMin, 2)) is the highest"
        case let .draftVocabulary(d):
            return d < 0 ? "8k is the smallest draft vocabulary" : "the draft keeps its whole head"
        default:
            return "nothing to change"
        }
    }
}
