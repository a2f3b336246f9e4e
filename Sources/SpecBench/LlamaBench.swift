import Foundation

/// llama.cpp's `llama-bench` as a reference for plain decoding: runs
/// `llama-bench -m FILE -p 0 -n N -t THREADS` and reads its tokens/s from the
/// markdown table it prints, e.g.
///
///     | model                    |     size | params | backend | threads |  test |           t/s |
///     | ------------------------ | -------: | -----: | ------- | ------: | ----: | ------------: |
///     | qwen2 1.5B Q4_K - Medium | 1.04 GiB | 1.78 B | CPU     |       2 | tg128 |  28.51 ± 0.36 |
///
/// Failures (no such file, a non-zero exit, a table without a tg row) are a
/// `BenchError` naming what went wrong, never a crash: the caller reports
/// them and goes on without the reference.
public struct LlamaBench: Sendable {
    /// The executable.
    public var path: String

    public init(path: String) { self.path = path }

    /// Where `shared/anchor/build-llama-cpp.sh` builds it: `~/.cache/spectree-anchor/llama.cpp/build/bin/llama-bench`.
    public static var defaultPath: String {
        FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/spectree-anchor/llama.cpp/build/bin/llama-bench").path
    }

    /// One run's figure: the generation test's mean tokens/s and its spread (± as printed; nil when absent).
    public struct Measurement: Sendable, Equatable {
        public var test: String
        public var tokensPerSecond: Double
        public var spread: Double?
        public init(test: String, tokensPerSecond: Double, spread: Double?) {
            self.test = test
            self.tokensPerSecond = tokensPerSecond
            self.spread = spread
        }
    }

    /// The command line's arguments after the executable.
    public static func arguments(model: String, tokens: Int, threads: Int) -> [String] {
        ["-m", model, "-p", "0", "-n", String(tokens), "-t", String(threads)]
    }

    /// Reads the first generation row (`tgN`) of llama-bench's markdown table.
    /// - Throws: `BenchError` when there is no table, no `test` or `t/s` column, or no tg row with a number.
    public static func parse(_ output: String) throws(BenchError) -> Measurement {
        let rows = output.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("|") }
            .map { line in line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) } }
        guard let header = rows.first else { throw BenchError("llama-bench printed no table") }
        guard let testColumn = header.firstIndex(of: "test"), let rateColumn = header.firstIndex(of: "t/s") else {
            throw BenchError("llama-bench's table has no 'test' and 't/s' columns: \(header.joined(separator: " | "))")
        }
        for row in rows.dropFirst() where row.count > max(testColumn, rateColumn) && row[testColumn].hasPrefix("tg") {
            let parts = row[rateColumn].split(separator: "±").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let rate = parts.first.flatMap(Double.init) else {
                throw BenchError("llama-bench's \(row[testColumn]) row has no tokens/s: '\(row[rateColumn])'")
            }
            return Measurement(test: row[testColumn], tokensPerSecond: rate, spread: parts.count > 1 ? Double(parts[1]) : nil)
        }
        throw BenchError("llama-bench's table has no generation (tg) row")
    }

    /// Runs llama-bench on `model` and parses its table; blocks until it exits (tens of seconds: 5 repetitions after a warm-up).
    /// - Throws: `BenchError` when the executable is missing, cannot start, exits non-zero (with the last line of its stderr), or prints no figure.
    public func run(model: String, tokens: Int = 128, threads: Int) throws(BenchError) -> Measurement {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchError("llama-bench not found at \(path) (build it with shared/anchor/build-llama-cpp.sh, or give --llama-bench PATH)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Self.arguments(model: model, tokens: tokens, threads: threads)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw BenchError("llama-bench at \(path) did not start: \(error.localizedDescription)") }
        // Read stderr on another thread so that neither pipe fills and blocks the child.
        let errors = Locked(Data())
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errors.set(err.fileHandleForReading.readDataToEndOfFile()) }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let text = String(decoding: stdout, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let last = String(decoding: errors.get(), as: UTF8.self).split(whereSeparator: \.isNewline).last.map(String.init) ?? "no message"
            throw BenchError("llama-bench exited with status \(process.terminationStatus): \(last)")
        }
        return try Self.parse(text)
    }

    /// A value behind a lock, for the reader thread.
    private final class Locked<Value>: @unchecked Sendable {
        private var value: Value
        private let lock = NSLock()
        init(_ value: Value) { self.value = value }
        func set(_ v: Value) { lock.lock(); value = v; lock.unlock() }
        func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
    }
}
