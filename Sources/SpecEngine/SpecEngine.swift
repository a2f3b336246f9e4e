/// SpecEngine: runs a decoder on a background Dispatch queue and streams its
/// events to the UI; records and replays traces.
///
/// ## API overview
///
/// - `SessionSettings`: the draft source (and the list `nextDraftSource`
///   cycles through), method, width, depth, branching, budget, sampling, token
///   limit and seed. Pure: `applying(_:layerCount:vocabularySize:)` turns a
///   `SettingsChange` into clamped new settings or throws a `SettingsError`;
///   `shape(vocabularySize:)` gives the `DraftShape`.
/// - `EventSource`: what a screen talks to. `events` is a `SessionEventStream`
///   (an `AsyncSequence` of `[SessionEvent]` batches, nothing dropped, bigger
///   batches for a slower consumer); `send(_:)` queues a `SessionCommand` and
///   never blocks.
/// - `DecodingSession`: the live `EventSource`. Give it a `Transformer`, its
///   `Tokenizer`, the settings and the prompt (`PromptFormat.plain` or
///   `.chat(system:)`); it loads the draft, emits `.configured`, `.prompt`,
///   `.baseline`, `.mode`, then each step's `.decoding` events (token texts
///   first) and `.statistics`; changes land at step boundaries as
///   `.configured`; the end of the text, the token limit or a full context
///   emit `.finished`. Optional `TraceWriter` records every event.
/// - `SessionCommand.tune` / `SessionTuner` / `TuneSuggestion`: a small
///   `SpecBench.TuneExperiment` run between two steps on the session's own
///   models, prompt and sampling (`.tuning` notes, then `.tuneSuggestion`);
///   `SettingsChange.apply(suggestion)` takes its shape. Decoding resumes over
///   the re-prefilled history, so greedy output is unchanged.
/// - `TraceWriter` / `TraceReader` / `Trace` / `TraceHeader` / `TraceError`:
///   JSON Lines traces, one flushed line per event after a versioned header;
///   a cut-off or malformed line is an error naming the file and line.
/// - `TraceReplay`: an `EventSource` over a `Trace` (no model), with the same
///   pause / step / one-decision pacing and a `ReplayPace`.
///
/// A minimal screen loop:
///
///     let session = try DecodingSession(target: model, tokenizer: tokenizer, targetName: name,
///                                       settings: SessionSettings(draft: "self:8"), prompt: "Once upon a time")
///     for await batch in session.events {
///         for event in batch { state.apply(event) }
///         draw(state)  // one frame per batch
///     }
///     // elsewhere, on a key: session.send(.change(.depth(+1)))
public enum SpecEngine {}
