/// Where the structural fields of a well-formed GGUF file lie: counts,
/// lengths, value and element types, tensor dimensions, types and offsets.
/// The mutator aims most of its changes at these, since a flipped byte inside
/// a token string tests little that a changed length does not.
///
/// Reads only files it can walk completely (the fuzz seeds); nil otherwise.
/// - Complexity: O(header size).
struct GGUFFieldMap {
    enum Kind: CaseIterable {
        case count, stringLength, valueType, arrayType, arrayLength, dimensionCount, dimension, tensorType, tensorOffset
        /// A top-level metadata number (layer and head counts, token ids, context length, …).
        case scalar
    }

    struct Field {
        let position: Int
        let width: Int  // 4 or 8 bytes, little-endian
        let kind: Kind
    }

    private(set) var fields: [Field] = []
    /// Byte just after the tensor table (before the padding to the data section).
    private(set) var tableEnd = 0
    /// Start of the data section.
    private(set) var dataStart = 0
    private(set) var alignment = 32

    init?(_ bytes: [UInt8]) {
        var p = 4 + 4  // magic, version
        func u32() -> UInt32? {
            guard p + 4 <= bytes.count else { return nil }
            defer { p += 4 }
            return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[p + $1]) << (8 * $1) }
        }
        func u64() -> UInt64? {
            guard p + 8 <= bytes.count else { return nil }
            defer { p += 8 }
            return (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[p + $1]) << (8 * $1) }
        }
        func note(_ kind: Kind, _ width: Int) { fields.append(Field(position: p, width: width, kind: kind)) }
        func string() -> String? {
            note(.stringLength, 8)
            guard let n = u64(), n <= UInt64(bytes.count - p) else { return nil }
            defer { p += Int(n) }
            return String(decoding: bytes[p ..< p + Int(n)], as: UTF8.self)
        }
        func value(_ type: UInt32, top: Bool = false) -> UInt64?? {  // the value when an integer, nil on failure
            switch type {
            case 0, 1, 7: guard p + 1 <= bytes.count else { return nil }; p += 1; return .some(UInt64(bytes[p - 1]))
            case 2, 3: guard p + 2 <= bytes.count else { return nil }; p += 2; return .some(nil)
            case 4, 5, 6: if top { note(.scalar, 4) }; guard let v = u32() else { return nil }; return .some(UInt64(v))
            case 10, 11, 12: if top { note(.scalar, 8) }; guard let v = u64() else { return nil }; return .some(v)
            case 8: guard string() != nil else { return nil }; return .some(nil)
            case 9:
                note(.arrayType, 4)
                guard let element = u32() else { return nil }
                note(.arrayLength, 8)
                guard let n = u64(), n <= UInt64(bytes.count) else { return nil }
                for _ in 0 ..< n { guard value(element) != nil else { return nil } }
                return .some(nil)
            default: return nil
            }
        }
        note(.count, 8)
        guard let tensorCount = u64(), tensorCount < 100_000 else { return nil }
        note(.count, 8)
        guard let entryCount = u64(), entryCount < 100_000 else { return nil }
        for _ in 0 ..< entryCount {
            guard let key = string() else { return nil }
            note(.valueType, 4)
            guard let type = u32(), let v = value(type, top: true) else { return nil }
            if key == "general.alignment", let a = v { alignment = Int(a) }
        }
        for _ in 0 ..< tensorCount {
            guard string() != nil else { return nil }
            note(.dimensionCount, 4)
            guard let dims = u32(), dims <= 4 else { return nil }
            for _ in 0 ..< dims { note(.dimension, 8); guard u64() != nil else { return nil } }
            note(.tensorType, 4)
            guard u32() != nil else { return nil }
            note(.tensorOffset, 8)
            guard u64() != nil else { return nil }
        }
        tableEnd = p
        dataStart = (p + alignment - 1) / alignment * alignment
    }

    func fields(of kind: Kind) -> [Field] { fields.filter { $0.kind == kind } }
}
