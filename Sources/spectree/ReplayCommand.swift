import ArgumentParser
import SpecEngine
import SpecTUI

/// `spectree replay TRACE`: a recorded session in the same screen, with no model.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Play a trace recorded with run --record in the live screen, without a model.",
        discussion: """
            A player: space plays or pauses, n or → steps forward, N, ← or b steps back, + and - change the speed \
            (×0.25 … ×16, then as fast as possible), : goes to a step you type, Home and End to the first and last \
            step, g shows the history graphs, C the verifiers compared on each step's draft. The header shows \
            `replay ×2 · step x of N`; the tuning keys of run are not bound here.
            """
    )

    @Argument(help: "A trace file (JSON Lines) written by spectree run --record.")
    var trace: String

    @Option(name: .long, parsing: .unconditional, help: "Playback speed relative to the recording (2: twice as fast; 0: as fast as possible).")
    var speed = 1.0

    @OptionGroup var liveOptions: LiveOptions

    func validate() throws {
        guard speed >= 0, speed.isFinite else { throw ValidationError("--speed must be a number ≥ 0") }
    }

    func run() async throws {
        let theme = try liveOptions.loadTheme()
        // Reads and checks the whole trace before curses starts.
        let recorded = try TraceReader.read(path: trace)
        try LiveOptions.requireTerminal("replay")
        let replay = TraceReplay(trace: recorded, pace: speed == 0 ? .asFastAsPossible : .recorded(speed: speed))
        try await liveOptions.show(Pacer(replay, startPaused: liveOptions.paused), theme: theme, keyMap: .replay)
    }
}
