import Foundation

/// The themes a user can cycle through: the built-in ones (`themes/*.theme`,
/// embedded in the binary by `scripts/embed-themes.sh`, so they work from any
/// folder) and `.theme` files in the user's theme directories.
///
/// Directories, first match wins for a name and a file overrides a built-in
/// theme of the same name: `$SPECTREE_THEMES`, then
/// `$XDG_CONFIG_HOME/spectree/themes` (or `~/.config/spectree/themes`).
/// `default` is always present and first. Listing reads directory entries
/// only; files are parsed on `load`.
public struct ThemeCatalog: Sendable {
    /// Directories searched, in order.
    public var directories: [String]
    /// Built-in themes: name and file text.
    public var builtIn: [(name: String, text: String)]

    public init(directories: [String], builtIn: [(name: String, text: String)] = ThemeCatalog.builtInFiles) {
        self.directories = directories
        self.builtIn = builtIn
    }

    /// The themes shipped inside the binary (name, `.theme` text), sorted by name.
    public static var builtInFiles: [(name: String, text: String)] { BuiltInThemes.files }

    /// The built-in theme names, `default` first: what `--help` lists.
    public static var builtInNames: [String] {
        ["default"] + builtInFiles.map(\.name).filter { $0 != "default" }.sorted()
    }

    /// The user's own theme directory: `$XDG_CONFIG_HOME/spectree/themes`, or
    /// `~/.config/spectree/themes`; nil without either variable.
    public static func userDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        SettingsStore.configDirectory(environment: environment).map { $0 + "/themes" }
    }

    /// The standard catalog: built-in themes, `$SPECTREE_THEMES` and the user's directory.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ThemeCatalog {
        var dirs: [String] = []
        if let d = environment["SPECTREE_THEMES"], !d.isEmpty { dirs.append(d) }
        if let d = userDirectory(environment: environment) { dirs.append(d) }
        return ThemeCatalog(directories: dirs)
    }

    /// Theme names available: `default` first, then the others sorted.
    /// - Complexity: one directory listing per search directory.
    public func names() -> [String] {
        var seen: Set<String> = ["default"]
        var others: [String] = []
        for b in builtIn where seen.insert(b.name).inserted { others.append(b.name) }
        for dir in directories {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for e in entries where e.hasSuffix(".theme") {
                let n = String(e.dropLast(6))
                if seen.insert(n).inserted { others.append(n) }
            }
        }
        return ["default"] + others.sorted()
    }

    /// The path of the file for theme `name`, if any directory has one.
    public func path(of name: String) -> String? {
        for dir in directories {
            let p = dir + "/" + name + ".theme"
            if FileManager.default.isReadableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Loads theme `name`: a file in the directories, else the built-in theme,
    /// else for `default` the built-in default.
    /// - Throws: `ThemeError` (never traps); callers keep their current theme.
    public func load(_ name: String) throws(ThemeError) -> Theme {
        if let p = path(of: name) { return try ThemeFile.load(path: p).theme }
        if let b = builtIn.first(where: { $0.name == name }) {
            return try ThemeFile.parse(b.text, name: name, file: "built-in \(name).theme").theme
        }
        if name == "default" { return .builtInDefault }
        throw .notFound(name: name, searched: ["built-in themes (" + names().joined(separator: ", ") + ")"] + directories)
    }

    /// The name after `current` in `names()`, wrapping round.
    public func name(after current: String) -> String {
        let all = names()
        guard let i = all.firstIndex(of: current) else { return all[0] }
        return all[(i + 1) % all.count]
    }
}
