import Foundation
import SpecCore
import SpecModels

/// One generation from a prompt, plain or speculative, streamed as text:
/// what `spectree generate` runs. The decoders stop at the tokenizer's
/// end-of-generation tokens (never part of the text), at `maxTokens`, or when
/// the context is full.
///
/// A synchronous value: `run` returns when the generation ends and reports
/// text pieces through its closure as they come.
public struct Generation {
    public let target: Transformer
    public let tokenizer: Tokenizer
    public let prompt: [TokenID]
    public let sampling: SamplingParameters
    public let seed: UInt64
    public let maxTokens: Int
    /// The draft (with the label the user gave it) and the shape, or nil for plain decoding.
    public let speculative: (source: DraftSource, label: String, shape: DraftShape)?
    /// Judges the drafted trees.
    public let verifier: Verifier
    /// The model's file, for the result.
    public let modelPath: String
    /// p-min of the speculative decoder (0 = off).
    public let pMin: Double
    /// Lookup-assisted chain drafting (`SpeculativeDecoder.draftLookup`; nil = off).
    public let draftLookup: NGramDrafter?

    public init(target: Transformer, tokenizer: Tokenizer, prompt: [TokenID], sampling: SamplingParameters, seed: UInt64,
                maxTokens: Int, speculative: (source: DraftSource, label: String, shape: DraftShape)?,
                verifier: Verifier = .token, modelPath: String, pMin: Double = 0,
                draftLookup: NGramDrafter? = nil) {
        self.pMin = pMin
        self.draftLookup = draftLookup
        self.verifier = verifier
        self.target = target
        self.tokenizer = tokenizer
        self.prompt = prompt
        self.sampling = sampling
        self.seed = seed
        self.maxTokens = maxTokens
        self.speculative = speculative
        self.modelPath = modelPath
    }

    /// Runs the generation. `onText` gets each printable piece in order.
    /// - Parameter onStop: called with the error when a full context ends the generation.
    /// - Throws: model errors other than a full context; settings errors from the decoder.
    /// - Complexity: one prefill, then one target call per token (plain) or per step.
    public func run(onText: (String) -> Void = { _ in }, onStop: (Error) -> Void = { _ in }) throws -> GenerationResult {
        let clock = ContinuousClock()
        let started = clock.now
        let stops = tokenizer.endOfGenerationTokens
        var next: () throws -> [TokenID]
        var decoder: SpeculativeDecoder?
        if let speculative {
            let spec = try SpeculativeDecoder(target: target, draft: speculative.source, shape: speculative.shape,
                                              sampling: sampling, verifier: verifier, prompt: prompt, seed: seed,
                                              stopTokens: stops, pMin: pMin, draftLookup: draftLookup)
            decoder = spec
            next = { try spec.step() }
        } else {
            var plain = try AutoregressiveDecoder(model: target, prompt: prompt, sampling: sampling, seed: seed, stopTokens: stops)
            next = { plain.isFinished ? [] : [try plain.next()] }
        }
        let prefilled = clock.now
        var stream = StreamingDecoder(tokenizer: tokenizer)
        var tokens: [TokenID] = []
        var text = ""
        var stopReason = "max-tokens"
        generation: while tokens.count < maxTokens {
            let step: [TokenID]
            do {
                step = try next()
            } catch let error as ModelError {
                stopReason = "context-full"
                onStop(error)
                break
            }
            for token in step {
                if stops.contains(token) { stopReason = "end-of-text"; break generation }
                if tokens.count == maxTokens { break generation }
                tokens.append(token)
                let piece = stream.append(token)
                text += piece
                onText(piece)
            }
            if step.isEmpty { stopReason = "end-of-text"; break }
        }
        let tail = stream.flush()
        text += tail
        onText(tail)
        let finished = clock.now
        let decodeSeconds = (finished - prefilled).seconds
        var result = GenerationResult(
            model: modelPath, promptTokens: prompt.count, tokens: tokens, text: text,
            tokensPerSecond: tokens.count > 1 ? Double(tokens.count - 1) / decodeSeconds : 0,
            prefillSeconds: (prefilled - started).seconds, decodeSeconds: decodeSeconds,
            targetCalls: max(0, tokens.count - 1), stopReason: stopReason)
        if let decoder, let speculative {
            let stats = decoder.statistics
            result.targetCalls = stats.targetCalls
            result.tokensPerSecond = decodeSeconds > 0 ? Double(stats.emittedTokens) / decodeSeconds : 0
            result.draft = speculative.label
            result.method = decoder.shape.label
            result.blockEfficiency = stats.blockEfficiency
            result.acceptanceByDepth = stats.acceptanceByDepth
            result.draftMilliseconds = stats.draftSeconds * 1e3
            result.verifyMilliseconds = stats.verifySeconds * 1e3
            result.otherMilliseconds = stats.otherSeconds * 1e3
        }
        return result
    }
}

/// What a `Generation` produced; its JSON (snake_case keys) is what
/// `spectree generate --json` prints for other tools.
public struct GenerationResult: Encodable, Sendable {
    public let model: String
    public let promptTokens: Int
    public let tokens: [TokenID]
    public let text: String
    public var tokensPerSecond: Double
    public let prefillSeconds: Double
    public let decodeSeconds: Double
    public var targetCalls: Int
    /// "max-tokens", "end-of-text" or "context-full".
    public let stopReason: String
    // Speculative decoding only.
    public var draft: String?
    public var method: String?
    /// Tokens the draft's output head kept (nil: the whole head).
    public var draftVocabulary: Int?
    public var blockEfficiency: Double?
    public var acceptanceByDepth: [Double]?
    public var draftMilliseconds: Double?
    public var verifyMilliseconds: Double?
    public var otherMilliseconds: Double?

    enum CodingKeys: String, CodingKey {
        case model, tokens, text, draft, method
        case promptTokens = "prompt_tokens", tokensPerSecond = "tokens_per_second", prefillSeconds = "prefill_seconds"
        case decodeSeconds = "decode_seconds", targetCalls = "target_calls", stopReason = "stop_reason"
        case draftVocabulary = "draft_vocab", blockEfficiency = "block_efficiency", acceptanceByDepth = "acceptance_by_depth"
        case draftMilliseconds = "draft_ms", verifyMilliseconds = "verify_ms", otherMilliseconds = "other_ms"
    }

    /// The result as one line of JSON, keys sorted.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
