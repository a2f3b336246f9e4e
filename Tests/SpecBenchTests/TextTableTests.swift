import Foundation
import SpecBench
import SpecCore
import Testing

/// Tables that fit: titles and units on separate lines, short draft names,
/// columns left out (and named) until the table fits, everything with no width.
@Suite struct TextTableTests {
    static var wideTable: ResultTable {
        var t = ResultTable(columns: DraftDepthExperiment.columns)
        for (i, draft) in ["self:2", "/home/u/.cache/spectree/models/Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf", "self:24"].enumerated() {
            t.append([.text(draft), .integer(4 * i + 2), .text("full"), .integer(4), .number(0), .number(12.345), .number(61.2), .number(0.2), .number(0.51),
                      .number(2.2), .number(12.3), .number(10.1), .number(1.22), .number(1.3)])
        }
        return t
    }

    @Test func titlesAndUnitsAreOnTwoLines() {
        let lines = TextTable(Self.wideTable).render(width: nil).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("draft") && lines[0].contains("speedup") && !lines[0].contains("("))
        #expect(lines[1].contains("ms/token") && lines[1].contains("ms/call") && lines[1].contains("×"))
        #expect(lines[2].allSatisfy { $0 == "─" || $0 == " " })
        #expect(lines[4].hasPrefix("Qwen2.5-Coder-0.5B-Instruct "), "file stem: \(lines[4])")
    }

    @Test(arguments: [100, 80, 60])
    func narrowWidthsLeaveOutTheLeastImportantColumnsAndSaySo(width: Int) {
        let text = TextTable(Self.wideTable, droppable: DraftDepthExperiment.droppable).render(width: width)
        let lines = text.split(separator: "\n").map(String.init)
        let table = lines.dropLast()
        #expect(table.allSatisfy { $0.count <= width } || width < 70, "\(text)")
        #expect(lines.last?.hasPrefix("(left out to fit \(width) columns: T") == true, "\(lines.last ?? "")")
        #expect(lines[0].contains("speedup") && lines[0].contains("predicted") && lines[0].contains("α"), "the figures that matter stay")
    }

    @Test func aTableThatFitsIsUntouched() {
        var t = ResultTable(columns: [.init("draft", "draft"), .init("x", "x", unit: "ms")])
        t.append([.text("self:8"), .number(1.5)])
        let text = TextTable(t, droppable: ["x"]).render(width: 100)
        #expect(text == "draft      x\n          ms\n──────  ────\nself:8  1.50\n")
    }

    @Test(arguments: [("/a/b/Qwen2.5-Coder-1.5B-Instruct.Q4_K_M.gguf", "Qwen2.5-Coder-1.5B-Instruct"), ("pruned.gguf", "pruned"),
                      ("self:8", "self:8"), ("ngram:3", "ngram:3"), ("qwen2.5-coder-0.5b", "qwen2.5-coder-0.5b"), ("/x/model-F16.gguf", "model")])
    func draftNamesAreShort(spec: String, short: String) {
        #expect(DraftName.short(spec) == short)
    }
}
