import Testing
import SpecTUI

@Suite struct KeyMapTests {
    let map = KeyMap.standard

    @Test func everyCommandHasAKeyAndAppearsInTheHelp() {
        let help = map.helpLines
        for command in UICommand.allCases where !KeyMap.replayOnly.contains(command) {
            let binding = map.binding(for: command)
            #expect(binding != nil && !binding!.keys.isEmpty, "\(command) has no key")
            guard let b = binding else { continue }
            for key in b.keys { #expect(map.command(for: key) == command, "\(key.label)") }
            #expect(help.contains { $0.help == b.help && $0.keys.contains(b.keys[0].label) }, "\(command) not in help")
        }
    }

    @Test func replayCommandsHaveKeysInTheReplayMap() {
        for command in KeyMap.replayOnly {
            #expect(map.binding(for: command) == nil && KeyMap.replay.binding(for: command)?.keys.isEmpty == false, "\(command)")
        }
    }

    @Test func noKeyIsBoundTwice() {
        var seen: [KeyCode: UICommand] = [:]
        for b in map.bindings {
            for k in b.keys {
                #expect(seen[k] == nil, "\(k.label) bound to \(seen[k]!) and \(b.command)")
                seen[k] = b.command
            }
        }
    }

    @Test func statusLineFitsEightyColumns() {
        // Inside the bottom border of an 80-column screen: 76 columns.
        let text = map.statusText(width: 76)
        #expect(DisplayWidth.of(text) <= 76)
        #expect(text.hasPrefix("space pause · n step · v decision · +/- width · [/] depth"), "\(text)")
        #expect(text.contains("? help") && text.contains("q quit"))
        // Narrower: less important items go first, help and quit stay.
        let narrow = map.statusText(width: 30)
        #expect(DisplayWidth.of(narrow) <= 30)
        #expect(narrow.contains("? help") && narrow.contains("q quit"), "\(narrow)")
        // The drawn status line is the first footer page: what fits, then `Tab more`.
        let page = map.statusPage(0, fitting: 76).map { "\($0.keys) \($0.word)" }.joined(separator: " · ")
        #expect(page.hasPrefix("space pause · n step · v decision · +/- width") && page.hasSuffix("Tab more"), "\(page)")
        let g = render(80, 1) { StatusLineView.draw(keyMap: map, message: nil, into: &$0, in: $0.bounds) }
        #expect(g.rows[0].hasPrefix("└ " + page + " "))
        #expect(g.rows[0].hasSuffix("┘"))
        #expect(g[2, 0].style.foreground == .title && g[2, 0].style.background == .statusBg)
    }

    @Test func keyLabels() {
        #expect(KeyCode.character(" ").label == "space")
        #expect(KeyCode.character("\u{0C}").label == "^L")
        #expect(KeyCode.up.label == "↑")
        #expect(KeyCode.function(1).label == "F1")
        #expect(map.command(for: .character("q")) == .quit)
        #expect(map.command(for: .escape) == .dismiss)
        #expect(map.command(for: .character("€")) == nil)
    }
}
