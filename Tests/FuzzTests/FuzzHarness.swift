import Foundation
import SpecCore
import SpecModels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How long a fuzz test runs: a fixed number of cases inside `make test`, or,
/// when `SPECTREE_FUZZ_SECONDS` is set (`make fuzz`), for that many seconds
/// (each test its share), with the seed taken from `SPECTREE_FUZZ_SEED`.
struct FuzzBudget {
    let cases: Int?
    let deadline: ContinuousClock.Instant?
    let seed: UInt64

    /// `defaultCases` cases unless the environment asks for a timed run; a
    /// timed run gives this test `share` of the seconds.
    init(defaultCases: Int, share: Double) {
        let environment = ProcessInfo.processInfo.environment
        seed = environment["SPECTREE_FUZZ_SEED"].flatMap(UInt64.init) ?? 0x5eed_f022
        if let text = environment["SPECTREE_FUZZ_SECONDS"], let seconds = Double(text), seconds > 0 {
            cases = nil
            deadline = .now + .milliseconds(Int64(seconds * share * 1000))
        } else {
            cases = defaultCases
            deadline = nil
        }
    }

    func allows(_ index: Int) -> Bool {
        if let cases { return index < cases }
        return ContinuousClock.now < deadline!
    }
}

/// Aborts the process, naming the case, when one case runs longer than
/// `limit`: a hang fails the suite instead of stalling it. The limit is far
/// above any case's time (milliseconds), so load on the machine cannot trip it.
final class FuzzWatchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var current: (what: String, started: ContinuousClock.Instant)?
    private var stopped = false
    let limit: Duration

    init(limit: Duration = .seconds(60)) {
        self.limit = limit
        let thread = Thread { [weak self] in
            while let self, self.check() { Thread.sleep(forTimeInterval: 0.5) }
        }
        thread.start()
    }

    func begin(_ what: String) { lock.withLock { current = (what, .now) } }
    func end() { lock.withLock { current = nil } }
    func stop() { lock.withLock { stopped = true } }

    /// False once stopped.
    private func check() -> Bool {
        lock.withLock {
            if let current, ContinuousClock.now - current.started > limit {
                FileHandle.standardError.write(Data("fuzz case hung for over \(limit): \(current.what)\n".utf8))
                fatalError("fuzz case hung: \(current.what)")
            }
            return !stopped
        }
    }
}

/// What the fuzz cases came to.
struct FuzzTally: CustomStringConvertible {
    var cases = 0
    var accepted = 0
    /// Rejections by the stage that refused the input.
    var rejectedAt: [String: Int] = [:]
    /// Errors whose message does not name the file (should stay empty).
    var unnamed: [String] = []
    /// Accepted files whose tensors overlap or leave the file (should stay empty).
    var overlapping: [String] = []
    var slowest: Duration = .zero

    var description: String {
        let stages = rejectedAt.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "\(cases) mutations: \(accepted) accepted, rejected at [\(stages)]; crashes 0, hangs 0, "
            + "unnamed-file errors \(unnamed.count), overlapping tensors accepted \(overlapping.count); slowest case \(slowest)"
    }
}

/// A scratch directory for one test, removed at the end.
final class FuzzScratch: @unchecked Sendable {
    let directory: String

    init(_ label: String) {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        directory = base + "/spectree-fuzz-\(label)-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Writes `bytes` to `name`, then extends the file with zeros (a sparse
    /// hole, no writing) to `size` bytes when that is larger.
    func write(_ bytes: [UInt8], name: String, extendingTo size: Int = 0) -> String {
        let path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "cannot create \(path)")
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        precondition(written == bytes.count, "cannot write \(path)")
        if size > bytes.count { precondition(ftruncate(fd, off_t(size)) == 0) }
        close(fd)
        return path
    }

    func remove(_ path: String) { unlink(path) }
}

/// Loads a (mutated) GGUF file as `spectree generate` does, stage by stage:
/// the container, the blueprint, the tokenizer, and with `run` the weights, a
/// transformer, a short prefill and a greedy token. Records how far it got;
/// every error must name the file.
enum GGUFPipeline {
    static func run(path: String, full: Bool, tally: inout FuzzTally, label: String) {
        let name = (path as NSString).lastPathComponent
        var stage = "open"
        do {
            let file = try GGUFFile(path: path)
            if let problem = layoutProblem(file) { tally.overlapping.append("\(label): \(problem)") }
            stage = "config"
            let config = try TransformerConfig(file: file)
            stage = "tokenizer"
            let tokenizer = try Tokenizer(file: file)
            let ids = tokenizer.encode("abcab Hello", addSpecial: true, parseSpecial: false)
            _ = tokenizer.decode(ids)
            if full {
                stage = "weights"
                let weights = try TransformerWeights(file: file)
                stage = "ranges"
                let context = try SettingRanges.contextLength(requested: 32, config: config)
                try SettingRanges.checkMemory(context: context, config: weights.config, model: path)
                guard tokenizer.vocabularySize == weights.config.vocabularySize else {
                    throw ModelLoadError("\(path): the tokenizer has \(tokenizer.vocabularySize) tokens but the output head has \(weights.config.vocabularySize) rows")
                }
                stage = "model"
                let model = try Transformer(weights: weights, contextLength: context)
                let prompt = ids.isEmpty ? [TokenID(0)] : Array(ids.prefix(8))
                stage = "decode"
                var decoder = try AutoregressiveDecoder(model: model, prompt: prompt, sampling: .greedy, seed: 1)
                _ = try decoder.next()
            }
            tally.accepted += 1
        } catch {
            tally.rejectedAt[stage, default: 0] += 1
            let text = "\(error)"
            if !text.contains(name) { tally.unnamed.append("\(label) [\(stage)]: \(text)") }
        }
    }

    /// Why `file`'s tensors overlap or leave the file, if they do: checked
    /// here independently of the reader.
    static func layoutProblem(_ file: GGUFFile) -> String? {
        let ranges = file.tensors.map { (name: $0.name, start: file.dataOffset + $0.offset, end: file.dataOffset + $0.offset + $0.byteCount) }
            .sorted { $0.start < $1.start }
        for r in ranges where r.start < file.dataOffset || r.end > file.fileSize {
            return "tensor \(r.name) at \(r.start)..<\(r.end) lies outside the data (\(file.dataOffset)..<\(file.fileSize))"
        }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.start < a.end {
            return "tensors \(a.name) (\(a.start)..<\(a.end)) and \(b.name) (\(b.start)..<\(b.end)) overlap"
        }
        return nil
    }
}
