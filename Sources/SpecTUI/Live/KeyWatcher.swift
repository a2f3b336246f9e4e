import Dispatch
import Foundation
import SpecEngine

/// Rings when standard input has bytes to read, so that the live screen can
/// wait for keys and events in one place. It never reads the bytes itself
/// (curses does, on the screen's side): after each ring it stays quiet until
/// `rearm`, which the screen calls once it has read every queued key.
///
/// - Complexity: one `DispatchSource` on the file descriptor; a ring costs
///   one wake-up of a Dispatch queue. `@unchecked Sendable`: the source is
///   only suspended and resumed under the lock.
final class KeyWatcher: @unchecked Sendable {
    /// One element per ring; keeps at most one unread ring.
    let rings: AsyncStream<Void>
    private let source: any DispatchSourceRead
    private let state = Locked(State())

    private struct State {
        var suspended = false
        var stopped = false
    }

    init(fileDescriptor: Int32 = STDIN_FILENO) {
        let (rings, ring) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.rings = rings
        source = DispatchSource.makeReadSource(fileDescriptor: fileDescriptor, queue: DispatchQueue(label: "spectree.keys"))
        let source = self.source, state = self.state
        source.setEventHandler {
            // Quiet until the screen has read the keys (the descriptor stays readable until then).
            state.withLock { s in
                guard !s.suspended, !s.stopped else { return }
                s.suspended = true
                source.suspend()
            }
            ring.yield()
        }
        source.setCancelHandler { ring.finish() }
        source.resume()
    }

    /// Listens again after the screen has read what was queued.
    func rearm() {
        state.withLock { s in
            guard s.suspended, !s.stopped else { return }
            s.suspended = false
            source.resume()
        }
    }

    /// Stops listening for good (a source must not be released while suspended).
    func stop() {
        state.withLock { s in
            guard !s.stopped else { return }
            s.stopped = true
            source.cancel()
            if s.suspended { source.resume() }
        }
    }
}
