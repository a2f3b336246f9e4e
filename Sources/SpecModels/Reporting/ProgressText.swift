import Foundation

/// The text pieces every progress display shares (model fetches, benchmark
/// sweeps): a bar of block characters and a short duration. Pure functions.
public enum ProgressText {
    /// `fraction` (clamped to 0…1) of `width` cells filled: "████░░░░".
    public static func bar(fraction: Double, width: Int = 24) -> String {
        let filled = Int((min(1, max(0, fraction)) * Double(width)).rounded(.down))
        return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    }

    /// 75 → "1m15s", 8.2 → "8s".
    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}
