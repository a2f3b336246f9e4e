import Foundation
import SpecCore
import SpecEngine
import SpecTUI
import Testing

/// The replay as a player: its badge, speeds, the `:` prompt, the replay key
/// map, and going back, which must give exactly the screen a fresh fold of the
/// trace up to that step gives.
@Suite struct ReplayPlayerTests {
    /// Six steps (chains with comparisons and trees, a settings change after the third), each with its statistics, then the end.
    static var trace: Trace {
        var events = SessionScript.opening + [.baseline(tokensPerSecond: 25), .mode(.running)]
        var stats = DecodingStatistics()
        for k in 0..<6 {
            if k == 3 {
                var changed = SessionScript.info
                changed.shape = "rsd-c 3-1"
                events.append(.configured(changed))
                stats = DecodingStatistics()
            }
            let step: [SessionEvent] = switch k % 3 {
            case 0: SessionScript.chainWithBonus
            case 1: SessionScript.treeWithResample
            default: ComparisonViewTests.step(k, ComparisonViewTests.traversalGoesOn)
            }
            events += step
            for case let .decoding(.stepFinished(s)) in step { stats.record(s) }
            events.append(.statistics(stats))
        }
        events.append(.finished(reason: "max-tokens"))
        return Trace(header: TraceHeader(), events: events)
    }

    /// Runs `body` against `replay`, collecting what it emits.
    static func collect(_ body: ((SessionEvent) -> Void) -> Void) -> [SessionEvent] {
        var events: [SessionEvent] = []
        body { events.append($0) }
        return events
    }

    static func fold(_ events: some Sequence<SessionEvent>) -> ScreenModel {
        var m = ScreenModel()
        for e in events { m.apply(e) }
        return m
    }

    @Test func stepBackEqualsAFreshFoldUpToTheStepBefore() {
        let replay = TraceReplay(trace: Self.trace, pace: .asFastAsPossible)
        #expect(replay.steps == 6)
        var played = Self.collect { emit in _ = replay.start(emit) }
        for _ in 0..<5 { played += Self.collect { emit in _ = replay.step(emit) } }
        let afterFive = Self.fold(played)
        #expect(afterFive.state.replay == ReplayPosition(step: 5, steps: 6, pace: .asFastAsPossible))
        // Back one step: the screen rebuilt from the trace.
        let back = Self.collect { emit in _ = replay.perform(.seek(step: 4), shouldStop: { false }, emit) }
        #expect(back.first == .rewound)
        let rebuilt = Self.fold(played + back)
        let fresh = Self.fold(Array(replay.events(throughStep: 4)) + [.replayPosition(ReplayPosition(step: 4, steps: 6, pace: .asFastAsPossible))])
        #expect(rebuilt.state == fresh.state)
        #expect(rebuilt.state.history.samples.count == 4 && rebuilt.state.comparison.means.count == 1)
        #expect(rebuilt.state != afterFive.state)
        var a = CellGrid(width: 200, height: 60), b = CellGrid(width: 200, height: 60)
        Screen.draw(rebuilt.state, into: &a)
        Screen.draw(fresh.state, into: &b)
        #expect(a.rows == b.rows)
        #expect(a.rows[0].contains("replay ×max · step 4 of 6"))
        // And forward again: the same screen as the first time through step 5.
        let again = Self.fold(played + back + Self.collect { emit in _ = replay.step(emit) })
        #expect(again.state == afterFive.state)
    }

    @Test func seekClampsToTheTraceAndKeepsTheViewOptions() {
        let replay = TraceReplay(trace: Self.trace, pace: .asFastAsPossible)
        var model = ScreenModel()
        model.apply(Self.collect { emit in _ = replay.start(emit) })
        model.state.options.showHistory = true
        model.apply(Self.collect { emit in _ = replay.perform(.seek(step: 99), shouldStop: { false }, emit) })
        #expect(model.state.replay?.step == 6 && model.state.history.samples.count == 6)
        #expect(model.state.options.showHistory, "view options survive a seek")
        #expect(model.state.history.samples.map(\.settingsChanged) == [false, false, false, true, false, false])
        model.apply(Self.collect { emit in _ = replay.perform(.seek(step: -3), shouldStop: { false }, emit) })
        #expect(model.state.replay?.step == 0)
        #expect(model.state.tree.nodes.isEmpty && model.state.text.tokens.count == 1, "only the prompt")
        #expect(model.state.header.method == "rsd-s W=2 L=3")
    }

    @Test func speedsStepThroughTheLadderAndShowInTheBadge() {
        let replay = TraceReplay(trace: Self.trace, pace: .recorded(speed: 1))
        let events = Self.collect { emit in _ = replay.perform(.replaySpeed(2), shouldStop: { false }, emit) }
        #expect(events == [.replayPosition(ReplayPosition(step: 0, steps: 6, pace: .recorded(speed: 2)))])
        #expect(replay.delay(forStepOf: 1) == 0.5)
        #expect(ReplayPlayer.speed(after: .recorded(speed: 1), faster: true) == 2)
        #expect(ReplayPlayer.speed(after: .recorded(speed: 1), faster: false) == 0.5)
        #expect(ReplayPlayer.speed(after: .recorded(speed: 16), faster: true) == 0, "then as fast as possible")
        #expect(ReplayPlayer.speed(after: .asFastAsPossible, faster: true) == 0)
        #expect(ReplayPlayer.speed(after: .asFastAsPossible, faster: false) == 16)
        #expect(ReplayPlayer.speed(after: .recorded(speed: 0.25), faster: false) == 0.25)
        #expect(ReplayPlayer.speed(after: .recorded(speed: 3), faster: true) == 4, "off the ladder: the next notch")
        #expect(ReplayPlayer.speedLabel(.recorded(speed: 0.5)) == "×0.5" && ReplayPlayer.speedLabel(.recorded(speed: 0.25)) == "×0.25")
        #expect(ReplayPlayer.badge(ReplayPosition(step: 3, steps: 6, pace: .recorded(speed: 2))) == "replay ×2 · step 3 of 6")
        var state = ScreenState.sample()
        state.header.mode = .paused
        var model = ScreenModel()
        model.apply(events)
        state.header.badge = model.state.header.badge
        let g = render(160, 30) { Screen.draw(state, into: &$0) }
        #expect(g.rows[0].hasSuffix("default · replay ×2 · step 0 of 6 · paused ┐"), "\(g.rows[0])")
    }

    @Test func replayKeyMapHasNoTuningKeys() {
        let tuning: [UICommand] = [.widthUp, .widthDown, .depthUp, .depthDown, .methodNext, .temperatureUp, .temperatureDown,
                                   .draftLayersUp, .draftLayersDown, .draftSourceNext, .budgetToggle, .verifierNext,
                                   .newPrompt, .tune, .tuneApply]
        for c in tuning { #expect(KeyMap.replay.binding(for: c) == nil, "\(c)") }
        for c in [UICommand.togglePause, .step, .stepBack, .seekTo, .seekFirst, .seekLast, .faster, .slower, .quit, .help] {
            #expect(KeyMap.replay.binding(for: c) != nil, "\(c)")
        }
        let keys = KeyMap.replay.bindings.flatMap(\.keys)
        #expect(Set(keys).count == keys.count, "no key bound twice")
        let status = KeyMap.replay.statusText(width: 198)
        #expect(status.contains("space play") && status.contains("N/← back") == false && status.contains("N back"))
        #expect(status.contains("-/+ speed") && status.contains(": go to"))
        for word in ["width", "depth", "method", "temp", "tune", "prompt", "verifier"] { #expect(!status.contains(word), "\(word)") }
        let help = render(120, 40) { HelpOverlay.draw(keyMap: .replay, into: &$0, in: $0.bounds) }
        #expect(help.row(containing: "one step back") != nil && help.row(containing: "width") == nil)
    }

    @Test func playerKeysBecomeSeeksAndSpeeds() {
        let input = InputController(keyMap: .replay)
        var state = ScreenState()
        state.replay = ReplayPosition(step: 3, steps: 6, pace: .recorded(speed: 1))
        #expect(input.handle(.character("N"), state: &state) == [.send(.seek(step: 2))])
        #expect(input.handle(.left, state: &state) == [.send(.seek(step: 2))])
        #expect(input.handle(.character("n"), state: &state) == [.send(.step)])
        #expect(input.handle(.character("+"), state: &state) == [.send(.replaySpeed(2))])
        #expect(input.handle(.character("-"), state: &state) == [.send(.replaySpeed(0.5))])
        #expect(input.handle(.home, state: &state) == [.send(.seek(step: 1))])
        #expect(input.handle(.end, state: &state) == [.send(.seek(step: 6))])
        #expect(input.handle(.character(" "), state: &state) == [.send(.togglePause)])
        #expect(input.handle(.character("]"), state: &state).isEmpty, "no tuning key")
        // The `:` prompt.
        #expect(input.handle(.character(":"), state: &state).isEmpty && state.seekEditor == "")
        for c in "4x" { _ = input.handle(.character(c), state: &state) }
        #expect(state.seekEditor == "4", "digits only")
        var g = CellGrid(width: 100, height: 30)
        Screen.draw(state, into: &g)
        #expect(g.rows[29].hasPrefix("└ go to step (0–6): 4▏"), "\(g.rows[29])")
        #expect(input.handle(.enter, state: &state) == [.send(.seek(step: 4))] && state.seekEditor == nil)
        _ = input.handle(.character(":"), state: &state)
        for c in "12" { _ = input.handle(.character(c), state: &state) }
        #expect(input.handle(.enter, state: &state) == [.send(.seek(step: 6))])
        #expect(state.message == "the trace has 6 steps: going to the last")
        _ = input.handle(.character(":"), state: &state)
        #expect(input.handle(.escape, state: &state).isEmpty && state.seekEditor == nil)
        // At the start there is nothing before.
        state.replay?.step = 0
        #expect(input.handle(.character("N"), state: &state).isEmpty && state.message?.hasPrefix("at the start") == true)
    }

    /// Reads the pacer's events, sending `reply(events so far)`'s commands as they come, until the channel ends.
    static func drive(_ pacer: Pacer, _ reply: @escaping ([SessionEvent]) -> [SessionCommand]) async -> [SessionEvent] {
        var events: [SessionEvent] = []
        for await batch in pacer.events {
            events += batch
            for c in reply(events) { pacer.send(c) }
        }
        return events
    }

    @Test func thePacerPausesAfterASeekFromTheEndAndDropsAHeldStep() async {
        // Played to the end as fast as possible, then back to step 2: paused there.
        let replay = TraceReplay(trace: Self.trace, pace: .asFastAsPossible)
        var sent = 0
        let events = await Self.drive(Pacer(replay)) { events in
            if sent == 0, events.last == .mode(.finished) { sent = 1; return [.seek(step: 2)] }
            if sent == 1, events.last == .mode(.paused) { sent = 2; return [.quit] }
            return []
        }
        let seek = events.lastIndex(of: .rewound)!
        #expect(Array(events[seek...]).contains(.replayPosition(ReplayPosition(step: 2, steps: 6, pace: .asFastAsPossible))))
        let model = Self.fold(events[..<events.lastIndex(of: .finished(reason: "quit"))!])
        #expect(model.mode == .paused && model.state.replay?.step == 2 && model.state.history.samples.count == 2)
        #expect(model.finishReason == nil, "the end is behind again")

        // One decision into step 2, then back to step 1: the rest of step 2 is dropped, not shown.
        let second = TraceReplay(trace: Self.trace, pace: .asFastAsPossible)
        let pacer = Pacer(second, startPaused: true)
        pacer.send(.step)
        pacer.send(.stepDecision)
        pacer.send(.seek(step: 1))
        pacer.send(.step)
        pacer.send(.quit)
        let played = await Self.drive(pacer) { _ in [] }
        let rewound = played.lastIndex(of: .rewound)!
        let afterSeek = played[rewound...]
        #expect(afterSeek.contains(.mode(.paused)), "from one decision to paused")
        let model2 = Self.fold(played[..<played.lastIndex(of: .finished(reason: "quit"))!])
        let fresh = Self.fold(Array(second.events(throughStep: 2)))
        #expect(model2.state.text == fresh.state.text && model2.state.replay?.step == 2)
    }
}
