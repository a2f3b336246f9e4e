import Foundation

/// The name a person recognises for a model file: the catalog's name for a
/// catalog file ("Qwen2.5-Coder-1.5B-Instruct Q4_K_M"), otherwise built from
/// `general.basename`, `general.size_label` and `general.finetune` with the
/// quantisation from `general.file_type` — never a bare `general.name` such
/// as "Smollm2 135M 8k Lc100K Mix1 Ep2" unless nothing else is there.
public enum ModelName {
    /// The display name of `file`. - Complexity: O(1) (metadata lookups).
    public static func display(_ file: GGUFFile) -> String {
        let generalName = file.string("general.name")
        // A pruned draft keeps its source's metadata and says so in general.name.
        let pruned = generalName.flatMap { name in name.range(of: " (layers ").map { String(name[$0.lowerBound...]) } } ?? ""
        if let model = ModelCatalog.model(atPath: file.path), model.size == Int64(file.fileSize) {
            return model.displayName + pruned
        }
        var base = ""
        if let basename = file.string("general.basename"), !basename.isEmpty {
            base = basename
            if let size = file.string("general.size_label"), !size.isEmpty, !basename.lowercased().contains(size.lowercased()) {
                base += "-" + size
            }
            if let finetune = file.string("general.finetune"), !finetune.isEmpty {
                base += "-" + finetune.replacingOccurrences(of: "-GGUF", with: "").replacingOccurrences(of: "-AWQ", with: "")
            }
        } else if let generalName, !generalName.isEmpty {
            base = generalName
        } else {
            base = (file.path as NSString).lastPathComponent
        }
        if let type = file.int("general.file_type").flatMap(fileTypeName), !base.contains(type) { base += " " + type }
        return base + pruned
    }

    /// llama.cpp's `general.file_type` numbers (LLAMA_FTYPE_*) and their names.
    public static func fileTypeName(_ type: Int) -> String? {
        [0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S",
         12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 32: "BF16"][type]
    }
}
