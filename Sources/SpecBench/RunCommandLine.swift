import SpecCore

/// The `spectree run` command line that starts a session with a shape: what
/// `tune` and the live tune suggest, written in one place.
public enum RunCommandLine {
    /// `spectree run [--model M] --draft D <shape> --temperature T [--top-k K] [--top-p P]`, shell-quoted.
    /// - Parameter extra: further options, e.g. `--draft-vocab 16384` (`TuneDraft.extraOptions`).
    public static func words(modelPath: String?, draft: String, shape: DraftShape, sampling: SamplingParameters,
                             extra: [String] = []) -> String {
        var words = ["spectree", "run"]
        if let modelPath { words += ["--model", modelPath] }
        words += ["--draft", draft] + extra + shape.commandLineOptions + ["--temperature", number(sampling.temperature)]
        if sampling.topK > 0 { words += ["--top-k", String(sampling.topK)] }
        if sampling.topP < 1 { words += ["--top-p", number(sampling.topP)] }
        return words.map(shellQuoted).joined(separator: " ")
    }

    /// A number as a user types it: `1` for a whole value, `0.7` otherwise.
    public static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }

    /// `s` unchanged when the shell reads it as one word, else in single quotes.
    public static func shellQuoted(_ s: String) -> String {
        s.allSatisfy({ $0.isLetter || $0.isNumber || "-_./:,=+".contains($0) }) ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
