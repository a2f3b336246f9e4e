extension KeyMap {
    /// Commands only a replay has (going back, seeking, speed): bound in `replay`, not in `standard`.
    public static let replayOnly: Set<UICommand> = [.stepBack, .seekFirst, .seekLast, .seekTo, .faster, .slower]

    /// The keys of `spectree replay`: play, pause, step forward and back, seek,
    /// speed, and the view keys; the tuning keys (width, depth, method,
    /// temperature, draft, budget, verifier, prompt, tune) are not there, so
    /// the status line and help show only what works in a replay.
    public static let replay = KeyMap([
        KeyBinding(.togglePause, [.character(" "), .character("p")], help: "play / pause", status: "play", rank: 2),
        KeyBinding(.step, [.character("n"), .right], help: "one step forward, then pause", status: "step", rank: 3),
        KeyBinding(.stepBack, [.character("N"), .left, .character("b")], help: "one step back (rebuilt from the trace)", status: "back", rank: 3),
        KeyBinding(.stepDecision, [.character("v")], help: "one verification decision", status: "decision", rank: 6),
        KeyBinding(.slower, [.character("-"), .character("_")], help: "play slower", status: "speed", rank: 4),
        KeyBinding(.faster, [.character("+"), .character("=")], help: "play faster", status: "speed", rank: 4),
        KeyBinding(.seekTo, [.character(":"), .character("#")], help: "go to step N (type it, Enter)", status: "go to", rank: 5),
        KeyBinding(.seekFirst, [.home], help: "first step", rank: 30),
        KeyBinding(.seekLast, [.end], help: "last step", rank: 30),
        KeyBinding(.toggleHistory, [.character("g")], help: "history graphs (last steps)", status: "graphs", rank: 8),
        KeyBinding(.toggleComparison, [.character("C")], help: "verifiers compared on one draft", status: "compare", rank: 9),
        KeyBinding(.themeNext, [.character("c")], help: "next colour theme", status: "theme", rank: 13),
        KeyBinding(.toggleStepBoundaries, [.character("s")], help: "step boundaries in the text", status: "steps", rank: 14),
        KeyBinding(.scrollUp, [.up, .character("k")], help: "scroll the tree up", rank: 30),
        KeyBinding(.scrollDown, [.down, .character("j")], help: "scroll the tree down", rank: 30),
        KeyBinding(.pageUp, [.pageUp], help: "tree a page up", rank: 30),
        KeyBinding(.pageDown, [.pageDown], help: "tree a page down", rank: 30),
        KeyBinding(.scrollFollow, [.character("f")], help: "tree follows the accepted path", rank: 30),
        KeyBinding(.redraw, [.character("\u{0C}")], help: "repaint the screen", rank: 30),
        KeyBinding(.dismiss, [.escape], help: "close help / dismiss error", rank: 30),
        KeyBinding(.help, [.character("?"), .character("h"), .function(1)], help: "this help", status: "help", rank: 0),
        KeyBinding(.quit, [.character("q"), .character("Q")], help: "quit", status: "quit", rank: 1),
    ])
}
