import Foundation

/// The prompts a benchmark runs: the built-in set (`prompts/prompts.json`,
/// embedded in the binary) or the user's own file.
///
/// File formats: JSON, either `{"prompts": [...]}` or a bare array, each
/// prompt `{"name"?, "kind"?, "text"}` or `{"name"?, "kind"?, "turns":
/// [{"role": "user"|"assistant", "text"}]}` ending with a user turn; or plain
/// text, one prompt per non-empty line.
public struct PromptSet: Sendable, Equatable {
    public var prompts: [BenchPrompt]

    public init(prompts: [BenchPrompt]) { self.prompts = prompts }

    /// The built-in prompts: three or more in each of eight task kinds (two of them code).
    public static let builtIn: PromptSet = {
        do { return try PromptSet(parsing: Data(BuiltInPrompts.json.utf8), source: "the built-in prompts") } catch {
            fatalError("the built-in prompt set does not parse: \(error)")
        }
    }()

    /// Reads a prompt file (JSON or plain text, see the type's notes).
    /// - Throws: `PromptSetError` naming the file: unreadable, empty, malformed.
    public init(contentsOf path: String) throws(PromptSetError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PromptSetError("\(path): cannot read the prompt file")
        }
        try self.init(parsing: data, source: path)
    }

    /// Parses prompt-file bytes; `source` names them in errors.
    public init(parsing data: Data, source: String) throws(PromptSetError) {
        guard let text = String(data: data, encoding: .utf8) else {
            throw PromptSetError("\(source): the prompt file is not UTF-8 text")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw PromptSetError("\(source): the prompt file is empty") }
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            prompts = try Self.parseJSON(data, source: source)
        } else {
            let lines = trimmed.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            prompts = lines.enumerated().map { i, line in
                BenchPrompt(name: "line-\(i + 1)", kind: "text", turns: [.init(role: "user", text: line)])
            }
        }
        guard !prompts.isEmpty else { throw PromptSetError("\(source): the prompt file has no prompts") }
    }

    /// Task kinds in first-appearance order.
    public var kinds: [String] {
        var seen: [String] = []
        for p in prompts where !seen.contains(p.kind) { seen.append(p.kind) }
        return seen
    }

    /// At most `perKind` prompts of each kind, in file order: the reduced set of `--quick`.
    public func limited(perKind: Int) -> PromptSet {
        var counts: [String: Int] = [:]
        return PromptSet(prompts: prompts.filter { p in
            counts[p.kind, default: 0] += 1
            return counts[p.kind]! <= perKind
        })
    }

    /// `count` prompts spread over the kinds: the first of each kind, then
    /// every k-th of those so the picks span the set (the reduced set of `--quick`).
    public func spread(count: Int) -> PromptSet {
        let firsts = limited(perKind: 1).prompts
        guard count >= 1 else { return PromptSet(prompts: []) }
        guard firsts.count > count else { return PromptSet(prompts: Array(firsts.prefix(count))) }
        let picks = (0..<count).map { i in firsts[i * (firsts.count - 1) / max(1, count - 1)] }
        return PromptSet(prompts: picks)
    }

    // MARK: - JSON

    private struct FileTurn: Decodable { var role: String?; var text: String? }
    private struct FilePrompt: Decodable { var name: String?; var kind: String?; var text: String?; var turns: [FileTurn]? }
    private struct FileSet: Decodable { var prompts: [FilePrompt] }

    private static func parseJSON(_ data: Data, source: String) throws(PromptSetError) -> [BenchPrompt] {
        let entries: [FilePrompt]
        do {
            if let set = try? JSONDecoder().decode(FileSet.self, from: data) {
                entries = set.prompts
            } else {
                entries = try JSONDecoder().decode([FilePrompt].self, from: data)
            }
        } catch {
            throw PromptSetError("\(source): malformed prompt file: expected {\"prompts\": [...]} or an array of {\"text\": ...} or {\"turns\": [...]} objects (\(Self.describe(error)))")
        }
        var prompts: [BenchPrompt] = []
        for (i, entry) in entries.enumerated() {
            let name = entry.name ?? "prompt-\(i + 1)"
            let turns: [BenchPrompt.Turn]
            if let text = entry.text {
                turns = [.init(role: "user", text: text)]
            } else if let fileTurns = entry.turns {
                turns = try fileTurns.enumerated().map { (j, t) throws(PromptSetError) in
                    guard let role = t.role, role == "user" || role == "assistant" || role == "system" else {
                        throw PromptSetError("\(source): prompt '\(name)' turn \(j + 1): role must be user, assistant or system")
                    }
                    guard let text = t.text else { throw PromptSetError("\(source): prompt '\(name)' turn \(j + 1) has no \"text\"") }
                    return .init(role: role, text: text)
                }
                guard turns.last?.role == "user" else {
                    throw PromptSetError("\(source): prompt '\(name)' must end with a user turn")
                }
            } else {
                throw PromptSetError("\(source): prompt '\(name)' has neither \"text\" nor \"turns\"")
            }
            guard turns.contains(where: { !$0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) else {
                throw PromptSetError("\(source): prompt '\(name)' is empty")
            }
            prompts.append(BenchPrompt(name: name, kind: entry.kind ?? "text", turns: turns))
        }
        return prompts
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): return c.underlyingError.map { "\($0.localizedDescription)" } ?? c.debugDescription
        case DecodingError.keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c): return c.debugDescription
        default: return "\(error)"
        }
    }
}

/// A prompt file that cannot be used, with a message naming the file.
public struct PromptSetError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
