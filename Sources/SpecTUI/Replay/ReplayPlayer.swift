import SpecEngine

/// The replay as a player (`spectree replay TRACE`): the badge in the header
/// (`replay ×2 · step 12 of 80`), the ladder of speeds, and the `:` prompt
/// for a step number in the status line. The keys are `KeyMap.replay`;
/// `InputController` turns them into `.seek` and `.replaySpeed` commands,
/// which `TraceReplay` carries out (a seek rebuilds the screen by folding the
/// trace's events up to the step sought).
public enum ReplayPlayer {
    /// Speeds `+` and `-` step through, as multiples of the recorded pace; 0 is as fast as possible (the last).
    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 0]

    /// `×2`, `×0.5`, `×max` (as fast as possible), `3 steps/s`.
    public static func speedLabel(_ pace: ReplayPace) -> String {
        switch pace {
        case .asFastAsPossible: "×max"
        case let .recorded(speed): "×" + NumberFormat.fixed(speed, speed == speed.rounded() ? 0 : 2).replacingSuffix(".50", with: ".5")
        case let .stepsPerSecond(rate): NumberFormat.fixed(rate, rate == rate.rounded() ? 0 : 1) + " steps/s"
        }
    }

    /// The header's badge: `replay ×2 · step 12 of 80`.
    public static func badge(_ p: ReplayPosition) -> String {
        "replay " + speedLabel(p.pace) + " · step \(p.step) of \(p.steps)"
    }

    /// The speed after `pace` one notch faster (`faster`) or slower, on the ladder.
    public static func speed(after pace: ReplayPace, faster: Bool) -> Double {
        let current: Double = switch pace {
        case .asFastAsPossible: 0
        case let .recorded(speed): speed
        case .stepsPerSecond: 1
        }
        let finite = speeds.filter { $0 > 0 }
        if current == 0 { return faster ? 0 : finite.last! }
        if faster { return finite.first { $0 > current } ?? 0 }
        return finite.last { $0 < current } ?? finite.first!
    }

    /// The `:` prompt in place of the keys: `└ go to step (0–80): 12▏   Enter go · Esc cancel ┘`.
    /// - Complexity: O(width).
    public static func drawSeekEditor(_ digits: String, steps: Int, into grid: inout CellGrid, in rect: Rect) {
        guard rect.width >= 4, rect.height >= 1 else { return }
        let y = rect.y
        grid.edgeRow(y: y, from: rect.x, to: rect.maxX - 1, left: "└", right: "┘", style: CellStyle(.border))
        let wordStyle = CellStyle(.statusFg, on: .statusBg)
        let strong = CellStyle(.title, on: .statusBg, .bold)
        grid.fill(Rect(x: rect.x + 1, y: y, width: rect.width - 2, height: 1), style: wordStyle)
        var cx = grid.write(" go to step (0–\(steps)): ", x: rect.x + 1, y: y, maxWidth: rect.width - 3, style: strong)
        cx = grid.write(digits, x: cx, y: y, maxWidth: max(0, rect.maxX - 2 - cx), style: wordStyle)
        grid.put("▏", x: cx, y: y, style: strong, clip: rect.insetBy(dx: 1, dy: 0))
        let hint = "Enter go · Home first · End last · Esc cancel"
        if rect.maxX - 3 - DisplayWidth.of(hint) > cx + 2 {
            grid.write(hint, x: rect.maxX - 2 - DisplayWidth.of(hint), y: y, style: CellStyle(.dim, on: .statusBg))
        }
    }
}

extension String {
    fileprivate func replacingSuffix(_ suffix: String, with other: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + other : self
    }
}

extension InputController {
    /// A replay's own commands, or nil for a command that is not one. Without a
    /// replay they say so in the status line (the standard map does not bind them).
    func replayActions(_ command: UICommand, state: inout ScreenState) -> [LiveAction]? {
        guard KeyMap.replayOnly.contains(command) else { return nil }
        guard let p = state.replay else {
            state.message = "only a replay can go back or change speed"
            return []
        }
        switch command {
        case .stepBack:
            guard p.step > 0 else {
                state.message = "at the start: nothing before step 0"
                return []
            }
            return [.send(.seek(step: p.step - 1))]
        case .seekFirst: return [.send(.seek(step: min(1, p.steps)))]
        case .seekLast: return [.send(.seek(step: p.steps))]
        case .seekTo:
            state.seekEditor = ""
            return []
        case .faster, .slower:
            let speed = ReplayPlayer.speed(after: p.pace, faster: command == .faster)
            return [.send(.replaySpeed(speed))]
        default: return nil
        }
    }

    /// The `:` prompt: digits append, Backspace deletes, Enter goes (a number
    /// past the last step goes to the last), Home and End go to the first or
    /// last step, Escape cancels.
    func editSeek(_ key: KeyCode, state: inout ScreenState) -> [LiveAction] {
        let steps = state.replay?.steps ?? 0
        switch key {
        case .enter:
            let digits = state.seekEditor ?? ""
            state.seekEditor = nil
            guard let n = Int(digits) else { return [] }
            if n > steps { state.message = "the trace has \(steps) steps: going to the last" }
            return [.send(.seek(step: min(n, steps)))]
        case .home:
            state.seekEditor = nil
            return [.send(.seek(step: min(1, steps)))]
        case .end:
            state.seekEditor = nil
            return [.send(.seek(step: steps))]
        case .escape:
            state.seekEditor = nil
        case .backspace, .delete:
            if state.seekEditor?.isEmpty == false { state.seekEditor!.removeLast() }
        case let .character(c) where c.isASCII && c.isNumber:
            if (state.seekEditor?.count ?? 0) < 9 { state.seekEditor!.append(c) }
        default:
            break
        }
        return []
    }
}
