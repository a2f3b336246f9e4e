import Foundation
import SpecModels
import Testing

/// A tmux server of its own (its own socket), driving the real binary in a
/// pane of a given size: keys in, screen text out.
final class TmuxPane {
    let socket: String
    let session = "spectree"

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    /// Starts `command` (a shell command line) in a detached `width` × `height` pane.
    init(_ command: String, width: Int = 120, height: Int = 40) throws {
        socket = "spectree-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command])
    }

    deinit {
        _ = try? tmux(["kill-server"])
        let dir = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        unlink("\(dir)/tmux-\(getuid())/\(socket)")
    }

    /// Runs a tmux command and waits for it; with `output`, returns what it printed.
    ///
    /// Spawned directly rather than with `Process`: the command that starts
    /// the server forks a daemon that would inherit `Process`'s exit-watching
    /// socket (so the exit is never seen) and the test thread's blocked
    /// signals (so the panes' programs could never be interrupted).
    @discardableResult
    func tmux(_ arguments: [String], output: Bool = false) throws -> String {
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-out").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output ? outPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = (["tmux", "-L", socket, "-f", "/dev/null"] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid = pid_t()
        let r = posix_spawn(&pid, "/usr/bin/tmux", &actions, &attributes, argv, environ)
        guard r == 0 else { throw POSIXError(POSIXErrorCode(rawValue: r) ?? .EINVAL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard output else { return "" }
        defer { unlink(outPath) }
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }

    /// The pane's text, one string per row.
    func capture() -> [String] {
        ((try? tmux(["capture-pane", "-p", "-t", session], output: true)) ?? "").components(separatedBy: "\n")
    }

    func keys(_ keys: String...) throws { try tmux(["send-keys", "-t", session] + keys) }

    func resize(_ width: Int, _ height: Int) throws { try tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"]) }

    /// Polls the pane every 100 ms until `condition` holds of its rows; returns them, or nil after `seconds`.
    func wait(seconds: Double = 30, _ condition: ([String]) -> Bool) -> [String]? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let rows = capture()
            if condition(rows) { return rows }
            usleep(100_000)
        }
        return nil
    }
}

/// The live screen end to end: `spectree run` on the default model in a real
/// terminal (tmux), keys, resizes, quitting, and replaying the trace it recorded.
@Suite(.serialized, .enabled(if: TmuxPane.available, "needs tmux"))
struct LiveScreenTests {
    static func shellQuoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The tests' own configuration home, so remembered settings never leak
    /// between tests or into the user's `~/.config/spectree`.
    static let configHome = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-e2e-config-\(getpid())").path

    /// A shell command line that runs spectree with the test's environment
    /// (in `directory` when given), then reports its exit status and the
    /// terminal's modes, and stays open.
    static func commandLine(_ arguments: [String], in directory: String? = nil, configHome: String = configHome) -> String {
        let env = ProcessInfo.processInfo.environment
        var vars = ["SPECTREE_MODELS=" + shellQuoted(DefaultModel.directory), "TERM=tmux-256color",
                    "XDG_CONFIG_HOME=" + shellQuoted(configHome)]
        if let core = env["OPENBLAS_CORETYPE"] { vars.append("OPENBLAS_CORETYPE=" + shellQuoted(core)) }
        let run = ([CLITests.binary] + arguments).map(shellQuoted).joined(separator: " ")
        let cd = directory.map { "cd \(shellQuoted($0)) && " } ?? ""
        return "\(cd)env \(vars.joined(separator: " ")) \(run); echo SPECTREE_EXIT=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e '-\\?icanon' -e '-\\?echo' | tr '\\n' ' '; echo; sleep 120"
    }

    static func header(_ rows: [String]) -> String { rows.first ?? "" }

    @Test func runShowsTheTreeTakesKeysResizesAndRestoresTheTerminal() throws {
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-e2e-\(getpid()).jsonl").path
        let pane = try TmuxPane(Self.commandLine(["run", "--record", trace]))

        // A tree with verdicts and generated text appear.
        let first = pane.wait(seconds: 60) { rows in
            rows.contains { $0.contains("tree (step") } && rows.contains { $0.contains(" q.") && ($0.contains("✓") || $0.contains("✗")) }
                && rows.joined().contains("Tell me a short story") && rows.joined().contains("tok/s")
        }
        try #require(first != nil, "no tree and text within 60 s:\n\(pane.capture().joined(separator: "\n"))")
        #expect(Self.header(first!).contains("rsd-s W=2 L=4"))
        #expect(Self.header(first!).contains("running"))

        // n: one step, then paused.
        try pane.keys("n")
        #expect(pane.wait(seconds: 10) { Self.header($0).contains("paused") } != nil, "\(pane.capture().joined(separator: "\n"))")
        // v: one decision at a time, with the decision pane and the node under test.
        try pane.keys("v")
        let decision = pane.wait(seconds: 10) { rows in
            Self.header(rows).contains("one decision") && rows.contains { $0.contains("◀") } && rows.contains { $0.contains("min(1,p/q)") }
        }
        #expect(decision != nil, "\(pane.capture().joined(separator: "\n"))")
        // +: the width grows at the next step boundary, which the header shows.
        try pane.keys("+")
        #expect(pane.wait(seconds: 10) { Self.header($0).contains("rsd-s W=3 L=4") } != nil, "\(pane.capture().joined(separator: "\n"))")
        try pane.keys("Space")
        #expect(pane.wait(seconds: 10) { Self.header($0).contains("running") } != nil)
        // c: the next theme, named in the status line.
        try pane.keys("c")
        #expect(pane.wait(seconds: 10) { $0.contains { $0.hasPrefix("└") && $0.contains("theme: ") } } != nil,
                "\(pane.capture().joined(separator: "\n"))")
        // i: a new prompt typed in the status line restarts the text from it.
        try pane.keys("i")
        try pane.tmux(["send-keys", "-t", pane.session, "-l", "Name three rivers."])
        #expect(pane.wait(seconds: 10) { $0.contains { $0.contains("prompt: Name three rivers.▏") } } != nil)
        try pane.keys("Enter")
        #expect(pane.wait(seconds: 30) { rows in
            rows.contains { $0.contains("│ Name three rivers.") } && !rows.joined().contains("Tell me a short story")
                && rows.contains { $0.contains("tree (step") }
        } != nil, "\(pane.capture().joined(separator: "\n"))")

        // Resizes: a smaller layout, then the enlarge-the-window message, then back.
        try pane.resize(60, 20)
        let small = pane.wait(seconds: 10) { rows in
            rows.first?.hasPrefix("┌ spectree") == true && rows.first?.count == 60 && rows.count >= 20 && rows[19].hasPrefix("└")
        }
        #expect(small != nil, "\(pane.capture().joined(separator: "\n"))")
        try pane.resize(30, 8)
        #expect(pane.wait(seconds: 10) { $0.joined(separator: " ").contains("window too small") } != nil,
                "\(pane.capture().joined(separator: "\n"))")
        try pane.resize(120, 40)
        #expect(pane.wait(seconds: 10) { $0.first?.hasPrefix("┌ spectree") == true && $0.first?.count == 120 } != nil)

        // q: exit status 0, the UI gone (the alternate screen left), the terminal's modes back.
        try pane.keys("q")
        let after = pane.wait(seconds: 15) { $0.contains { $0.hasPrefix("SPECTREE_EXIT=") } }
        let rows = try #require(after, "spectree did not exit:\n\(pane.capture().joined(separator: "\n"))")
        #expect(rows.contains("SPECTREE_EXIT=0"), "\(rows.joined(separator: "\n"))")
        #expect(!rows.contains { $0.contains("┌ spectree") || $0.contains("tree (step") }, "\(rows.joined(separator: "\n"))")
        let modes = rows.first { $0.contains("icanon") } ?? ""
        #expect(modes.split(separator: " ").contains("icanon") && modes.split(separator: " ").contains("echo"),
                "canonical mode and echo are back: \(modes)")
        #expect(rows.contains { $0.contains("tokens/s") }, "the summary is printed on exit")

        // The recorded trace plays back in the same screen, without a model.
        // (Wider: the replay badge takes room in the header, and the shape must show whole.)
        let replay = try TmuxPane(Self.commandLine(["replay", trace, "--speed", "0"]), width: 160)
        let played = replay.wait(seconds: 30) { rows in
            Self.header(rows).contains("done") && rows.contains { $0.contains("tree (step") } && rows.joined().contains("Name three rivers.")
        }
        #expect(played != nil, "\(replay.capture().joined(separator: "\n"))")
        #expect(Self.header(played ?? []).contains("rsd-s W=3 L=4"), "the trace has the change of width")
        // The player: its badge, one step back (the screen rebuilt from the trace), slower, and to step 1 by number.
        let place = try #require(Self.header(played ?? []).firstMatch(of: /replay ×max · step (\d+) of (\d+)/), "no badge")
        let steps = Int(place.output.2)!
        #expect(Int(place.output.1) == steps)
        try replay.keys("N")
        #expect(replay.wait(seconds: 10) { Self.header($0).contains("step \(steps - 1) of \(steps) · paused") } != nil,
                "\(replay.capture().joined(separator: "\n"))")
        try replay.keys("-")
        #expect(replay.wait(seconds: 10) { Self.header($0).contains("replay ×16 · step \(steps - 1)") } != nil,
                "\(replay.capture().joined(separator: "\n"))")
        try replay.keys(":")
        try replay.keys("1")
        #expect(replay.wait(seconds: 10) { $0.contains { $0.contains("go to step (0–\(steps)): 1▏") } } != nil)
        try replay.keys("Enter")
        let stepOne = replay.wait(seconds: 10) { rows in
            Self.header(rows).contains("step 1 of \(steps)") && rows.contains { $0.contains("tree (step 1)") }
        }
        #expect(stepOne != nil, "\(replay.capture().joined(separator: "\n"))")
        #expect(!(stepOne ?? []).joined().contains("Name three rivers."), "back before the second prompt")
        #expect(stepOne?.last?.contains("width") == false, "no tuning keys in a replay's status line")
        try replay.keys("q")
        #expect(replay.wait(seconds: 10) { $0.contains("SPECTREE_EXIT=0") } != nil, "\(replay.capture().joined(separator: "\n"))")
    }

    /// From a folder other than the source, a built-in theme loads; the theme
    /// and the shape of a run come back in the next run of the same pair.
    @Test func aRunElsewhereRemembersItsThemeAndShape() throws {
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("spectree-e2e-elsewhere-\(getpid())")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let config = elsewhere.appendingPathComponent("config").path
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let arguments = ["run", "--max-tokens", "4000", "--baseline-tokens", "0"]
        // Wide enough for the header to name the theme.
        let first = try TmuxPane(Self.commandLine(arguments + ["--theme", "monochrome"], in: elsewhere.path, configHome: config), width: 200)
        let started = first.wait(seconds: 60) { rows in Self.header(rows).contains("monochrome") && rows.contains { $0.contains("tree (step") } }
        try #require(started != nil, "\(first.capture().joined(separator: "\n"))")
        try first.keys("+")
        #expect(first.wait(seconds: 10) { Self.header($0).contains("rsd-s W=3 L=4") } != nil, "\(first.capture().joined(separator: "\n"))")
        try first.keys("q")
        #expect(first.wait(seconds: 15) { $0.contains("SPECTREE_EXIT=0") } != nil, "\(first.capture().joined(separator: "\n"))")

        let second = try TmuxPane(Self.commandLine(arguments, in: elsewhere.path, configHome: config), width: 200)
        let again = second.wait(seconds: 60) { rows in rows.contains { $0.contains("tree (step") } }
        try #require(again != nil, "\(second.capture().joined(separator: "\n"))")
        #expect(Self.header(again!).contains("monochrome") && Self.header(again!).contains("rsd-s W=3 L=4"), "\(Self.header(again!))")
        try second.keys("q")
        #expect(second.wait(seconds: 15) { $0.contains("SPECTREE_EXIT=0") } != nil)
    }

    /// Ctrl-\\ (SIGQUIT) ends the screen like Ctrl-C: the terminal restored, exit
    /// status 128 + 3, no runtime crash report over the UI (issue 13, item 4).
    @Test func ctrlBackslashQuitsCleanly() throws {
        let pane = try TmuxPane(Self.commandLine(["run", "--max-tokens", "4000", "--baseline-tokens", "0"]))
        let running = pane.wait(seconds: 60) { rows in rows.contains { $0.contains("tree (step") } }
        try #require(running != nil, "no tree within 60 s:\n\(pane.capture().joined(separator: "\n"))")
        try pane.keys("C-\\")
        // The terminal's modes are printed last, after the exit status.
        let after = pane.wait(seconds: 15) { $0.contains { $0.contains("icanon") } }
        let rows = try #require(after, "spectree did not exit:\n\(pane.capture().joined(separator: "\n"))")
        let text = rows.joined(separator: "\n")
        #expect(rows.contains("SPECTREE_EXIT=131"), "\(text)")
        #expect(!text.contains("crashed") && !text.contains("Backtrace") && !text.contains("┌ spectree"), "\(text)")
        let modes = rows.first { $0.contains("icanon") } ?? ""
        #expect(modes.split(separator: " ").contains("icanon") && modes.split(separator: " ").contains("echo"), "\(modes)")
    }

    @Test func runWithAMissingModelIsAClearError() throws {
        let r = try CLITests.run(["run", "--model", "/nonexistent.gguf"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("/nonexistent.gguf"), "\(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
    }

    @Test(arguments: [
        (["--draft", "self:99"], "the model has 30 layers"),
        (["--draft", "/nonexistent/draft.gguf"], "/nonexistent/draft.gguf"),
        (["--method", "beam"], "unknown method"),
        (["--width", "40"], "at most 63"),
        (["--theme", "no-such-theme"], "no-such-theme"),
    ])
    func runRejectsImpossibleSettingsBeforeTheScreenStarts(arguments: [String], phrase: String) throws {
        let r = try CLITests.run(["run"] + arguments)
        #expect(r.status != 0)
        #expect(r.stderr.contains(phrase), "expected '\(phrase)' in: \(r.stderr)")
        #expect(!r.stderr.contains("must be a terminal"), "checked before the terminal: \(r.stderr)")
    }

    @Test func runWithoutATerminalSaysSo() throws {
        let r = try CLITests.run(["run", "--max-tokens", "4", "--baseline-tokens", "0"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("must be a terminal"), "\(r.stderr)")
    }

    @Test func replayOfATruncatedTraceIsAClearError() throws {
        let header = #"{"created":"2026-12-01T18:00:00Z","format":"spectree-trace","version":1}"#
        let event = #"{"tokenText":{"id":365,"text":" and"}}"#
        let path = try CLITests.temporaryFile("truncated.jsonl", bytes: Array((header + "\n" + event + "\n" + event.prefix(20)).utf8))
        let r = try CLITests.run(["replay", path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("truncated.jsonl") && r.stderr.contains("cut off at line 3"), "\(r.stderr)")
        let missing = try CLITests.run(["replay", "/nonexistent/trace.jsonl"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("/nonexistent/trace.jsonl"), "\(missing.stderr)")
        let badTheme = try CLITests.run(["replay", path, "--theme", "no-such-theme"])
        #expect(badTheme.status != 0 && badTheme.stderr.contains("no-such-theme"), "\(badTheme.stderr)")
    }
}

/// The mouse end to end (issue 14, item 8): a click on a tree node pins its
/// decision and distributions; the wheel scrolls the text back into its
/// history. tmux passes the X10 mouse sequences (`ESC [ M b x y`) that
/// ncurses reads for TERM=tmux-256color to the pane as they are.
@Suite(.serialized, .enabled(if: TmuxPane.available, "needs tmux"))
struct LiveMouseTests {
    /// `ESC [ M` and the button and 1-based cell, each offset by 32 (cells below 95 only).
    static func x10(_ button: Int, x: Int, y: Int) -> [String] {
        [0x1B, 0x5B, 0x4D, 32 + button, 33 + x, 33 + y].map { String($0, radix: 16) }
    }

    func mouse(_ pane: TmuxPane, _ button: Int, x: Int, y: Int) throws {
        try pane.tmux(["send-keys", "-t", pane.session, "-H"] + Self.x10(button, x: x, y: y))
    }

    @Test func aClickShowsANodesDecisionAndTheWheelScrollsTheText() throws {
        // A prompt longer than the text pane, so that there is history to scroll back to.
        let prompt = (1...40).map { "Line \($0) of a long prompt about foxes." }.joined(separator: " ")
        let pane = try TmuxPane(LiveScreenTests.commandLine(["run", "--prompt", prompt, "--max-tokens", "4000", "--baseline-tokens", "0"]),
                                width: 90, height: 30)
        let verified = pane.wait(seconds: 60) { rows in rows.contains { $0.contains(" q.") && ($0.contains("✓") || $0.contains("✗")) } }
        try #require(verified != nil, "no verified tree within 60 s:\n\(pane.capture().joined(separator: "\n"))")
        try pane.keys("n")
        let paused = try #require(pane.wait(seconds: 10) { LiveScreenTests.header($0).contains("paused") })
        #expect(!paused.contains { $0.contains("newer · End follows") })

        // The wheel over the text pane (right half, row 5): three lines back per notch.
        try mouse(pane, 64, x: 70, y: 5)
        try mouse(pane, 64, x: 70, y: 5)
        let scrolled = pane.wait(seconds: 10) { $0.contains { $0.contains("newer · End follows") } }
        #expect(scrolled != nil, "\(pane.capture().joined(separator: "\n"))")
        #expect(scrolled?.contains { $0.contains("▼6 newer") } == true, "\(pane.capture().joined(separator: "\n"))")
        // Wheel down, then End: following the newest text again.
        try mouse(pane, 65, x: 70, y: 5)
        #expect(pane.wait(seconds: 10) { $0.contains { $0.contains("▼3 newer") } } != nil, "\(pane.capture().joined(separator: "\n"))")
        try pane.keys("End")
        #expect(pane.wait(seconds: 10) { !$0.contains { $0.contains("newer · End follows") } } != nil)

        // A click on a verified node in the tree (left half): its decision and distributions.
        let rows = pane.capture()
        guard let y = rows.indices.first(where: { i in
            let row = Array(rows[i].prefix(44))
            return (row.contains("✓") || row.contains("✗")) && (row.contains("●") || row.contains("○"))
        }) else {
            Issue.record("no verified node row:\n\(rows.joined(separator: "\n"))")
            return
        }
        let x = Array(rows[y]).firstIndex { $0 == "●" || $0 == "○" }!
        try mouse(pane, 0, x: x, y: y)
        try mouse(pane, 3, x: x, y: y)  // the release, which spectree ignores
        let shown = pane.wait(seconds: 10) { rows in
            rows.contains { $0.contains("decision") && $0.hasPrefix("├") } && rows.contains { $0.contains("node ") && $0.contains("· depth") }
                && rows.contains { $0.contains("p target") }
        }
        #expect(shown != nil, "\(pane.capture().joined(separator: "\n"))")
        // Esc unpins it.
        try pane.keys("Escape")
        #expect(pane.wait(seconds: 10) { !$0.contains { $0.contains("p target") } } != nil, "\(pane.capture().joined(separator: "\n"))")
        try pane.keys("q")
        #expect(pane.wait(seconds: 15) { $0.contains("SPECTREE_EXIT=0") } != nil, "\(pane.capture().joined(separator: "\n"))")
    }
}
