import Foundation

/// Where spectree keeps the user's files: `$XDG_CONFIG_HOME/spectree`, or
/// `~/.config/spectree` when that variable is unset or empty.
public enum SettingsStore {
    /// The configuration directory, or nil when neither `XDG_CONFIG_HOME` nor `HOME` is set.
    public static func configDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let x = environment["XDG_CONFIG_HOME"], !x.isEmpty { return x + "/spectree" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/spectree" }
        return nil
    }
}
