import CKernels
import Foundation
import Testing

/// The kernel tests, serialized: they switch the global ISA level and resize the
/// global thread pool, which must not happen under each other's feet.
@Suite(.serialized) struct KernelTests {}

/// A dequantisation fixture written by scripts/make_quant_fixtures.py: raw GGML
/// blocks and gguf-py's float32 dequantisation of them.
struct QuantFixture {
    let type: Int32
    let count: Int
    let raw: [UInt8]           // (count / block elements, block bytes)
    let expected: [Float]      // (count)

    /// Reads Fixtures/quant/<name>.bin next to this file.
    init(named name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/quant/\(name).bin")
        let data = [UInt8](try Data(contentsOf: url))
        func u32(_ o: Int) -> Int { Int(data[o]) | Int(data[o + 1]) << 8 | Int(data[o + 2]) << 16 | Int(data[o + 3]) << 24 }
        guard data.count >= 16, data[0..<4].elementsEqual("SKQF".utf8) else { throw CocoaError(.fileReadCorruptFile) }
        type = Int32(u32(4))
        count = u32(8)
        let nbytes = u32(12)
        guard data.count == 16 + nbytes + 4 * count else { throw CocoaError(.fileReadCorruptFile) }
        raw = Array(data[16..<(16 + nbytes)])
        expected = (0..<count).map { Float(bitPattern: UInt32(u32(16 + nbytes + 4 * $0))) }
    }
}

extension KernelTests {
    @Suite struct Dequant {
        static let names = ["F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q4_K", "Q5_K", "Q6_K"]

        @Test("dequantisation is bit-identical to gguf-py", arguments: names)
        func matchesGGUFPy(name: String) throws {
            let fx = try QuantFixture(named: name)
            #expect(sk_type_supported(fx.type))
            let be = Int(sk_block_elements(fx.type)), bb = Int(sk_block_bytes(fx.type))
            #expect(fx.count % be == 0)
            #expect(fx.raw.count == fx.count / be * bb)
            var out = [Float](repeating: .nan, count: fx.count)
            fx.raw.withUnsafeBytes { sk_dequantize(fx.type, $0.baseAddress, &out, Int64(fx.count)) }
            let bad = (0..<fx.count).filter { out[$0].bitPattern != fx.expected[$0].bitPattern }
            #expect(bad.isEmpty, "\(name): \(bad.count) of \(fx.count) differ, first at \(bad.first ?? -1)")
        }

        @Test("block geometry follows ggml-common.h")
        func geometry() {
            let table: [(Int, Int64, Int64)] = [
                (SK_TYPE_F32, 1, 4), (SK_TYPE_F16, 1, 2), (SK_TYPE_BF16, 1, 2),
                (SK_TYPE_Q4_0, 32, 18), (SK_TYPE_Q4_1, 32, 20), (SK_TYPE_Q5_0, 32, 22),
                (SK_TYPE_Q5_1, 32, 24), (SK_TYPE_Q8_0, 32, 34), (SK_TYPE_Q4_K, 256, 144),
                (SK_TYPE_Q5_K, 256, 176), (SK_TYPE_Q6_K, 256, 210),
            ]
            for (type, elements, bytes) in table {
                #expect(sk_type_supported(Int32(type)))
                #expect(sk_block_elements(Int32(type)) == elements)
                #expect(sk_block_bytes(Int32(type)) == bytes)
            }
            for unsupported: Int32 in [4, 5, 9, 10, 11, 15, 16, 20, 39, -1, 1000] {
                #expect(!sk_type_supported(unsupported))
                #expect(sk_block_elements(unsupported) == 0)
            }
        }

        @Test("fp16 special values convert exactly")
        func fp16Specials() {
            // (half bits, float bits): zeros, infinities, a quiet NaN, subnormals, limits.
            let cases: [(UInt16, UInt32)] = [
                (0x0000, 0x0000_0000), (0x8000, 0x8000_0000), (0x7C00, 0x7F80_0000), (0xFC00, 0xFF80_0000),
                (0x7E00, 0x7FC0_0000), (0x0001, 0x3380_0000), (0x03FF, 0x387F_C000), (0x0400, 0x3880_0000),
                (0x7BFF, 0x477F_E000), (0x3C00, 0x3F80_0000), (0xC000, 0xC000_0000),
            ]
            for (h, f) in cases {
                var out: Float = 0
                withUnsafeBytes(of: h.littleEndian) { sk_dequantize(Int32(SK_TYPE_F16), $0.baseAddress, &out, 1) }
                #expect(out.bitPattern == f, "half \(String(h, radix: 16))")
            }
        }
    }
}
