import Foundation

/// A value behind a lock, shared between threads (the decoder's queue, the
/// pump, callers of `send`). `Synchronization.Mutex` would do, but needs
/// macOS 15 and the package supports 14.
/// - Complexity: one uncontended `NSLock` round trip per access.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
