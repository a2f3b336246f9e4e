import Foundation

/// Byte counts as people read them.
public enum ByteCount {
    /// 1_117_320_768 → "1.1 GB", 98_362_432 → "98 MB", 512 → "512 B" (decimal units).
    public static func format(_ bytes: Int64) -> String {
        let b = Double(bytes)
        if b >= 1e9 { return String(format: "%.1f GB", b / 1e9) }
        if b >= 1e6 { return String(format: "%.0f MB", b / 1e6) }
        if b >= 1e3 { return String(format: "%.0f kB", b / 1e3) }
        return "\(bytes) B"
    }
}
