#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A GGUF model file, memory-mapped read-only: its metadata, its tensor table,
/// and the bytes of each tensor.
///
/// Opening validates the whole container before returning: every count, length
/// and offset is checked against the bytes that remain before anything is read
/// or allocated, strings must be valid UTF-8, tensor types must be GGML types
/// whose block size divides the row length, and every tensor's data must lie
/// inside the file at an aligned offset, the tensors tiling the data section
/// in order (no overlap, no tensor whose size differs from the region up to
/// the next one, as llama.cpp requires). A malformed or truncated file
/// therefore throws a `GGUFError` naming the file and the problem; it never
/// crashes or reads out of bounds. Tensor data is not read at open (pages load
/// on first use), so opening costs O(metadata + tensor table): about 10 ms for
/// a 98 MB model with 100k tokenizer strings, in a release build.
///
/// Memory: each metadata value is a 24-byte `GGUFValue` (strings longer than
/// 15 bytes add their storage), a few MB for a model's tokenizer. Counts are
/// checked against the bytes left before anything is allocated, so even a
/// corrupt file costs at most that per byte it holds.
///
/// Accepted: versions 2 and 3, little-endian. Not accepted: version 1 (32-bit
/// counts), big-endian files, metadata arrays nested more than
/// `maxArrayDepth` deep.
///
/// Instances are immutable, so they may be shared between threads. Buffers
/// returned by `data(for:)` stay valid as long as the `GGUFFile` is alive.
public final class GGUFFile: @unchecked Sendable {
    /// The path as given to `init(path:)`.
    public let path: String
    /// The format version: 2 or 3.
    public let version: UInt32
    /// Metadata keys in file order.
    public let metadataKeys: [String]
    /// Metadata values by key.
    public let metadata: [String: GGUFValue]
    /// The tensor table, in file order.
    public let tensors: [GGUFTensorInfo]
    /// The data alignment in bytes: `general.alignment`, or 32 when absent.
    public let alignment: Int
    /// Absolute offset of the tensor data section; tensor offsets are relative to it.
    public let dataOffset: Int

    /// How deep metadata arrays may nest (an array of arrays has depth 2).
    /// Real files use depth 1; the limit keeps a corrupted file from recursing
    /// once per 12 bytes of input.
    public static let maxArrayDepth = 16

    private let mapping: MappedFile
    private let tensorIndex: [String: Int]

    /// Maps and validates the GGUF file at `path`.
    /// - Throws: `GGUFError` when the path does not exist or is not a regular
    ///   file, or the file is not a well-formed GGUF version 2 or 3 file (see
    ///   the type's documentation for what is checked).
    /// - Complexity: O(bytes of metadata and tensor table); the tensor data is
    ///   not touched.
    public init(path: String) throws {
        let mapping = try MappedFile(path: path)
        var parser = GGUFParser(bytes: mapping.bytes, path: path)
        try parser.parse()
        self.path = path
        self.mapping = mapping
        version = parser.version
        metadataKeys = parser.keys
        metadata = parser.values
        tensors = parser.tensors
        tensorIndex = parser.tensorIndex
        alignment = parser.alignment
        dataOffset = parser.dataOffset
    }

    /// The size of the file in bytes.
    public var fileSize: Int { mapping.bytes.count }

    /// True when `path` names the file this was opened from, however it is
    /// spelled (`./x`, `dir/../x`, a symbolic or hard link): same device and
    /// inode. False when nothing is at `path`. - Complexity: one `stat`.
    public func isSameFile(as path: String) -> Bool {
        FileIdentity(path: path) == mapping.identity
    }

    /// The tensor called `name`, if any. - Complexity: O(1) on average.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The bytes of `tensor`, pointing into the mapping (no copy). Valid while
    /// this `GGUFFile` is alive.
    /// - Precondition: `tensor` lies inside this file, which holds for every
    ///   tensor in `tensors` (checked at init).
    /// - Complexity: O(1).
    public func data(for tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        let (start, overflow) = dataOffset.addingReportingOverflow(tensor.offset)
        precondition(!overflow && tensor.offset >= 0 && tensor.byteCount >= 0 && tensor.byteCount <= fileSize - start,
                     "tensor \(tensor.name) does not lie inside \(path)")
        return UnsafeRawBufferPointer(rebasing: mapping.bytes[start ..< start + tensor.byteCount])
    }

    // MARK: Typed metadata

    /// The string at `key`; nil when missing or not a string.
    public func string(_ key: String) -> String? { metadata[key]?.stringValue }

    /// The integer at `key`, of any integer type whose value fits in `Int`;
    /// nil when missing, not an integer, or too large.
    public func int(_ key: String) -> Int? { metadata[key]?.intValue }

    /// The `float32` or `float64` at `key`; nil when missing or not a float.
    public func double(_ key: String) -> Double? { metadata[key]?.doubleValue }

    /// The bool at `key`; nil when missing or not a bool.
    public func bool(_ key: String) -> Bool? { metadata[key]?.boolValue }

    /// The array at `key`; nil when missing or not an array.
    public func array(_ key: String) -> [GGUFValue]? { metadata[key]?.arrayValue }

    /// The array of strings at `key`; nil when missing or any element is not a string.
    /// - Complexity: O(count).
    public func strings(_ key: String) -> [String]? { elements(key, \.stringValue) }

    /// The array of integers at `key` (any integer type, each fitting in `Int`);
    /// nil when missing or any element is not such an integer.
    /// - Complexity: O(count).
    public func ints(_ key: String) -> [Int]? { elements(key, \.intValue) }

    /// The array of `float32` or `float64` at `key`, as `Float`; nil when
    /// missing or any element is not a float. - Complexity: O(count).
    public func floats(_ key: String) -> [Float]? { elements(key, \.floatValue) }

    private func elements<T>(_ key: String, _ convert: (GGUFValue) -> T?) -> [T]? {
        guard let values = array(key) else { return nil }
        var result: [T] = []
        result.reserveCapacity(values.count)
        for value in values {
            guard let element = convert(value) else { return nil }
            result.append(element)
        }
        return result
    }
}

// MARK: - Parsing

/// Reads the container out of the mapped bytes, front to back. Every read is
/// preceded by a bounds check against the bytes left; every count is checked
/// against the least number of bytes its elements could take before anything
/// is allocated.
private struct GGUFParser {
    let base: UnsafeRawPointer
    /// The same bytes, for string decoding.
    let units: UnsafePointer<UInt8>
    let size: Int
    let path: String
    var position = 0

    var version: UInt32 = 0
    var keys: [String] = []
    var values: [String: GGUFValue] = [:]
    var tensors: [GGUFTensorInfo] = []
    var tensorIndex: [String: Int] = [:]
    var alignment = 32
    var dataOffset = 0

    /// Where the parser is, for error messages.
    enum Section {
        case header
        case metadata(index: Int, count: Int, key: String?)
        case tensorInfo(index: Int, count: Int, name: String?)
    }
    var section = Section.header
    /// Element indices of the metadata arrays being read, outermost first.
    var elementTrail: [Int] = []

    static let magic: [UInt8] = [0x47, 0x47, 0x55, 0x46]  // "GGUF"
    /// The least bytes one tensor info can take: name length, n_dims, one
    /// dimension, type, offset.
    static let minTensorInfoBytes = 8 + 4 + 8 + 4 + 8
    /// The least bytes one metadata entry can take: key length, value type, a uint8.
    static let minEntryBytes = 8 + 4 + 1
    /// Counts are only plausible until their items are read, so storage is
    /// reserved for at most this many up front (a real tokenizer's 49152 tokens
    /// fit); a corrupt count then fails on the items it lacks, having allocated
    /// in proportion to the items actually read. Fixed-size number arrays are
    /// the exception: their bytes are checked to be present, then read at once.
    static let maxReservation = 1 << 16

    init(bytes: UnsafeRawBufferPointer, path: String) {
        base = bytes.baseAddress!  // MappedFile is never empty
        size = bytes.count
        units = base.bindMemory(to: UInt8.self, capacity: size)  // mapped memory is untyped until bound
        self.path = path
    }

    var remaining: Int { size - position }

    mutating func parse() throws {
        try parseHeaderStart()
        let tensorCount = try count(of: "tensor", minimumBytes: Self.minTensorInfoBytes)
        let entryCount = try count(of: "metadata entry", minimumBytes: Self.minEntryBytes)

        keys.reserveCapacity(min(entryCount, Self.maxReservation))
        values.reserveCapacity(min(entryCount, Self.maxReservation))
        for index in 0 ..< entryCount {
            section = .metadata(index: index, count: entryCount, key: nil)
            let key = try readString("key")
            guard values[key] == nil else { throw failure("duplicate metadata key '\(key)'") }
            section = .metadata(index: index, count: entryCount, key: key)
            let type = try read(UInt32.self, "value type")
            values[key] = try readValue(type: type, depth: 0)
            keys.append(key)
        }

        section = .header
        try readAlignment()

        tensors.reserveCapacity(min(tensorCount, Self.maxReservation))
        tensorIndex.reserveCapacity(min(tensorCount, Self.maxReservation))
        for index in 0 ..< tensorCount {
            section = .tensorInfo(index: index, count: tensorCount, name: nil)
            try readTensorInfo(index: index, count: tensorCount)
        }

        section = .header
        try placeDataSection()
    }

    // MARK: Header

    mutating func parseHeaderStart() throws {
        let found = UnsafeRawBufferPointer(start: base, count: min(size, 4))
        guard found.elementsEqual(Self.magic.prefix(found.count)) else {
            throw failure("not a GGUF file: expected the magic \"GGUF\" (47 47 55 46), found "
                          + Self.render(found))
        }
        guard size >= 4 else {
            throw failure(kind: "truncated", "the file has \(size) bytes, fewer than the 4-byte GGUF magic")
        }
        position = 4
        version = try read(UInt32.self, "version")
        switch version {
        case 2, 3:
            break
        case 1:
            throw failure("GGUF version 1 is not supported (it has 32-bit counts); re-convert the model with a recent llama.cpp")
        case let v where (1 ... 3).contains(v.byteSwapped):
            throw failure("big-endian GGUF (version \(v.byteSwapped)) is not supported")
        default:
            throw failure("unsupported GGUF version \(version); spectree reads versions 2 and 3")
        }
    }

    /// Reads a uint64 count of items that take at least `minimumBytes` each, and
    /// checks that that many could fit in the bytes left.
    mutating func count(of item: String, minimumBytes: Int) throws -> Int {
        let at = position
        let raw = try read(UInt64.self, "\(item) count")
        guard raw <= UInt64(remaining / minimumBytes) else {
            throw failure(kind: "truncated or corrupt", "the \(item) count at byte \(at) is \(raw), but each takes at least "
                          + "\(minimumBytes) bytes and only \(remaining) bytes follow")
        }
        return Int(raw)
    }

    mutating func readAlignment() throws {
        guard let value = values["general.alignment"] else { return }
        guard let alignment = value.intValue, alignment > 0, alignment & (alignment - 1) == 0 else {
            throw failure("general.alignment is \(value), not a positive power of two")
        }
        self.alignment = alignment
    }

    /// Puts the data section after the tensor table, padded to the alignment,
    /// and checks that every tensor's bytes lie inside the file.
    mutating func placeDataSection() throws {
        let (end, overflow) = position.addingReportingOverflow(alignment - 1)
        guard !overflow else { throw failure("general.alignment \(alignment) is too large") }
        dataOffset = end & ~(alignment - 1)
        guard !tensors.isEmpty else { return }
        guard dataOffset <= size else {
            throw failure(kind: "truncated", "the tensor data section should start at byte \(dataOffset) "
                          + "(after padding to \(alignment) bytes), the file has \(size) bytes")
        }
        let available = size - dataOffset
        for tensor in tensors where tensor.offset > available || tensor.byteCount > available - tensor.offset {
            let start = dataOffset.addingReportingOverflow(tensor.offset)
            let end = start.partialValue.addingReportingOverflow(tensor.byteCount)
            let range = start.overflow || end.overflow
                ? "at offset \(tensor.offset) from byte \(dataOffset)"
                : "at bytes \(start.partialValue)..<\(end.partialValue)"
            throw failure(kind: "truncated", "tensor '\(tensor.name)' (\(tensor.type?.name ?? "?") \(tensor.shape)): its "
                          + "\(tensor.byteCount) bytes of data \(range) run past the end of the file "
                          + "(\(size) bytes)")
        }
        try checkLayout()
    }

    /// Checks that the tensors tile the data section as GGUF writers lay it
    /// out (and as llama.cpp requires): in order of offset, the first at 0 and
    /// each next one exactly where the previous one's bytes end, padded to the
    /// alignment. A tensor whose offset was moved, or whose type or shape was
    /// changed so that its size no longer fills the region up to the next
    /// tensor, is refused: its bytes would overlap another tensor's or be read
    /// as the wrong data. The last tensor may be followed by any bytes.
    /// - Complexity: O(t log t) for t tensors.
    func checkLayout() throws {
        let order = tensors.indices.sorted { tensors[$0].offset < tensors[$1].offset }
        var expected = 0
        var previous: GGUFTensorInfo?
        for index in order {
            let tensor = tensors[index]
            if tensor.offset != expected {
                throw layoutFailure(tensor, previous: previous, expected: expected)
            }
            // In the file (checked above), so neither sum overflows.
            expected = (tensor.offset + tensor.byteCount + alignment - 1) & ~(alignment - 1)
            previous = tensor
        }
    }

    func layoutFailure(_ tensor: GGUFTensorInfo, previous: GGUFTensorInfo?, expected: Int) -> GGUFError {
        let what = "tensor '\(tensor.name)' (\(tensor.type?.name ?? "?") \(tensor.shape))"
        guard let previous else {
            return failure("\(what): the first tensor's data starts at offset \(tensor.offset) of the data section, "
                           + "not 0; the tensor table does not describe this file's data")
        }
        let before = "tensor '\(previous.name)' (\(previous.type?.name ?? "?") \(previous.shape), "
            + "\(previous.byteCount) bytes at offset \(previous.offset))"
        if tensor.offset < expected {
            return failure("\(what) at offset \(tensor.offset) overlaps the data of \(before), which runs to "
                           + "\(previous.offset + previous.byteCount): the offset or the earlier tensor's type or "
                           + "shape is wrong")
        }
        return failure("\(what) starts at offset \(tensor.offset), but \(before) ends at \(expected) (padded to "
                       + "\(alignment) bytes): \(tensor.offset - previous.offset) bytes lie between their offsets, "
                       + "so the earlier tensor's type or shape does not match its data, or this offset is wrong")
    }

    // MARK: Tensor infos

    mutating func readTensorInfo(index: Int, count: Int) throws {
        let name = try readString("tensor name")
        guard tensorIndex[name] == nil else { throw failure("duplicate tensor name '\(name)'") }
        section = .tensorInfo(index: index, count: count, name: name)

        let dimensions = try read(UInt32.self, "dimension count")
        guard (1 ... 4).contains(dimensions) else {
            throw failure("\(dimensions) dimensions; a GGUF tensor has 1 to 4")
        }
        var shape: [Int] = []
        shape.reserveCapacity(Int(dimensions))
        var elementCount = 1
        for axis in 0 ..< Int(dimensions) {
            let raw = try read(UInt64.self, "dimension \(axis)")
            guard raw >= 1, raw <= UInt64(Int64.max) else {
                throw failure("dimension \(axis) is \(Int64(bitPattern: raw)); dimensions must be positive")
            }
            shape.append(Int(raw))
            let product = elementCount.multipliedReportingOverflow(by: Int(raw))
            guard !product.overflow else { throw failure("element count of shape \(shape)… overflows 64 bits") }
            elementCount = product.partialValue
        }

        let rawType = try read(UInt32.self, "type")
        guard let type = GGMLType(rawValue: rawType) else {
            if let removed = GGMLType.removedName(id: rawType) {
                throw failure("type id \(rawType) (\(removed)) has been removed from GGUF by ggml; re-quantise the model")
            }
            throw failure("unknown tensor type id \(rawType)")
        }
        let blockElements = type.storage.blockElements
        guard shape[0] % blockElements == 0 else {
            throw failure("row length \(shape[0]) (shape[0]) is not a multiple of \(type.name)'s block of "
                          + "\(blockElements) elements")
        }
        guard let byteCount = type.storageByteCount(shape: shape) else {
            throw failure("data size of \(type.name) \(shape) overflows 64 bits")
        }

        let rawOffset = try read(UInt64.self, "data offset")
        guard rawOffset <= UInt64(Int.max), Int(rawOffset) % alignment == 0 else {
            throw failure("data offset \(rawOffset) is not a multiple of the alignment (\(alignment) bytes)")
        }
        tensorIndex[name] = tensors.count
        tensors.append(GGUFTensorInfo(name: name, rawType: rawType, shape: shape, elementCount: elementCount,
                                      offset: Int(rawOffset), byteCount: byteCount))
    }

    // MARK: Values

    mutating func readValue(type: UInt32, depth: Int) throws -> GGUFValue {
        switch type {
        case 0: return .uint8(try read(UInt8.self, "uint8 value"))
        case 1: return .int8(try read(Int8.self, "int8 value"))
        case 2: return .uint16(try read(UInt16.self, "uint16 value"))
        case 3: return .int16(try read(Int16.self, "int16 value"))
        case 4: return .uint32(try read(UInt32.self, "uint32 value"))
        case 5: return .int32(try read(Int32.self, "int32 value"))
        case 6: return .float32(Float(bitPattern: try read(UInt32.self, "float32 value")))
        case 7: return .bool(try readBool())
        case 8: return .string(try readString("string"))
        case 9: return .array(try readArray(depth: depth + 1))
        case 10: return .uint64(try read(UInt64.self, "uint64 value"))
        case 11: return .int64(try read(Int64.self, "int64 value"))
        case 12: return .float64(Double(bitPattern: try read(UInt64.self, "float64 value")))
        default: throw failure("unknown value type \(type)")
        }
    }

    mutating func readBool() throws -> Bool {
        let at = position
        let byte = try read(UInt8.self, "bool value")
        guard byte <= 1 else { throw failure("bool at byte \(at) is \(byte), not 0 or 1") }
        return byte == 1
    }

    mutating func readArray(depth: Int) throws -> [GGUFValue] {
        guard depth <= GGUFFile.maxArrayDepth else {
            throw failure("arrays nested more than \(GGUFFile.maxArrayDepth) deep")
        }
        let elementType = try read(UInt32.self, "array element type")
        guard let typeName = GGUFValue.typeName(id: elementType) else {
            throw failure("unknown array element type \(elementType)")
        }
        let minimumBytes = switch elementType {
        case 0, 1, 7: 1
        case 2, 3: 2
        case 4, 5, 6: 4
        case 8, 10, 11, 12: 8
        default: 4 + 8  // an array: element type and count
        }
        let at = position
        let raw = try read(UInt64.self, "array length")
        guard raw <= UInt64(remaining / minimumBytes) else {
            throw failure(kind: "truncated or corrupt", "the array at byte \(at) claims \(raw) \(typeName) elements "
                          + "of at least \(minimumBytes) bytes each, only \(remaining) bytes follow")
        }
        let count = Int(raw)
        switch elementType {
        case 0: return readFixed(count, UInt8.self) { .uint8($0) }
        case 1: return readFixed(count, Int8.self) { .int8($0) }
        case 2: return readFixed(count, UInt16.self) { .uint16($0) }
        case 3: return readFixed(count, Int16.self) { .int16($0) }
        case 4: return readFixed(count, UInt32.self) { .uint32($0) }
        case 5: return readFixed(count, Int32.self) { .int32($0) }
        case 6: return readFixed(count, UInt32.self) { .float32(Float(bitPattern: $0)) }
        case 10: return readFixed(count, UInt64.self) { .uint64($0) }
        case 11: return readFixed(count, Int64.self) { .int64($0) }
        case 12: return readFixed(count, UInt64.self) { .float64(Double(bitPattern: $0)) }
        default: break
        }
        // Variable-size elements: read one at a time, tracking the index for messages.
        var elements: [GGUFValue] = []
        elements.reserveCapacity(min(count, Self.maxReservation))
        elementTrail.append(0)
        defer { elementTrail.removeLast() }
        for index in 0 ..< count {
            elementTrail[elementTrail.count - 1] = index
            elements.append(try readValue(type: elementType, depth: depth))
        }
        return elements
    }

    /// Reads `count` little-endian integers whose bytes are known to be there.
    mutating func readFixed<T: FixedWidthInteger>(_ count: Int, _: T.Type,
                                                  _ wrap: (T) -> GGUFValue) -> [GGUFValue] {
        let start = base + position
        let stride = MemoryLayout<T>.size
        position += count * stride
        return [GGUFValue](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0 ..< count {
                let value = T(littleEndian: start.loadUnaligned(fromByteOffset: index * stride, as: T.self))
                (buffer.baseAddress! + index).initialize(to: wrap(value))
            }
            initialized = count
        }
    }

    /// Reads a length-prefixed UTF-8 string.
    mutating func readString(_ what: String) throws -> String {
        let at = position
        let length = try read(UInt64.self, "\(what) length")
        guard length <= UInt64(remaining) else {
            throw failure(kind: "truncated", "the \(what) at byte \(at) claims \(length) bytes, only \(remaining) bytes follow")
        }
        let bytes = UnsafeBufferPointer(start: units + position, count: Int(length))
        // `String(decoding:)` replaces each invalid sequence with U+FFFD (EF BF BD),
        // which cannot match the bytes it replaces, so the input is valid UTF-8
        // exactly when it comes back unchanged. This is twice as fast as the
        // generic `String(validating:as:)` on the 100k short tokens of a model.
        var string = String(decoding: bytes, as: UTF8.self)
        let unchanged = string.withUTF8 { decoded in
            decoded.count == bytes.count
                && (bytes.isEmpty || memcmp(decoded.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
        guard unchanged else {
            throw failure("invalid UTF-8 in the \(what) at byte \(at): " + Self.render(bytes.prefix(32)))
        }
        position += Int(length)
        return string
    }

    /// Reads a little-endian integer, or throws "truncated" naming `what`.
    @inline(__always)
    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        let width = MemoryLayout<T>.size
        guard remaining >= width else {
            throw failure(kind: "truncated", "the \(what()) at byte \(position) needs bytes up to \(position + width), "
                          + "the file has \(size) bytes")
        }
        let value = T(littleEndian: base.loadUnaligned(fromByteOffset: position, as: T.self))
        position += width
        return value
    }

    // MARK: Messages

    /// An error for `problem` at the current section, e.g. "truncated: metadata
    /// entry 3 of 24 ('tokenizer.ggml.tokens'), element 17: the string length at
    /// byte 9000 needs bytes up to 9008, the file has 9004 bytes". `kind`, when
    /// given, comes first so that all truncations read alike.
    func failure(kind: String? = nil, _ problem: String) -> GGUFError {
        var place = ""
        switch section {
        case .header:
            break
        case let .metadata(index, count, key):
            place = "metadata entry \(index + 1) of \(count)"
            if let key { place += " ('\(key)')" }
            if !elementTrail.isEmpty { place += ", element " + elementTrail.map(String.init).joined(separator: ".") }
            place += ": "
        case let .tensorInfo(index, count, name):
            place = "tensor info \(index + 1) of \(count)"
            if let name { place += " ('\(name)')" }
            place += ": "
        }
        return GGUFError(path: path, reason: (kind.map { $0 + ": " } ?? "") + place + problem)
    }

    /// Bytes as hex, then as ASCII with "." for the unprintable: `7f 45 4c 46 (".ELF")`.
    static func render(_ bytes: some Collection<UInt8>) -> String {
        guard !bytes.isEmpty else { return "no bytes" }
        let digits = Array("0123456789abcdef")
        let hex = bytes.map { String([digits[Int($0 >> 4)], digits[Int($0 & 15)]]) }
        let text = String(bytes.map { (0x20 ..< 0x7f).contains($0) ? Character(UnicodeScalar($0)) : "." })
        return hex.joined(separator: " ") + " (\"\(text)\")"
    }
}
