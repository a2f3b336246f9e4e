import SpecCore

extension TuneExperiment {
    /// Columns of the validation table left out first when it does not fit, least important first.
    public static let validationDroppable = ["temperature", "method", "predicted_step_ms", "measured_step_ms", "tree_tokens",
                                             "predicted_tokens_per_step", "measured_block_efficiency", "error_percent"]

    /// Speedup by prompt kind of each validated shape (nil when none ran or
    /// the prompts have one kind only).
    public static func kindTable(_ validations: [Validation]) -> ResultTable? {
        let columns = validations.map { v in
            (title: "#\(v.rank) \(v.prediction.shape.label)", prompts: PromptSpeedup.paired(plain: v.plain, speculative: v.runs))
        }
        guard let first = columns.first, first.prompts.kinds.count > 1 else { return nil }
        return KindTable.make(columns)
    }
}
