/// SpecTUI: spectree's terminal user interface. Views draw a view state into a
/// cell grid (pure, testable without a terminal); one owner flushes the grid
/// to ncurses once a frame.
///
/// The parts, from the outside in:
/// - **State** (`ScreenState` and its parts: `HeaderState`, `TreeState`,
///   `TextState`, `LatencyState`, `AcceptanceState`, `DecisionState`,
///   `ViewOptions`, `PreviousSettings`): plain `Sendable` values, which
///   `ScreenModel` fills from session events.
/// - **Drawing**: `Screen.draw(state, into: &grid)` lays out the panes
///   (`ScreenLayout`) and calls each view (`HeaderView`, `TreeView`,
///   `TextView`, `LatencyView`, `AcceptanceView`, `DecisionView`,
///   `StatusLineView`, `HelpOverlay`, `ErrorBanner`, `TooSmallView`), each a
///   pure `draw(_:into:in:)` of a state into a rectangle of a `CellGrid`.
/// - **Colours**: cells carry roles (`ThemeRole`); a `Theme` (from
///   `themes/*.theme`, see `ThemeFile`, `ThemeCatalog`) gives them colours and
///   `ColorMapper` fits those to 256, 8 or no colours.
/// - **Input**: `KeyMap.standard` maps `KeyCode`s to `UICommand`s and is the
///   one source of the status line and the help overlay;
///   `ScreenState.apply` handles the view-only commands.
/// - **Terminal**: the single owner of curses; `present(grid)` flushes the
///   diff, `readInput` returns keys, resizes and quit signals.
/// - **Model**: `ScreenModel` folds a session's `SessionEvent`s (live or
///   replayed, the same either way) into a `ScreenState`: a pure value.
/// - **Live loop**: `LiveScreen` owns the `Terminal` and a `ScreenModel`
///   and waits in one place for the session's event batches (a `Pacer`'s
///   channel), keys (`KeyWatcher` rings when standard input is readable) and
///   a frame tick; events are drawn at most once a frame, keys at once.
///   `InputController` turns keys into view changes, `SessionCommand`s and
///   the prompt editor; `LiveReport` is what the run measured of itself
///   (frames, key latencies).
public enum SpecTUI {}
