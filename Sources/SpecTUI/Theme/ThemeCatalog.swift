import Foundation

/// The themes a user can cycle through: `.theme` files found in a list of
/// directories, plus the built-in default (always present, always first).
///
/// Directories, first match wins for a name: `$SPECTREE_THEMES`,
/// `./themes`, `<executable dir>/themes`, `<executable dir>/../share/spectree/themes`,
/// `$XDG_CONFIG_HOME/spectree/themes` (or `~/.config/spectree/themes`).
/// Listing reads directory entries only; files are parsed on `load`.
public struct ThemeCatalog: Sendable {
    /// Directories searched, in order.
    public var directories: [String]

    public init(directories: [String]) { self.directories = directories }

    /// The standard search path, from the environment and the executable's location.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment,
                                executablePath: String? = CommandLine.arguments.first) -> ThemeCatalog {
        var dirs: [String] = []
        if let d = environment["SPECTREE_THEMES"], !d.isEmpty { dirs.append(d) }
        dirs.append("themes")
        if let exe = executablePath, exe.contains("/") {
            let dir = (exe as NSString).deletingLastPathComponent
            dirs.append(dir + "/themes")
            dirs.append(dir + "/../share/spectree/themes")
        }
        if let x = environment["XDG_CONFIG_HOME"], !x.isEmpty {
            dirs.append(x + "/spectree/themes")
        } else if let home = environment["HOME"], !home.isEmpty {
            dirs.append(home + "/.config/spectree/themes")
        }
        return ThemeCatalog(directories: dirs)
    }

    /// Theme names available: `default` first, then the others sorted.
    /// - Complexity: one directory listing per search directory.
    public func names() -> [String] {
        var seen: Set<String> = ["default"]
        var others: [String] = []
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

    /// Loads theme `name`. `default` without a file is the built-in default.
    /// - Throws: `ThemeError` (never traps); callers keep their current theme.
    public func load(_ name: String) throws(ThemeError) -> Theme {
        guard let p = path(of: name) else {
            if name == "default" { return .builtInDefault }
            throw .notFound(name: name, searched: directories)
        }
        return try ThemeFile.load(path: p).theme
    }

    /// The name after `current` in `names()`, wrapping round.
    public func name(after current: String) -> String {
        let all = names()
        guard let i = all.firstIndex(of: current) else { return all[0] }
        return all[(i + 1) % all.count]
    }
}
