import CKernels
import Foundation
import Testing

/// The float kernels outside the matrix products (sk_exp, sk_swiglu, sk_rmsnorm, sk_attend):
/// the same bits at every ISA level, accuracy against double precision, and a
/// query's attention independent of the other queries it is computed with.
extension KernelTests {
    @Suite struct Attention {
        static func bits(_ x: [Float]) -> [UInt32] { x.map(\.bitPattern) }

        @Test("exp is within 2 ulp of the true value over [-87, 88] and the same bits at every level")
        func exp() {
            var rng = KernelRNG(seed: 3)
            let xs: [Float] = (0..<4099).map { i in
                i < 4 ? [-87, 0, 88, -1e-8][i] : i % 2 == 0 ? rng.signed() * 87.5 + 0.5 : rng.signed() * 4
            }
            var results: [[Float]] = []
            forEachLevel { _ in
                var y = xs
                sk_exp(&y, Int64(y.count))
                results.append(y)
            }
            for y in results.dropFirst() { #expect(Self.bits(y) == Self.bits(results[0]), "levels differ") }
            var worst = 0.0
            for (x, y) in zip(xs, results[0]) {
                let want = Foundation.exp(Double(x))
                worst = max(worst, abs(Double(y) - want) / (want * Double(Float.ulpOfOne)))
            }
            #expect(worst <= 2, "worst error \(worst) ulp")
        }

        @Test("SwiGLU is g·sigmoid(g)·u to float precision, the same bits at every level")
        func swiglu() {
            var rng = KernelRNG(seed: 4)
            let n = 1000   // not a multiple of 16
            let g = (0..<n).map { _ in rng.signed() * 12 }, u = (0..<n).map { _ in rng.signed() * 3 }
            var results: [[Float]] = []
            forEachLevel { _ in
                var out = [Float](repeating: .nan, count: n)
                sk_swiglu(g, u, &out, Int64(n))
                results.append(out)
            }
            for y in results.dropFirst() { #expect(Self.bits(y) == Self.bits(results[0]), "levels differ") }
            for i in 0..<n {
                let gd = Double(g[i]), want = gd / (1 + Foundation.exp(-gd)) * Double(u[i])
                #expect(abs(Double(results[0][i]) - want) <= 4e-7 * abs(want) + 1e-30, "element \(i)")
            }
        }

        @Test("RMSNorm matches double precision and is the same bits at every level", arguments: [576, 40, 7])
        func rmsnorm(n: Int) {
            var rng = KernelRNG(seed: UInt64(n))
            let x = (0..<n).map { _ in rng.signed() * 5 }, w = (0..<n).map { _ in rng.signed() + 1.5 }
            var results: [[Float]] = []
            forEachLevel { _ in
                var out = [Float](repeating: .nan, count: n)
                sk_rmsnorm(x, w, &out, Int64(n), 1e-5)
                results.append(out)
            }
            for y in results.dropFirst() { #expect(Self.bits(y) == Self.bits(results[0]), "n \(n): levels differ") }
            let rms = (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(n) + 1e-5).squareRoot()
            for i in 0..<n {
                let want = Double(x[i]) / rms * Double(w[i])
                #expect(abs(Double(results[0][i]) - want) <= 1e-6 * abs(want) + 1e-30, "n \(n) element \(i)")
            }
        }

        /// Keys and values for `slots` cache slots of width `stride`, and queries.
        struct Case {
            let hd: Int, nq: Int, stride: Int, slots: Int
            let keys: [Float], values: [Float], q: [Float]
            init(hd: Int, nq: Int, slots: Int, seed: UInt64) {
                var rng = KernelRNG(seed: seed)
                self.hd = hd
                self.nq = nq
                self.slots = slots
                stride = hd + 8
                keys = (0..<(slots * stride)).map { _ in rng.signed() * 2 }
                values = (0..<(slots * stride)).map { _ in rng.signed() }
                q = (0..<(nq * hd)).map { _ in rng.signed() * 2 }
            }

            /// sk_attend of query heads `heads` over `prefix` slots then `ancestors`.
            func attend(heads: Range<Int>, prefix: Int, ancestors: [Int32]) -> [Float] {
                let count = prefix + ancestors.count
                var scratch = [Float](repeating: .nan, count: heads.count * ((count + 15) / 16 * 16))
                var out = [Float](repeating: .nan, count: heads.count * hd)
                Array(q[(heads.lowerBound * hd)..<(heads.upperBound * hd)]).withUnsafeBufferPointer { q in
                    sk_attend(q.baseAddress, Int64(heads.count), keys, values, Int64(stride), Int64(prefix),
                              ancestors, Int64(ancestors.count), Int64(hd), 1 / Float(hd).squareRoot(), &scratch, &out)
                }
                return out
            }

            /// The same in double precision.
            func reference(head h: Int, prefix: Int, ancestors: [Int32]) -> [Double] {
                let rows = Array(0..<prefix) + ancestors.map(Int.init)
                let scores = rows.map { r in
                    (0..<hd).reduce(0.0) { $0 + Double(q[h * hd + $1]) * Double(keys[r * stride + $1]) } / Double(hd).squareRoot()
                }
                let top = scores.max()!
                let e = scores.map { Foundation.exp($0 - top) }, sum = e.reduce(0, +)
                return (0..<hd).map { i in zip(rows, e).reduce(0.0) { $0 + $1.1 / sum * Double(values[$1.0 * stride + i]) } }
            }
        }

        @Test("attention matches double precision, is the same bits at every level and for any group of queries",
              arguments: [64, 40])
        func attend(hd: Int) {
            let c = Case(hd: hd, nq: 3, slots: 90, seed: UInt64(hd))
            for (prefix, ancestors) in [(0, [Int32(70)]), (1, []), (15, [20, 33]), (16, []), (64, [80, 81, 85, 89]), (70, [75])] {
                var results: [[Float]] = []
                forEachLevel { _ in results.append(c.attend(heads: 0..<3, prefix: prefix, ancestors: ancestors)) }
                for y in results.dropFirst() {
                    #expect(Self.bits(y) == Self.bits(results[0]), "hd \(hd) prefix \(prefix): levels differ")
                }
                for h in 0..<3 {
                    let alone = c.attend(heads: h..<(h + 1), prefix: prefix, ancestors: ancestors)
                    #expect(Self.bits(alone) == Self.bits(Array(results[0][(h * hd)..<(h * hd + hd)])),
                            "hd \(hd) prefix \(prefix): head \(h) alone differs from its group")
                    let want = c.reference(head: h, prefix: prefix, ancestors: ancestors)
                    for i in 0..<hd {
                        #expect(abs(Double(alone[i]) - want[i]) <= 1e-5, "hd \(hd) prefix \(prefix) head \(h) [\(i)]")
                    }
                }
            }
        }
    }
}
