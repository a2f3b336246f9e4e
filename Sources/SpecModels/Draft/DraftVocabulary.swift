import SpecCore

/// FR-Spec's trimmed draft vocabulary (Zhao et al., ACL 2025): the draft's
/// output head keeps only the N most frequent tokens of its tokenizer, so q is
/// zero elsewhere and the draft never proposes those tokens. Every verifier
/// stays exactly lossless (the enumeration tests hold this with q zero on a
/// subset); only acceptance can drop. The head then costs N/V of the full one.
public enum DraftVocabulary {
    /// The sizes the live knob steps through (nil: the full vocabulary).
    public static let steps: [Int?] = [8192, 16384, 32768, nil]

    /// The next step above (`delta` > 0) or below `current` (nil = full).
    public static func step(from current: Int?, by delta: Int) -> Int? {
        let index = steps.firstIndex(of: current) ?? steps.firstIndex { ($0 ?? .max) >= (current ?? .max) } ?? steps.count - 1
        return steps[min(max(0, index + delta), steps.count - 1)]
    }

    /// The `size` tokens the draft keeps for the tokenizer of `file`: control
    /// and user-defined tokens (end of turn and the like) always, then the most
    /// frequent by the shipped table.
    /// - Throws: `SettingsError` when no table ships for the tokenizer or `size` is out of range.
    public static func tokens(size: Int, file: GGUFFile, vocabularySize: Int) throws(SettingsError) -> [Int] {
        try SettingRanges.checkDraftVocabulary(size, vocabularySize: vocabularySize)
        let pre = file.string("tokenizer.ggml.pre")
        guard let table = TokenFrequencyTable.shipped(preTokenizer: pre, vocabularySize: vocabularySize) else {
            throw SettingsError("--draft-vocab: no token frequency table ships for the tokenizer '\(pre ?? "?")' of \(vocabularySize) tokens "
                                + "(shipped: \(TokenFrequencyTable.shippedNames.joined(separator: ", ")))")
        }
        let types = file.ints("tokenizer.ggml.token_type") ?? []
        var kept = types.indices.filter { types[$0] == 3 || types[$0] == 4 }.prefix(size).map { $0 }
        var seen = Set(kept)
        for token in table.ranked() where kept.count < size && !seen.contains(token) {
            kept.append(token)
            seen.insert(token)
        }
        return kept.sorted()
    }

    /// Restricts `model`'s output head to `size` tokens (nil or the whole
    /// vocabulary: every row). Takes effect at its next evaluation.
    /// - Throws: `SettingsError` as `tokens(size:file:vocabularySize:)`.
    /// - Complexity: O(size · dim) to copy the rows, once per change.
    public static func apply(_ size: Int?, to model: Transformer) throws(SettingsError) {
        guard let size, size < model.vocabularySize else {
            if let size { try SettingRanges.checkDraftVocabulary(size, vocabularySize: model.vocabularySize) }
            model.outputRows = nil
            return
        }
        if model.outputRows?.tokens.count == size { return }
        let kept = try tokens(size: size, file: model.weights.file, vocabularySize: model.vocabularySize)
        model.outputRows = try OutputRowSubset(head: model.weights.output, tokens: kept, maxBatch: model.maxBatch)
    }

    /// `apply` to a draft source's model; an n-gram source has no head: any size other than nil is refused.
    public static func apply(_ size: Int?, to source: DraftSource) throws(SettingsError) {
        switch source {
        case let .model(model as Transformer): try apply(size, to: model)
        case .model: if size != nil { throw SettingsError("--draft-vocab needs a transformer draft") }
        case .ngram: if size != nil { throw SettingsError("--draft-vocab trims a draft model's output head; an n-gram draft has none") }
        }
    }

    /// "8k", "16k", "32k", "full" (or the exact count).
    public static func label(_ size: Int?) -> String {
        guard let size else { return "full" }
        return size % 1024 == 0 ? "\(size / 1024)k" : "\(size)"
    }
}
