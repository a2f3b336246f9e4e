import Foundation

/// A parsed `.theme` file: the theme, which roles it set itself, and the keys
/// it named that spectree does not know (ignored, kept for a warning).
///
/// Format (btop's): one `theme[role]="#RRGGBB"` per line (`#GG` is a grey,
/// `""` the terminal's default colour); lines starting with `#` and blank
/// lines are skipped; a `# comment` may follow the value. Roles the file does
/// not set keep the built-in default's colour.
public struct ThemeFile: Equatable, Sendable {
    public var theme: Theme
    /// Roles the file set explicitly.
    public var definedRoles: Set<ThemeRole>
    /// Unknown keys with their 1-based line numbers.
    public var unknownKeys: [UnknownKey] = []

    /// A key the file named that is not a `ThemeRole`.
    public struct UnknownKey: Equatable, Sendable {
        public var key: String
        public var line: Int

        public init(key: String, line: Int) {
            self.key = key
            self.line = line
        }
    }

    /// Parses theme text. `file` names it in errors.
    /// - Throws: `ThemeError.malformedLine` at the first line that is neither
    ///   blank, a comment nor a well-formed `theme[key]="value"`.
    /// - Complexity: O(n) in the text's length.
    public static func parse(_ text: String, name: String, file: String? = nil) throws(ThemeError) -> ThemeFile {
        var result = ThemeFile(theme: Theme(name: name), definedRoles: [])
        let fileName = file ?? "\(name).theme"
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            func fail(_ reason: String) -> ThemeError {
                .malformedLine(file: fileName, line: lineNumber, text: String(line), reason: reason)
            }
            guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]") else {
                throw fail("expected theme[role]=\"#RRGGBB\"")
            }
            let key = line[line.index(line.startIndex, offsetBy: 6)..<close].lowercased()
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw fail("bad role name")
            }
            var rest = line[line.index(after: close)...].drop { $0 == " " || $0 == "\t" }
            guard rest.first == "=" else { throw fail("expected = after theme[\(key)]") }
            rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
            let value: Substring
            if rest.first == "\"" {
                let body = rest.dropFirst()
                guard let end = body.firstIndex(of: "\"") else { throw fail("missing closing quote") }
                value = body[..<end]
                let tail = body[body.index(after: end)...].drop { $0 == " " || $0 == "\t" }
                guard tail.isEmpty || tail.first == "#" else { throw fail("unexpected text after the value") }
            } else {
                value = rest.prefix { $0 != " " && $0 != "\t" }
                let tail = rest.dropFirst(value.count).drop { $0 == " " || $0 == "\t" }
                guard tail.isEmpty || tail.first == "#" else { throw fail("unexpected text after the value") }
            }
            let color: RGBColor?
            if value.isEmpty {
                color = nil
            } else if let c = RGBColor(parsing: String(value)) {
                color = c
            } else {
                throw fail("expected a colour \"#RRGGBB\", \"#GG\" or \"\"")
            }
            if let role = ThemeRole(key: key) {
                result.theme[role] = color
                result.definedRoles.insert(role)
            } else {
                result.unknownKeys.append(UnknownKey(key: key, line: lineNumber))
            }
        }
        return result
    }

    /// Reads and parses the theme file at `path`; the theme is named after the file.
    /// - Throws: `ThemeError.unreadable` or `.malformedLine`; never traps.
    public static func load(path: String) throws(ThemeError) -> ThemeFile {
        let fileName = (path as NSString).lastPathComponent
        let name = fileName.hasSuffix(".theme") ? String(fileName.dropLast(6)) : fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: path, reason: "not UTF-8 text")
        }
        return try parse(text, name: name, file: fileName)
    }
}
