/// Splits text into the pieces a byte-level BPE model encodes one at a time.
///
/// Each kind is the sequence of regular expressions llama.cpp's `llama-vocab.cpp`
/// gives the `tokenizer.ggml.pre` names that use it; every expression splits each
/// piece of the one before. They run as hand-written scanners (``PreTokenizerStage``)
/// with the regex semantics, not through a regex engine.
public struct PreTokenizer: Sendable {
    /// The pattern families spectree implements.
    public enum Kind: String, Sendable, CaseIterable {
        /// GPT-2's pattern.
        case gpt2
        /// Every number scalar alone, then GPT-2's pattern (SmolLM, StarCoder, …).
        case smollm
        /// Llama 3's pattern: numbers in groups of up to three, case-insensitive
        /// contractions, one leading non-letter glued to a word, newline runs.
        case llama3
        /// Llama 3's pattern with single-scalar numbers (Qwen 2, …).
        case qwen2
        /// llama.cpp's fallback for unnamed or unknown pre-tokenizers: punctuation runs,
        /// then GPT-2's pattern, then number runs, then ASCII digit triples.
        case `default`
    }

    /// Which pattern family this is.
    public let kind: Kind
    /// Whether a piece that is already a whole token skips the merges (llama.cpp's
    /// `ignore_merges`, set for the Llama 3 names).
    public let ignoresMerges: Bool
    let stages: [PreTokenizerStage]

    /// The pre-tokenizer for a `tokenizer.ggml.pre` name; `nil` or unknown names give `.default`.
    public init(named name: String?) {
        let (kind, ignoresMerges) = Self.resolve(name)
        self.init(kind: kind, ignoresMerges: ignoresMerges)
    }

    /// The pre-tokenizer of a pattern family.
    public init(kind: Kind, ignoresMerges: Bool = false) {
        self.kind = kind
        self.ignoresMerges = ignoresMerges
        switch kind {
        case .gpt2: stages = [.gpt2]
        case .smollm: stages = [.eachNumber, .gpt2]
        case .llama3: stages = [.llama3(maxDigits: 3)]
        case .qwen2: stages = [.llama3(maxDigits: 1)]
        case .default: stages = [.punctuationRuns, .gpt2, .numberRuns, .asciiDigitTriples]
        }
    }

    /// The pieces of `text`, in order; their concatenation is `text`, scalar for scalar.
    ///
    /// - Complexity: O(n) in the text's length.
    public func split(_ text: String) -> [String] {
        let scalarText = ScalarText(text)
        var pieces: [Range<Int>] = []
        split(scalarText, 0..<scalarText.count, into: &pieces)
        return pieces.map { scalarText.string(of: $0) }
    }

    /// Appends the pieces of `text[range]` (scalar indices) to `pieces`.
    ///
    /// - Complexity: O(n · stages) in the range's length.
    func split(_ text: ScalarText, _ range: Range<Int>, into pieces: inout [Range<Int>]) {
        guard !range.isEmpty else { return }
        guard stages.count > 1 else {
            stages[0].split(text, range, into: &pieces)
            return
        }
        var current = [range]
        var next: [Range<Int>] = []
        for (n, stage) in stages.enumerated() {
            next.removeAll(keepingCapacity: true)
            for piece in current {
                if n == stages.count - 1 {
                    stage.split(text, piece, into: &pieces)
                } else {
                    stage.split(text, piece, into: &next)
                }
            }
            swap(&current, &next)
        }
    }

    /// llama.cpp's name table, reduced to the families above.
    private static func resolve(_ name: String?) -> (Kind, Bool) {
        switch name {
        case "gpt2", "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de",
             "a.x-4.0", "mellum", "modern-bert", "jina-v1-en", "jina-v2-code", "roberta-bpe",
             "mpt", "olmo", "jais", "trillion", "granite-docling", "exaone4":
            (.gpt2, false)
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b":
            (.smollm, false)
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0",
             "lfm2", "jina-v5-nano":
            (.llama3, true)
        case "dbrx", "smaug-bpe", "glm4", "chatglm-bpe":
            (.llama3, false)
        case "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "stablelm2", "hunyuan",
             "grok-2":
            (.qwen2, false)
        default:
            (.default, false)
        }
    }
}
