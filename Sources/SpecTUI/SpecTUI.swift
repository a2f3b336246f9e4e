/// SpecTUI: spectree's terminal user interface. Views draw a view state into a
/// cell grid (pure, testable without a terminal); one owner flushes the grid
/// to ncurses once a frame.
public enum SpecTUI {}
