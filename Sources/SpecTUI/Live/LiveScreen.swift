import AsyncAlgorithms
import SpecCore
import SpecEngine

/// The live terminal UI: the one isolation domain that calls curses. Owns
/// the `Terminal` and a `ScreenModel`, and consumes in one place everything
/// that can change the screen: the session's event batches (a `Pacer`'s
/// channel, live or replayed), keys (a `KeyWatcher` rings when standard
/// input is readable) and a frame tick.
///
/// - Events are folded into the model at once and drawn at the next frame
///   (at most one frame per `frameMilliseconds`): a burst of decoder events
///   costs one frame, and the decoder never waits for the screen (the pipe
///   batches what arrives while a frame is drawn).
/// - Keys are answered at once: `InputController` applies view-only ones,
///   the rest go to the session as `SessionCommand`s, and the frame is drawn.
/// - The tick fades status-line messages and picks up signals and resizes.
///
/// Resizes redraw at the new size (`TooSmallView` below the minimum). `q`,
/// Ctrl-C, Ctrl-\, SIGTERM and SIGHUP (the handlers only set flags; see
/// `Terminal`) end it with the terminal restored.
public final class LiveScreen {
    /// Choices for a run.
    public struct Options {
        /// The shortest time between two frames drawn for events (about 30
        /// frames a second), and the tick's period.
        public var frameMilliseconds = 33
        /// Leave the loop once the session reports `finished` (for measurements).
        public var exitWhenFinished = false
        /// The themes `c` cycles through.
        public var catalog: ThemeCatalog = .standard()
        /// How long a status-line message stays, in milliseconds.
        public var messageMilliseconds = 3000
        /// The keys (`KeyMap.replay` for a replay: only what works there).
        public var keyMap: KeyMap = .standard

        public init() {}
    }

    /// What wakes the loop.
    private enum Wake: Sendable {
        case events([SessionEvent])
        case eventsEnded
        case keys
        case tick
    }

    private let terminal: Terminal
    private var model: ScreenModel
    private var options: Options
    private let input: InputController
    private let clock = ContinuousClock()

    /// Takes over the terminal with `theme`.
    /// - Throws: `TerminalError` when standard input/output is not a terminal.
    public init(model: ScreenModel, theme: Theme, options: Options = Options()) throws(TerminalError) {
        terminal = try Terminal(theme: theme)
        var model = model
        model.state.header.theme = theme.name
        self.model = model
        self.options = options
        input = InputController(keyMap: options.keyMap)
    }

    /// Shows `session` until quit, a quit signal, the session's end (with
    /// `exitWhenFinished`) or the end of its events; always restores the terminal.
    public func run(_ session: Pacer) async -> LiveReport {
        await run(events: session.events, send: { session.send($0) })
    }

    /// Shows `events`, sending commands with `send` (which must not block).
    public func run(events: AsyncChannel<[SessionEvent]>, send: @escaping @Sendable (SessionCommand) -> Void) async -> LiveReport {
        defer { terminal.restore() }
        let keys = KeyWatcher()
        defer { keys.stop() }
        let frame = Duration.milliseconds(options.frameMilliseconds)
        let wakes = merge(
            chain(events.map { Wake.events($0) }, [Wake.eventsEnded].async),
            keys.rings.map { _ in Wake.keys },
            AsyncTimerSequence.repeating(every: frame, clock: ContinuousClock()).map { _ in Wake.tick })

        var report = LiveReport(exitStatus: 0, model: model)
        var grid = CellGrid(width: terminal.width, height: terminal.height)
        var dirty = true
        var lastFrame: ContinuousClock.Instant?
        var pendingKeys: [ContinuousClock.Instant] = []
        var pendingSettings: [ContinuousClock.Instant] = []
        var settingsAwaitingFrame: [ContinuousClock.Instant] = []
        var messageSince: ContinuousClock.Instant?
        var lastMessage: String?
        var ended = false

        loop: for await wake in wakes {
            var answerNow = false
            switch wake {
            case let .events(batch):
                model.apply(batch)
                let configured = batch.contains { if case .configured = $0 { true } else { false } }
                if configured, !pendingSettings.isEmpty {
                    settingsAwaitingFrame += pendingSettings
                    pendingSettings.removeAll()
                }
                report.batches += 1
                dirty = true
            case .eventsEnded:
                ended = true
                if model.finishReason == nil { model.state.message = "the session ended" }
                dirty = true
            case .keys, .tick:
                // Every key queued (a ring means some are), and signals or resizes noted by the handlers.
                for _ in 0..<64 {
                    guard let event = terminal.readInput(timeoutMilliseconds: 0) else { break }
                    let now = clock.now
                    switch event {
                    case let .interrupted(signal):
                        send(.quit)
                        report.exitStatus = 128 + signal
                        break loop
                    case let .resized(width, height):
                        grid.resize(width: width, height: height)
                        dirty = true
                        answerNow = true
                    case .key, .mouse:
                        pendingKeys.append(now)
                        dirty = true
                        answerNow = true
                        let actions: [LiveAction] = switch event {
                        case let .key(key): input.handle(key, state: &model.state)
                        case let .mouse(m): input.handle(m, state: &model.state, width: terminal.width, height: terminal.height)
                        default: []
                        }
                        for action in actions {
                            switch action {
                            case let .send(command):
                                send(command)
                                if case .change = command { pendingSettings.append(now) }
                            case .nextTheme: nextTheme()
                            case .redraw: terminal.forceRedraw()
                            case .quit: break loop
                            }
                        }
                    }
                }
                if case .keys = wake { keys.rearm() }
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

            // At most one frame per frame interval for events; a key is answered at once.
            let due = answerNow || lastFrame.map { clock.now - $0 >= frame } ?? true
            if dirty && due {
                let start = clock.now
                if grid.width != terminal.width || grid.height != terminal.height {
                    grid.resize(width: terminal.width, height: terminal.height)
                }
                Screen.draw(model.state, keyMap: input.keyMap, into: &grid)
                terminal.present(grid)
                let end = clock.now
                lastFrame = end
                report.frames += 1
                report.frameMicroseconds.append((end - start).seconds * 1e6)
                for k in pendingKeys { report.keyToFrameMs.append((end - k).seconds * 1e3) }
                for k in settingsAwaitingFrame { report.settingToEffectMs.append((end - k).seconds * 1e3) }
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
}
