/// SpecEngine: runs a decoder (or replays a trace) on a background Dispatch
/// queue and streams its events to the UI; records and reads traces.
///
/// ## The path of an event
///
/// `SpeculativeDecoder` → `DecodingSession` (a synchronous `StepSource`:
/// one step, its events) → `Pacer` (pause / step / one decision, on its
/// queue; records the trace) → `EventPipe` (one `AsyncChannel` of batches) →
/// the screen. A `TraceReplay` is the other `StepSource`: the same pacer plays
/// it with no model.
///
/// ## API overview
///
/// - `SessionSettings`: the draft source (and the list `nextDraftSource`
///   cycles through), method, width, depth, branching, budget, sampling, token
///   limit and seed. Pure: `applying(_:layerCount:vocabularySize:)` turns a
///   `SettingsChange` into clamped new settings or throws a `SettingsError`;
///   `shape(vocabularySize:)` gives the `DraftShape`.
/// - `DecodingSession`: give it a `Transformer`, its `Tokenizer`, the
///   settings and the prompt (`PromptFormat.plain` or `.chat(system:)`); it
///   loads the draft. `start` emits `.configured`, `.prompt`, `.baseline`
///   (`BaselineMeasurement`); each `step` the decoder's `.decoding` events
///   (token texts first) and `.statistics` (`DecodingStatistics`, computed in
///   SpecCore, predicted speedup included); changes land at step boundaries as
///   `.configured`; the end of the text, the token limit or a full context
///   emit `.finished`.
/// - `Pacer`: runs any `StepSource` on its queue; `events` is the pipe's
///   channel (every event, in order, in batches; bigger batches for a slower
///   consumer, and the decoder never waits); `send(_:)` queues a
///   `SessionCommand` and never blocks; an optional `TraceWriter` records
///   every event published.
/// - `SessionCommand.tune` / `SessionTuning` / `TuneSuggestion`: the session
///   runs the tuner it was given (the executable's, over SpecBench) between
///   two steps on its own models, prompt and sampling (`.tuning` notes, then
///   `.tuneSuggestion`); `SettingsChange.apply(suggestion)` takes its shape.
///   Decoding resumes over the re-prefilled history, so greedy output is unchanged.
/// - `TraceWriter` / `TraceReader` / `Trace` / `TraceHeader` / `TraceError`:
///   JSON Lines traces, one flushed line per event after a versioned header;
///   a cut-off or malformed line, or a step with an impossible time, is an
///   error naming the file and line.
/// - `TraceReplay`: a `StepSource` over a `Trace` (no model), paced as
///   `ReplayPace` says (each pause at most `TraceReplay.longestPause`).
///
/// A minimal screen loop:
///
///     let session = try DecodingSession(target: model, tokenizer: tokenizer, targetName: name,
///                                       settings: SessionSettings(draft: "self:8"), prompt: "Once upon a time")
///     let pacer = Pacer(session)
///     for await batch in pacer.events {
///         for event in batch { state.apply(event) }
///         draw(state)  // one frame per batch
///     }
///     // elsewhere, on a key: pacer.send(.change(.depth(+1)))
public enum SpecEngine {}
