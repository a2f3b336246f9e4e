import CKernels
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A weight matrix of shape `(rows, columns)` stored row-major in a GGML type,
/// viewed in place in a memory-mapped file (no copy).
public struct WeightMatrix: @unchecked Sendable {
    public let type: GGMLType
    public let rows: Int
    public let columns: Int
    /// `rows` rows of `rowBytes` bytes each.
    public let data: UnsafeRawPointer
    public let rowBytes: Int
    /// The same rows rearranged for the AVX-512 kernel (`sk_pack`), when made by
    /// `withPackedCopy()`; products then read it instead of `data`.
    let packed: PackedWeights?
    /// The bytes `data` points into when this matrix owns them (`requantized(to:)`);
    /// nil when `data` lies in a mapped file.
    let storage: OwnedBytes?

    /// Wraps `rows × columns` elements of `type` at `data`.
    /// - Throws: when the type has no kernels or a row is not whole blocks.
    public init(type: GGMLType, rows: Int, columns: Int, data: UnsafeRawPointer, name: String) throws(ModelLoadError) {
        guard type.isSupported else {
            let supported = GGMLType.allCases.filter(\.isSupported).map(\.name).joined(separator: ", ")
            throw ModelLoadError("tensor \(name) has type \(type.name), which spectree cannot compute with (supported: \(supported))")
        }
        guard columns % 32 == 0, let rowBytes = type.byteCount(elements: columns) else {
            throw ModelLoadError("tensor \(name): rows of \(columns) elements are not whole \(type.name) blocks of \(type.blockElements) (and of 32 for the kernels)")
        }
        self.type = type
        self.rows = rows
        self.columns = columns
        self.data = data
        self.rowBytes = rowBytes
        packed = nil
        storage = nil
    }

    private init(_ m: WeightMatrix, packed: PackedWeights?) {
        type = m.type
        rows = m.rows
        columns = m.columns
        data = m.data
        rowBytes = m.rowBytes
        storage = m.storage
        self.packed = packed
    }

    /// The same matrix quantised again into `newType` (`sk_quantize`, e.g. Q4_0):
    /// each row dequantised and requantised, into bytes this matrix owns. A draft
    /// model requantised this way reads fewer bytes per token (Q5_0 → Q4_0: 18%
    /// fewer, Q8_0 → Q4_0: 47%) at the price of a coarser approximation of its own
    /// weights. Not packed (call `withPackedCopy()`). Cost: O(rows · columns), on the pool.
    /// - Precondition: `newType.isQuantizable`.
    func requantized(to newType: GGMLType) -> WeightMatrix {
        precondition(newType.isQuantizable)
        let newRowBytes = newType.byteCount(elements: columns)!  // columns % 32 == 0 (init)
        let owned = OwnedBytes(byteCount: rows * newRowBytes)
        let source = self, type = Int32(newType.rawValue)
        ComputePool.parallelFor(rows, grain: 64) { begin, end, _ in
            let row = UnsafeMutablePointer<Float>.allocate(capacity: source.columns)
            defer { row.deallocate() }
            for r in begin..<end {
                source.dequantizeRow(r, into: row)
                _ = sk_quantize(type, row, owned.bytes + r * newRowBytes, Int64(source.columns))
            }
        }
        return WeightMatrix(type: newType, rows: rows, columns: columns, rowBytes: newRowBytes, storage: owned)
    }

    private init(type: GGMLType, rows: Int, columns: Int, rowBytes: Int, storage: OwnedBytes) {
        self.type = type
        self.rows = rows
        self.columns = columns
        self.rowBytes = rowBytes
        data = UnsafeRawPointer(storage.bytes)
        self.storage = storage
        packed = nil
    }

    /// This matrix with a packed copy for the products, when the CPU has AVX-512 VNNI
    /// (every quantised type has a packed form); else itself. The copy is as large as
    /// the matrix (Q6_K: 1% more) and removes the per-call transposing
    /// of the weights (2–3× faster products for one token). The mapped pages of an
    /// original in a file are then released (`madvise(MADV_DONTNEED)`), so resident
    /// memory holds one copy, not two; only lower ISA levels and row lookups (the
    /// embedding) page them back in. A requantised original (`storage`) stays, beside
    /// its packed copy. Cost: one pass over the matrix, on the pool.
    func withPackedCopy() -> WeightMatrix {
        WeightMatrix(self, packed: PackedWeights(self, releasingOriginal: storage == nil))
    }

    /// Dequantises row `row` into `destination` (`columns` floats). Cost: O(columns).
    public func dequantizeRow(_ row: Int, into destination: UnsafeMutablePointer<Float>) {
        precondition(row >= 0 && row < rows)
        sk_dequantize(Int32(type.rawValue), data + row * rowBytes, destination, Int64(columns))
    }

    /// Single-threaded product over rows `range`: `y[t * ldy + r] = W[r] · x[t]`
    /// for `t < tokens`. `x` is `(tokens, columns)` floats, `xq` the same rows
    /// quantised by `Activations`. Cost: O(tokens · columns · range.count).
    @inline(__always)
    func multiply(rows range: Range<Int>, x: UnsafePointer<Float>, xq: UnsafeRawPointer, tokens: Int,
                  into y: UnsafeMutablePointer<Float>, ldy: Int) {
        if let packed {
            sk_matmul_packed(Int32(type.rawValue), data, packed.bytes, Int64(columns), xq, Int64(tokens),
                             y, Int64(ldy), Int64(range.lowerBound), Int64(range.upperBound))
        } else {
            sk_matmul(Int32(type.rawValue), data, Int64(columns), x, xq, Int64(tokens),
                      y, Int64(ldy), Int64(range.lowerBound), Int64(range.upperBound))
        }
    }
}

/// An owned packed copy of a weight matrix (`sk_pack`): 16-row tiles, 64-byte aligned.
final class PackedWeights: @unchecked Sendable {
    /// `sk_packed_bytes(type, rows, columns)` bytes.
    let bytes: UnsafeMutableRawPointer

    /// Packs `m`, or nil when its type has no packed form on this CPU. With
    /// `releasingOriginal`, the mapped file pages of `m` are released afterwards
    /// (only for file mappings: released private memory would read back as zeros).
    init?(_ m: WeightMatrix, releasingOriginal: Bool) {
        let type = Int32(m.type.rawValue), rows = Int64(m.rows), k = Int64(m.columns)
        let count = Int(sk_packed_bytes(type, rows, k))
        guard count > 0 else { return nil }
        let bytes = Self.allocate(byteCount: count)
        ComputePool.parallelFor((m.rows + 15) / 16, grain: 64) { begin, end, _ in
            sk_pack(type, m.data, rows, k, bytes, Int64(begin), Int64(end))
        }
        self.bytes = bytes
        if releasingOriginal { Self.release(m.data, byteCount: m.rows * m.rowBytes) }
    }

    /// Transparent huge pages for the packed copies (ignored where the kernel has none).
    /// `SPECTREE_HUGEPAGES=0` turns them off, for measuring their effect.
    static let hugePages = ProcessInfo.processInfo.environment["SPECTREE_HUGEPAGES"] != "0"

    /// `byteCount` bytes, 64-byte aligned; from 2 MiB, 2 MiB-aligned and advised as
    /// huge pages (`MADV_HUGEPAGE`), so that streaming the weights walks one page table
    /// entry per 2 MiB instead of per 4 KiB.
    private static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let huge = 2 << 20
        guard hugePages, byteCount >= huge else { return .allocate(byteCount: byteCount, alignment: 64) }
        let bytes = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: huge)
        _ = madvise(bytes, byteCount, Int32(MADV_HUGEPAGE))
        return bytes
    }

    /// Drops this process's use of the whole pages inside `[data, data + byteCount)`,
    /// a read-only file mapping: they stay in the page cache and fault back in if read.
    private static func release(_ data: UnsafeRawPointer, byteCount: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: data) + page - 1) / page * page
        let end = (Int(bitPattern: data) + byteCount) / page * page
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, Int32(MADV_DONTNEED))
    }

    deinit { bytes.deallocate() }
}

/// Bytes a `WeightMatrix` owns (a requantised copy), 64-byte aligned, freed with the last matrix using them.
final class OwnedBytes: @unchecked Sendable {
    let bytes: UnsafeMutableRawPointer
    init(byteCount: Int) { bytes = .allocate(byteCount: max(1, byteCount), alignment: 64) }
    deinit { bytes.deallocate() }
}
