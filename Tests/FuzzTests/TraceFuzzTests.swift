import Foundation
import SpecEngine
import Testing

/// Mutated traces read through the public `TraceReader`: no crash, no hang,
/// every error naming the file and the line.
@Suite("Fuzz: traces", .serialized)
struct TraceFuzzTests {
    /// A trace recorded by `spectree run --record` on the small model (rsd-s,
    /// W=2, L=4, 24 tokens).
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/session.jsonl").path

    /// Values that break numbers and strings in JSON.
    static let replacements = [
        "-1", "0", "4294967296", "1e309", "-1e309", "9223372036854775808", "1.5", "null", "true", "\"x\"",
        "[]", "{}", "\"\\ud800\"", "\"\u{0}\"", "NaN", "18446744073709551616", "-0",
    ]

    /// One mutation of the trace's text, described.
    static func mutate(_ lines: [String], _ random: inout FuzzRandom) -> (text: String, description: String) {
        var lines = lines
        var what: [String] = []
        for _ in 0 ..< 1 + random.below(3) {
            let i = random.below(lines.count)
            switch random.below(8) {
            case 0, 1:
                // A number or a quoted value replaced.
                var line = Array(lines[i].utf8)
                let starts = line.indices.filter { k in
                    let c = line[k]
                    return (c == UInt8(ascii: "\"") || c == UInt8(ascii: "-") || (48...57).contains(c))
                        && k > 0 && (line[k - 1] == UInt8(ascii: ":") || line[k - 1] == UInt8(ascii: "[") || line[k - 1] == UInt8(ascii: ","))
                }
                guard let start = starts.isEmpty ? nil : random.pick(starts) else { continue }
                var end = start + 1
                if line[start] == UInt8(ascii: "\"") {
                    while end < line.count && line[end] != UInt8(ascii: "\"") { end += line[end] == UInt8(ascii: "\\") ? 2 : 1 }
                    end = min(line.count, end + 1)
                } else {
                    while end < line.count && "0123456789.eE+-".utf8.contains(line[end]) { end += 1 }
                }
                let value = random.pick(replacements)
                line.replaceSubrange(start ..< end, with: Array(value.utf8))
                lines[i] = String(decoding: line, as: UTF8.self)
                what.append("line \(i + 1): value at \(start) → \(value)")
            case 2:
                var bytes = Array(lines[i].utf8)
                guard !bytes.isEmpty else { continue }
                let k = random.below(bytes.count)
                bytes[k] = UInt8(random.below(256))
                lines[i] = String(decoding: bytes, as: UTF8.self)
                what.append("line \(i + 1): byte \(k) changed")
            case 3:
                let cut = random.below(lines[i].utf8.count + 1)
                lines[i] = String(decoding: Array(lines[i].utf8.prefix(cut)), as: UTF8.self)
                what.append("line \(i + 1) cut at \(cut)")
            case 4:
                lines.remove(at: i)
                if lines.isEmpty { lines = [""] }
                what.append("line \(i + 1) removed")
            case 5:
                let j = random.below(lines.count)
                lines.swapAt(i, j)
                what.append("lines \(i + 1) and \(j + 1) swapped")
            case 6:
                lines.insert(random.pick(["", "{}", "[]", "garbage", "{\"step\":1}", lines[random.below(lines.count)]]), at: i)
                what.append("line inserted at \(i + 1)")
            default:
                // A key renamed.
                guard let range = lines[i].range(of: "\":") else { continue }
                lines[i].replaceSubrange(range, with: "x\":")
                what.append("line \(i + 1): a key renamed")
            }
        }
        var text = lines.joined(separator: "\n")
        if random.chance(0.8) { text += "\n" }
        if random.chance(0.1) {
            let cut = random.below(text.utf8.count + 1)
            text = String(decoding: Array(text.utf8.prefix(cut)), as: UTF8.self)
            what.append("file cut at byte \(cut)")
        }
        return (text, what.joined(separator: "; "))
    }

    @Test("mutated traces are read or refused naming the file and line")
    func mutatedTraces() throws {
        let text = try String(contentsOfFile: Self.fixture, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        let original = try TraceReader.read(path: Self.fixture)
        #expect(original.events.count == lines.count - 1, "the fixture reads whole")
        let scratch = FuzzScratch("traces")
        let budget = FuzzBudget(defaultCases: 1000, share: 0.2)
        var random = FuzzRandom(seed: budget.seed ^ 0x7ace)
        var tally = FuzzTally()
        var unnumbered: [String] = []
        let watchdog = FuzzWatchdog()
        defer { watchdog.stop() }
        var index = 0
        while budget.allows(index) {
            let (mutated, what) = Self.mutate(lines, &random)
            let name = "case-\(index).jsonl"
            let path = scratch.write(Array(mutated.utf8), name: name)
            watchdog.begin("\(name): \(what)")
            let started = ContinuousClock.now
            do {
                _ = try TraceReader.read(path: path)
                tally.accepted += 1
            } catch let error as TraceError {
                tally.rejectedAt["read", default: 0] += 1
                if !error.description.contains(name) { tally.unnamed.append("\(name) (\(what)): \(error)") }
                if error.line < 1 && !mutated.isEmpty { unnumbered.append("\(name) (\(what)): \(error)") }
            } catch {
                tally.rejectedAt["other", default: 0] += 1
                tally.unnamed.append("\(name) (\(what)): not a TraceError: \(error)")
            }
            tally.slowest = max(tally.slowest, .now - started)
            watchdog.end()
            scratch.remove(path)
            tally.cases += 1
            index += 1
        }
        print("Trace fuzz (seed \(budget.seed)): \(tally)")
        #expect(tally.unnamed.isEmpty, "errors without the file's name: \(tally.unnamed.prefix(10))")
        #expect(unnumbered.isEmpty, "errors without a line: \(unnumbered.prefix(10))")
        #expect(tally.rejectedAt["read", default: 0] > 0 && tally.accepted > 0)
    }
}
