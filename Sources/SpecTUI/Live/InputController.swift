import SpecEngine

/// Turns keys into screen changes and session commands: view-only commands
/// (help, scrolling, step markers, dismissing) change the `ScreenState`
/// directly, decoder commands become `SessionCommand`s, and `i` opens a
/// one-line prompt editor in the status line that ends in `.newPrompt`.
///
/// A pure value: no terminal, no session; `handle` is O(1) per key (plus the
/// prompt's length on Enter).
public struct InputController: Sendable {
    public var keyMap: KeyMap

    public init(keyMap: KeyMap = .standard) { self.keyMap = keyMap }

    /// Handles one key against `state` and returns what the loop must do, in order.
    public func handle(_ key: KeyCode, state: inout ScreenState) -> [LiveAction] {
        if state.promptEditor != nil { return edit(key, state: &state) }
        if state.seekEditor != nil { return editSeek(key, state: &state) }
        guard let command = keyMap.command(for: key) else { return [] }
        if state.apply(command) { return [] }
        switch command {
        case .quit: return [.send(.quit), .quit]
        case .themeNext: return [.nextTheme]
        case .redraw: return [.redraw]
        case .newPrompt:
            state.promptEditor = ""
            return []
        case .tune:
            if state.tune?.isRunning == true {
                state.message = "tune: already running"
                return []
            }
            state.message = "tune: starting at the next step"  // the session's `.tuning` opens the banner
            return [.send(.tune)]
        case .tuneApply:
            guard let suggestion = state.tune?.suggestion else {
                state.message = state.tune == nil ? "tune: no suggestion yet (a tunes)" : "tune: still running"
                return []
            }
            state.tune = nil
            state.message = "tune: applying " + suggestion.shape
            return [.send(.change(.apply(suggestion)))]
        default:
            if let actions = replayActions(command, state: &state) { return actions }
            return Self.sessionCommand(for: command).map { [.send($0)] } ?? []
        }
    }

    /// The session command a decoder-side UI command stands for, or nil for
    /// commands the screen handles itself.
    public static func sessionCommand(for command: UICommand) -> SessionCommand? {
        switch command {
        case .togglePause: .togglePause
        case .step: .step
        case .stepDecision: .stepDecision
        case .widthUp: .change(.width(1))
        case .widthDown: .change(.width(-1))
        case .depthUp: .change(.depth(1))
        case .depthDown: .change(.depth(-1))
        case .methodNext: .change(.nextMethod)
        case .temperatureUp: .change(.temperature(0.1))
        case .temperatureDown: .change(.temperature(-0.1))
        case .draftLayersUp: .change(.draftLayers(1))
        case .draftLayersDown: .change(.draftLayers(-1))
        case .draftSourceNext: .change(.nextDraftSource)
        case .budgetToggle: .change(.toggleBudget)
        case .verifierNext: .change(.nextVerifier)
        case .quit: .quit
        default: nil
        }
    }

    /// The prompt editor: characters append, Backspace deletes, Enter sends
    /// (an empty prompt just closes), Escape cancels.
    private func edit(_ key: KeyCode, state: inout ScreenState) -> [LiveAction] {
        switch key {
        case .enter:
            let text = state.promptEditor ?? ""
            state.promptEditor = nil
            guard !text.allSatisfy(\.isWhitespace) else { return [] }
            state.message = nil
            return [.send(.newPrompt(text))]
        case .escape:
            state.promptEditor = nil
        case .backspace, .delete:
            if state.promptEditor?.isEmpty == false { state.promptEditor!.removeLast() }
        case .tab:
            state.promptEditor! += " "
        case let .character(c):
            // Ctrl-U clears the line; other control characters are ignored.
            if c == "\u{15}" { state.promptEditor = "" }
            else if c.asciiValue.map({ $0 >= 0x20 && $0 != 0x7F }) ?? true { state.promptEditor!.append(c) }
        default:
            break
        }
        return []
    }
}
