import CNcursesw
import Foundation

/// The one owner of the terminal: starts curses, turns role-based cell grids
/// into colour pairs and wide characters, flushes only what changed, reads
/// keys, and puts the terminal back as it was.
///
/// curses is not thread-safe, so `Terminal` is deliberately not `Sendable`:
/// it lives in one isolation domain (create it on the task or thread that
/// runs the UI loop and keep it there), and every curses call goes through it.
/// A typical loop:
///
/// ```swift
/// let terminal = try Terminal(theme: theme)
/// defer { terminal.restore() }
/// var grid = CellGrid(width: terminal.width, height: terminal.height)
/// while running {
///     // fold pending decoder events into `state` (coalesced: one frame per batch)
///     grid.resize(width: terminal.width, height: terminal.height)  // no-op cost when unchanged
///     Screen.draw(state, into: &grid)
///     terminal.present(grid)
///     switch terminal.readInput(timeoutMilliseconds: 30) { … }
/// }
/// ```
///
/// Restoring the terminal: `restore()` (idempotent, also run by `deinit`);
/// an `atexit` handler if the program exits without it; SIGINT, SIGTERM and
/// SIGHUP only set a flag that `readInput` reports as `.interrupted` (the
/// loop then restores and exits), and a second such signal while the first
/// is unhandled restores the terminal from the handler with
/// async-signal-safe calls and exits. SIGWINCH sets a flag; `readInput`
/// then asks the kernel for the size, calls `resizeterm` and reports `.resized`.
///
/// The mouse: left presses and the wheel are reported (`mousemask`) as
/// `.mouse` inputs; `restore()` turns reporting off again (and the emergency
/// restore writes the sequences that end xterm mouse modes).
public final class Terminal {
    /// Whether the terminal reports the mouse.
    public private(set) var hasMouse = false
    /// The screen size in columns and rows.
    public private(set) var width: Int
    public private(set) var height: Int
    /// What colours are in use (after `SPECTREE_COLORS` / `NO_COLOR`).
    public private(set) var capability: ColorCapability
    /// Whether the terminal could redefine colours (`can_change_color`).
    /// spectree does not use it: redefined palette entries outlive the program on many terminals.
    public let canChangeColor: Bool
    public private(set) var theme: Theme

    private var mapper: ColorMapper
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private var active = true
    /// The last frame flushed; nil forces a full redraw.
    private var previous: CellGrid?
    private var hasPrevious = false
    /// Colour pair per (fg + 1) * 257 + (bg + 1); 0 when not yet allocated.
    private var pairTable: [Int32]
    private var nextPair: Int32 = 1
    private let maxPairs: Int32
    /// curses attribute bits for each `CellAttributes` combination (5 bits).
    private let attributeBits: [attr_t]
    /// Wide-character buffer for one cell: up to `CCHARW_MAX` characters and a terminator.
    private let cellBuffer: UnsafeMutablePointer<wchar_t>
    private let cellCapacity: Int

    /// Takes over the terminal: locale, signal handlers, curses in cbreak,
    /// no-echo, keypad mode, hidden cursor, colours for what the terminal has.
    /// - Parameters:
    ///   - theme: the colours by role.
    ///   - environment: read for `NO_COLOR`, `SPECTREE_COLORS` and `TERM`.
    /// - Throws: `TerminalError` when stdin/stdout are not a terminal or curses cannot start.
    public init(theme: Theme = .builtInDefault,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(TerminalError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        setlocale(LC_ALL, "")
        Terminal.ensureUTF8()
        spectree_save_termios()
        _ = spectree_install_signal_handlers()
        spectree_register_atexit()
        guard let s = spectree_newterm() else {
            spectree_restore_signal_handlers()
            throw .initialisationFailed(term: environment["TERM"])
        }
        screen = s
        window = spectree_stdscr()
        spectree_set_curses_active(1)
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        _ = set_escdelay(25)
        _ = curs_set(0)
        leaveok(window, true)
        hasMouse = spectree_enable_mouse(1) != 0

        let hasColors = has_colors()
        if hasColors {
            start_color()
            use_default_colors()
        }
        canChangeColor = hasColors && can_change_color()
        capability = ColorCapability.detect(hasColors: hasColors, colors: Int(spectree_colors()), environment: environment)
        maxPairs = Int32(max(0, min(Int(spectree_color_pairs()), 65535)))
        self.theme = theme
        mapper = ColorMapper(theme: theme, capability: capability)
        pairTable = [Int32](repeating: 0, count: 257 * 257)

        var bits: [attr_t] = []
        for m in 0..<32 {
            let a = CellAttributes(rawValue: UInt8(m))
            var b = spectree_a_normal()
            if a.contains(.bold) { b |= spectree_a_bold() }
            if a.contains(.dim) { b |= spectree_a_dim() }
            if a.contains(.reverse) { b |= spectree_a_reverse() }
            if a.contains(.underline) { b |= spectree_a_underline() }
            if a.contains(.italic) { b |= spectree_a_italic() }
            bits.append(b)
        }
        attributeBits = bits
        cellCapacity = Int(spectree_ccharw_max())
        cellBuffer = .allocate(capacity: cellCapacity + 1)

        var rows: Int32 = 0, cols: Int32 = 0
        spectree_getmaxyx(window, &rows, &cols)
        width = Int(cols)
        height = Int(rows)

        // What the signal handler writes if it must restore the terminal itself.
        var reset = ""
        for cap in ["sgr0", "cnorm", "rmkx", "rmcup"] {
            if let p = spectree_tigetstr(cap) { reset += String(cString: p) }
        }
        // xterm mouse modes (normal, button-event, any-event, SGR coordinates) off.
        if hasMouse { reset += "\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l" }
        spectree_set_reset_sequence(reset)
    }

    /// Box drawing and wide characters need a UTF-8 character set. When the
    /// environment's locale is not UTF-8 (LANG unset in a container, say),
    /// fall back to `C.UTF-8` for character handling only.
    private static func ensureUTF8() {
        let codeset = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } ?? ""
        if codeset.uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "en_US.UTF-8") }
        }
    }

    deinit {
        restore()
        cellBuffer.deallocate()
    }

    /// Ends curses and gives the terminal back (cursor, modes, screen,
    /// signal handlers). Safe to call more than once.
    public func restore() {
        guard active else { return }
        active = false
        if hasMouse { _ = spectree_enable_mouse(0) }
        _ = curs_set(1)
        endwin()
        spectree_set_curses_active(0)
        spectree_restore_signal_handlers()
        delscreen(screen)
    }

    /// Switches colours; the next `present` repaints everything.
    public func setTheme(_ theme: Theme) {
        self.theme = theme
        mapper = ColorMapper(theme: theme, capability: capability)
        for i in pairTable.indices { pairTable[i] = 0 }
        nextPair = 1
        forceRedraw()
    }

    /// Overrides the detected colour capability (e.g. a `--colors mono` flag).
    public func setCapability(_ capability: ColorCapability) {
        self.capability = capability
        setTheme(theme)
    }

    /// Makes the next `present` rewrite every cell and curses repaint the
    /// physical screen (for Ctrl-L, or after something else wrote to it).
    public func forceRedraw() {
        hasPrevious = false
        if active { clearok(window, true) }
    }

    /// Flushes `grid`: writes the cells that differ from the previous frame,
    /// then one `doupdate`. Cells beyond the screen are ignored.
    /// - Complexity: O(width × height) comparisons plus O(changed cells) curses calls.
    public func present(_ grid: CellGrid) {
        guard active else { return }
        let maxX = width, maxY = height
        grid.forEachChange(from: hasPrevious ? previous : nil) { x, y, cell in
            guard x < maxX, y < maxY else { return }
            write(cell, x: x, y: y)
        }
        wnoutrefresh(window)
        doupdate()
        if previous == nil {
            previous = grid
        } else {
            previous!.assign(from: grid)
        }
        hasPrevious = true
    }

    /// One cell through the wide-character API.
    private func write(_ cell: Cell, x: Int, y: Int) {
        let resolved = mapper.resolve(cell.style)
        let pair = capability == .monochrome ? 0 : self.pair(resolved.foreground, resolved.background)
        var n = 0
        for s in cell.character.unicodeScalars where n < cellCapacity {
            cellBuffer[n] = wchar_t(bitPattern: s.value)
            n += 1
        }
        if n == 0 { cellBuffer[0] = 0x20; n = 1 }
        cellBuffer[n] = 0
        _ = spectree_put_cell(window, Int32(y), Int32(x), cellBuffer,
                              attributeBits[Int(resolved.attributes.rawValue & 31)], pair)
    }

    /// The colour pair for (fg, bg) palette indices (−1 = default), allocated on first use.
    private func pair(_ fg: Int16, _ bg: Int16) -> Int32 {
        let key = (Int(fg) + 1) * 257 + (Int(bg) + 1)
        guard key >= 0, key < pairTable.count else { return 0 }
        let existing = pairTable[key]
        if existing != 0 { return existing }
        guard nextPair < maxPairs else { return 0 }  // out of pairs: default colours, attributes still apply
        let p = nextPair
        guard init_extended_pair(p, Int32(fg), Int32(bg)) == spectree_ok() else { return 0 }
        nextPair += 1
        pairTable[key] = p
        return p
    }

    /// Waits up to `timeoutMilliseconds` (0: don't wait; negative: forever)
    /// for a key, a resize or a quit signal.
    /// - Returns: nil when the time ran out with nothing to report.
    public func readInput(timeoutMilliseconds: Int32) -> TerminalInput? {
        guard active else { return nil }
        if let pending = pendingSignal() { return pending }
        wtimeout(window, timeoutMilliseconds)
        var ch: wint_t = 0
        let r = wget_wch(window, &ch)
        if let pending = pendingSignal() {
            if r == spectree_ok() { unget_wch(wchar_t(bitPattern: ch)) }
            return pending
        }
        if r == spectree_err() { return nil }
        if r == spectree_key_code_yes() {
            if Int32(ch) == spectree_key_resize() {
                // curses queues KEY_RESIZE after `resizeterm`; report it only if the size is news.
                let (w, h) = (width, height)
                let r = resized(askKernel: false)
                return (w, h) == (width, height) ? nil : r
            }
            if Int32(ch) == spectree_key_mouse() { return mouse() }
            return Terminal.functionKey(Int32(ch)).map { .key($0) }
        }
        return .key(Terminal.characterKey(UInt32(ch)))
    }

    /// The queued mouse event, or nil for kinds spectree ignores (releases, other buttons).
    private func mouse() -> TerminalInput? {
        var x: Int32 = 0, y: Int32 = 0, kind: Int32 = 0
        guard spectree_get_mouse(&x, &y, &kind) == 0 else { return nil }
        switch kind {
        case 1: return .mouse(MouseEvent(.press, x: Int(x), y: Int(y)))
        case 4: return .mouse(MouseEvent(.wheelUp, x: Int(x), y: Int(y)))
        case 5: return .mouse(MouseEvent(.wheelDown, x: Int(x), y: Int(y)))
        default: return nil
        }
    }

    /// A quit signal or a resize noted by the handlers, if any.
    private func pendingSignal() -> TerminalInput? {
        let s = spectree_take_quit_signal()
        if s != 0 { return .interrupted(signal: s) }
        if spectree_take_resize() != 0 { return resized(askKernel: true) }
        return nil
    }

    /// Adopts the new size (asking the kernel after SIGWINCH; curses already
    /// knows it when it reports KEY_RESIZE) and forces a full redraw.
    private func resized(askKernel: Bool) -> TerminalInput {
        var rows: Int32 = 0, cols: Int32 = 0
        if askKernel, spectree_window_size(&rows, &cols) == 0, is_term_resized(rows, cols) {
            resizeterm(rows, cols)
        }
        spectree_getmaxyx(window, &rows, &cols)
        width = Int(cols)
        height = Int(rows)
        hasPrevious = false
        previous = nil
        clearok(window, true)
        return .resized(width: width, height: height)
    }

    /// A character from `wget_wch` as a key: Escape, Enter, Tab, Backspace, or the character.
    static func characterKey(_ v: UInt32) -> KeyCode {
        switch v {
        case 27: .escape
        case 10, 13: .enter
        case 9: .tab
        case 8, 127: .backspace
        default: .character(Character(Unicode.Scalar(v) ?? "\u{FFFD}"))
        }
    }

    /// A curses function-key code as a key, or nil for keys spectree ignores.
    static func functionKey(_ code: Int32) -> KeyCode? {
        switch code {
        case spectree_key_up(): return .up
        case spectree_key_down(): return .down
        case spectree_key_left(): return .left
        case spectree_key_right(): return .right
        case spectree_key_ppage(): return .pageUp
        case spectree_key_npage(): return .pageDown
        case spectree_key_home(): return .home
        case spectree_key_end(): return .end
        case spectree_key_enter(): return .enter
        case spectree_key_backspace(): return .backspace
        case spectree_key_dc(): return .delete
        case spectree_key_resize(): return .resize
        default:
            for n in 1...12 where code == spectree_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }
}

@available(*, unavailable, message: "curses is not thread-safe: keep the Terminal in one isolation domain")
extension Terminal: Sendable {}
