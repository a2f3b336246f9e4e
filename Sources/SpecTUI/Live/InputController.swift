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
        if let reason = state.availability(of: command).reason {
            // `]: L=15 is the deepest …`; the tune's reasons name the tune themselves.
            state.message = command == .tune || command == .tuneApply ? reason : key.label + ": " + reason
            return []
        }
        switch command {
        case .quit: return [.send(.quit), .quit]
        case .themeNext: return [.nextTheme]
        case .redraw: return [.redraw]
        case .newPrompt:
            state.promptEditor = ""
            state.promptCursor = nil
            return []
        case .tune:
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
            guard let session = Self.sessionCommand(for: command) else { return [] }
            if case let .change(change) = session, let note = state.keys.preview(of: change) { state.message = note }
            return [.send(session)]
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
        case .draftVocabularyUp: .change(.draftVocabulary(1))
        case .draftVocabularyDown: .change(.draftVocabulary(-1))
        case .pMinUp: .change(.pMin(0.05))
        case .pMinDown: .change(.pMin(-0.05))
        case .draftLookupToggle: .change(.toggleDraftLookup)
        case .draftSourceNext: .change(.nextDraftSource)
        case .budgetToggle: .change(.toggleBudget)
        case .verifierNext: .change(.nextVerifier)
        case .quit: .quit
        default: nil
        }
    }

    /// The prompt editor: characters go in at the cursor, ←/→ move it,
    /// Home/End jump, Backspace deletes before it and Delete at it, Ctrl-U
    /// clears the line, Enter sends (an empty prompt just closes), Escape cancels.
    private func edit(_ key: KeyCode, state: inout ScreenState) -> [LiveAction] {
        var chars = Array(state.promptEditor ?? "")
        var at = min(max(0, state.promptCursor ?? chars.count), chars.count)
        switch key {
        case .enter:
            let text = state.promptEditor ?? ""
            state.promptEditor = nil
            state.promptCursor = nil
            guard !text.allSatisfy(\.isWhitespace) else { return [] }
            state.message = nil
            return [.send(.newPrompt(text))]
        case .escape:
            state.promptEditor = nil
            state.promptCursor = nil
            return []
        case .left: at = max(0, at - 1)
        case .right: at = min(chars.count, at + 1)
        case .home: at = 0
        case .end: at = chars.count
        case .backspace:
            if at > 0 {
                chars.remove(at: at - 1)
                at -= 1
            }
        case .delete:
            if at < chars.count { chars.remove(at: at) }
        case .tab:
            chars.insert(" ", at: at)
            at += 1
        case let .character(c):
            // Ctrl-U clears the line; other control characters are ignored.
            if c == "\u{15}" {
                chars = []
                at = 0
            } else if c.asciiValue.map({ $0 >= 0x20 && $0 != 0x7F }) ?? true {
                chars.insert(c, at: at)
                at += 1
            }
        default:
            return []
        }
        state.promptEditor = String(chars)
        state.promptCursor = at == chars.count ? nil : at
        return []
    }
}
