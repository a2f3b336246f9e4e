import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SpecCore

/// A model's output head restricted to some tokens' rows (FR-Spec's trimmed
/// draft vocabulary): a compact copy of those rows, so the head costs
/// `tokens.count / V` of the full one per evaluated token.
///
/// Built once when the setting is applied: the kept rows are copied out of the
/// mapped file (an untied head or a tied embedding alike) into one block and
/// packed for the kernels like any other matrix. `Transformer` then writes
/// the kept tokens' logits and leaves every other logit at −∞, so the draft's
/// q is zero there: it never proposes those tokens.
public final class OutputRowSubset: @unchecked Sendable {
    /// The kept token ids, in the order of the compact rows.
    public let tokens: [Int32]  // (rows)
    /// The kept rows of the head, `(rows, dim)`, packed when the CPU allows.
    let matrix: WeightMatrix
    /// The copied rows (rows · rowBytes bytes), a shared anonymous mapping: packing
    /// releases the pages of the original (`madvise`), which for shared memory
    /// keeps their contents, so the unpacked kernels can still read them.
    private let storage: UnsafeMutableRawPointer
    private let storageBytes: Int
    /// Logits of the kept rows, `(maxBatch, rows)`.
    private let compact: UnsafeMutablePointer<Float>
    private let maxBatch: Int

    /// Copies rows `tokens` of `head` (each in 0..<head.rows, no duplicates).
    /// - Throws: `SettingsError` for an empty or out-of-range list.
    /// - Complexity: O(tokens · dim) to copy and pack; memory: the kept rows once
    ///   (packed) plus `4 · maxBatch · tokens` bytes of logits.
    init(head: WeightMatrix, tokens: [Int], maxBatch: Int) throws(SettingsError) {
        guard !tokens.isEmpty else { throw SettingsError("a draft vocabulary needs at least one token") }
        guard tokens.allSatisfy({ $0 >= 0 && $0 < head.rows }) else {
            throw SettingsError("a draft vocabulary token lies outside the head's \(head.rows) rows")
        }
        let bytes = max(1, tokens.count * head.rowBytes)
        guard let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0),
              mapped != MAP_FAILED else {
            throw SettingsError("could not allocate \(bytes) bytes for the draft vocabulary's head")
        }
        for (i, token) in tokens.enumerated() {
            (mapped + i * head.rowBytes).copyMemory(from: head.data + token * head.rowBytes, byteCount: head.rowBytes)
        }
        let copy: WeightMatrix
        do {
            copy = try WeightMatrix(type: head.type, rows: tokens.count, columns: head.columns, data: UnsafeRawPointer(mapped),
                                    name: "output rows")
        } catch {
            munmap(mapped, bytes)
            throw SettingsError(error.description)
        }
        matrix = copy.withPackedCopy()
        storage = mapped
        storageBytes = bytes
        self.tokens = tokens.map(Int32.init)
        self.maxBatch = maxBatch
        compact = .allocate(capacity: maxBatch * tokens.count)
    }

    deinit {
        munmap(storage, storageBytes)
        compact.deallocate()
    }

    /// Logits of the kept tokens for the first `count` rows of `input`, written
    /// at their ids in `logits` (rows of `vocabularySize`); the other entries
    /// are left as they are (−∞, set once by `Transformer`).
    /// Cost: O(count · rows · dim) for the product, O(count · rows) to scatter.
    func write(input: Activations, tokens count: Int, into logits: UnsafeMutablePointer<Float>, vocabularySize: Int) {
        precondition(count <= maxBatch)
        MatrixProducts.run([(matrix, compact)], input: input, tokens: count)
        let n = tokens.count
        tokens.withUnsafeBufferPointer { ids in
            for t in 0..<count {
                let row = logits + t * vocabularySize, source = compact + t * n
                for i in 0..<n { row[Int(ids[i])] = source[i] }
            }
        }
    }
}
