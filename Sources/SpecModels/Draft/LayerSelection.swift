import Foundation

/// A subset of a model's layers, as users write it: `8` (the first 8 layers)
/// or a list of indices and ranges such as `0-5,29`.
public struct LayerSelection: Sendable, Equatable, CustomStringConvertible {
    /// Layer indices, increasing, no duplicates.
    public let layers: [Int]

    /// Parses `text` for a model of `layerCount` layers.
    /// - Throws: `SettingsError`-style `ModelLoadError` for an empty list, a
    ///   malformed or out-of-range entry, or a duplicate.
    public init(parsing text: String, layerCount: Int) throws(ModelLoadError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw ModelLoadError("the layer list is empty: give a count such as 8 or a list such as 0-5,29") }
        if let count = Int(trimmed) {
            guard count >= 1, count <= layerCount else {
                throw ModelLoadError("a self-draft of \(count) layers is impossible: the model has \(layerCount) layers (use 1…\(layerCount))")
            }
            layers = Array(0..<count)
            return
        }
        var chosen: [Int] = []
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard (bounds.count == 1 || bounds.count == 2), let first = bounds.first!, let last = bounds.last! else {
                throw ModelLoadError("'\(part)' in the layer list '\(text)' is not a layer index or a range such as 0-5")
            }
            guard first <= last else { throw ModelLoadError("the range '\(part)' in '\(text)' runs backwards") }
            for layer in first...last {
                guard layer >= 0, layer < layerCount else {
                    throw ModelLoadError("layer \(layer) in '\(text)' is out of range: the model has layers 0…\(layerCount - 1)")
                }
                guard !chosen.contains(layer) else { throw ModelLoadError("layer \(layer) appears twice in '\(text)'") }
                chosen.append(layer)
            }
        }
        layers = chosen.sorted()
    }

    /// Compact text: `0-5,29`.
    public var description: String {
        var parts: [String] = []
        var i = 0
        while i < layers.count {
            var j = i
            while j + 1 < layers.count && layers[j + 1] == layers[j] + 1 { j += 1 }
            parts.append(i == j ? "\(layers[i])" : "\(layers[i])-\(layers[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }
}
