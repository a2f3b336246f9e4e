import Foundation
import SpecBench
import SpecCore
import SpecModels
import Testing

@Suite struct ResultWriterTests {
    static let columns: [ResultTable.Column] = [.init("name", "name"), .init("rate", "rate", unit: "tokens/s", decimals: 1), .init("n", "n", decimals: 0)]

    @Test func theWriterRewritesFilesAfterEveryRow() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-writer-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let csv = dir + "/r.csv", json = dir + "/r.json"
        let writer = try ResultWriter(columns: Self.columns, csv: csv, json: json, markdown: nil)
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == "name,rate,n\n", "created before any row")
        try writer.append([.text("x"), .number(1.5), .integer(2)])
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == "name,rate,n\nx,1.5,2\n")
        let rows = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [[String: Any]]
        #expect(rows.count == 1)
    }

    @Test func anUnwritablePathFailsAtOnce() {
        do {
            _ = try ResultWriter(columns: Self.columns, csv: "/nonexistent-dir/x.csv", json: nil, markdown: nil)
            Issue.record("no error")
        } catch {
            #expect(error.description == "cannot write /nonexistent-dir/x.csv: the folder /nonexistent-dir does not exist")
        }
    }}

@Suite struct ExperimentLogicTests {
    @Test func overheadFitKeepsInterceptAndSlopeNonNegative() {
        let line = TuneExperiment.fitOverhead([(x: 4, y: 3e-3), (x: 20, y: 7e-3)])
        #expect(abs(line.perStep - 2e-3) < 1e-12 && abs(line.perNode - 0.25e-3) < 1e-12)
        let falling = TuneExperiment.fitOverhead([(x: 4, y: 5e-3), (x: 20, y: 1e-3)])
        #expect(abs(falling.perStep - 3e-3) < 1e-12 && falling.perNode == 0, "a negative slope: the mean")
        let throughOrigin = TuneExperiment.fitOverhead([(x: 10, y: 1e-3), (x: 20, y: 4e-3)])
        #expect(throughOrigin.perStep == 0 && abs(throughOrigin.perNode - (10e-3 + 80e-3) / 500) < 1e-12)
        #expect(TuneExperiment.fitOverhead([(x: 5, y: -1e-3)]) == (0, 0))
    }

    static func row(_ draft: String, ms: Double, alpha: Double, rate: Double) -> DraftDepthExperiment.Row {
        DraftDepthExperiment.Row(draft: draft, layers: 1, draftSecondsPerToken: ms / 1e3, targetSecondsPerCall: 0.01, acceptanceRate: alpha,
                                 blockEfficiency: 1, tokensPerSecond: rate, plainTokensPerSecond: 100, depth: 4)
    }

    @Test func theConclusionNamesWhatCorrelatesMore() {
        // Speedup falls with latency exactly; α barely matters.
        let latency = DraftDepthExperiment.conclusion([Self.row("a", ms: 1, alpha: 0.5, rate: 150), Self.row("b", ms: 2, alpha: 0.7, rate: 120),
                                                       Self.row("c", ms: 3, alpha: 0.4, rate: 90)])
        #expect(latency.contains("r = -1.00") && latency.contains("draft latency decides"), "\(latency)")
        #expect(latency.contains("best: a at 1.50×"))
        let acceptance = DraftDepthExperiment.conclusion([Self.row("a", ms: 1, alpha: 0.2, rate: 90), Self.row("b", ms: 3, alpha: 0.5, rate: 120),
                                                          Self.row("c", ms: 2, alpha: 0.8, rate: 150)])
        #expect(acceptance.contains("acceptance decides"), "\(acceptance)")
        #expect(DraftDepthExperiment.conclusion([Self.row("a", ms: 1, alpha: 0.2, rate: 90)]).contains("too few"))
        // Speedup rises with latency and falls with α: neither explains it.
        let neither = DraftDepthExperiment.conclusion([Self.row("a", ms: 1, alpha: 0.8, rate: 90), Self.row("b", ms: 2, alpha: 0.5, rate: 120),
                                                       Self.row("c", ms: 3, alpha: 0.2, rate: 150)])
        #expect(neither.contains("neither decides clearly"), "\(neither)")
    }

    @Test func shapesPrintAsRunOptions() {
        #expect(DraftShape.rsdC(branching: [3, 2, 1]).commandLineOptions == ["--method", "rsd-c", "--branching", "3,2,1"])
        #expect(DraftShape.dynamic(budget: 8, width: 4, depth: 6).commandLineOptions
                == ["--method", "dynamic", "--budget", "8", "--width", "4", "--depth", "6"])
        #expect(DraftShape.rsdS(width: 4, depth: 5).commandLineOptions == ["--method", "rsd-s", "--width", "4", "--depth", "5"])
        #expect(DraftShape.chain(depth: 3).label == "chain L=3")
    }
}

@Suite struct ProgressReporterTests {
    @Test func etaReadsAsMinutesAndSeconds() {
        #expect(ProgressText.duration(8.2) == "8s")
        #expect(ProgressText.duration(75) == "1m15s")
        #expect(ProgressText.duration(3600) == "60m00s")
    }
}

@Suite struct TuneMedianTests {
    @Test func medianOfOddAndEvenCounts() {
        #expect(TuneExperiment.median([5, 1, 3]) == 3)
        #expect(TuneExperiment.median([4, 1, 3, 2]) == 2.5)
        #expect(TuneExperiment.median([]) == 0)
    }
}

@Suite struct ScalingTests {
    @Test func tablesScaleAndRatiosSum() {
        let f = PiecewiseLinear(points: [(1, 2), (3, 6)]).scaled(by: 1.5)
        #expect(f(1) == 3 && f(2) == 6 && f(3) == 9)
        #expect(TuneExperiment.ratio([3, 5], [2, 2]) == 2)
        #expect(TuneExperiment.ratio([3], [0]) == 1)
    }
}
