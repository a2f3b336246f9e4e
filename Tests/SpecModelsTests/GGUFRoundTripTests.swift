import Foundation
import SpecCore
import SpecModels
import Testing

/// The writer and the reader agree with each other, and with the format as
/// specified (a file encoded by hand, byte by byte).
@Suite("GGUF round trip")
struct GGUFRoundTripTests {
    /// Every value type, arrays of each, nested and empty arrays, empty strings,
    /// unicode keys, and extreme numbers.
    static let metadata: [(String, GGUFValue)] = [
        ("general.architecture", .string("llama")),
        ("general.name", .string("")),
        ("u8", .uint8(.max)), ("i8", .int8(.min)),
        ("u16", .uint16(.max)), ("i16", .int16(.min)),
        ("u32", .uint32(.max)), ("i32", .int32(.min)),
        ("u64", .uint64(.max)), ("i64", .int64(.min)),
        ("f32", .float32(-.greatestFiniteMagnitude)), ("f32.tiny", .float32(.leastNonzeroMagnitude)),
        ("f32.inf", .float32(.infinity)), ("f64", .float64(.pi)), ("f64.ninf", .float64(-.infinity)),
        ("t", .bool(true)), ("f", .bool(false)),
        ("名前.ключ.🚀", .string("héllo, 世界 👋🏽\n\t\u{0}")),
        ("", .string("empty key")),
        ("arrays.u8", .array([.uint8(0), .uint8(255)])),
        ("arrays.i8", .array([.int8(-128), .int8(127)])),
        ("arrays.u16", .array([.uint16(1), .uint16(65535)])),
        ("arrays.i16", .array([.int16(-32768), .int16(3)])),
        ("arrays.u32", .array([.uint32(7), .uint32(.max), .uint32(0)])),
        ("arrays.i32", .array([.int32(-1), .int32(.max)])),
        ("arrays.u64", .array([.uint64(.max), .uint64(1)])),
        ("arrays.i64", .array([.int64(.min), .int64(.max)])),
        ("arrays.f32", .array([.float32(1.5), .float32(-0.25), .float32(.infinity)])),
        ("arrays.f64", .array([.float64(1e300), .float64(-1e-300)])),
        ("arrays.bool", .array([.bool(true), .bool(false), .bool(true)])),
        ("arrays.string", .array([.string("a"), .string(""), .string("Ġthe"), .string("ü🙂")])),
        ("arrays.empty", .array([])),
        ("arrays.nested", .array([
            .array([.string("x"), .string("y")]),
            .array([]),
            .array([.uint32(1)]),
            .array([.array([.float64(2)]), .array([])]),
        ])),
        ("arrays.of.empty", .array([.array([]), .array([])])),
    ]

    /// Tensors of several types, supported by the kernels or not, with sizes
    /// that are not multiples of the alignment.
    static let tensorShapes: [(String, GGMLType, [Int])] = [
        ("f32.matrix", .f32, [5, 3]),
        ("f16.vector", .f16, [7]),
        ("bf16.cube", .bf16, [2, 3, 4]),
        ("q4_0", .q4_0, [64, 3]),
        ("q4_1", .q4_1, [32, 2, 2]),
        ("q8_0.4d", .q8_0, [32, 1, 1, 2]),
        ("q4_K", .q4_K, [256, 2]),
        ("q6_K", .q6_K, [512]),
        ("iq2_xxs", .iq2_XXS, [256]),
        ("i32", .i32, [3]),
        ("блок.0.🚀", .mxfp4, [32]),
    ]

    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = RandomSource(seed: seed)
        return (0 ..< count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    static func makeWriter(version: UInt32, alignment: Int) throws -> GGUFWriter {
        var writer = GGUFWriter(version: version, alignment: alignment)
        for (key, value) in metadata { writer.set(key, value) }
        for (index, (name, type, shape)) in tensorShapes.enumerated() {
            let count = try #require(type.storageByteCount(shape: shape))
            try writer.addTensor(name: name, type: type, shape: shape,
                                 data: randomBytes(count, seed: UInt64(index)))
        }
        return writer
    }

    @Test("writer output reads back exactly", arguments: [
        (UInt32(3), 32), (UInt32(2), 32), (UInt32(3), 64), (UInt32(2), 8), (UInt32(3), 1), (UInt32(3), 4096),
    ])
    func roundTrip(version: UInt32, alignment: Int) throws {
        let scratch = GGUFScratch()
        let writer = try Self.makeWriter(version: version, alignment: alignment)
        let path = scratch.path("round-trip.gguf")
        try writer.write(to: path)
        let file = try GGUFFile(path: path)

        #expect(file.version == version)
        #expect(file.alignment == alignment)
        #expect(file.dataOffset % alignment == 0)
        var expectedKeys = Self.metadata.map(\.0)
        if alignment != 32 { expectedKeys.append("general.alignment") }
        #expect(file.metadataKeys == expectedKeys)
        for (key, value) in Self.metadata {
            #expect(file.metadata[key] == value, "metadata \(key)")
        }
        #expect(file.metadata.count == expectedKeys.count)
        if alignment != 32 { #expect(file.metadata["general.alignment"] == .uint32(UInt32(alignment))) }

        #expect(file.tensors.map(\.name) == Self.tensorShapes.map(\.0))
        for (index, (name, type, shape)) in Self.tensorShapes.enumerated() {
            let tensor = try #require(file.tensor(named: name))
            #expect(tensor == file.tensors[index])
            #expect(tensor.type == type)
            #expect(tensor.rawType == type.rawValue)
            #expect(tensor.shape == shape)
            #expect(tensor.elementCount == shape.reduce(1, *))
            #expect(tensor.byteCount == type.storageByteCount(shape: shape))
            #expect(tensor.offset % alignment == 0)
            let bytes = Array(file.data(for: tensor))
            #expect(bytes == Self.randomBytes(tensor.byteCount, seed: UInt64(index)), "data of \(name)")
        }
        #expect(file.tensor(named: "absent") == nil)

        // The streamed file and the in-memory serialisation are the same bytes.
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written == writer.serialized())
        #expect(file.fileSize == written.count)
    }

    @Test("special float bit patterns survive (NaN payloads, negative zero)")
    func floatBits() throws {
        let scratch = GGUFScratch()
        let nan = Float(bitPattern: 0x7fc0_1234)
        let nan64 = Double(bitPattern: 0x7ff8_0000_dead_beef)
        var writer = GGUFWriter()
        writer.set("nan", .float32(nan))
        writer.set("nan64", .float64(nan64))
        writer.set("negzero", .array([.float32(-0.0), .float32(0)]))
        let path = scratch.path("floats.gguf")
        try writer.write(to: path)
        let file = try GGUFFile(path: path)
        guard case .float32(let a) = file.metadata["nan"], case .float64(let b) = file.metadata["nan64"],
              case .array(let zeros) = file.metadata["negzero"], case .float32(let z) = zeros.first
        else { Issue.record("wrong kinds: \(file.metadata)"); return }
        #expect(a.bitPattern == nan.bitPattern)
        #expect(b.bitPattern == nan64.bitPattern)
        #expect(z.bitPattern == (-0.0 as Float).bitPattern)
    }

    /// A file encoded by hand from the specification: the writer must produce
    /// exactly these bytes and the reader must decode them.
    @Test("matches a hand-encoded file byte for byte")
    func handEncoded() throws {
        var bytes = GGUFBytes(version: 3, tensorCount: 2, entryCount: 3)
        bytes.string("a"); bytes.u32(4); bytes.u32(7)                 // a = uint32 7
        bytes.string("b"); bytes.u32(9); bytes.u32(8); bytes.u64(2)   // b = [string "hi", "é"]
        bytes.string("hi"); bytes.string("é")
        bytes.string("c"); bytes.u32(7); bytes.u8(1)                  // c = true
        bytes.string("t"); bytes.u32(2); bytes.u64(3); bytes.u64(2)   // t: F32 [3, 2] at 0
        bytes.u32(0); bytes.u64(0)
        bytes.string("q"); bytes.u32(1); bytes.u64(32)                // q: Q8_0 [32] at 32
        bytes.u32(8); bytes.u64(32)
        bytes.pad(to: 32)
        let dataOffset = bytes.bytes.count
        let t = (0 ..< 6).flatMap { withUnsafeBytes(of: Float($0).bitPattern.littleEndian, Array.init) }
        let q = Self.randomBytes(34, seed: 99)
        bytes.bytes += t; bytes.pad(to: 32)
        bytes.bytes += q; bytes.pad(to: 32)

        var writer = GGUFWriter()
        writer.set("a", .uint32(7))
        writer.set("b", .array([.string("hi"), .string("é")]))
        writer.set("c", .bool(true))
        try writer.addTensor(name: "t", type: .f32, shape: [3, 2], data: t)
        try writer.addTensor(name: "q", type: .q8_0, shape: [32], data: q)
        #expect(writer.serialized() == bytes.bytes)

        let scratch = GGUFScratch()
        let file = try GGUFFile(path: scratch.write(bytes.bytes, name: "hand.gguf"))
        #expect(file.dataOffset == dataOffset)
        #expect(file.metadataKeys == ["a", "b", "c"])
        #expect(file.strings("b") == ["hi", "é"])
        #expect(file.tensors.map(\.offset) == [0, 32])
        #expect(file.tensors.map(\.byteCount) == [24, 34])
        #expect(Array(file.data(for: file.tensors[1])) == q)
    }

    @Test("every GGML type's storage round-trips and agrees with the kernels' table", arguments: GGMLType.allCases)
    func everyType(type: GGMLType) throws {
        let (blockElements, blockBytes) = type.storage
        #expect(blockElements > 0 && blockBytes > 0)
        if type.isSupported {
            #expect(blockElements == type.blockElements)
            #expect(blockBytes == type.blockBytes)
        }
        let shape = [blockElements * 2, 3]
        #expect(type.storageByteCount(shape: shape) == 6 * blockBytes)
        var writer = GGUFWriter()
        try writer.addTensor(name: "x", type: type, shape: shape, data: Self.randomBytes(6 * blockBytes, seed: 1))
        let scratch = GGUFScratch()
        let file = try GGUFFile(path: scratch.write(writer.serialized(), name: "type-\(type.name).gguf"))
        #expect(file.tensors.first?.type == type)
        #expect(file.tensors.first?.byteCount == 6 * blockBytes)
    }

    @Test("typed accessors convert what fits and refuse the rest")
    func typedAccessors() throws {
        var writer = GGUFWriter()
        let integers: [GGUFValue] = [.uint8(200), .int8(-5), .uint16(60000), .int16(-300), .uint32(.max),
                                     .int32(.min), .uint64(1 << 40), .int64(.min)]
        for (index, value) in integers.enumerated() { writer.set("int.\(index)", value) }
        writer.set("big", .uint64(.max))
        writer.set("f32", .float32(0.5))
        writer.set("f64", .float64(-2.25))
        writer.set("s", .string("x"))
        writer.set("b", .bool(true))
        writer.set("ints", .array([.uint64(3), .uint64(4)]))
        writer.set("ints.big", .array([.uint64(3), .uint64(.max)]))
        writer.set("floats64", .array([.float64(1.5), .float64(2)]))
        writer.set("strings", .array([.string("a"), .string("b")]))
        writer.set("empty", .array([]))
        let scratch = GGUFScratch()
        let file = try GGUFFile(path: scratch.write(writer.serialized(), name: "typed.gguf"))

        for (index, value) in integers.enumerated() {
            #expect(file.int("int.\(index)") == value.intValue && value.intValue != nil)
        }
        #expect(file.int("int.4") == Int(UInt32.max))
        #expect(file.int("int.7") == Int(Int64.min))
        #expect(file.int("big") == nil)
        #expect(file.int("f32") == nil)
        #expect(file.int("missing") == nil)
        #expect(file.double("f32") == 0.5)
        #expect(file.double("f64") == -2.25)
        #expect(file.double("int.0") == nil)
        #expect(file.string("s") == "x")
        #expect(file.string("b") == nil)
        #expect(file.bool("b") == true)
        #expect(file.bool("int.0") == nil)
        #expect(file.array("s") == nil)
        #expect(file.array("ints") == [.uint64(3), .uint64(4)])
        #expect(file.ints("ints") == [3, 4])
        #expect(file.ints("ints.big") == nil)
        #expect(file.ints("strings") == nil)
        #expect(file.floats("floats64") == [1.5, 2])
        #expect(file.floats("ints") == nil)
        #expect(file.strings("strings") == ["a", "b"])
        #expect(file.strings("ints") == nil)
        #expect(file.strings("empty") == [])
        #expect(file.strings("s") == nil)
    }

    @Test("set keeps insertion order; replacing keeps the position; general.alignment follows the writer")
    func writerOrder() throws {
        var writer = GGUFWriter(alignment: 64)
        writer.set("z", .uint8(1))
        writer.set("general.alignment", .uint32(16))
        writer.set("a", .uint8(2))
        writer.set("z", .string("replaced"))
        #expect(writer.metadataKeys == ["z", "general.alignment", "a"])
        let scratch = GGUFScratch()
        let file = try GGUFFile(path: scratch.write(writer.serialized(), name: "order.gguf"))
        #expect(file.metadataKeys == ["z", "general.alignment", "a"])
        #expect(file.string("z") == "replaced")
        #expect(file.int("general.alignment") == 64)
        #expect(file.alignment == 64)

        var plain = GGUFWriter()
        plain.set("k", .uint8(0))
        let plainFile = try GGUFFile(path: scratch.write(plain.serialized(), name: "plain.gguf"))
        #expect(plainFile.metadataKeys == ["k"])
        #expect(plainFile.alignment == 32)
        #expect(plainFile.tensors.isEmpty)
    }

    @Test("addTensor rejects what would make a bad file, naming the tensor and the problem")
    func writerRejects() throws {
        var writer = GGUFWriter()
        try writer.addTensor(name: "ok", type: .q4_0, shape: [32], data: [UInt8](repeating: 0, count: 18))
        let cases: [(String, GGMLType, [Int], Int, String)] = [
            ("ok", .f32, [1], 4, "duplicate"),
            ("short", .f32, [4], 15, "15 bytes of data"),
            ("long", .q8_0, [32, 2], 69, "takes 68"),
            ("rows", .q4_0, [33], 18, "not a multiple"),
            ("zero", .f32, [4, 0], 0, "positive"),
            ("dims", .f32, [1, 1, 1, 1, 1], 4, "1 to 4"),
            ("nodims", .f32, [], 0, "1 to 4"),
            ("", .f32, [1], 4, "empty"),
            (String(repeating: "n", count: 64), .f32, [1], 4, "at most 63"),
            ("overflow", .f64, [1 << 40, 1 << 30], 0, "overflows"),
        ]
        for (name, type, shape, count, fragment) in cases {
            do {
                try writer.addTensor(name: name, type: type, shape: shape, data: [UInt8](repeating: 0, count: count))
                Issue.record("addTensor(\(name), \(type), \(shape), \(count) bytes) was accepted")
            } catch let error as GGUFError {
                #expect(error.description.contains(fragment), "\(error)")
                if !name.isEmpty { #expect(error.description.contains(name), "\(error)") }
            }
        }
    }

    @Test("set traps on a heterogeneous array")
    func heterogeneousArrayTraps() async {
        await #expect(processExitsWith: .failure) {
            var writer = GGUFWriter()
            writer.set("mixed", .array([.uint8(1), .string("x")]))
        }
    }

    @Test("writing into a missing directory fails with a GGUFError and leaves nothing behind")
    func writeFailure() throws {
        let scratch = GGUFScratch()
        let path = scratch.path("no/such/dir/out.gguf")
        #expect(throws: GGUFError.self) { try GGUFWriter().write(to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
