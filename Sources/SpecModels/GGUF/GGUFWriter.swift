#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a GGUF file (version 2 or 3, little-endian) from metadata and tensors,
/// for example a depth-pruned draft written from a target model.
///
/// Layout: header, metadata in insertion order, tensor infos in insertion order,
/// zero padding to `alignment`, then each tensor's bytes, each padded to
/// `alignment`; tensor offsets are relative to the start of the data section.
/// `general.alignment` is written as a `uint32` when `alignment` is not the
/// default 32, and always holds the writer's `alignment` when present: a value
/// set by the caller under that key is replaced (in its position).
///
/// Writing does one copy of the tensor bytes (`write(to:)` streams them to the
/// file; `serialized()` copies them into one array) and O(1) work per metadata
/// value, so a 100 MB model takes well under a second.
public struct GGUFWriter: Sendable {
    /// The format version written: 2 or 3 (they share the layout).
    public let version: UInt32
    /// Data alignment in bytes, a power of two.
    public let alignment: Int

    private var keys: [String] = []
    private var values: [String: GGUFValue] = [:]
    private var tensors: [Tensor] = []
    private var tensorNames: Set<String> = []

    private struct Tensor {
        let name: String
        let type: GGMLType
        let shape: [Int]
        let data: [UInt8]
    }

    /// The longest tensor name llama.cpp accepts is 63 bytes (`GGML_MAX_NAME` − 1).
    public static let maxTensorNameBytes = 63

    /// - Precondition: `version` is 2 or 3; `alignment` is a power of two that
    ///   fits in a `uint32`.
    public init(version: UInt32 = 3, alignment: Int = 32) {
        precondition(version == 2 || version == 3, "GGUFWriter writes versions 2 and 3, not \(version)")
        precondition(alignment > 0 && alignment & (alignment - 1) == 0 && alignment <= Int(UInt32.max),
                     "GGUF alignment must be a power of two that fits in 32 bits, not \(alignment)")
        self.version = version
        self.alignment = alignment
    }

    /// Metadata keys in the order they will be written (without an implied
    /// `general.alignment`).
    public var metadataKeys: [String] { keys }

    /// The value set for `key`, if any.
    public func value(_ key: String) -> GGUFValue? { values[key] }

    /// Sets metadata `key` to `value`. A new key goes last; replacing a key
    /// keeps its position.
    /// - Precondition: every array in `value` is homogeneous (all elements of
    ///   the same case), as GGUF requires.
    /// - Complexity: O(elements in `value`), to check homogeneity.
    public mutating func set(_ key: String, _ value: GGUFValue) {
        if let problem = Self.heterogeneity(in: value) {
            preconditionFailure("GGUFWriter.set(\"\(key)\"): \(problem)")
        }
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
    }

    /// Appends a tensor.
    /// - Parameters:
    ///   - shape: dimensions in GGML order (`shape[0]` contiguous), 1 to 4 of
    ///     them, each positive, `shape[0]` a multiple of the type's block size.
    ///   - data: the tensor's bytes, exactly as many as `type` and `shape` take.
    /// - Throws: `GGUFError` (with an empty path) if the name is empty, too long
    ///   for llama.cpp or already used, the shape is invalid, or `data` has the
    ///   wrong size.
    public mutating func addTensor(name: String, type: GGMLType, shape: [Int], data: [UInt8]) throws {
        func fail(_ problem: String) -> GGUFError {
            GGUFError(path: "", reason: "addTensor '\(name)': \(problem)")
        }
        guard !name.isEmpty else { throw fail("empty tensor name") }
        guard name.utf8.count <= Self.maxTensorNameBytes else {
            throw fail("name of \(name.utf8.count) bytes; llama.cpp accepts at most \(Self.maxTensorNameBytes)")
        }
        guard !tensorNames.contains(name) else { throw fail("duplicate tensor name") }
        guard (1 ... 4).contains(shape.count), shape.allSatisfy({ $0 > 0 }) else {
            throw fail("shape \(shape) must have 1 to 4 positive dimensions")
        }
        let blockElements = type.storage.blockElements
        guard shape[0] % blockElements == 0 else {
            throw fail("row length \(shape[0]) is not a multiple of \(type.name)'s block of \(blockElements) elements")
        }
        guard let expected = type.storageByteCount(shape: shape) else {
            throw fail("data size of \(type.name) \(shape) overflows 64 bits")
        }
        guard data.count == expected else {
            throw fail("\(data.count) bytes of data, but \(type.name) \(shape) takes \(expected)")
        }
        tensorNames.insert(name)
        tensors.append(Tensor(name: name, type: type, shape: shape, data: data))
    }

    /// The whole file as bytes.
    /// - Complexity: O(file size); one copy of every tensor's bytes.
    public func serialized() -> [UInt8] {
        let (header, offsets, dataSize) = headerAndLayout()
        var file = [UInt8](repeating: 0, count: header.count + dataSize)
        file.withUnsafeMutableBytes { out in
            header.withUnsafeBytes { out.copyMemory(from: $0) }
            for (tensor, offset) in zip(tensors, offsets) {
                tensor.data.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(rebasing: out[(header.count + offset)...]).copyMemory(from: source)
                }
            }
        }
        return file
    }

    /// Writes the file to `path`, replacing any file there. The bytes go to a
    /// temporary file beside it that is renamed into place when complete, so
    /// a failed write leaves no partial file at `path`.
    /// - Throws: `GGUFError` naming `path` if the file cannot be written.
    /// - Complexity: O(file size), streamed: no copy of the tensor bytes.
    public func write(to path: String) throws {
        let temporary = path + ".partial-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw GGUFError(path: path, reason: "cannot create \(temporary): \(MappedFile.describe(errno: errno))")
        }
        do {
            let (header, _, _) = headerAndLayout()
            try header.withUnsafeBytes { try Self.writeAll(fd, $0, path: path) }
            let zeros = [UInt8](repeating: 0, count: min(alignment, 4096))
            for tensor in tensors {
                try tensor.data.withUnsafeBytes { try Self.writeAll(fd, $0, path: path) }
                var padding = padded(tensor.data.count) - tensor.data.count
                while padding > 0 {
                    let chunk = min(padding, zeros.count)
                    try zeros.withUnsafeBytes { try Self.writeAll(fd, UnsafeRawBufferPointer(rebasing: $0[..<chunk]), path: path) }
                    padding -= chunk
                }
            }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard close(fd) == 0 else {  // closed once, whatever close says (the descriptor is gone either way)
            let reason = MappedFile.describe(errno: errno)
            unlink(temporary)
            throw GGUFError(path: path, reason: "cannot write: \(reason)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = MappedFile.describe(errno: errno)
            unlink(temporary)
            throw GGUFError(path: path, reason: "cannot rename \(temporary) into place: \(reason)")
        }
    }

    // MARK: Encoding

    private func padded(_ count: Int) -> Int { (count + alignment - 1) & ~(alignment - 1) }

    /// Header, metadata and tensor infos, padded to the alignment; each
    /// tensor's offset in the data section; the data section's size.
    private func headerAndLayout() -> (header: [UInt8], offsets: [Int], dataSize: Int) {
        var offsets: [Int] = []
        offsets.reserveCapacity(tensors.count)
        var dataSize = 0
        for tensor in tensors {
            offsets.append(dataSize)
            dataSize += padded(tensor.data.count)
        }

        let alignmentKey = "general.alignment"
        let addsAlignment = alignment != 32 && values[alignmentKey] == nil
        var sink = ByteSink()
        sink.bytes.append(contentsOf: [0x47, 0x47, 0x55, 0x46])  // "GGUF"
        sink.append(version)
        sink.append(UInt64(tensors.count))
        sink.append(UInt64(keys.count + (addsAlignment ? 1 : 0)))
        for key in keys {
            let value = key == alignmentKey ? .uint32(UInt32(alignment)) : values[key]!
            sink.append(key)
            sink.append(value.typeID)
            sink.append(value)
        }
        if addsAlignment {
            sink.append(alignmentKey)
            sink.append(GGUFValue.uint32(0).typeID)
            sink.append(UInt32(alignment))
        }
        for (tensor, offset) in zip(tensors, offsets) {
            sink.append(tensor.name)
            sink.append(UInt32(tensor.shape.count))
            for dimension in tensor.shape { sink.append(UInt64(dimension)) }
            sink.append(tensor.type.rawValue)
            sink.append(UInt64(offset))
        }
        sink.bytes.append(contentsOf: repeatElement(0, count: padded(sink.bytes.count) - sink.bytes.count))
        return (sink.bytes, offsets, dataSize)
    }

    /// Why `value` is not a valid GGUF value (an array whose elements differ
    /// in type), or nil.
    private static func heterogeneity(in value: GGUFValue) -> String? {
        guard case .array(let elements) = value, let first = elements.first else { return nil }
        for (index, element) in elements.enumerated() {
            guard element.typeID == first.typeID else {
                let name = { GGUFValue.typeName(id: $0) ?? "?" }
                return "GGUF arrays are homogeneous, but element 0 is \(name(first.typeID)) "
                    + "and element \(index) is \(name(element.typeID))"
            }
            if let problem = heterogeneity(in: element) { return "element \(index): " + problem }
        }
        return nil
    }

    /// Writes all of `buffer` to `fd`, retrying short and interrupted writes.
    private static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        var done = 0
        while done < buffer.count {
            #if canImport(Glibc)
            let written = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
            #else
            let written = Darwin.write(fd, buffer.baseAddress! + done, buffer.count - done)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                throw GGUFError(path: path, reason: "cannot write: \(MappedFile.describe(errno: errno))")
            }
            done += written
        }
    }
}

/// A growing little-endian byte buffer for the header.
private struct ByteSink {
    var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A GGUF string: uint64 length, then the UTF-8 bytes.
    mutating func append(_ string: String) {
        append(UInt64(string.utf8.count))
        bytes.append(contentsOf: string.utf8)
    }

    /// A value's payload (its type id is written by the caller).
    mutating func append(_ value: GGUFValue) {
        switch value {
        case .uint8(let v): append(v)
        case .int8(let v): append(v)
        case .uint16(let v): append(v)
        case .int16(let v): append(v)
        case .uint32(let v): append(v)
        case .int32(let v): append(v)
        case .uint64(let v): append(v)
        case .int64(let v): append(v)
        case .float32(let v): append(v.bitPattern)
        case .float64(let v): append(v.bitPattern)
        case .bool(let v): append(UInt8(v ? 1 : 0))
        case .string(let v): append(v)
        case .array(let elements):
            // An empty array's element type is not recoverable; uint8 is as good as any.
            append(elements.first?.typeID ?? 0)
            append(UInt64(elements.count))
            for element in elements { append(element) }
        }
    }
}
