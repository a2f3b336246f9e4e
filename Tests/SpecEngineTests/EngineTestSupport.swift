import AsyncAlgorithms
import Foundation
import SpecCore
import SpecEngine
import SpecModels
import Testing

/// The default model, loaded once, and helpers to read a session's events.
enum EngineTestSupport {
    struct Loaded: @unchecked Sendable {
        let weights: TransformerWeights
        let tokenizer: Tokenizer
    }

    static let loaded: Loaded? = {
        ComputePool.start(threads: 2)
        guard let file = try? GGUFFile(path: DefaultModel.path),
              let weights = try? TransformerWeights(file: file),
              let tokenizer = try? Tokenizer(file: file) else { return nil }
        return Loaded(weights: weights, tokenizer: tokenizer)
    }()

    static func require() throws -> Loaded {
        try #require(loaded, "the default model is missing at \(DefaultModel.path): run `make test` (or `spectree models fetch smollm2-135m`) to fetch it")
    }

    /// A fresh target (own KV cache) over the default model's weights.
    static func target(context: Int = 384) throws -> Transformer {
        try Transformer(weights: require().weights, contextLength: context)
    }

    /// A session over a fresh target with a short baseline, paced.
    static func session(_ settings: SessionSettings, prompt: String = "Once upon a time", startPaused: Bool = false,
                        trace: TraceWriter? = nil, context: Int = 384, tuner: (any SessionTuning)? = nil) throws -> TestSession {
        let session = try DecodingSession(target: target(context: context), tokenizer: require().tokenizer, targetName: "SmolLM2-135M-Instruct",
                                          settings: settings, prompt: prompt, baselineTokens: 4, tuner: tuner)
        return TestSession(pacer: Pacer(session, startPaused: startPaused, trace: trace), session: session)
    }

    /// Events up to and including the first `.finished`, then `quit`, then the rest until the stream ends.
    static func runToEnd(_ pacer: Pacer) async -> [SessionEvent] {
        let reader = EventReader(pacer.events)
        var events = await reader.read(through: { if case .finished = $0 { true } else { false } })
        pacer.send(.quit)
        events += await reader.rest()
        return events
    }

    static func runToEnd(_ session: TestSession) async -> [SessionEvent] { await runToEnd(session.pacer) }

    static func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-engine-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }
}

/// A live session and the pacer that runs it, as the tests drive them.
struct TestSession {
    let pacer: Pacer
    let session: DecodingSession
    var events: AsyncChannel<[SessionEvent]> { pacer.events }
    var settings: SessionSettings { session.settings }
    func send(_ command: SessionCommand) { pacer.send(command) }
}

/// Reads a pacer's channel one event at a time across batches.
final class EventReader {
    private var iterator: AsyncChannel<[SessionEvent]>.AsyncIterator
    private var buffer: [SessionEvent] = []
    /// Batches received so far.
    private(set) var batches = 0

    init(_ events: AsyncChannel<[SessionEvent]>) { iterator = events.makeAsyncIterator() }

    func next() async -> SessionEvent? {
        while buffer.isEmpty {
            guard let batch = await iterator.next() else { return nil }
            batches += 1
            buffer = batch
        }
        return buffer.removeFirst()
    }

    /// Events up to and including the first one matching `stop` (or to the end of the stream).
    func read(through stop: (SessionEvent) -> Bool) async -> [SessionEvent] {
        var out: [SessionEvent] = []
        while let event = await next() {
            out.append(event)
            if stop(event) { break }
        }
        return out
    }

    func rest() async -> [SessionEvent] { await read(through: { _ in false }) }
}

extension SessionEvent {
    /// The event with every measured time set to zero, so that two runs compare equal.
    var timeless: SessionEvent {
        switch self {
        case let .decoding(event): .decoding(event.timeless)
        case let .statistics(statistics): .statistics(statistics.timeless)
        case .baseline: .baseline(tokensPerSecond: 0)
        default: self
        }
    }

    var decodingEvent: DecodingEvent? {
        if case let .decoding(event) = self { return event }
        return nil
    }

    var isMode: Bool {
        if case .mode = self { return true }
        return false
    }

    var stepSummary: StepSummary? {
        if case let .decoding(.stepFinished(summary)) = self { return summary }
        return nil
    }
}

extension DecodingEvent {
    var timeless: DecodingEvent {
        switch self {
        case let .levelDrafted(step, level, nodes, _): .levelDrafted(step: step, level: level, nodes: nodes, seconds: 0)
        case let .treeVerified(step, batchSize, _): .treeVerified(step: step, batchSize: batchSize, seconds: 0)
        case let .stepFinished(summary): .stepFinished(summary.timeless)
        default: self
        }
    }
}

extension StepSummary {
    var timeless: StepSummary {
        var s = self
        s.draftSeconds = 0
        s.verifySeconds = 0
        s.otherSeconds = 0
        return s
    }
}

extension DecodingStatistics {
    var timeless: DecodingStatistics {
        var s = self
        s.draftSeconds = 0
        s.verifySeconds = 0
        s.otherSeconds = 0
        return s
    }
}
