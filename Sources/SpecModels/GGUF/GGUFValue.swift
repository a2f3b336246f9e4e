/// A metadata value of a GGUF file: one of the thirteen value types the format
/// defines.
///
/// GGUF arrays are homogeneous (every element has the same case); arrays of
/// arrays are allowed, and each inner array has its own element type. The enum
/// is not `indirect`: `[GGUFValue]` already stores its elements out of line, so
/// the 100k-string token arrays of a real model cost no box per element.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32),
         uint64(UInt64), int64(Int64), float32(Float), float64(Double), bool(Bool), string(String),
         array([GGUFValue])

    /// The integer, if this is an integer of any width that fits in `Int`.
    public var intValue: Int? {
        switch self {
        case .uint8(let v): Int(v)
        case .int8(let v): Int(v)
        case .uint16(let v): Int(v)
        case .int16(let v): Int(v)
        case .uint32(let v): Int(v)
        case .int32(let v): Int(v)
        case .uint64(let v): Int(exactly: v)
        case .int64(let v): Int(v)
        default: nil
        }
    }

    /// The number, if this is a `float32` or `float64`.
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): Double(v)
        case .float64(let v): v
        default: nil
        }
    }

    /// The number as a `Float`, if this is a `float32` or `float64`.
    public var floatValue: Float? {
        switch self {
        case .float32(let v): v
        case .float64(let v): Float(v)
        default: nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let v) = self { v } else { nil }
    }

    public var stringValue: String? {
        if case .string(let v) = self { v } else { nil }
    }

    public var arrayValue: [GGUFValue]? {
        if case .array(let v) = self { v } else { nil }
    }

    /// The GGUF value type id of this case (0 `uint8` … 12 `float64`).
    public var typeID: UInt32 {
        switch self {
        case .uint8: 0
        case .int8: 1
        case .uint16: 2
        case .int16: 3
        case .uint32: 4
        case .int32: 5
        case .float32: 6
        case .bool: 7
        case .string: 8
        case .array: 9
        case .uint64: 10
        case .int64: 11
        case .float64: 12
        }
    }

    /// The name of value type `id` as the GGUF specification spells it, or nil
    /// if `id` is not a value type.
    public static func typeName(id: UInt32) -> String? {
        switch id {
        case 0: "uint8"
        case 1: "int8"
        case 2: "uint16"
        case 3: "int16"
        case 4: "uint32"
        case 5: "int32"
        case 6: "float32"
        case 7: "bool"
        case 8: "string"
        case 9: "array"
        case 10: "uint64"
        case 11: "int64"
        case 12: "float64"
        default: nil
        }
    }
}

extension GGUFValue: CustomStringConvertible {
    /// A short rendering for `spectree info`: numbers and strings as themselves,
    /// arrays as their first few elements and their count.
    /// - Complexity: O(1) in the array's length.
    public var description: String {
        switch self {
        case .uint8(let v): "\(v)"
        case .int8(let v): "\(v)"
        case .uint16(let v): "\(v)"
        case .int16(let v): "\(v)"
        case .uint32(let v): "\(v)"
        case .int32(let v): "\(v)"
        case .uint64(let v): "\(v)"
        case .int64(let v): "\(v)"
        case .float32(let v): "\(v)"
        case .float64(let v): "\(v)"
        case .bool(let v): "\(v)"
        case .string(let v): v.debugDescription
        case .array(let elements):
            elements.count <= 4
                ? "[" + elements.map(\.description).joined(separator: ", ") + "]"
                : "[" + elements.prefix(3).map(\.description).joined(separator: ", ")
                    + ", … (\(elements.count) elements)]"
        }
    }
}
