import Dispatch
import Foundation
import SpecCore
import SpecModels

/// A live speculative decoding session: a target model, its draft, the
/// settings and the prompt, decoding on a serial Dispatch queue of its own and
/// streaming what it does as `SessionEvent`s.
///
/// **Threads.** Every model call and every piece of mutable state lives on the
/// session's serial queue; `send` only enqueues, so the session is `Sendable`
/// and callers never wait for a step. While running, the queue runs one whole
/// step per work item and enqueues the next one at its end, so a command sent
/// during a step is handled right after it: that is the step boundary.
///
/// **Events.** The decoder's callback appends to a lock-protected buffer and
/// returns (see `EventPump`): a slow screen receives bigger batches, never
/// fewer events, and the decoder never waits for it. Pacing (`pause`, `step`,
/// `stepDecision`) is done by holding back events of a finished step on the
/// queue, never by blocking the decoder mid-step.
///
/// **Order.** `.configured`, `.prompt`, `.baseline` (plain decoding of the same
/// target on the same prompt, then the cache is reset; measured again for each
/// new prompt, never for a settings change), `.mode`, then per step the
/// decoder's events, each token id first introduced by a `.tokenText`, then
/// `.statistics`. Settings changes take effect between steps and emit
/// `.configured`; the end of a generation emits `.finished` and `.mode(.finished)`.
/// A `tune` runs between steps: `.tuning` notes, then `.tuneSuggestion` (or `.error`).
///
/// - Complexity: per step, the decoder's work plus O(events) bookkeeping and,
///   with a trace, one `write(2)` per event. A settings change costs nothing
///   for shape and sampling (the decoder takes them at the next step); a new
///   draft source re-prefills the history into both models. A tune takes
///   `SessionTuner`'s measurements (seconds), then re-prefills likewise.
public final class DecodingSession: EventSource, @unchecked Sendable {
    public let events: SessionEventStream
    public let tokenizer: Tokenizer
    /// The target's name as the header shows it.
    public let targetName: String

    /// The settings in force (a snapshot: changes land at step boundaries).
    public var settings: SessionSettings { snapshot.withLock { $0 } }

    // Confined to `queue` (the reason for `@unchecked Sendable`).
    private let queue = DispatchQueue(label: "spectree.decoding-session", qos: .userInitiated)
    private let target: Transformer
    private let format: PromptFormat
    private let baselineTokens: Int
    private var current: SessionSettings
    private var draftSource: DraftSource
    private var draftLabel: String
    private var decoder: SpeculativeDecoder?
    private var mode: SessionMode
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
    /// Events of a step run for `stepDecision`, not yet released.
    private var held: [SessionEvent] = []
    private var holding = false
    private var driveScheduled = false
    private var quitted = false
    private var trace: TraceWriter?

    private let pump = EventPump()
    private let snapshot: Locked<SessionSettings>
    /// Set by `send(.quit)` at once, off the queue: a tune in progress polls it.
    private let quitRequested = Locked(false)
    private let tuner: SessionTuner
    private let modelPath: String?

    /// Prepares a session and starts it on its queue: the first events are
    /// already on their way when this returns.
    ///
    /// - Parameters:
    ///   - target: the target model, with an empty cache; the session owns it from now on
    ///     (a self-draft shares its weights).
    ///   - settings: the draft, shape, sampling, limits and seed.
    ///   - prompt: the prompt text, encoded with `format`.
    ///   - baselineTokens: plain tokens decoded on each prompt to measure the baseline (0: none).
    ///   - startPaused: wait for `resume`, `step` or `stepDecision` before the first step.
    ///   - trace: records every event the session emits.
    ///   - tuner: what `.tune` runs (the live screen's by default).
    ///   - modelPath: the target's file as the user gave it, for the command a tune suggests (nil: the default model).
    /// - Throws: `SettingsError` for impossible settings or an empty prompt;
    ///   `ModelLoadError` when the draft cannot be loaded.
    public init(target: Transformer, tokenizer: Tokenizer, targetName: String, settings: SessionSettings,
                prompt: String, format: PromptFormat = .plain, baselineTokens: Int = 64,
                startPaused: Bool = false, trace: TraceWriter? = nil, tuner: SessionTuner = .live, modelPath: String? = nil) throws {
        let tokens = format.tokens(prompt, tokenizer: tokenizer)
        guard !tokens.isEmpty else { throw SettingsError("the prompt is empty: give some text") }
        guard tokenizer.vocabularySize == target.vocabularySize else {
            throw SettingsError("the tokenizer has \(tokenizer.vocabularySize) tokens, the model's output head \(target.vocabularySize) rows")
        }
        _ = try settings.shape(vocabularySize: target.vocabularySize)
        let (source, label) = try DraftSpecification(settings.draft).load(for: target)
        self.target = target
        self.tokenizer = tokenizer
        self.targetName = targetName
        self.format = format
        self.baselineTokens = max(0, baselineTokens)
        current = settings
        snapshot = Locked(settings)
        draftSource = source
        draftLabel = label
        mode = startPaused ? .paused : .running
        promptText = prompt
        promptTokens = tokens
        self.trace = trace
        self.tuner = tuner
        self.modelPath = modelPath
        events = pump.stream
        queue.async { self.start() }
    }

    /// Queues `command`; it is handled on the session's queue, after the step in progress.
    public func send(_ command: SessionCommand) {
        if command == .quit { quitRequested.withLock { $0 = true } }
        queue.async { self.handle(command) }
    }

    // MARK: - Start

    private func start() {
        emit(.configured(info()))
        emit(.prompt(text: format.displayed(promptText), tokenCount: promptTokens.count))
        measureBaseline()
        buildDecoder(prompt: promptTokens)
        if mode != .finished { emit(.mode(mode)) }
        if mode == .running { scheduleDrive() }
    }

    /// Plain decoding of the target on the prompt; `.baseline` with its
    /// tokens/s (model calls after the first token over their time), then the cache is reset.
    private func measureBaseline() {
        let count = min(baselineTokens, target.contextLength - promptTokens.count - 1)
        guard count >= 2 else { return }
        do {
            var plain = try AutoregressiveDecoder(model: target, prompt: promptTokens, sampling: current.sampling, seed: current.seed)
            _ = try plain.next()  // sampled from the prefill: no model call
            let clock = ContinuousClock()
            let begin = clock.now
            for _ in 1..<count { _ = try plain.next() }
            let seconds = (clock.now - begin).seconds
            emit(.baseline(tokensPerSecond: seconds > 0 ? Double(count - 1) / seconds : 0))
        } catch {
            emit(.error("baseline: \(error)"))
        }
        target.reset()
    }

    /// A fresh decoder over `prompt`, both caches reset first.
    private func buildDecoder(prompt: [TokenID]) {
        target.reset()
        if case let .model(model) = draftSource { model.reset() }
        decoder = nil
        do {
            let seed = decodersBuilt == 0 ? current.seed : current.seed &+ UInt64(decodersBuilt) &* 0x9E37_79B9_7F4A_7C15
            decodersBuilt += 1
            decoder = try SpeculativeDecoder(target: target, draft: draftSource, shape: current.shape(vocabularySize: target.vocabularySize),
                                             sampling: current.sampling, prompt: prompt, seed: seed,
                                             stopTokens: tokenizer.endOfGenerationTokens)
        } catch ModelError.contextOverflow {
            finish("context-full")
        } catch {
            fail(error)
        }
    }

    private func info() -> SessionInfo {
        SessionInfo(target: targetName, draft: draftLabel,
                    shape: (try? current.shape(vocabularySize: target.vocabularySize).label) ?? "?",
                    sampling: current.sampling, budget: current.budget)
    }

    // MARK: - Running

    private func scheduleDrive() {
        guard !driveScheduled, !quitted else { return }
        driveScheduled = true
        queue.async {
            self.driveScheduled = false
            guard self.mode == .running, !self.quitted else { return }
            self.runStep()
            if self.mode == .running { self.scheduleDrive() }
        }
    }

    /// One decoder step, its events, `.statistics`, and the end of the
    /// generation if it came. False when the decoder threw (the session is paused then).
    @discardableResult
    private func runStep() -> Bool {
        guard let decoder, mode != .finished else { return true }
        if decoder.history.count + decoder.shape.maxNodeCount > target.contextLength {
            finish("context-full")
            return true
        }
        do {
            let emitted = try decoder.step { event in
                // The end-of-turn token ends the text; it is not part of it.
                if case let .tokenEmitted(_, token, _) = event, tokenizer.isEndOfGeneration(token) { return }
                if case let .stepFinished(summary) = event { statistics.record(summary) }
                emit(.decoding(event))
            }
            emit(.statistics(statistics))
            generated += emitted.count
            if emitted.contains(where: tokenizer.isEndOfGeneration) {
                finish("end-of-text")
            } else if generated >= current.maxTokens {
                finish("max-tokens")
            }
        } catch ModelError.contextOverflow {
            finish("context-full")
        } catch {
            fail(error)
            return false
        }
        return true
    }

    private func finish(_ reason: String) {
        emit(.finished(reason: reason))
        setMode(.finished)
    }

    private func fail(_ error: Error) {
        emit(.error(String(describing: error)))
        if mode != .finished { setMode(.paused) }
    }

    private func setMode(_ new: SessionMode) {
        guard new != mode else { return }
        mode = new
        emit(.mode(new))
    }

    // MARK: - Commands

    private func handle(_ command: SessionCommand) {
        guard !quitted else { return }
        switch command {
        case .pause:
            if mode == .running || mode == .decision { setMode(.paused) }
        case .resume:
            resume()
        case .togglePause:
            if mode == .running { releaseHeld(); setMode(.paused) } else { resume() }
        case .step:
            if held.isEmpty {
                guard runStep() else { return }  // the error paused the session
            } else {
                releaseHeld()  // the rest of the step already run
            }
            if mode != .finished {
                mode = .paused
                emit(.mode(.paused))  // always: it tells the screen the step is over
            }
        case .stepDecision:
            stepDecision()
        case let .change(change):
            releaseHeld()
            apply(change)
        case let .newPrompt(text):
            releaseHeld()
            restart(with: text)
        case .tune:
            releaseHeld()
            tune()
        case .quit:
            releaseHeld()
            if mode != .finished { finish("quit") }
            quitted = true
            pump.finish()
        }
    }

    private func resume() {
        releaseHeld()
        guard mode != .finished, decoder != nil else { return }
        setMode(.running)
        scheduleDrive()
    }

    /// Releases held events through the next decision; when none is held,
    /// the rest of the held step and then a new step's events through its first decision.
    private func stepDecision() {
        if !releaseThroughNextDecision() {
            releaseHeld()
            if mode != .finished && decoder != nil {
                holding = true
                let ran = runStep()
                holding = false
                if !releaseThroughNextDecision() { releaseHeld() }
                if !ran { return }  // the error paused the session
            }
        }
        if mode != .finished {
            mode = .decision
            publish([.mode(.decision)])
        } else if !held.isEmpty {
            // The generation ended inside the held step: the screen is between
            // decisions until the rest (ending in `.finished`) is released.
            publish([.mode(.decision)])
        }
    }

    private func apply(_ change: SettingsChange) {
        let next: SessionSettings
        do {
            next = try current.applying(change, layerCount: target.config.layerCount, vocabularySize: target.vocabularySize)
        } catch {
            emit(.error(error.description))
            return
        }
        guard next != current else { return }
        let shape: DraftShape
        do { shape = try next.shape(vocabularySize: target.vocabularySize) } catch {
            emit(.error(error.description))
            return
        }
        if next.draft != current.draft {
            let loaded: (source: DraftSource, label: String)
            do { loaded = try DraftSpecification(next.draft).load(for: target) } catch {
                emit(.error(String(describing: error)))
                return
            }
            current = next
            draftSource = loaded.source
            draftLabel = loaded.label
            if let history = decoder?.history, mode != .finished {
                buildDecoder(prompt: history)
            } else {
                decoder = nil
            }
        } else {
            current = next
            decoder?.shape = shape
            decoder?.sampling = next.sampling
        }
        snapshot.withLock { $0 = next }
        statistics = DecodingStatistics()
        emit(.configured(info()))
    }

    private func restart(with text: String) {
        let tokens = format.tokens(text, tokenizer: tokenizer)
        guard !tokens.isEmpty else {
            emit(.error("the prompt is empty: give some text"))
            return
        }
        promptText = text
        promptTokens = tokens
        generated = 0
        emit(.prompt(text: format.displayed(text), tokenCount: tokens.count))
        measureBaseline()  // the speedup compares both decodings on the same prompt
        let wasFinished = mode == .finished
        if wasFinished { mode = .paused }  // so that a prompt too long can finish again
        buildDecoder(prompt: tokens)
        guard decoder != nil else {
            if wasFinished && mode == .paused { emit(.mode(.paused)) }  // it failed: say so
            return
        }
        if wasFinished { setMode(.running) }
        if mode == .running { scheduleDrive() }
    }

    // MARK: - Tuning

    /// Runs `tuner` on the session's own target and draft model, prompt and
    /// sampling (within the session's budget in budget mode, else any tree
    /// a step can draft), then rebuilds the decoder over the history (as a new draft
    /// source does), so decoding goes on exactly where it was; `.tuning`
    /// notes while it runs, then `.tuneSuggestion` (or an `.error`).
    private func tune() {
        guard case let .model(draftModel) = draftSource else {
            emit(.error("tune needs a draft model (self:K or a GGUF file); \(draftLabel) has no model to measure"))
            return
        }
        emit(.tuning("starting with \(draftLabel)"))
        let inputs = SessionTuner.Inputs(target: target, draft: current.draft, draftModel: draftModel, prompt: promptTokens,
                                         sampling: current.sampling, seed: current.seed,
                                         budget: current.budget ?? SessionSettings.maxTreeNodes, modelPath: modelPath)
        let result: Result<TuneSuggestion?, any Error>
        do {
            result = .success(try tuner.run(inputs, progress: { self.emit(.tuning($0)) },
                                            shouldStop: { [quitRequested] in quitRequested.withLock { $0 } }))
        } catch {
            result = .failure(error)
        }
        // The tune used both caches: rebuild the decoder over what was decoded.
        if let history = decoder?.history, mode != .finished {
            buildDecoder(prompt: history)
        } else {
            decoder = nil
            target.reset()
            draftModel.reset()
        }
        switch result {
        case let .success(suggestion?): emit(.tuneSuggestion(suggestion))
        case .success(nil): emit(.error("tune stopped"))
        case let .failure(error): emit(.error("tune: \(error)"))
        }
    }

    // MARK: - Emitting

    /// Sends `event` (after the `.tokenText` of any id it brings), or holds it
    /// while a `stepDecision` step is running.
    private func emit(_ event: SessionEvent) {
        var out: [SessionEvent] = []
        switch event {
        case let .decoding(.levelDrafted(_, _, nodes, _)):
            for node in nodes { introduce(node.token, into: &out) }
        case let .decoding(.tokenEmitted(_, token, _)):
            introduce(token, into: &out)
        default:
            break
        }
        out.append(event)
        if holding { held += out } else { publish(out) }
    }

    private func introduce(_ token: TokenID, into out: inout [SessionEvent]) {
        if introduced.insert(token).inserted {
            out.append(.tokenText(id: token, text: tokenizer.pieceText(token)))
        }
    }

    private func releaseHeld() {
        guard !held.isEmpty else { return }
        let events = held
        held.removeAll()
        publish(events)
    }

    /// Releases held events up to and including the first decision; false if none is held.
    private func releaseThroughNextDecision() -> Bool {
        guard let i = held.firstIndex(where: \.isDecision) else { return false }
        let events = Array(held[...i])
        held.removeFirst(i + 1)
        publish(events)
        return true
    }

    /// Records `events` in the trace and hands them to the pump.
    private func publish(_ events: [SessionEvent]) {
        if let writer = trace {
            do {
                for event in events { try writer.write(event) }
            } catch {
                trace = nil
                pump.publish(events + [.error("the trace stopped: \(error)")])
                return
            }
        }
        pump.publish(events)
    }
}
