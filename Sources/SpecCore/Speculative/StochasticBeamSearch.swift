import Foundation

/// Stochastic beam search (Kool, van Hoof & Welling 2019): draws `width`
/// *sequences* without replacement from the draft, one level at a time, by
/// sampling Gumbel-perturbed scores top-down and keeping the best `width`.
///
/// Each beam carries φ (log q of its path) and G (its conditioned Gumbel
/// score; 0 at the root). A child c of a beam gets `G̃c = φc + Gumbel` with
/// `φc = φ + log q(c)`; with `Z = max over all of the beam's children of G̃`,
/// its conditioned score is `Gc = −log(exp(−G) − exp(−Z) + exp(−G̃c))`, a
/// Gumbel(φc) conditioned on its siblings' maximum being the parent's G. The
/// `width` children with the largest Gc across all beams become the next level.
/// After L levels, the kept sequences are the top `width` of Gumbel-perturbed
/// log-probabilities over all length-L sequences: a sample without replacement.
public enum StochasticBeamSearch {
    /// A sequence being extended.
    public struct Beam: Sendable, Equatable {
        /// The tree node that ends the sequence, -1 for the context root.
        public var node: Int
        /// φ: log q of the sequence.
        public var logProbability: Double
        /// G: its conditioned Gumbel score.
        public var score: Double

        public init(node: Int, logProbability: Double, score: Double) {
            self.node = node
            self.logProbability = logProbability
            self.score = score
        }

        /// The context root: φ = 0, G = 0.
        public static let root = Beam(node: -1, logProbability: 0, score: 0)
    }

    /// A child kept for the next level.
    public struct Candidate: Sendable, Equatable {
        /// Index of its beam in the `beams` passed to `nextLevel`.
        public var beam: Int
        /// The child, its `score` being the unconditioned G̃ = φ + log q + Gumbel.
        public var child: SampledChild
        /// Its conditioned score G.
        public var score: Double
    }

    /// Draws the next level: for each beam, its top-`width` children by G̃
    /// (Gumbel-Top-k over q at the beam's node; only those can be among the
    /// best `width` overall, because G is increasing in G̃ within a beam),
    /// then the `width` best by conditioned score across beams.
    ///
    /// The result is grouped by beam, in `beams` order, and within a beam by
    /// decreasing score — which is also its children's sampling order.
    /// - Parameter draft: q at a beam's node (-1 for the root).
    /// - Complexity: O(beams · V) plus a sort of beams·width candidates.
    public static func nextLevel(
        beams: [Beam], width: Int, random: inout RandomSource,
        draft: (_ node: Int) -> UnsafeBufferPointer<Float>
    ) -> [Candidate] {
        precondition(width >= 1, "width must be ≥ 1")
        var candidates: [Candidate] = []
        candidates.reserveCapacity(beams.count * width)
        for (b, beam) in beams.enumerated() {
            let children = ChildSampler.withoutReplacement(
                from: draft(beam.node), count: width, random: &random, offset: beam.logProbability)
            guard let maximum = children.first?.score else { continue }
            for child in children {
                let g = conditionedScore(perturbed: child.score!, maximum: maximum, parent: beam.score)
                candidates.append(Candidate(beam: b, child: child, score: g))
            }
        }
        // The best `width` overall (ties by beam then rank), regrouped by beam.
        let ranked = candidates.indices.sorted {
            candidates[$0].score > candidates[$1].score || (candidates[$0].score == candidates[$1].score && $0 < $1)
        }
        return ranked.prefix(width).sorted().map { candidates[$0] }
    }

    /// `−log(exp(−parent) − exp(−maximum) + exp(−perturbed))`, computed stably:
    /// with `u = parent − perturbed + log(1 − exp(perturbed − maximum))`, it
    /// equals `parent − softplus(u)`. The child whose G̃ is the maximum gets
    /// exactly the parent's score.
    /// - Precondition: `perturbed ≤ maximum`.
    public static func conditionedScore(perturbed: Double, maximum: Double, parent: Double) -> Double {
        if perturbed >= maximum { return parent }
        let u = parent - perturbed + log1mexp(perturbed - maximum)
        return parent - softplus(u)
    }

    /// log(1 − exp(x)) for x < 0, accurate near 0 and for very negative x.
    static func log1mexp(_ x: Double) -> Double {
        x > -M_LN2 ? log(-expm1(x)) : log1p(-exp(x))
    }

    /// log(1 + exp(x)) without overflow.
    static func softplus(_ x: Double) -> Double {
        max(x, 0) + log1p(exp(-abs(x)))
    }
}
