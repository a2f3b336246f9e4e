import Foundation
import SpecCore
import Testing

@Suite struct ResultTableTests {
    static func sample() -> ResultTable {
        var t = ResultTable(columns: [.init("name", "name"), .init("rate", "rate", unit: "tokens/s", decimals: 1), .init("n", "n", decimals: 0)])
        t.append([.text("a, \"quoted\""), .number(12.345), .integer(3)])
        t.append([.text("longer name"), .number(7), .integer(10)])
        return t
    }

    @Test func textIsAlignedWithUnits() {
        let lines = Self.sample().renderText().split(separator: "\n").map(String.init)
        // Widths: 11 (the widest name), 15 (the heading), 2; numbers right-aligned.
        #expect(lines[0] == "name" + String(repeating: " ", count: 7 + 2) + "rate (tokens/s)" + "   n")
        #expect(lines[1] == String(repeating: "─", count: 11) + "  " + String(repeating: "─", count: 15) + "  ──")
        #expect(lines[2] == "a, \"quoted\"" + String(repeating: " ", count: 2 + 11) + "12.3" + "   3")
        #expect(lines[3] == "longer name" + String(repeating: " ", count: 2 + 12) + "7.0" + "  10")
    }

    @Test func csvQuotesAndKeepsFullPrecision() {
        #expect(Self.sample().renderCSV() == "name,rate,n\n\"a, \"\"quoted\"\"\",12.345,3\nlonger name,7.0,10\n")
    }

    @Test func jsonParsesWithOneObjectPerRow() throws {
        let rows = try JSONSerialization.jsonObject(with: Data(Self.sample().renderJSON().utf8)) as! [[String: Any]]
        #expect(rows.count == 2)
        #expect(rows[0]["name"] as? String == "a, \"quoted\"")
        #expect(rows[0]["rate"] as? Double == 12.345)
        #expect(rows[1]["n"] as? Int == 10)
        #expect(ResultTable(columns: [.init("a", "a")]).renderJSON() == "[]\n")
    }

    @Test func markdownHasAHeaderAndARowEach() {
        let lines = Self.sample().renderMarkdown().split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0] == "| name | rate (tokens/s) | n |")
        #expect(lines[1] == "| --- | ---: | ---: |")
        #expect(lines[3] == "| longer name | 7.0 | 10 |")
    }
}
