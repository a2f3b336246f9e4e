import Foundation
import SpecCore
import SpecModels
import Testing

/// Mutated GGUF files, from synthetic models and from the real SmolLM2
/// header, loaded as `generate` loads them: no crash, no hang, every error
/// naming the file, no overlapping tensor data accepted. Fixed seed; a few
/// thousand cases in the suite, as long as asked under `make fuzz`.
@Suite("Fuzz: GGUF", .serialized)
struct GGUFFuzzTests {
    init() { ComputePool.start(threads: 2) }

    @Test("synthetic models: mutated headers and tensor tables are refused by name or load and run")
    func syntheticModels() throws {
        let seeds: [(String, [UInt8])] = [
            ("llama-q8", try FuzzSeeds.tinyModel()),
            ("qwen2-q4-align64", try FuzzSeeds.tinyModel(matrixType: .q4_0, alignment: 64, architecture: "qwen2")),
            ("metadata", try FuzzSeeds.metadataRich()),
        ]
        let mutators = seeds.map { ($0.0, GGUFMutator(seed: $0.1)) }
        let scratch = FuzzScratch("synthetic")
        // The seeds themselves load and run.
        for (label, mutator) in mutators {
            var tally = FuzzTally()
            let path = scratch.write(mutator.seed, name: "seed-\(label).gguf")
            GGUFPipeline.run(path: path, full: label != "metadata", tally: &tally, label: label)
            #expect(label == "metadata" || tally.accepted == 1, "seed \(label) does not load: \(tally.unnamed) \(tally.rejectedAt)")
        }
        let budget = FuzzBudget(defaultCases: 3000, share: 0.45)
        var random = FuzzRandom(seed: budget.seed)
        var tally = FuzzTally()
        let watchdog = FuzzWatchdog()
        defer { watchdog.stop() }
        var index = 0
        while budget.allows(index) {
            let (label, mutator) = mutators[index % mutators.count]
            let (bytes, what) = mutator.mutate(&random)
            let name = "case-\(index)-\(label).gguf"
            let path = scratch.write(bytes, name: name)
            let description = "\(name): \(what)"
            watchdog.begin(description)
            let started = ContinuousClock.now
            GGUFPipeline.run(path: path, full: label != "metadata", tally: &tally, label: description)
            tally.slowest = max(tally.slowest, .now - started)
            watchdog.end()
            scratch.remove(path)
            tally.cases += 1
            index += 1
        }
        print("GGUF fuzz, synthetic models (seed \(budget.seed)): \(tally)")
        #expect(tally.unnamed.isEmpty, "errors without the file's name: \(tally.unnamed.prefix(10))")
        #expect(tally.overlapping.isEmpty, "overlapping tensors accepted: \(tally.overlapping.prefix(10))")
        #expect(tally.cases >= 100)
        #expect(tally.rejectedAt["open", default: 0] > 0 && tally.accepted > 0, "the mutations should both break and spare files")
    }

    @Test("the real SmolLM2 header: mutated metadata and tensor table are refused by name or load")
    func smolLM2Header() throws {
        let real = try Data(contentsOf: URL(fileURLWithPath: DefaultModel.path), options: .alwaysMapped)
        let file = try GGUFFile(path: DefaultModel.path)
        let header = Array(real.prefix(file.dataOffset))
        let dataBytes = real.count - file.dataOffset
        let mutator = GGUFMutator(seed: header)
        #expect(mutator.map.dataStart == file.dataOffset, "the field map walks the real header")
        let scratch = FuzzScratch("smollm2")
        let budget = FuzzBudget(defaultCases: 300, share: 0.35)
        var random = FuzzRandom(seed: budget.seed ^ 0x5a01)
        var tally = FuzzTally()
        let watchdog = FuzzWatchdog()
        defer { watchdog.stop() }
        var index = 0
        while budget.allows(index) {
            let (bytes, what) = mutator.mutate(&random)
            let name = "case-\(index)-smollm2.gguf"
            // The tensor data is a hole of zeros (no bytes written), unless the mutation cut the file.
            let size = what.contains("truncated") ? 0 : bytes.count + dataBytes
            let path = scratch.write(bytes, name: name, extendingTo: size)
            let description = "\(name): \(what)"
            watchdog.begin(description)
            let started = ContinuousClock.now
            GGUFPipeline.run(path: path, full: false, tally: &tally, label: description)
            tally.slowest = max(tally.slowest, .now - started)
            watchdog.end()
            scratch.remove(path)
            tally.cases += 1
            index += 1
        }
        print("GGUF fuzz, SmolLM2 header (seed \(budget.seed)): \(tally)")
        #expect(tally.unnamed.isEmpty, "errors without the file's name: \(tally.unnamed.prefix(10))")
        #expect(tally.overlapping.isEmpty, "overlapping tensors accepted: \(tally.overlapping.prefix(10))")
        #expect(tally.cases >= 20)
    }
}
