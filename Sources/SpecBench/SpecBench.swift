/// SpecBench: experiments on the user's own models, reproducing both papers'
/// questions and suggesting the best draft tree for this machine.
///
/// - **Prompts**: `PromptSet` (the built-in set, `prompts/prompts.json`
///   embedded by `scripts/embed-prompts.sh`: 24 prompts, three in each of
///   chat, translation, summarisation, question answering, maths,
///   retrieval copying, code completion and code chat; or the user's JSON or plain-text file), `BenchPrompt`
///   (turns, rendered in ChatML).
/// - **Measuring**: `BenchRunner` times plain and speculative decoding of one
///   target over the prompts (`PromptRun`), polling a stop flag between
///   prompts (`Interruption`: Ctrl-C sets it).
/// - **Experiments**: `DraftDepthExperiment` (*Decoding Speculative
///   Decoding*: draft depth vs latency, acceptance and speedup, measured and
///   predicted by `ThroughputModel`), `MethodsExperiment` (*Recursive
///   Speculative Decoding*: chain, specinfer, rsd-c, rsd-s at fixed target
///   budgets, greedy and sampled, with spread over prompts), `TuneExperiment`
///   (call costs, acceptance by depth and sibling rank, the shape search of
///   SpecCore's `ShapeSearch` under `TreeThroughputModel`, and validation),
///   `LosslessnessCheck` (`spectree check`: a permutation test on the
///   total-variation distance of the first K tokens' joint distribution).
/// - **Output**: rows go to SpecCore's `ResultTable` through `ResultWriter`,
///   which rewrites the CSV, JSON and Markdown files after every row, so an
///   interrupted sweep keeps what finished; `TextTable` prints them within a
///   width (units on their own line, short draft names, columns left out and
///   named); each experiment's `conclusion` says in words which configuration
///   wins, by how much, with what spread (`PromptSpeedup`: per-prompt paired
///   speedups, per kind through `KindTable`); `ProgressReporter` draws a bar
///   with ETA on a terminal's stderr, plain lines otherwise.
/// - **Charts** (`Charts/`): `Chart` (plots and heat maps) drawn by
///   `SVGChartRenderer` into one self-contained SVG; each experiment's
///   `chart(…)` builds its figure from its rows; `RuntimeChart` draws
///   `bench runtime`'s call cost against N with the bandwidth limit.
///
/// The pure parts (shape search, throughput over trees, acceptance profiles,
/// tables, summaries) live in SpecCore/Experiments and are tested without a model.
public enum SpecBench {}
