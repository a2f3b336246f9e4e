import ArgumentParser
import SpecCore
import SpecModels

/// Comma-separated lists in options.
enum ListOption {
    static func integers(_ text: String, option: String) throws -> [Int] {
        let items = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !items.isEmpty, items.allSatisfy({ $0 != nil }) else {
            throw ValidationError("\(option) takes whole numbers separated by commas, e.g. 4,8,16; got '\(text)'")
        }
        return items.map { $0! }
    }

    static func numbers(_ text: String, option: String) throws -> [Double] {
        let items = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !items.isEmpty, items.allSatisfy({ $0 != nil }) else {
            throw ValidationError("\(option) takes numbers separated by commas, e.g. 0,1; got '\(text)'")
        }
        return items.map { $0! }
    }

    /// p-min values (`--p-mins`), each within 0…1, without repeats.
    static func pMins(_ text: String) throws -> [Double] {
        let values = try numbers(text, option: "--p-mins")
        for v in values {
            do { try SettingRanges.checkPMin(v) } catch { throw ValidationError("--p-mins: \(error.description)") }
        }
        return values.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    static func methods(_ text: String) throws -> [DraftMethod] {
        try text.split(separator: ",").map {
            let name = $0.trimmingCharacters(in: .whitespaces)
            guard let m = DraftMethod(rawValue: name) else {
                throw ValidationError("unknown method '\(name)': use chain, specinfer, rsd-c, rsd-s or dynamic")
            }
            return m
        }
    }
}
