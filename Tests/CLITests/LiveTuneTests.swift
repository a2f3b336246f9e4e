import Foundation
import Testing

/// The in-session tune end to end: `spectree run` in tmux, `a` tunes on the
/// live settings, the banner shows the suggestion, `A` applies it and the
/// header shows the new shape; the recorded trace replays the suggestion and
/// refuses to tune.
@Suite(.serialized, .enabled(if: TmuxPane.available, "needs tmux"))
struct LiveTuneTests {
    static func bannerRow(_ rows: [String]) -> String { rows.count > 1 ? rows[1] : "" }

    /// The shape named by a suggestion banner: `◆ tune: SHAPE beats plain · …` or
    /// `◆ tune: plain decoding beats the best tree, SHAPE · …`.
    static func suggestedShape(_ banner: String) -> String? {
        if let start = banner.range(of: "the best tree, "), let end = banner.range(of: " · ", range: start.upperBound..<banner.endIndex) {
            return String(banner[start.upperBound..<end.lowerBound])
        }
        guard let start = banner.range(of: "tune: "), let end = banner.range(of: " beats plain") else { return nil }
        return String(banner[start.upperBound..<end.lowerBound])
    }

    @Test func aTunesTheLiveSessionAndAAppliesTheSuggestion() throws {
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-tune-e2e-\(getpid()).jsonl").path
        // Wide enough for a suggestion with p-min (`chain L=6 p-min 0.5`) and its measured figures.
        let pane = try TmuxPane(LiveScreenTests.commandLine(["run", "--draft", "self:2", "--max-tokens", "4000", "--record", trace]),
                                width: 160)
        let dump = { pane.capture().joined(separator: "\n") }
        try #require(pane.wait(seconds: 60) { $0.contains { $0.contains("tree (step") } && $0.joined().contains("tok/s") } != nil,
                     "no tree within 60 s:\n\(dump())")

        try pane.keys("a")
        #expect(pane.wait(seconds: 20) { Self.bannerRow($0).contains("◆ tuning…") } != nil, "no tuning banner:\n\(dump())")
        // `A` applies the tree whether it beats plain decoding or not; the banner says which.
        let suggested = pane.wait(seconds: 90) {
            Self.bannerRow($0).contains("A apply · Esc dismisses") || Self.bannerRow($0).contains("A applies the tree anyway")
        }
        let rows = try #require(suggested, "no suggestion within 90 s:\n\(dump())")
        let suggestion = try #require(Self.suggestedShape(Self.bannerRow(rows)), "\(Self.bannerRow(rows))")
        // The header shows the shape; a suggested p-min shows with the draft's knobs.
        let shape = suggestion.components(separatedBy: " p-min").first ?? suggestion
        // The measured figures follow the verdict (cut first when the banner is narrow).
        #expect(Self.bannerRow(rows).contains("tok/s") || Self.bannerRow(rows).contains("measure"))
        // Decoding went on after the tune.
        #expect(rows.contains { $0.contains("tree (step") })

        try pane.keys("A")
        let applied = pane.wait(seconds: 15) { LiveScreenTests.header($0).contains(" · \(shape) · ") && !Self.bannerRow($0).contains("A appl") }
        #expect(applied != nil, "the header does not show \(shape):\n\(dump())")

        try pane.keys("q")
        #expect(pane.wait(seconds: 15) { $0.contains("SPECTREE_EXIT=0") } != nil, "\(dump())")

        // The replay shows the recorded suggestion and cannot tune (wider: the replay badge takes room in the header).
        let replay = try TmuxPane(LiveScreenTests.commandLine(["replay", trace, "--speed", "0"]), width: 160)
        let played = replay.wait(seconds: 30) { LiveScreenTests.header($0).contains("done") }
        #expect(played.map { Self.bannerRow($0).contains("tune: ") && Self.bannerRow($0).contains(suggestion) } == true,
                "\(replay.capture().joined(separator: "\n"))")
        #expect(played.map { LiveScreenTests.header($0).contains(" · \(shape) · ") } == true, "the trace has the change")
        // A replay's keys have no tuning: `a` is not offered, and pressing it starts nothing.
        #expect(played.map { $0.last { $0.hasPrefix("└") }?.contains(" tune") == false } == true, "\(replay.capture().joined(separator: "\n"))")
        try replay.keys("a")
        #expect(replay.wait(seconds: 2) { $0.joined().contains("tune: starting") } == nil, "\(replay.capture().joined(separator: "\n"))")
        try replay.keys("q")
        #expect(replay.wait(seconds: 10) { $0.contains("SPECTREE_EXIT=0") } != nil)
    }
}
