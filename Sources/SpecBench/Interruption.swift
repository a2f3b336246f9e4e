#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C during a sweep: the SIGINT handler only sets a flag, which the
/// sweep checks between runs, so the sweep stops cleanly and writes what
/// finished. A second Ctrl-C exits at once.
public enum Interruption {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    /// Installs the handler (idempotent) and unblocks SIGINT, which a
    /// parent process may have left blocked in the mask it passed on.
    public static func install() {
        signal(SIGINT) { _ in
            if Interruption.flag != 0 { _exit(130) }
            Interruption.flag = 1
        }
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Whether Ctrl-C was pressed since `install`.
    public static var requested: Bool { flag != 0 }
}
