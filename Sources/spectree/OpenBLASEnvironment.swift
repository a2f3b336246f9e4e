import Foundation

/// Debian's OpenBLAS misdetects virtualised CPUs (as "Prescott") and falls
/// back to generic kernels about three times slower. It reads
/// `OPENBLAS_CORETYPE` when the library loads, before `main`, so when the
/// variable is missing spectree sets it and re-executes itself once.
enum OpenBLASEnvironment {
    static func ensureCoreType() {
        guard getenv("OPENBLAS_CORETYPE") == nil else { return }
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let core: String
        if info.contains(" avx512f") && info.contains(" avx512bw") { core = "SkylakeX" }
        else if info.contains(" avx2") { core = "Haswell" }
        else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        // Re-execute this very binary with the same arguments; on failure, carry on as we are.
        let arguments = CommandLine.unsafeArgv
        execv("/proc/self/exe", arguments)
    }
}
