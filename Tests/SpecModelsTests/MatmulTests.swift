import CKernels
import Testing

/// A small deterministic generator (SplitMix64), so that failures reproduce.
struct KernelRNG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    mutating func signed() -> Float { Float(Int64(bitPattern: next()) >> 40) / Float(1 << 23) }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// A weight matrix of one GGML type with random content and moderate scales,
/// and its float32 dequantisation (sk_dequantize, checked against gguf-py elsewhere).
struct TestMatrix {
    let type: Int32
    let rows: Int, k: Int
    let raw: [UInt8]          // (rows, row bytes)
    let w: [Float]            // (rows, k)
    let minTerm: [Double]     // (rows, k / 32): the per-block minimum of MIN types, else 0

    static let allTypes: [Int] = [SK_TYPE_F32, SK_TYPE_F16, SK_TYPE_BF16, SK_TYPE_Q4_0, SK_TYPE_Q4_1,
                                  SK_TYPE_Q5_0, SK_TYPE_Q5_1, SK_TYPE_Q8_0, SK_TYPE_Q4_K, SK_TYPE_Q5_K, SK_TYPE_Q6_K]
    static func name(_ type: Int) -> String {
        [0: "F32", 1: "F16", 30: "BF16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0",
         12: "Q4_K", 13: "Q5_K", 14: "Q6_K"][type] ?? "type \(type)"
    }
    var isFloat: Bool { [SK_TYPE_F32, SK_TYPE_F16, SK_TYPE_BF16].contains(Int(type)) }
    var rowBytes: Int { k / Int(sk_block_elements(type)) * Int(sk_block_bytes(type)) }

    /// fp16 bits of a random value with |v| in [2^lo, 2^hi).
    static func half(_ rng: inout KernelRNG, lo: Int, hi: Int, negative: Bool) -> UInt16 {
        let e = UInt16(15 + lo + rng.below(hi - lo)), m = UInt16(rng.below(1024))
        return (negative ? 0x8000 : 0) | e << 10 | m
    }

    /// A matrix of the given bytes (`w`: their dequantisation; no minimum terms recorded).
    init(type: Int32, rows: Int, k: Int, raw: [UInt8], w: [Float]) {
        self.type = type
        self.rows = rows
        self.k = k
        self.raw = raw
        self.w = w
        minTerm = []
    }

    init(type: Int, rows: Int, k: Int, seed: UInt64) {
        var rng = KernelRNG(seed: seed)
        self.type = Int32(type)
        self.rows = rows
        self.k = k
        let be = Int(sk_block_elements(self.type)), bb = Int(sk_block_bytes(self.type))
        var raw = [UInt8](repeating: 0, count: rows * k / be * bb)
        func put16(_ v: UInt16, _ o: Int) { raw[o] = UInt8(v & 0xFF); raw[o + 1] = UInt8(v >> 8) }
        switch type {
        case SK_TYPE_F32:
            for i in 0..<(rows * k) {
                let b = (rng.signed() * 0.5).bitPattern
                for j in 0..<4 { raw[4 * i + j] = UInt8((b >> (8 * UInt32(j))) & 0xFF) }
            }
        case SK_TYPE_F16:
            for i in 0..<(rows * k) { put16(Self.half(&rng, lo: -10, hi: 0, negative: rng.below(2) == 0), 2 * i) }
        case SK_TYPE_BF16:
            for i in 0..<(rows * k) { put16(UInt16((rng.signed() * 0.5).bitPattern >> 16), 2 * i) }
        default:
            for i in raw.indices { raw[i] = UInt8(truncatingIfNeeded: rng.next()) }
            let scaleAt: [Int] = type == SK_TYPE_Q6_K ? [208] : [0]
            let minAt: [Int] = [SK_TYPE_Q4_1, SK_TYPE_Q5_1, SK_TYPE_Q4_K, SK_TYPE_Q5_K].contains(type) ? [2] : []
            for b in 0..<(raw.count / bb) {
                for o in scaleAt { put16(Self.half(&rng, lo: -9, hi: -5, negative: b % 7 == 3), b * bb + o) }
                for o in minAt {
                    // Q4_1/Q5_1: m negative (a minimum); K-quants: dmin positive.
                    let negative = type == SK_TYPE_Q4_1 || type == SK_TYPE_Q5_1
                    put16(Self.half(&rng, lo: -6, hi: -3, negative: negative), b * bb + o)
                }
            }
        }
        var w = [Float](repeating: 0, count: rows * k)
        let t32 = Int32(type)
        raw.withUnsafeBytes { sk_dequantize(t32, $0.baseAddress, &w, Int64(rows * k)) }
        self.raw = raw
        self.w = w
        minTerm = Self.minTerms(type: type, raw: raw, rows: rows, k: k)
    }

    /// The per-32-block minimum term of Q4_1/Q5_1 (m) and Q4_K/Q5_K (-dmin·min).
    static func minTerms(type: Int, raw: [UInt8], rows: Int, k: Int) -> [Double] {
        let nb = k / 32
        var out = [Double](repeating: 0, count: rows * nb)
        func half(_ o: Int) -> Double {
            var f: Float = 0
            withUnsafeBytes(of: UInt16(raw[o]) | UInt16(raw[o + 1]) << 8) { sk_dequantize(Int32(SK_TYPE_F16), $0.baseAddress, &f, 1) }
            return Double(f)
        }
        for r in 0..<rows {
            for j in 0..<nb {
                switch type {
                case SK_TYPE_Q4_1: out[r * nb + j] = half((r * nb + j) * 20 + 2)
                case SK_TYPE_Q5_1: out[r * nb + j] = half((r * nb + j) * 24 + 2)
                case SK_TYPE_Q4_K, SK_TYPE_Q5_K:
                    let bb = type == SK_TYPE_Q4_K ? 144 : 176
                    let o = (r * (nb / 8) + j / 8) * bb, s = j % 8
                    let sc = Array(raw[(o + 4)..<(o + 16)])
                    let mn = s < 4 ? Int(sc[s + 4] & 63) : Int(sc[s + 4] >> 4) | Int(sc[s] >> 6) << 4
                    out[r * nb + j] = -half(o + 2) * Double(mn)
                default: break
                }
            }
        }
        return out
    }
}

/// Activation rows, their quantisations (sk_quantize_act, and sk_quantize_act_k when k is
/// whole 256-groups) and their dequantisations.
struct TestActivations {
    let ntok: Int, k: Int
    let x: [Float]            // (ntok, k)
    let xq: [UInt8]           // (ntok, act row bytes): per-block format
    let xdq: [Double]         // (ntok, k): d · q
    let d: [Double]           // (ntok, k / 32): the activation scales
    let xqK: [UInt8]          // the same in the K format (empty unless k % 256 == 0)
    let xdqK: [Double]
    let dK: [Double]

    init(ntok: Int, k: Int, seed: UInt64) {
        var rng = KernelRNG(seed: seed)
        var x = [Float](repeating: 0, count: ntok * k)
        for t in 0..<ntok {
            for j in 0..<(k / 32) {
                let zero = (t + j) % 11 == 5                         // some all-zero blocks
                let scale = Float(1 << rng.below(6)) / 8
                for i in 0..<32 { x[t * k + 32 * j + i] = zero ? 0 : rng.signed() * scale }
                if rng.below(4) == 0, !zero { x[t * k + 32 * j + rng.below(32)] *= 40 }   // outliers
            }
            for i in (32 * (k / 32))..<k { x[t * k + i] = rng.signed() }   // a tail, for float weights
        }
        self.init(x: x, ntok: ntok, k: k)
    }

    init(x: [Float], ntok: Int, k: Int) {
        self.ntok = ntok
        self.k = k
        self.x = x
        (xq, xdq, d) = Self.quantize(x, ntok: ntok, k: k, kFormat: false)
        (xqK, xdqK, dK) = k % 256 == 0 ? Self.quantize(x, ntok: ntok, k: k, kFormat: true) : ([], [], [])
    }

    /// Quantised blocks, their dequantisation and their scales, in one format.
    static func quantize(_ x: [Float], ntok: Int, k: Int, kFormat: Bool) -> ([UInt8], [Double], [Double]) {
        let rb = Int(sk_act_row_bytes(Int64(k)))
        var xq = [UInt8](repeating: 0, count: ntok * rb)
        xq.withUnsafeMutableBytes { q in
            x.withUnsafeBufferPointer { xs in
                for t in 0..<ntok {
                    if kFormat { sk_quantize_act_k(xs.baseAddress! + t * k, q.baseAddress! + t * rb, Int64(k)) }
                    else { sk_quantize_act(xs.baseAddress! + t * k, q.baseAddress! + t * rb, Int64(k)) }
                }
            }
        }
        var xdq = [Double](repeating: 0, count: ntok * k), d = [Double](repeating: 0, count: ntok * (k / 32))
        xq.withUnsafeBytes { q in
            for t in 0..<ntok {
                for j in 0..<(k / 32) {
                    let blk = q.load(fromByteOffset: t * rb + 64 * j, as: sk_act_block.self)
                    d[t * (k / 32) + j] = Double(blk.d)
                    withUnsafeBytes(of: blk.q) { qs in
                        for i in 0..<32 { xdq[t * k + 32 * j + i] = Double(blk.d) * Double(Int8(bitPattern: qs[i])) }
                    }
                }
            }
        }
        return (xq, xdq, d)
    }

    /// The quantised rows, dequantised values and scales a product with `type` reads.
    func quantized(for type: Int32) -> [UInt8] { sk_type_uses_act_k(type) ? xqK : xq }
    func dequantized(for type: Int32) -> [Double] { sk_type_uses_act_k(type) ? xdqK : xdq }
    func scales(for type: Int32) -> [Double] { sk_type_uses_act_k(type) ? dK : d }

    /// The activations of tokens `ids`, in that order.
    func subset(_ ids: [Int]) -> TestActivations {
        TestActivations(x: ids.flatMap { x[($0 * k)..<($0 * k + k)] }, ntok: ids.count, k: k)
    }
}

/// Runs sk_matmul over rows [r0, r1) into y: (ntok, ldy).
func runMatmul(_ m: TestMatrix, _ a: TestActivations, _ y: inout [Float], ldy: Int, r0: Int, r1: Int) {
    m.raw.withUnsafeBytes { w in
        a.x.withUnsafeBufferPointer { x in
            a.quantized(for: m.type).withUnsafeBytes { xq in
                sk_matmul(m.type, w.baseAddress, Int64(m.k), x.baseAddress, xq.baseAddress, Int64(a.ntok),
                          &y, Int64(ldy), Int64(r0), Int64(r1))
            }
        }
    }
}

func matmul(_ m: TestMatrix, _ a: TestActivations) -> [Float] {
    var y = [Float](repeating: .nan, count: a.ntok * m.rows)
    runMatmul(m, a, &y, ldy: m.rows, r0: 0, r1: m.rows)
    return y
}

/// The ISA levels this machine offers (0 portable, 1 AVX2, 2 AVX-512 VNNI).
/// Prints, once per process, a note naming every level this CPU cannot run, so a
/// run on a smaller machine says what it did not compare.
func availableLevels() -> [Int32] {
    let top = sk_set_isa_level(2)
    if top < 2 { _ = missingLevelsNote }
    return Array(0...top)
}

/// The note printed by `availableLevels` (a lazy global: printed at most once).
let missingLevelsNote: Void = {
    let names = ["portable", "AVX2+FMA", "AVX-512 VNNI"]
    let top = Int(sk_set_isa_level(2))
    for level in (top + 1)..<names.count {
        print("note: ISA level \(level) (\(names[level])) cannot be tested on this CPU (\(String(cString: sk_cpu_description()))): its kernels are not compared here")
    }
}()

/// Runs `body` at every available ISA level, restoring the best level afterwards.
func forEachLevel(_ body: (Int32) throws -> Void) rethrows {
    defer { _ = sk_set_isa_level(2) }
    for level in availableLevels() {
        #expect(sk_set_isa_level(level) == level)
        try body(level)
    }
}

extension KernelTests {
    @Suite struct Matmul {
        /// (type, k) pairs: k values exercise one block, partial 4-block groups, and several panel chunks.
        static let cases: [(Int, Int)] = TestMatrix.allTypes.flatMap { t -> [(Int, Int)] in
            if [SK_TYPE_Q4_K, SK_TYPE_Q5_K, SK_TYPE_Q6_K].contains(t) { return [(t, 256), (t, 1280)] }
            if [SK_TYPE_F32, SK_TYPE_F16, SK_TYPE_BF16].contains(t) { return [(t, 40), (t, 576)] }
            return [(t, 32), (t, 96), (t, 576)]
        }

        /// Checks y against two references:
        /// (A) the double-precision dot of the dequantised weights with the float activations.
        ///     For quantised types the activations are rounded to 8 bits, so
        ///     |y - A| ≤ Σ_blocks 0.501·d·Σ|w| (each |x - d·q| ≤ d/2, plus the rounding of x·(1/d))
        ///     + the bound of (B); for float types |y - A| ≤ 1e-5·Σ|w·x|.
        /// (B) quantised types only: the double-precision dot of the dequantised weights with the
        ///     dequantised activations d·q: |y - B| ≤ 1e-5·Σ(|w - mw| + |mw|)·|d·q|, a relative 1e-5
        ///     of the magnitude of every term the kernel adds (its float error is ~(k/32 + 4)·6e-8 of it).
        static func checkAgainstReferences(_ m: TestMatrix, _ a: TestActivations, _ y: [Float], _ label: String) {
            let nb = m.k / 32, xdq = a.dequantized(for: m.type), scales = a.scales(for: m.type)
            var worstA = 0.0, worstB = 0.0
            for t in 0..<a.ntok {
                for r in 0..<m.rows {
                    let v = Double(y[t * m.rows + r])
                    var refA = 0.0, magA = 0.0
                    for i in 0..<m.k {
                        let p = Double(m.w[r * m.k + i]) * Double(a.x[t * m.k + i])
                        refA += p
                        magA += abs(p)
                    }
                    if m.isFloat {
                        worstA = max(worstA, abs(v - refA) / (1e-5 * magA + 1e-30))
                        continue
                    }
                    var refB = 0.0, magB = 0.0, quantErr = 0.0
                    for j in 0..<nb {
                        let mw = m.minTerm[r * nb + j]
                        var sumW = 0.0
                        for i in (32 * j)..<(32 * j + 32) {
                            let w = Double(m.w[r * m.k + i]), xq = xdq[t * m.k + i]
                            refB += w * xq
                            magB += (abs(w - mw) + abs(mw)) * abs(xq)
                            sumW += abs(w)
                        }
                        quantErr += 0.501 * scales[t * nb + j] * sumW
                    }
                    let tolB = 1e-5 * magB + 1e-30
                    worstA = max(worstA, abs(v - refA) / (quantErr + tolB))
                    worstB = max(worstB, abs(v - refB) / tolB)
                }
            }
            #expect(worstA <= 1, "\(label): error vs float reference is \(worstA) of its bound")
            #expect(worstB <= 1, "\(label): error vs quantised reference is \(worstB) of its bound")
        }

        @Test("products match double-precision references at every ISA level")
        func correctness() {
            forEachLevel { level in
                for (n, (type, k)) in Self.cases.enumerated() {
                    for rows in [5, 16, 37] {
                        let m = TestMatrix(type: type, rows: rows, k: k, seed: UInt64(100 * n + rows))
                        let a = TestActivations(ntok: 7, k: k, seed: UInt64(7 + n))
                        let y = matmul(m, a)
                        Self.checkAgainstReferences(m, a, y, "\(TestMatrix.name(type)) k=\(k) rows=\(rows) level \(level)")
                    }
                }
            }
        }

        @Test("every ISA level gives the same bits as the portable one")
        func levelsAgree() {
            for (n, (type, k)) in Self.cases.enumerated() {
                let m = TestMatrix(type: type, rows: 37, k: k, seed: UInt64(900 + n))
                let a = TestActivations(ntok: 11, k: k, seed: UInt64(1900 + n))
                var results: [[Float]] = []
                forEachLevel { _ in results.append(matmul(m, a)) }
                for (level, y) in results.enumerated().dropFirst() {
                    let same = zip(y, results[0]).allSatisfy { $0.bitPattern == $1.bitPattern }
                    #expect(same, "\(TestMatrix.name(type)) k=\(k): level \(level) differs from level 0")
                }
            }
        }

        @Test("a token's output is the same bits alone or in any batch (ntok 1...64)",
              arguments: TestMatrix.allTypes)
        func batchInvariance(type: Int) {
            let k = [SK_TYPE_Q4_K, SK_TYPE_Q5_K, SK_TYPE_Q6_K].contains(type) ? 768 : 576
            let m = TestMatrix(type: type, rows: 37, k: k, seed: UInt64(type) &* 31 &+ 5)
            let pool = TestActivations(ntok: 64, k: k, seed: UInt64(type) &+ 77)
            forEachLevel { level in
                // Each token alone.
                let single: [[Float]] = (0..<64).map { matmul(m, pool.subset([$0])) }
                var rng = KernelRNG(seed: 42)
                var failures = 0
                for ntok in 1...64 {
                    // A random selection of tokens in a random order.
                    var ids = Array(0..<64)
                    for i in stride(from: 63, to: 0, by: -1) { ids.swapAt(i, rng.below(i + 1)) }
                    ids = Array(ids.prefix(ntok))
                    let y = matmul(m, pool.subset(ids))
                    for (slot, id) in ids.enumerated() {
                        let row = Array(y[(slot * m.rows)..<(slot * m.rows + m.rows)])
                        if !zip(row, single[id]).allSatisfy({ $0.bitPattern == $1.bitPattern }) { failures += 1 }
                    }
                }
                #expect(failures == 0, "\(TestMatrix.name(type)) level \(level): \(failures) token rows differ from their single-token result")

                // Row splits, including ones that cut 16-row tiles.
                let batch = pool.subset(Array(0..<9))
                let whole = matmul(m, batch)
                for cuts in [[0, 37], [0, 16, 37], [0, 1, 37], [0, 7, 23, 36, 37], [0, 5, 10, 15, 20, 25, 30, 35, 37]] {
                    var y = [Float](repeating: .nan, count: 9 * m.rows)
                    for (r0, r1) in zip(cuts, cuts.dropFirst()) { runMatmul(m, batch, &y, ldy: m.rows, r0: r0, r1: r1) }
                    let same = zip(y, whole).allSatisfy { $0.bitPattern == $1.bitPattern }
                    #expect(same, "\(TestMatrix.name(type)) level \(level): row split \(cuts) changes the result")
                }
            }
        }

        @Test("only rows r0..<r1 of y are written, with stride ldy; large batches work")
        func outputLayout() {
            forEachLevel { level in
                for type in TestMatrix.allTypes {
                    let k = [SK_TYPE_Q4_K, SK_TYPE_Q5_K, SK_TYPE_Q6_K].contains(type) ? 256 : 64
                    let m = TestMatrix(type: type, rows: 40, k: k, seed: UInt64(type) &+ 3)
                    let a = TestActivations(ntok: 70, k: k, seed: 11)      // more than one internal batch buffer
                    let full = matmul(m, a)
                    let ldy = 45
                    var y = [Float](repeating: -7, count: a.ntok * ldy)
                    runMatmul(m, a, &y, ldy: ldy, r0: 3, r1: 21)
                    var ok = true
                    for t in 0..<a.ntok {
                        for r in 0..<ldy {
                            let v = y[t * ldy + r]
                            if (3..<21).contains(r) { ok = ok && v.bitPattern == full[t * m.rows + r].bitPattern }
                            else { ok = ok && v == -7 }
                        }
                    }
                    #expect(ok, "\(TestMatrix.name(type)) level \(level)")
                }
            }
        }

        /// Runs sk_matmul_packed over rows [r0, r1) into y: (ntok, ldy), packing `m` first.
        static func packedMatmul(_ m: TestMatrix, _ a: TestActivations, _ y: inout [Float], ldy: Int,
                                 splits: [Int]) {
            let count = Int(sk_packed_bytes(m.type, Int64(m.rows), Int64(m.k)))
            let packed = UnsafeMutableRawPointer.allocate(byteCount: max(count, 64), alignment: 64)
            defer { packed.deallocate() }
            m.raw.withUnsafeBytes { w in
                let tiles = Int64((m.rows + 15) / 16)
                // In two ranges of tiles, as the pool packs them.
                sk_pack(m.type, w.baseAddress, Int64(m.rows), Int64(m.k), packed, 0, tiles / 2)
                sk_pack(m.type, w.baseAddress, Int64(m.rows), Int64(m.k), packed, tiles / 2, tiles)
                a.quantized(for: m.type).withUnsafeBytes { xq in
                    for (r0, r1) in zip(splits, splits.dropFirst()) {
                        sk_matmul_packed(m.type, w.baseAddress, count > 0 ? packed : nil, Int64(m.k), xq.baseAddress,
                                         Int64(a.ntok), &y, Int64(ldy), Int64(r0), Int64(r1))
                    }
                }
            }
        }

        @Test("packed weights give the same bits as sk_matmul, for any batch and row split",
              arguments: TestMatrix.allTypes.filter { ![SK_TYPE_F32, SK_TYPE_F16, SK_TYPE_BF16].contains($0) })
        func packedWeights(type: Int) {
            let top = sk_set_isa_level(2)
            defer { _ = sk_set_isa_level(top) }
            let kQuant = [SK_TYPE_Q4_K, SK_TYPE_Q5_K, SK_TYPE_Q6_K].contains(type)
            if top == 2 {
                // As many bytes as the matrix, in whole 16-row tiles (Q6_K: 3392 bytes per 16 super-blocks, 1% more).
                let k = kQuant ? 768 : 608, blocks = k / Int(sk_block_elements(Int32(type)))
                var tile = 16 * blocks * Int(sk_block_bytes(Int32(type)))
                if type == SK_TYPE_Q6_K { tile = blocks * 3392 }
                else if !kQuant && blocks % 2 == 1 { tile += 16 * Int(sk_block_bytes(Int32(type))) }   // the odd last pair
                #expect(sk_packed_bytes(Int32(type), 37, Int64(k)) == Int64(3 * tile))
            } else {
                print("note: packed weights need AVX-512 VNNI, which this CPU lacks: only the fallback to sk_matmul is tested")
            }
            // One block or super-block; 19 blocks (an odd last pair) or 5 super-blocks.
            for k in kQuant ? [256, 1280] : [32, 608] {
                let m = TestMatrix(type: type, rows: 37, k: k, seed: UInt64(type) &* 7 &+ UInt64(k))
                let pool = TestActivations(ntok: 64, k: k, seed: UInt64(k) &+ 3)
                var rng = KernelRNG(seed: 9)
                for ntok in [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 64] {
                    var ids = Array(0..<64)
                    for i in stride(from: 63, to: 0, by: -1) { ids.swapAt(i, rng.below(i + 1)) }
                    let a = pool.subset(Array(ids.prefix(ntok)))
                    let want = matmul(m, a)
                    for cuts in [[0, 37], [0, 16, 32, 37], [0, 5, 21, 36, 37]] {
                        let ldy = 41
                        var y = [Float](repeating: -7, count: ntok * ldy)
                        Self.packedMatmul(m, a, &y, ldy: ldy, splits: cuts)
                        var same = true
                        for t in 0..<ntok {
                            for r in 0..<ldy {
                                let v = y[t * ldy + r]
                                same = same && (r < 37 ? v.bitPattern == want[t * 37 + r].bitPattern : v == -7)
                            }
                        }
                        #expect(same, "\(TestMatrix.name(type)) k=\(k) ntok=\(ntok) split \(cuts): packed product differs")
                    }
                }
            }
        }

        @Test("activation blocks hold round(x/d), d = max|x|/127 and the derived sums, at every level")
        func activationQuantisation() {
            let k = 256
            let a0 = TestActivations(ntok: 3, k: k, seed: 5)
            var blocks: [[UInt8]] = []
            forEachLevel { _ in blocks.append(TestActivations(x: a0.x, ntok: 3, k: k).xq) }
            for b in blocks.dropFirst() { #expect(b == blocks[0], "levels quantise activations differently") }
            let xq = blocks[0]
            #expect(sk_act_row_bytes(Int64(k)) == 64 * Int64(k / 32))
            xq.withUnsafeBytes { q in
                for blk in 0..<(3 * k / 32) {
                    let b = q.load(fromByteOffset: 64 * blk, as: sk_act_block.self)
                    let xs = a0.x[(32 * blk)..<(32 * blk + 32)]
                    let amax = xs.map { abs($0) }.max()!
                    #expect(b.d == amax / 127)
                    let id: Float = b.d != 0 ? 1 / b.d : 0
                    let qs = withUnsafeBytes(of: b.q) { Array($0).map { Int32(Int8(bitPattern: $0)) } }
                    let want = xs.map { Int32(($0 * id).rounded(.toNearestOrEven)) }
                    #expect(qs == want)
                    let lo = qs[0..<16].reduce(0, +), hi = qs[16..<32].reduce(0, +)
                    #expect(b.sum == lo + hi && b.bias == -128 * (lo + hi))
                    #expect(b.bias_lo == -128 * lo && b.bias_hi == -128 * hi)
                    #expect(b.dsum == b.d * Float(lo + hi))
                }
            }
        }

        @Test("K-format activation blocks share d = max|x|/127 per 256 and carry the group's int16 sums, at every level")
        func activationQuantisationK() {
            let k = 768
            let a0 = TestActivations(ntok: 3, k: k, seed: 6)
            var blocks: [[UInt8]] = []
            forEachLevel { _ in blocks.append(TestActivations(x: a0.x, ntok: 3, k: k).xqK) }
            for b in blocks.dropFirst() { #expect(b == blocks[0], "levels quantise K-format activations differently") }
            let xq = blocks[0]
            xq.withUnsafeBytes { q in
                for group in 0..<(3 * k / 256) {
                    let xs = a0.x[(256 * group)..<(256 * group + 256)]
                    let d = xs.map { abs($0) }.max()! / 127
                    let id: Float = d != 0 ? 1 / d : 0
                    var sums: [Int32] = []
                    for j in 0..<8 {
                        let b = q.load(fromByteOffset: 64 * (8 * group + j), as: sk_act_block.self)
                        #expect(b.d == d)
                        let qs = withUnsafeBytes(of: b.q) { Array($0).map { Int32(Int8(bitPattern: $0)) } }
                        let want = xs[(256 * group + 32 * j)..<(256 * group + 32 * j + 32)].map { Int32(($0 * id).rounded(.toNearestOrEven)) }
                        #expect(qs == want)
                        let lo = qs[0..<16].reduce(0, +), hi = qs[16..<32].reduce(0, +)
                        #expect(b.sum == lo + hi && b.bias_lo == -128 * lo && b.bias_hi == -128 * hi)
                        sums.append(lo + hi)
                        let reserved: [Int16] = withUnsafeBytes(of: b.reserved) { Array($0.bindMemory(to: Int16.self)) }
                        if j >= 2 { #expect(reserved == [0, 0, 0, 0]) }
                    }
                    let first = q.load(fromByteOffset: 64 * 8 * group, as: sk_act_block.self)
                    let second = q.load(fromByteOffset: 64 * (8 * group + 1), as: sk_act_block.self)
                    let firstSums: [Int16] = withUnsafeBytes(of: first.reserved) { Array($0.bindMemory(to: Int16.self)) }
                    let secondSums: [Int16] = withUnsafeBytes(of: second.reserved) { Array($0.bindMemory(to: Int16.self)) }
                    let stored = (firstSums + secondSums).map { Int32($0) }
                    #expect(stored == sums, "group \(group): the int16 block sums")
                }
            }
        }

        /// Q4_K/Q5_K: every q, scale and min at its maximum (15 or 31, 63, 63) with d = dmin = 1;
        /// Q6_K: q − 32 = −32 and every scale −128; all activations −1 (q = −127): the int32
        /// super-block sums at their largest magnitudes, where an overflow or a lost bit would show.
        @Test("K-quant integer sums stay exact at their largest magnitudes, at every level and packed",
              arguments: [SK_TYPE_Q4_K, SK_TYPE_Q5_K, SK_TYPE_Q6_K])
        func extremeKQuants(type: Int) {
            // 512 elements times w = 63·15 − 63 (Q4_K), 63·31 − 63 (Q5_K), (−128)·(−32) (Q6_K), times −1
            let expected: Float = type == SK_TYPE_Q4_K ? -451_584 : type == SK_TYPE_Q5_K ? -967_680 : -2_097_152
            let k = 512, rows = 16, bb = Int(sk_block_bytes(Int32(type)))
            var raw = [UInt8](repeating: 0xFF, count: rows * k / 256 * bb)
            for b in 0..<(raw.count / bb) {
                let o = b * bb
                if type == SK_TYPE_Q6_K {
                    for i in 0..<192 { raw[o + i] = 0 }                       // q = 0: weight −32
                    for i in 192..<208 { raw[o + i] = 0x80 }                  // scales −128
                    raw[o + 208] = 0; raw[o + 209] = 0x3C                     // d = 1
                } else {
                    raw[o] = 0; raw[o + 1] = 0x3C; raw[o + 2] = 0; raw[o + 3] = 0x3C   // d = dmin = 1
                }
            }
            var w = [Float](repeating: 0, count: rows * k)
            raw.withUnsafeBytes { sk_dequantize(Int32(type), $0.baseAddress, &w, Int64(rows * k)) }
            let m = TestMatrix(type: Int32(type), rows: rows, k: k, raw: raw, w: w)
            let a = TestActivations(x: [Float](repeating: -1, count: k), ntok: 1, k: k)
            forEachLevel { level in
                let y = matmul(m, a)
                #expect(y.allSatisfy { $0 == expected }, "\(TestMatrix.name(type)) level \(level): \(y[0]) ≠ \(expected)")
            }
            var y = [Float](repeating: 0, count: rows)
            Self.packedMatmul(m, a, &y, ldy: rows, splits: [0, rows])
            #expect(y.allSatisfy { $0 == expected }, "\(TestMatrix.name(type)) packed: \(y[0]) ≠ \(expected)")
        }

        @Test("the CPU is described and the level can be lowered and restored")
        func cpuDescription() {
            let text = String(cString: sk_cpu_description())
            #expect(text.contains("using"))
            let top = sk_set_isa_level(99)
            #expect(sk_isa_level() == top)
            #expect(sk_set_isa_level(0) == 0 && sk_isa_level() == 0)
            #expect(String(cString: sk_cpu_description()).contains("portable"))
            #expect(sk_set_isa_level(top) == top)
        }
    }
}
