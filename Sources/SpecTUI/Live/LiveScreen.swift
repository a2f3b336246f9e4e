import SpecEngine

/// The live terminal UI: the one isolation domain that calls curses. Owns
/// the `Terminal`, a `ScreenModel` and an `EventFeed` (a live session or a
/// trace replay) and loops:
///
/// 1. wait up to `frameMilliseconds` for a key, then take every key already
///    queued; `InputController` applies view-only ones and the rest go to the
///    session as `SessionCommand`s;
/// 2. drain every pending event batch into the model;
/// 3. draw at most one frame, only if something changed, and present the diff.
///
/// Bursts of decoder events therefore cost one frame. Resizes redraw at the
/// new size (`TooSmallView` below the minimum). `q`, Ctrl-C, SIGTERM and
/// SIGHUP (the handlers only set flags; see `Terminal`) and any error thrown
/// in the loop end it with the terminal restored.
public final class LiveScreen {
    /// Choices for a run.
    public struct Options {
        /// Longest wait for a key per loop iteration, so also the frame interval while
        /// events stream (about 30 frames a second); a key is answered at once.
        public var frameMilliseconds: Int32 = 33
        /// Leave the loop once the session reports `finished` (for measurements).
        public var exitWhenFinished = false
        /// The themes `c` cycles through.
        public var catalog: ThemeCatalog = .standard()
        /// How long a status-line message stays, in milliseconds.
        public var messageMilliseconds = 3000

        public init() {}
    }

    private let terminal: Terminal
    private let source: EventFeed
    private var model: ScreenModel
    private var options: Options
    private let input = InputController()
    private let clock = ContinuousClock()

    /// Takes over the terminal with `theme`.
    /// - Throws: `TerminalError` when standard input/output is not a terminal.
    public init(source: EventFeed, model: ScreenModel, theme: Theme, options: Options = Options()) throws(TerminalError) {
        terminal = try Terminal(theme: theme)
        self.source = source
        var model = model
        model.state.header.theme = theme.name
        self.model = model
        self.options = options
    }

    /// Runs until quit, a quit signal, the session's end (with
    /// `exitWhenFinished`) or an error; always restores the terminal.
    public func run() -> LiveReport {
        defer { terminal.restore() }
        source.start()
        var report = LiveReport(exitStatus: 0, model: model)
        var grid = CellGrid(width: terminal.width, height: terminal.height)
        var dirty = true
        var pendingKeys: [ContinuousClock.Instant] = []
        var pendingSettings: [ContinuousClock.Instant] = []
        var settingsAwaitingFrame: [ContinuousClock.Instant] = []
        var messageSince: ContinuousClock.Instant?
        var lastMessage: String?
        var ended = false

        loop: while true {
            // 1. Keys: wait for the first, then take what is queued.
            var wait = options.frameMilliseconds
            for _ in 0..<64 {
                guard let event = terminal.readInput(timeoutMilliseconds: wait) else { break }
                wait = 0
                let now = clock.now
                switch event {
                case let .interrupted(signal):
                    source.send(.quit)
                    report.exitStatus = 128 + signal
                    break loop
                case let .resized(width, height):
                    grid.resize(width: width, height: height)
                    dirty = true
                case let .key(key):
                    pendingKeys.append(now)
                    dirty = true
                    for action in input.handle(key, state: &model.state) {
                        switch action {
                        case let .send(command):
                            source.send(command)
                            if case .change = command { pendingSettings.append(now) }
                        case .nextTheme: nextTheme()
                        case .redraw: terminal.forceRedraw()
                        case .quit: break loop
                        }
                    }
                }
            }

            // 2. Events.
            let (batches, done) = source.drain()
            for batch in batches {
                let configured = batch.contains { if case .configured = $0 { true } else { false } }
                model.apply(batch)
                if configured, !pendingSettings.isEmpty {
                    settingsAwaitingFrame += pendingSettings
                    pendingSettings.removeAll()
                }
                report.batches += 1
                dirty = true
            }
            if done && !ended {
                ended = true
                if model.finishReason == nil { model.state.message = "the session ended" }
                dirty = true
            }

            // Status-line messages fade after a while.
            if model.state.message != lastMessage {
                lastMessage = model.state.message
                messageSince = lastMessage == nil ? nil : clock.now
            } else if let since = messageSince, clock.now - since > .milliseconds(options.messageMilliseconds) {
                model.state.message = nil
                lastMessage = nil
                messageSince = nil
                dirty = true
            }

            // 3. One frame.
            if dirty {
                let start = clock.now
                if grid.width != terminal.width || grid.height != terminal.height {
                    grid.resize(width: terminal.width, height: terminal.height)
                }
                Screen.draw(model.state, keyMap: input.keyMap, into: &grid)
                terminal.present(grid)
                let end = clock.now
                report.frames += 1
                report.frameMicroseconds.append(Self.milliseconds(end - start) * 1e3)
                for k in pendingKeys { report.keyToFrameMs.append(Self.milliseconds(end - k)) }
                for k in settingsAwaitingFrame { report.settingToEffectMs.append(Self.milliseconds(end - k)) }
                pendingKeys.removeAll(keepingCapacity: true)
                settingsAwaitingFrame.removeAll(keepingCapacity: true)
                dirty = false
            }
            if options.exitWhenFinished && (model.mode == .finished || ended) { break }
        }
        report.model = model
        return report
    }

    /// Loads the theme after the current one; a broken theme file shows in the banner.
    private func nextTheme() {
        let name = options.catalog.name(after: model.state.header.theme)
        do {
            let theme = try options.catalog.load(name)
            terminal.setTheme(theme)
            model.state.header.theme = name
            model.state.message = "theme: \(name)"
        } catch {
            model.state.error = "theme \(name): \(error)"
        }
    }

    static func milliseconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) * 1e3 + Double(c.attoseconds) * 1e-15
    }
}
