import Foundation

/// A value behind a lock, shared between threads (the pacer's queue, the
/// pipe, callers of `send`, the screen's key watcher). `Synchronization.Mutex` would do, but needs
/// macOS 15 and the package supports 14.
/// - Complexity: one uncontended `NSLock` round trip per access.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
