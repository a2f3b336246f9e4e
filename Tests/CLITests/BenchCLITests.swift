import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `spectree bench draft-depth`, `bench methods` and `tune` run as a user
/// would, with `--quick` and few tokens: files parse, one row per
/// configuration, no missing values; bad inputs fail before the sweep.
@Suite(.serialized) struct BenchCLITests {
    static func path(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("spectree-bench-\(getpid())-\(name)").path
    }

    /// RFC 4180 rows (quoted fields may hold commas and doubled quotes).
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { row.append(field); field = ""
            } else if c == "\n" { row.append(field); rows.append(row); row = []; field = ""
            } else { field.append(c) }
        }
        return rows
    }

    /// Checks the CSV and JSON files hold `rows` complete rows with the same keys; returns the JSON rows.
    static func checkFiles(csv: String, json: String, rows: Int) throws -> [[String: Any]] {
        let table = parseCSV(try String(contentsOfFile: csv, encoding: .utf8))
        #expect(table.count == rows + 1, "header + one row per configuration")
        let header = table[0]
        for row in table.dropFirst() {
            #expect(row.count == header.count)
            #expect(row.allSatisfy { !$0.isEmpty }, "no missing values: \(row)")
        }
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [[String: Any]])
        #expect(objects.count == rows)
        for object in objects {
            #expect(Set(object.keys) == Set(header))
            #expect(object.values.allSatisfy { !($0 is NSNull) }, "no null values")
        }
        return objects
    }

    @Test func draftDepthQuickWritesOneRowPerDraft() throws {
        let csv = Self.path("dd.csv"), json = Self.path("dd.json"), svg = Self.path("dd.svg")
        let r = try CLITests.run(["bench", "draft-depth", "--quick", "--tokens", "8", "--csv", csv, "--json", json, "--plot", svg])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try Self.checkFiles(csv: csv, json: json, rows: 4)
        #expect(rows.map { $0["draft"] as? String } == ["self:2", "self:8", "self:16", "self:24"])
        for row in rows {
            #expect((row["draft_ms_per_token"] as? Double ?? 0) > 0 && (row["target_ms_per_call"] as? Double ?? 0) > 0)
            #expect((row["tokens_per_s"] as? Double ?? 0) > 0 && (row["plain_tokens_per_s"] as? Double ?? 0) > 0)
            let alpha = row["acceptance_rate"] as? Double ?? -1
            #expect(alpha >= 0 && alpha <= 1)
            #expect((row["predicted_speedup"] as? Double ?? 0) > 0)
        }
        #expect(r.stdout.contains("ms/token") && r.stdout.contains("ms/call"), "units in the table's second header line")
        #expect(r.stdout.contains("conclusion: over 4 drafts"), "\(r.stdout)")
        Self.checkFits(r.stdout)
        #expect(r.stdout.contains("speedup by prompt kind"), "\(r.stdout)")
        let chart = try Self.readSVG(svg)
        #expect(chart.marks.count == 2 * 2 * 4, "measured and predicted per draft, two panels")
        #expect(chart.labels.filter { $0 == "self:8" }.count == 2)
        #expect(chart.axisTitles.contains("acceptance rate α") && chart.axisTitles.contains("speedup over plain decoding (×)"))
        #expect(chart.title.lowercased().contains("smollm2") && chart.title.contains("core"), "model and machine: \(chart.title)")
    }

    /// What a chart file holds, read back with XMLParser.
    struct ChartFile { var marks: [[String: String]] = []; var cells = 0; var labels: [String] = []; var axisTitles: [String] = []; var title = "" }

    static func readSVG(_ path: String) throws -> ChartFile {
        final class Reader: NSObject, XMLParserDelegate {
            var file = ChartFile(), open: [String] = [], text = "", failed = false
            func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                let cls = attributes["class"] ?? ""
                if name == "circle" && cls == "mark" { file.marks.append(attributes) }
                if name == "rect" && cls == "cell" { file.cells += 1 }
                open.append(cls)
                text = ""
            }
            func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                switch open.removeLast() {  // the parser may hand one text over in pieces
                case "point-label": file.labels.append(text)
                case "axis-title": file.axisTitles.append(text)
                case "subtitle": file.title = text
                default: break
                }
                text = ""
            }
            func parser(_ p: XMLParser, foundCharacters s: String) { text += s }
            func parser(_ p: XMLParser, parseErrorOccurred e: Error) { failed = true }
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let parser = XMLParser(data: data), reader = Reader()
        parser.delegate = reader
        #expect(parser.parse() && !reader.failed, "well-formed XML")
        return reader.file
    }

    /// Table lines (those with column gaps) fit 100 columns, the width off a terminal.
    static func checkFits(_ stdout: String) {
        for line in stdout.split(separator: "\n") where line.contains("  ") {
            #expect(line.count <= 100, "\(line.count) columns: \(line)")
        }
    }

    @Test func methodsQuickWritesEveryMethodBudgetAndTemperature() throws {
        let csv = Self.path("m.csv"), json = Self.path("m.json"), md = Self.path("m.md"), svg = Self.path("m.svg")
        let r = try CLITests.run(["bench", "methods", "--quick", "--tokens", "6", "--csv", csv, "--json", json, "--markdown", md, "--plot", svg])
        #expect(r.status == 0, "\(r.stderr)")
        // Budget 4 at depth 4: every method drafts the same chain, run once as "all".
        let rows = try Self.checkFiles(csv: csv, json: json, rows: 2 * (1 + 4))
        #expect(Set(rows.compactMap { $0["method"] as? String }) == ["all", "chain", "specinfer", "rsd-c", "rsd-s"])
        #expect(rows.filter { $0["budget"] as? Int == 4 }.allSatisfy { $0["method"] as? String == "all" })
        #expect(r.stdout.contains("budget 4: every method (chain, specinfer, rsd-c, rsd-s) drafts the same chain L=4"), "\(r.stdout)")
        #expect(r.stdout.contains("conclusion at T=0 (greedy): ") && r.stdout.contains("conclusion at T=1: "), "\(r.stdout)")
        #expect(r.stdout.contains("speedup by prompt kind at T=0"))
        Self.checkFits(r.stdout)
        let chart = try Self.readSVG(svg)
        #expect(chart.marks.count == 2 * rows.count, "block efficiency and speedup panels, one mark per row")
        #expect(chart.axisTitles.contains("target budget (tree tokens per call)"))
        #expect(Set(rows.compactMap { $0["temperature"] as? Double }) == [0, 1])
        #expect(Set(rows.compactMap { $0["budget"] as? Int }) == [4, 16])
        for row in rows {
            #expect((row["tree_tokens"] as? Int ?? 99) <= (row["budget"] as? Int ?? 0), "within the budget")
            #expect((row["block_efficiency_mean"] as? Double ?? 0) >= 1)
            #expect((row["tokens_per_s_sd"] as? Double ?? -1) >= 0)
        }
        let markdown = try String(contentsOfFile: md, encoding: .utf8)
        #expect(markdown.split(separator: "\n").count == 2 + 10)
    }

    @Test func tuneQuickSuggestsARunAndMeasuresIt() throws {
        let csv = Self.path("t.csv"), json = Self.path("t.json"), svg = Self.path("t.svg")
        let r = try CLITests.run(["tune", "--quick", "--tokens", "8", "--csv", csv, "--json", json, "--plot", svg])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try Self.checkFiles(csv: csv, json: json, rows: 2)
        for row in rows {
            #expect((row["predicted_tokens_per_s"] as? Double ?? 0) > 0)
            #expect((row["measured_tokens_per_s"] as? Double ?? 0) > 0)
        }
        #expect(rows.first?["rank"] as? Int == 1)
        let suggestion = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("suggestion: spectree run --draft self:8 --method ") })
        #expect(suggestion.hasSuffix("--temperature 0"))
        #expect(r.stdout.contains("predicted") && r.stdout.contains("measured"))
        #expect(r.stdout.contains("(c) self:8: acceptance by depth and sibling rank"))
        #expect(rows.allSatisfy { $0["draft"] as? String == "self:8" && ($0["predicted_speedup"] as? Double ?? 0) > 0 })
        let chart = try Self.readSVG(svg)
        #expect(chart.marks.count == 8 + 6, "the target's 8 and the draft's 6 measured sizes (--quick)")
        #expect(chart.cells >= 2, "the acceptance heat map")
        #expect(chart.axisTitles.contains("tokens evaluated in one call") && chart.axisTitles.contains("depth d"))
    }

    @Test func tuneSearchesOverSeveralDrafts() throws {
        let csv = Self.path("t2.csv"), json = Self.path("t2.json")
        let r = try CLITests.run(["tune", "--quick", "--tokens", "6", "--draft", "self:2", "--draft", "self:8", "--budget", "8",
                                  "--max-depth", "3", "--csv", csv, "--json", json])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try Self.checkFiles(csv: csv, json: json, rows: 2)
        #expect(rows.allSatisfy { ["self:2", "self:8"].contains($0["draft"] as? String ?? "") && ($0["tree_tokens"] as? Int ?? 99) <= 8 })
        #expect(r.stdout.contains("(c) self:2: acceptance") && r.stdout.contains("(c) self:8: acceptance"))
        let best = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("suggestion: spectree run --draft ") })
        #expect(best.contains("--draft \(rows[0]["draft"] as? String ?? "?") "), "the suggestion is the first validated row")
    }

    @Test func theSuggestedOptionsRun() throws {
        // The suggestion's options are generate's (and run's) speculative options.
        let r = try CLITests.run(["generate", "--max-tokens", "6", "--temperature", "0", "--json", "--draft", "self:8",
                                  "--method", "rsd-c", "--branching", "3,1"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test(arguments: [
        (["bench", "methods", "--budgets", "0"], "budget 0 is too small for any tree"),
        (["bench", "methods", "--budgets", "4,200"], "exceeds the 63 tree tokens"),
        (["tune", "--budget", "0"], "budget 0 is too small for any tree"),
        (["bench", "draft-depth", "--csv", "/nonexistent-dir/x.csv"], "cannot write /nonexistent-dir/x.csv"),
        (["bench", "methods", "--json", "/nonexistent-dir/x.json"], "cannot write /nonexistent-dir/x.json"),
        (["tune", "--markdown", "/nonexistent-dir/x.md"], "cannot write /nonexistent-dir/x.md"),
        (["bench", "draft-depth", "--prompts", "/nonexistent/prompts.json"], "/nonexistent/prompts.json: cannot read"),
        (["bench", "methods", "--methods", "beam"], "unknown method 'beam'"),
        (["tune", "--draft", "ngram:3"], "tune needs a draft model"),
        (["bench", "methods", "--plot", "/nonexistent-dir/x.svg"], "cannot write /nonexistent-dir/x.svg"),
        (["bench", "draft-depth", "--plot", "/nonexistent-dir/x.svg"], "cannot write /nonexistent-dir/x.svg"),
    ])
    func badInputsAreClearErrors(arguments: [String], phrase: String) throws {
        let start = Date()
        let r = try CLITests.run(arguments + ["--quick", "--tokens", "4"])
        #expect(r.status != 0)
        #expect(r.stderr.contains(phrase), "expected '\(phrase)' in: \(r.stderr)")
        #expect(!r.stderr.contains("progress "), "failed before the sweep: \(r.stderr)")
        #expect(Date().timeIntervalSince(start) < 30)
    }

    @Test(arguments: ["", "{\"prompts\": [", "{\"prompts\": []}"])
    func emptyOrMalformedPromptFilesAreClearErrors(text: String) throws {
        let file = try CLITests.temporaryFile("prompts-\(text.count).json", bytes: Array(text.utf8))
        let r = try CLITests.run(["bench", "draft-depth", "--prompts", file, "--quick"])
        #expect(r.status != 0)
        #expect(r.stderr.contains(file), "names the file: \(r.stderr)")
        #expect(r.stderr.contains("empty") || r.stderr.contains("malformed") || r.stderr.contains("no prompts"), "\(r.stderr)")
    }

    @Test func aPlainTextPromptFileAndALimitKeepWhatFinished() throws {
        let prompts = try CLITests.temporaryFile("prompts.txt", bytes: Array("Name three colours.\nCount to five.\n".utf8))
        let csv = Self.path("limit.csv"), json = Self.path("limit.json")
        let r = try CLITests.run(["bench", "draft-depth", "--prompts", prompts, "--layers", "2,4,6", "--tokens", "6",
                                  "--limit", "1", "--csv", csv, "--json", json])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("stopped after 1 of 3 configurations"))
        #expect(r.stdout.contains("× 2 prompts"))
        _ = try Self.checkFiles(csv: csv, json: json, rows: 1)
    }

    @Test func aDraftGGUFJoinsTheSweep() throws {
        let draft = Self.path("pruned.gguf")
        let prune = try CLITests.run(["prune", "--layers", "0-3", "-o", draft])
        #expect(prune.status == 0, "\(prune.stderr)")
        let prompts = try CLITests.temporaryFile("one-prompt.txt", bytes: Array("Name three colours.\n".utf8))
        let csv = Self.path("gguf.csv"), json = Self.path("gguf.json")
        let r = try CLITests.run(["bench", "draft-depth", "--prompts", prompts, "--layers", "2", "--draft", draft, "--tokens", "6",
                                  "--csv", csv, "--json", json])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try Self.checkFiles(csv: csv, json: json, rows: 2)
        #expect(rows[1]["draft"] as? String == draft)
        #expect(rows[1]["draft_layers"] as? Int == 4)
    }

    @Test func ctrlCStopsTheSweepAndKeepsFinishedRows() throws {
        let csv = Self.path("interrupt.csv"), json = Self.path("interrupt.json")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = ["bench", "draft-depth", "--layers", "1,2,3,4,5,6,7,8", "--quick", "--tokens", "6", "--csv", csv, "--json", json]
        let err = Pipe()
        process.standardOutput = Pipe()
        process.standardError = err
        try process.run()
        // Wait for the first finished configuration, then press Ctrl-C.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning,
              (try? String(contentsOfFile: csv, encoding: .utf8))?.split(separator: "\n").count ?? 0 < 2 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(process.isRunning, "still sweeping when interrupted")
        process.interrupt()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("interrupted:") && stderr.contains("of 8 configurations finished and were kept"), "\(stderr)")
        let rows = Self.parseCSV(try String(contentsOfFile: csv, encoding: .utf8)).count - 1
        #expect(rows >= 1 && rows < 8)
        _ = try Self.checkFiles(csv: csv, json: json, rows: rows)
    }
}
