import Foundation
import SpecCore
import SpecModels

/// A live speculative decoding session, synchronous: a target model, its
/// draft, the settings and the prompt; each `step` runs one decoder step and
/// emits what it did as `SessionEvent`s. A `Pacer` runs it on a queue of its
/// own and streams the events (`Pacer(session)`); tests can call it directly.
///
/// Around it, each in its own type: `BaselineMeasurement` times plain
/// decoding on each prompt, a `SessionTuning` (given by the executable) runs
/// `tune`, and the pacer's `TraceWriter` records the events.
///
/// **Order.** `start`: `.configured`, `.prompt`, `.baseline` (measured again
/// for each new prompt, never for a settings change). Per step the decoder's
/// events, each token id first introduced by a `.tokenText` and each emitted
/// token preceded by its decoded `.emittedText`, then
/// `.statistics` (the totals since the last `.configured`, across prompts),
/// and at the end of a generation `.finished`. Settings changes emit
/// `.configured`; a tune `.tuning` notes, then `.tuneSuggestion` (or `.error`).
///
/// - Complexity: per step, the decoder's work plus O(events) bookkeeping. A
///   settings change costs nothing for shape and sampling (the decoder takes
///   them at the next step); a new draft source or a tune re-prefills the
///   history into both models.
public final class DecodingSession: StepSource, @unchecked Sendable {
    public let tokenizer: Tokenizer
    /// The target's name as the header shows it.
    public let targetName: String

    /// The settings in force (a snapshot, readable from any thread).
    public var settings: SessionSettings { snapshot.withLock { $0 } }

    // Used only from the pacer's queue (the reason for `@unchecked Sendable`).
    private let target: Transformer
    private let format: PromptFormat
    private let baseline: BaselineMeasurement
    private let tuner: (any SessionTuning)?
    private var current: SessionSettings
    private var draftSource: DraftSource
    private var draftLabel: String
    /// Nil once the generation finished (until a new prompt) or a rebuild failed.
    private var decoder: SpeculativeDecoder?
    private var promptText: String
    private var promptTokens: [TokenID]
    /// Tokens emitted for the current prompt.
    private var generated = 0
    /// Totals since the last `.configured` (across prompts).
    private var statistics = DecodingStatistics()
    /// Decoders built so far: seeds the next one (the first uses `settings.seed`).
    private var decodersBuilt = 0
    /// Token ids whose `.tokenText` was sent.
    private var introduced = Set<TokenID>()
    /// Decodes the emitted tokens of the current prompt into text (`.emittedText`).
    private var text: StreamingDecoder
    private let snapshot: Locked<SessionSettings>

    /// Prepares a session; nothing runs until `start`.
    ///
    /// - Parameters:
    ///   - target: the target model, with an empty cache; the session owns it from now on
    ///     (a self-draft shares its weights).
    ///   - settings: the draft, shape, sampling, limits and seed.
    ///   - prompt: the prompt text, encoded with `format`.
    ///   - baselineTokens: plain tokens decoded on each prompt to measure the baseline (0: none).
    ///   - tuner: what `.tune` runs; nil: a tune is refused with an error.
    /// - Throws: `SettingsError` for impossible settings or an empty prompt;
    ///   `ModelLoadError` when the draft cannot be loaded.
    public init(target: Transformer, tokenizer: Tokenizer, targetName: String, settings: SessionSettings,
                prompt: String, format: PromptFormat = .plain, baselineTokens: Int = 64,
                tuner: (any SessionTuning)? = nil) throws {
        let tokens = format.tokens(prompt, tokenizer: tokenizer)
        guard !tokens.isEmpty else { throw SettingsError("the prompt is empty: give some text") }
        guard tokenizer.vocabularySize == target.vocabularySize else {
            throw SettingsError("the tokenizer has \(tokenizer.vocabularySize) tokens, the model's output head \(target.vocabularySize) rows")
        }
        _ = try settings.shape(vocabularySize: target.vocabularySize)
        let (source, label) = try DraftSpecification(settings.draft).load(for: target)
        try DraftVocabulary.apply(settings.draftVocabulary, to: source)
        self.target = target
        self.tokenizer = tokenizer
        self.targetName = targetName
        self.format = format
        baseline = BaselineMeasurement(tokens: baselineTokens)
        self.tuner = tuner
        current = settings
        snapshot = Locked(settings)
        draftSource = source
        draftLabel = label
        promptText = prompt
        promptTokens = tokens
        text = StreamingDecoder(tokenizer: tokenizer)
    }

    // MARK: - Steps

    public func start(_ emit: (SessionEvent) -> Void) -> StepOutcome {
        emit(.configured(info()))
        return begin(emit)
    }

    /// One decoder step, its events, `.statistics`, and the end of the generation if it came.
    public func step(_ emit: (SessionEvent) -> Void) -> StepOutcome {
        guard let decoder else {
            emit(.error("nothing to decode: give a new prompt"))
            return .failed
        }
        if decoder.history.count + decoder.shape.maxNodeCount > target.contextLength {
            return finish("context-full", emit)
        }
        return outcome(emit) {
            let emitted = try decoder.step { event in
                // The end-of-turn token ends the text; it is not part of it.
                if case let .tokenEmitted(_, token, _) = event, tokenizer.isEndOfGeneration(token) { return }
                if case let .stepFinished(summary) = event { statistics.record(summary) }
                send(.decoding(event), emit)
            }
            emit(.statistics(statistics))
            generated += emitted.count
            if emitted.contains(where: tokenizer.isEndOfGeneration) { return finish("end-of-text", emit) }
            if generated >= current.maxTokens { return finish("max-tokens", emit) }
            return .ready(pause: 0)
        }
    }

    /// What `work` leads to: a full context finishes the generation, any other error pauses.
    private func outcome(_ emit: (SessionEvent) -> Void, _ work: () throws -> StepOutcome) -> StepOutcome {
        do {
            return try work()
        } catch ModelError.contextOverflow {
            return finish("context-full", emit)
        } catch {
            emit(.error(String(describing: error)))
            return .failed
        }
    }

    public func perform(_ command: SessionCommand, shouldStop: @escaping @Sendable () -> Bool,
                        _ emit: (SessionEvent) -> Void) -> StepOutcome? {
        switch command {
        case let .change(change): apply(change, emit)
        case let .newPrompt(text): restart(with: text, emit)
        case .tune: tune(shouldStop: shouldStop, emit)
        default: nil
        }
    }

    // MARK: - Prompts

    /// `.prompt`, `.baseline` and a fresh decoder over the prompt.
    private func begin(_ emit: (SessionEvent) -> Void) -> StepOutcome {
        generated = 0
        text = StreamingDecoder(tokenizer: tokenizer)
        emit(.prompt(text: format.displayed(promptText), tokenCount: promptTokens.count))
        do {
            if let rate = try baseline.measure(target, prompt: promptTokens, sampling: current.sampling, seed: current.seed) {
                emit(.baseline(tokensPerSecond: rate))
            }
        } catch {
            emit(.error("baseline: \(error)"))
        }
        return buildDecoder(prompt: promptTokens, emit)
    }

    private func restart(with text: String, _ emit: (SessionEvent) -> Void) -> StepOutcome? {
        let tokens = format.tokens(text, tokenizer: tokenizer)
        guard !tokens.isEmpty else {
            emit(.error("the prompt is empty: give some text"))
            return nil
        }
        promptText = text
        promptTokens = tokens
        return begin(emit)
    }

    /// A fresh decoder over `prompt`, both caches reset first.
    private func buildDecoder(prompt: [TokenID], _ emit: (SessionEvent) -> Void) -> StepOutcome {
        target.reset()
        if case let .model(model) = draftSource { model.reset() }
        decoder = nil
        return outcome(emit) {
            let seed = decodersBuilt == 0 ? current.seed : current.seed &+ UInt64(decodersBuilt) &* 0x9E37_79B9_7F4A_7C15
            decodersBuilt += 1
            decoder = try SpeculativeDecoder(target: target, draft: draftSource, shape: current.shape(vocabularySize: target.vocabularySize),
                                             sampling: current.sampling, verifier: current.verifier ?? .token,
                                             prompt: prompt, seed: seed, stopTokens: tokenizer.endOfGenerationTokens,
                                             pMin: current.pMin ?? 0, draftLookup: current.draftLookupDrafter)
            // The live screen shows every verifier on the same trees and each decision's
            // distributions (a few O(V) passes a step).
            decoder?.comparesVerifiers = true
            decoder?.recordsDistributions = true
            return .ready(pause: 0)
        }
    }

    private func finish(_ reason: String, _ emit: (SessionEvent) -> Void) -> StepOutcome {
        decoder = nil
        emit(.finished(reason: reason))
        return .finished
    }

    private func info() -> SessionInfo {
        SessionInfo(target: targetName, draft: draftLabel,
                    shape: (try? current.shape(vocabularySize: target.vocabularySize).label) ?? "?",
                    sampling: current.sampling, budget: current.budget, draftVocabulary: current.draftVocabulary,
                    pMin: current.pMin, draftLookup: current.draftLookup, settings: current, layerCount: target.config.layerCount,
                    vocabularySize: target.vocabularySize)
    }

    // MARK: - Settings

    private func apply(_ change: SettingsChange, _ emit: (SessionEvent) -> Void) -> StepOutcome? {
        let next: SessionSettings
        let shape: DraftShape
        do {
            next = try current.applying(change, layerCount: target.config.layerCount, vocabularySize: target.vocabularySize,
                                        draftLayerCount: draftLayerCount)
            shape = try next.shape(vocabularySize: target.vocabularySize)
        } catch {
            emit(.error(error.description))
            return nil
        }
        guard next != current else { return nil }
        var outcome: StepOutcome?
        if next.draft != current.draft {
            let loaded: (source: DraftSource, label: String)
            do {
                loaded = try DraftSpecification(next.draft).load(for: target)
                try DraftVocabulary.apply(next.draftVocabulary, to: loaded.source)
            } catch {
                emit(.error(String(describing: error)))
                return nil
            }
            current = next
            draftSource = loaded.source
            draftLabel = loaded.label
            if let history = decoder?.history { outcome = rebuilt(buildDecoder(prompt: history, emit)) }
        } else {
            if next.draftVocabulary != current.draftVocabulary {
                do { try DraftVocabulary.apply(next.draftVocabulary, to: draftSource) } catch {
                    emit(.error(error.description))
                    return nil
                }
            }
            try? decoder?.setPMin(next.pMin ?? 0)
            decoder?.draftLookup = next.draftLookupDrafter
            current = next
            decoder?.shape = shape
            decoder?.sampling = next.sampling
            decoder?.verifier = next.verifier ?? .token
        }
        snapshot.withLock { $0 = next }
        statistics = DecodingStatistics()
        emit(.configured(info()))
        return outcome
    }

    /// The layers of the draft model when it is a separate model (not a self-draft), for layer changes.
    private var draftLayerCount: Int? {
        guard case let .model(model as Transformer) = draftSource, model.weights !== target.weights else { return nil }
        return model.config.layerCount
    }

    /// What a rebuild over the history means to the pacer: nothing when it worked.
    private func rebuilt(_ outcome: StepOutcome) -> StepOutcome? {
        if case .ready = outcome { return nil }
        return outcome
    }

    // MARK: - Tuning

    /// Runs the tuner on the session's own target and draft model, prompt and
    /// sampling (within the session's budget in budget mode, else any tree a
    /// step can draft), then rebuilds the decoder over the history (as a new
    /// draft source does), so decoding goes on exactly where it was.
    private func tune(shouldStop: @escaping () -> Bool, _ emit: (SessionEvent) -> Void) -> StepOutcome? {
        guard let tuner else {
            emit(.error("tune: this session has no tuner"))
            return nil
        }
        guard case let .model(draftModel) = draftSource else {
            emit(.error("tune needs a draft model (self:K or a GGUF file); \(draftLabel) has no model to measure"))
            return nil
        }
        emit(.tuning("starting with \(draftLabel)"))
        let request = TuneRequest(target: target, draft: current.draft, draftModel: draftModel, prompt: promptTokens,
                                  sampling: current.sampling, seed: current.seed,
                                  budget: current.budget ?? SessionSettings.maxTreeNodes)
        // The tuner calls `progress` only while it runs.
        let result: Result<TuneSuggestion?, any Error> = withoutActuallyEscaping(emit) { emit in
            Result { try tuner.tune(request, progress: { emit(.tuning($0)) }, shouldStop: shouldStop) }
        }
        // The tune used both caches: rebuild the decoder over what was decoded.
        var outcome: StepOutcome?
        if let history = decoder?.history {
            outcome = rebuilt(buildDecoder(prompt: history, emit))
        } else {
            target.reset()
            draftModel.reset()
        }
        switch result {
        case let .success(suggestion?): emit(.tuneSuggestion(suggestion))
        case .success(nil): emit(.error("tune stopped"))
        case let .failure(error): emit(.error("tune: \(error)"))
        }
        return outcome
    }

    // MARK: - Token texts

    /// Emits `event` after the `.tokenText` of any id it brings for the first
    /// time, and an emitted token after its decoded `.emittedText`.
    private func send(_ event: SessionEvent, _ emit: (SessionEvent) -> Void) {
        switch event {
        case let .decoding(.levelDrafted(_, _, nodes, _)):
            for node in nodes { introduce(node.token, emit) }
        case let .decoding(.branchesCut(_, branches)):
            for branch in branches { introduce(branch.token, emit) }
        case let .decoding(.tokenEmitted(_, token, _)):
            introduce(token, emit)
            emit(.emittedText(text.append(token)))
        case let .decoding(.decision(_, decision)):
            if let d = decision.distributions {
                for entries in [d.target, d.draft, d.residual, d.updatedDraft].compactMap({ $0 }) {
                    for token in entries.tokens { introduce(token, emit) }
                }
            }
        case let .decoding(.finalDraw(_, draw)):
            introduce(draw.token, emit)
            for token in draw.distribution.tokens { introduce(token, emit) }
        default:
            break
        }
        emit(event)
    }

    private func introduce(_ token: TokenID, _ emit: (SessionEvent) -> Void) {
        if introduced.insert(token).inserted {
            emit(.tokenText(id: token, text: tokenizer.pieceText(token)))
        }
    }
}
