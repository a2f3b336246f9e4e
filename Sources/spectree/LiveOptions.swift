import ArgumentParser
import Foundation
import SpecEngine
import SpecTUI

/// Options of the live screen shared by `run` and `replay`, and the wiring
/// that starts it: the theme and the terminal are checked before curses
/// starts, the summary is printed after the terminal is restored.
struct LiveOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Colour theme: \(ThemeCatalog.builtInNames.joined(separator: ", ")) (built in), or the name of a .theme file in \(ThemeCatalog.userDirectory() ?? "~/.config/spectree/themes") (default: the theme of the last run, else default)."))
    var theme: String?

    @Flag(name: .long, help: "Start paused (space runs, n steps, v shows one decision at a time).")
    var paused = false

    @Flag(name: .customLong("exit-when-done"), help: "Leave the screen when the generation ends (for measurements).")
    var exitWhenDone = false

    /// The theme, loaded before the terminal is taken over: `--theme`, else
    /// `remembered` (the last run's; one that no longer loads gives a warning
    /// and the default), else the default.
    func loadTheme(remembered: String? = nil) throws -> Theme {
        let catalog = ThemeCatalog.standard()
        if let theme {
            do { return try catalog.load(theme) } catch { throw ValidationError("\(error)") }
        }
        guard let remembered else { return .builtInDefault }
        do { return try catalog.load(remembered) } catch {
            FileHandle.standardError.write(Data("warning: the last run's theme: \(error); using default\n".utf8))
            return .builtInDefault
        }
    }

    /// Fails unless standard input and output are a terminal.
    static func requireTerminal(_ command: String) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw ValidationError("spectree \(command) draws in the terminal: standard input and output must be a terminal")
        }
    }

    /// Shows `session` until quit with `keyMap`'s keys; `onEnd` gets the
    /// screen's report (to remember settings); prints the run's summary on
    /// standard error and exits with the screen's status (0 after q).
    func show(_ session: Pacer, theme: Theme, keyMap: KeyMap = .standard,
              onEnd: (LiveReport) -> Void = { _ in }) async throws {
        var options = LiveScreen.Options()
        options.keyMap = keyMap
        options.exitWhenFinished = exitWhenDone
        let screen = try LiveScreen(model: ScreenModel(theme: theme.name), theme: theme, options: options)
        let report = await screen.run(session)
        // Let the session see the quit through (a recorded trace then ends with it).
        session.quit(waitingUpTo: .seconds(2))
        onEnd(report)
        FileHandle.standardError.write(Data((report.summary + "\n").utf8))
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}
