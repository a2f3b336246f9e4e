/// Mutations of a well-formed GGUF file, each described in words so that a
/// failing case can be reproduced by reading the test's output.
///
/// Half of the changes hit structural fields (`GGUFFieldMap`) with values
/// chosen to break them: zero, one, all ones, powers of two around 2³¹, 2³²
/// and 2⁶³, the old value ± 1 and ± the alignment. The rest are truncations,
/// byte and bit flips, insertions, deletions and duplicated chunks, kept to
/// the header region (`limit`) where parsing happens; and tensor-table edits
/// aimed at the data layout: offsets moved by ± the alignment, two tensors
/// given the same offset, offsets swapped, a tensor's type changed to another
/// GGML type (so that its byte size no longer matches its region).
struct GGUFMutator {
    let seed: [UInt8]
    let map: GGUFFieldMap
    /// Mutations other than truncation stay below this byte (the header region).
    let limit: Int

    init(seed: [UInt8]) {
        self.seed = seed
        map = GGUFFieldMap(seed)!
        limit = map.dataStart
    }

    /// GGML type ids the reader knows, and a few it does not.
    static let typeIDs: [UInt32] = [0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 20, 24, 28, 30, 31, 34, 39, 40, 100, .max]

    /// Applies one to three mutations; returns the bytes and what was done.
    func mutate(_ random: inout FuzzRandom) -> (bytes: [UInt8], description: String) {
        var bytes = seed
        var done: [String] = []
        for _ in 0 ..< 1 + random.below(3) {
            done.append(mutateOnce(&bytes, &random))
        }
        return (bytes, done.joined(separator: "; "))
    }

    private func mutateOnce(_ bytes: inout [UInt8], _ random: inout FuzzRandom) -> String {
        let headerEnd = min(limit, bytes.count)
        guard headerEnd > 8 else { return "nothing (file too short)" }
        switch random.below(12) {
        case 0:
            let length = random.chance(0.7) ? random.below(headerEnd) : random.below(bytes.count)
            bytes.removeLast(bytes.count - length)
            return "truncated to \(length) bytes"
        case 1, 2, 3, 10, 11:
            // Half of these hit a metadata number, which leaves the container valid.
            let scalars = map.fields(of: .scalar)
            let field = random.chance(0.5) && !scalars.isEmpty ? random.pick(scalars) : random.pick(map.fields)
            guard field.position + field.width <= bytes.count else { return "nothing (field cut off)" }
            let old = read(bytes, field)
            let value = interesting(old: old, width: field.width, &random)
            write(&bytes, field, value)
            return "\(field.kind) at \(field.position): \(old) → \(value)"
        case 4:
            let offsets = map.fields(of: .tensorOffset).filter { $0.position + 8 <= bytes.count }
            guard let field = offsets.isEmpty ? nil : random.pick(offsets) else { return "nothing (no tensors)" }
            let old = read(bytes, field)
            let a = UInt64(map.alignment)
            switch random.below(3) {
            case 0:
                let value = random.chance(0.5) ? old &+ a : old &- a
                write(&bytes, field, value)
                return "tensor offset at \(field.position) moved: \(old) → \(value)"
            case 1:
                let other = random.pick(offsets)
                let value = read(bytes, other)
                write(&bytes, field, value)
                return "tensor offset at \(field.position) set to that at \(other.position): \(value)"
            default:
                let other = random.pick(offsets)
                let value = read(bytes, other)
                write(&bytes, other, old)
                write(&bytes, field, value)
                return "tensor offsets at \(field.position) and \(other.position) swapped"
            }
        case 5:
            let types = map.fields(of: .tensorType).filter { $0.position + 4 <= bytes.count }
            guard let field = types.isEmpty ? nil : random.pick(types) else { return "nothing (no tensors)" }
            let old = read(bytes, field)
            let value = UInt64(random.pick(Self.typeIDs))
            write(&bytes, field, value)
            return "tensor type at \(field.position): \(old) → \(value)"
        case 6:
            let position = random.below(headerEnd)
            let bit = random.below(8)
            bytes[position] ^= 1 << bit
            return "bit \(bit) of byte \(position) flipped"
        case 7:
            let position = random.below(headerEnd)
            let value = UInt8(random.below(256))
            bytes[position] = value
            return "byte \(position) set to \(value)"
        case 8:
            let position = random.below(headerEnd)
            let count = 1 + random.below(16)
            if random.chance(0.5) {
                let inserted = (0 ..< count).map { _ in UInt8(random.below(256)) }
                bytes.insert(contentsOf: inserted, at: position)
                return "\(count) random bytes inserted at \(position)"
            }
            let end = min(bytes.count, position + count)
            bytes.removeSubrange(position ..< end)
            return "\(end - position) bytes deleted at \(position)"
        default:
            let start = random.below(headerEnd)
            let end = min(headerEnd, start + 1 + random.below(64))
            let chunk = Array(bytes[start ..< end])
            let at = random.below(headerEnd)
            bytes.insert(contentsOf: chunk, at: at)
            return "bytes \(start)..<\(end) duplicated at \(at)"
        }
    }

    /// A value likely to break a field of `width` bytes that held `old`.
    private func interesting(old: UInt64, width: Int, _ random: inout FuzzRandom) -> UInt64 {
        let mask: UInt64 = width == 8 ? .max : 0xFFFF_FFFF
        let candidates: [UInt64] = [
            0, 1, 2, 3, 4, 7, 8, 9, 12, 13, 16, 255, 256, 0x7FFF, 0xFFFF,
            0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 1 << 32, (1 << 32) + 1, 1 << 62, 1 << 63,
            UInt64(Int64.max), .max, old &+ 1, old &- 1, old &* 2, old / 2,
            old &+ UInt64(map.alignment), old &- UInt64(map.alignment), random.next(),
        ]
        return random.pick(candidates) & mask
    }

    private func read(_ bytes: [UInt8], _ field: GGUFFieldMap.Field) -> UInt64 {
        (0 ..< field.width).reduce(UInt64(0)) { $0 | UInt64(bytes[field.position + $1]) << (8 * $1) }
    }

    private func write(_ bytes: inout [UInt8], _ field: GGUFFieldMap.Field, _ value: UInt64) {
        for k in 0 ..< field.width { bytes[field.position + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }
}
