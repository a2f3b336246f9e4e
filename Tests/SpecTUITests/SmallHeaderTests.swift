import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// At 80×24 the header keeps the method, the shape and the temperature (and
/// the run mode); the model names are abbreviated first.
@Suite struct SmallHeaderTests {
    static func header(target: String, draft: String, shape: String, settings: SessionSettings, mode: SessionMode = .running) -> HeaderState {
        var model = ScreenModel()
        model.apply([.configured(SessionInfo(target: target, draft: draft, shape: shape, sampling: settings.sampling, budget: settings.budget,
                                             settings: settings, layerCount: 28, vocabularySize: 151936)),
                     .mode(mode)])
        return model.state.header
    }

    static let pair = header(target: "Qwen2.5-Coder-1.5B-Instruct", draft: "Qwen2.5-Coder-0.5B-Instruct (24 layers)",
                             shape: "rsd-s W=2 L=4",
                             settings: SessionSettings(draft: "/root/.cache/spectree/models/Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf",
                                                       method: .rsdS, width: 2, depth: 4, sampling: SamplingParameters(temperature: 0.7)))

    @Test func eightyColumnsKeepMethodShapeAndTemperature() {
        let g = render(80, 24) { HeaderView.draw(Self.pair, into: &$0, in: Rect(x: 0, y: 0, width: 80, height: 1)) }
        let row = g.rows[0]
        #expect(row.contains("rsd-s W=2 L=4"), "\(row)")
        #expect(row.contains("T=0.70"), "\(row)")
        #expect(row.hasSuffix(" running ┐"), "\(row)")
        #expect(row.contains("Qwen2.5-C…"), "the target is abbreviated, not dropped: \(row)")
        #expect(DisplayWidth.of(row) == 80)
    }

    @Test func theWholeScreenAt80x24KeepsThemToo() {
        var state = ScreenState.sample()
        state.header = Self.pair
        let g = render(80, 24) { Screen.draw(state, into: &$0) }
        #expect(g.rows[0].contains("rsd-s W=2 L=4") && g.rows[0].contains("T=0.70"), "\(g.rows[0])")
    }

    @Test func whatGivesWayComesInOrder() {
        let h = Self.pair
        let full = HeaderView.details(h, fitting: .max)
        let withoutKnobs = "Qwen2.5-Coder-1.5B-Instruct · Qwen2.5-Coder-0.5B-Instruct (24 layers) · rsd-s W=2 L=4 · nodes 8/63 · T=0.70"
        #expect(full == withoutKnobs + " · vocab full")
        // A little short: the draft's knobs go first, then the target is cut.
        #expect(HeaderView.details(h, fitting: DisplayWidth.of(withoutKnobs)) == withoutKnobs)
        let a = HeaderView.details(h, fitting: DisplayWidth.of(withoutKnobs) - 10)
        #expect(a.hasPrefix("Qwen2.5-Coder-1.…") && a.contains("nodes 8/63") && a.contains("(24 layers)"), "\(a)")
        // Shorter: the node count goes, then the draft's short form.
        let b = HeaderView.details(h, fitting: 60)
        #expect(b.hasPrefix("Qwen2.5-C… · ") && !b.contains("nodes"), "\(b)")
        #expect(b.contains("rsd-s W=2 L=4 · T=0.70") && DisplayWidth.of(b) <= 60, "\(b)")
        // Very short: the models go, method and temperature stay.
        let c = HeaderView.details(h, fitting: 24)
        #expect(c == "rsd-s W=2 L=4 · T=0.70", "\(c)")
    }
}
