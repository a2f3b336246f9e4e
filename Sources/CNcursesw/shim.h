#ifndef SPECTREE_CNCURSESW_SHIM_H
#define SPECTREE_CNCURSESW_SHIM_H
// The wide-character curses API is only declared when this is defined before
// <curses.h>; without it cchar_t, setcchar and add_wch are missing.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>

// curses exposes much of its API as macros, which Swift's importer cannot see.
// Each wrapper below names one macro; they cost nothing (static inline).

/// `COLOR_PAIR(n)`: the attribute bits that select colour pair `n`.
static inline attr_t spectree_color_pair(short n) { return (attr_t)COLOR_PAIR(n); }
/// `PAIR_NUMBER(a)`: the colour pair encoded in attribute bits `a`.
static inline short spectree_pair_number(attr_t a) { return (short)PAIR_NUMBER(a); }
/// `getmaxyx(win, y, x)`: the window's size in rows and columns (a macro that assigns).
static inline void spectree_getmaxyx(WINDOW *w, int *rows, int *cols) {
    int y, x; getmaxyx(w, y, x); *rows = y; *cols = x;
}
/// `getyx(win, y, x)`: the cursor position (a macro that assigns).
static inline void spectree_getyx(WINDOW *w, int *row, int *col) {
    int y, x; getyx(w, y, x); *row = y; *col = x;
}
/// `stdscr`: a macro over a function on some builds, a variable on others.
static inline WINDOW *spectree_stdscr(void) { return stdscr; }
/// `COLORS` and `COLOR_PAIRS`: macros over functions in reentrant builds.
static inline int spectree_colors(void) { return COLORS; }
static inline int spectree_color_pairs(void) { return COLOR_PAIRS; }
/// `LINES` and `COLS`.
static inline int spectree_lines(void) { return LINES; }
static inline int spectree_cols(void) { return COLS; }

// Attribute bits are macros built from NCURSES_BITS.
static inline attr_t spectree_a_normal(void) { return A_NORMAL; }
static inline attr_t spectree_a_bold(void) { return A_BOLD; }
static inline attr_t spectree_a_dim(void) { return A_DIM; }
static inline attr_t spectree_a_reverse(void) { return A_REVERSE; }
static inline attr_t spectree_a_underline(void) { return A_UNDERLINE; }
static inline attr_t spectree_a_italic(void) { return A_ITALIC; }
static inline attr_t spectree_a_standout(void) { return A_STANDOUT; }

// Key codes are plain #defines of octal numbers; these give them names Swift can call.
static inline int spectree_key_resize(void) { return KEY_RESIZE; }
static inline int spectree_key_up(void) { return KEY_UP; }
static inline int spectree_key_down(void) { return KEY_DOWN; }
static inline int spectree_key_left(void) { return KEY_LEFT; }
static inline int spectree_key_right(void) { return KEY_RIGHT; }
static inline int spectree_key_npage(void) { return KEY_NPAGE; }
static inline int spectree_key_ppage(void) { return KEY_PPAGE; }
static inline int spectree_key_home(void) { return KEY_HOME; }
static inline int spectree_key_end(void) { return KEY_END; }
static inline int spectree_key_backspace(void) { return KEY_BACKSPACE; }
static inline int spectree_key_enter(void) { return KEY_ENTER; }
static inline int spectree_key_dc(void) { return KEY_DC; }
static inline int spectree_key_f(int n) { return KEY_F(n); }
/// `ERR` and `OK`: return codes, macros in curses.h.
static inline int spectree_err(void) { return ERR; }
static inline int spectree_ok(void) { return OK; }
// ---------------------------------------------------------------------------
// Additions for SpecTUI's Terminal.

#include <signal.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <ncursesw/term.h>  // tigetstr

/// `newterm(NULL, stdout, stdin)`: curses on the process's terminal. Unlike
/// `initscr` it returns NULL instead of exiting when TERM is unusable, and
/// `stdin`/`stdout` are C globals that Swift 6 will not touch from Swift.
static inline SCREEN *spectree_newterm(void) { return newterm(NULL, stdout, stdin); }

/// `wcwidth(3)`: the column count curses itself uses for a character, so tests
/// can hold SpecTUI's width table to it. glibc declares it only under
/// `_XOPEN_SOURCE`, which SwiftPM strips from pkg-config's flags; the
/// prototype below is glibc's.
extern int wcwidth(wchar_t c);
static inline int spectree_wcwidth(int c) { return wcwidth((wchar_t)c); }

/// `KEY_CODE_YES`: what `wget_wch` returns when it stored a function-key code (a macro).
static inline int spectree_key_code_yes(void) { return KEY_CODE_YES; }
/// `CCHARW_MAX`: how many wide characters one `cchar_t` holds (base plus combining marks).
static inline int spectree_ccharw_max(void) { return CCHARW_MAX; }

/// Writes one cell with the wide-character API: `setcchar` then `mvwadd_wch`.
/// `wch` is a NUL-terminated array of at most `CCHARW_MAX` wide characters.
/// One call instead of two keeps the `cchar_t` (whose layout Swift need not
/// know) on the C side. Returns `ERR` or `OK` (writing the bottom-right cell
/// returns `ERR` while still drawing it).
static inline int spectree_put_cell(WINDOW *w, int y, int x, const wchar_t *wch, attr_t attrs, int pair) {
    cchar_t c;
    if (setcchar(&c, wch, attrs, (short)(pair > 32767 ? 0 : pair), pair > 32767 ? &pair : NULL) == ERR) return ERR;
    return mvwadd_wch(w, y, x, &c);
}

// Signals. curses is not async-signal-safe, so the handlers below only set
// flags that the main loop polls (btop's way); the loop then calls endwin.
// A second SIGINT/SIGTERM while the first is still unhandled means the loop
// is stuck: the handler then restores the terminal with async-signal-safe
// calls only (write(2) of a reset sequence, tcsetattr(3) to the saved
// settings) and _exit()s. State is static in this header: only SpecTUI's
// Terminal may call these functions, so there is exactly one copy.

static volatile sig_atomic_t spectree_quit_signal = 0;
static volatile sig_atomic_t spectree_resize_pending = 0;
/// The terminal settings saved before curses started (a function-local
/// static: Swift's importer emits those reliably, file-scope tentative
/// definitions it may not).
static inline struct termios *spectree_saved_termios(void) { static struct termios saved; return &saved; }
static volatile sig_atomic_t spectree_have_saved_termios = 0;
/// The bytes the emergency restore writes (256 bytes, function-local static as above).
static inline char *spectree_reset_sequence(void) { static char sequence[256]; return sequence; }
static volatile sig_atomic_t spectree_reset_length = 0;
static volatile sig_atomic_t spectree_curses_active = 0;

/// The SIGINT/SIGTERM/SIGHUP/SIGQUIT handler: records the signal; on a second one, emergency restore and exit.
static void spectree_on_quit_signal(int sig) {
    if (spectree_quit_signal != 0) {
        if (spectree_reset_length > 0) {
            ssize_t ignored = write(STDOUT_FILENO, spectree_reset_sequence(), (size_t)spectree_reset_length);
            (void)ignored;
        }
        if (spectree_have_saved_termios) tcsetattr(STDIN_FILENO, TCSANOW, spectree_saved_termios());
        _exit(128 + sig);
    }
    spectree_quit_signal = sig;
}

/// The crash signals whose handlers put the terminal back before the program dies.
static const int spectree_crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT };
enum { spectree_crash_signal_count = 6 };
/// The dispositions the crash handlers replaced (e.g. Swift's backtracer), by index above.
static inline struct sigaction *spectree_previous_crash_actions(void) { static struct sigaction saved[6]; return saved; }

/// A crash (a Swift trap is SIGILL or SIGTRAP, a failed precondition in C
/// SIGABRT): restore the terminal with async-signal-safe calls, put the
/// previous disposition back and return, so that the signal strikes again
/// (re-executed trap, or abort's second raise) and is handled as before.
static void spectree_on_crash_signal(int sig) {
    if (spectree_curses_active) {
        spectree_curses_active = 0;
        if (spectree_reset_length > 0) {
            ssize_t ignored = write(STDOUT_FILENO, spectree_reset_sequence(), (size_t)spectree_reset_length);
            (void)ignored;
        }
        if (spectree_have_saved_termios) tcsetattr(STDIN_FILENO, TCSANOW, spectree_saved_termios());
    }
    for (int i = 0; i < spectree_crash_signal_count; i++) {
        if (spectree_crash_signals[i] == sig) sigaction(sig, &spectree_previous_crash_actions()[i], NULL);
    }
    // A signal sent with kill(2) is not re-raised by returning: raise it again (it is
    // blocked in this handler, so it arrives on return, under the previous disposition).
    raise(sig);
}

/// The SIGWINCH handler: records that the size changed.
static void spectree_on_resize_signal(int sig) { (void)sig; spectree_resize_pending = 1; }

/// Saves the terminal's current settings (call before `initscr`) for the emergency restore.
static inline void spectree_save_termios(void) {
    if (tcgetattr(STDIN_FILENO, spectree_saved_termios()) == 0) spectree_have_saved_termios = 1;
}

/// Sets the bytes the emergency restore writes (e.g. terminfo's rmcup, cnorm, sgr0); truncated to 255.
static inline void spectree_set_reset_sequence(const char *seq) {
    size_t n = seq ? strlen(seq) : 0;
    if (n > 255) n = 255;
    spectree_reset_length = 0;
    if (n) memcpy(spectree_reset_sequence(), seq, n);
    spectree_reset_length = (sig_atomic_t)n;
}

/// Installs the handlers for SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGWINCH (before
/// `initscr`, so ncurses leaves them alone), and the crash handlers. Returns 0 on success.
static inline int spectree_install_signal_handlers(void) {
    struct sigaction quit, winch;
    memset(&quit, 0, sizeof quit);
    memset(&winch, 0, sizeof winch);
    quit.sa_handler = spectree_on_quit_signal;
    winch.sa_handler = spectree_on_resize_signal;
    sigemptyset(&quit.sa_mask);
    sigemptyset(&winch.sa_mask);
    quit.sa_flags = SA_RESTART;
    winch.sa_flags = SA_RESTART;
    int r = 0;
    r |= sigaction(SIGINT, &quit, NULL);
    r |= sigaction(SIGTERM, &quit, NULL);
    r |= sigaction(SIGHUP, &quit, NULL);
    r |= sigaction(SIGQUIT, &quit, NULL);  // Ctrl-\: else the Swift runtime's crash report lands on the screen
    r |= sigaction(SIGWINCH, &winch, NULL);
    struct sigaction crash;
    memset(&crash, 0, sizeof crash);
    crash.sa_handler = spectree_on_crash_signal;
    sigemptyset(&crash.sa_mask);
    for (int i = 0; i < spectree_crash_signal_count; i++) {
        r |= sigaction(spectree_crash_signals[i], &crash, &spectree_previous_crash_actions()[i]);
    }
    // A process can start with these blocked (the mask is inherited across
    // fork and exec, e.g. from a Dispatch worker thread that spawned it):
    // unblock them on this thread, the UI's, so that they reach the handlers.
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGINT);
    sigaddset(&wanted, SIGTERM);
    sigaddset(&wanted, SIGHUP);
    sigaddset(&wanted, SIGQUIT);
    sigaddset(&wanted, SIGWINCH);
    r |= pthread_sigmask(SIG_UNBLOCK, &wanted, NULL);
    return r;
}

/// Puts the default dispositions back (after `endwin`).
static inline void spectree_restore_signal_handlers(void) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    signal(SIGWINCH, SIG_DFL);
    for (int i = 0; i < spectree_crash_signal_count; i++) {
        sigaction(spectree_crash_signals[i], &spectree_previous_crash_actions()[i], NULL);
    }
}

/// The pending quit signal (0 if none), cleared; a later one is then again a "first" one.
static inline int spectree_take_quit_signal(void) { int s = spectree_quit_signal; spectree_quit_signal = 0; return s; }
/// The pending quit signal without clearing it.
static inline int spectree_peek_quit_signal(void) { return spectree_quit_signal; }
/// Whether a resize happened since the last call; clears the flag.
static inline int spectree_take_resize(void) { int r = spectree_resize_pending; spectree_resize_pending = 0; return r; }

/// Marks curses as started or ended, for the atexit handler.
static inline void spectree_set_curses_active(int active) { spectree_curses_active = active; }

/// The atexit handler: ends curses if a path out of the program forgot to.
static void spectree_atexit_restore(void) {
    if (spectree_curses_active) {
        spectree_curses_active = 0;
        curs_set(1);
        endwin();
    }
}
/// Registers `spectree_atexit_restore` once.
static inline void spectree_register_atexit(void) {
    static int registered = 0;
    if (!registered) { registered = 1; atexit(spectree_atexit_restore); }
}

/// The terminal's size from the kernel (`TIOCGWINSZ`), for `resizeterm` after SIGWINCH. Returns 0 on success.
static inline int spectree_window_size(int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return -1;
    *rows = ws.ws_row; *cols = ws.ws_col;
    return 0;
}

/// A terminfo string capability (`tigetstr`), or NULL when absent or not a
/// string (tigetstr's `(char *)-1`, a sentinel Swift cannot compare against).
static inline const char *spectree_tigetstr(const char *cap) {
    char *s = tigetstr((char *)cap);
    return (s == NULL || s == (char *)-1) ? NULL : s;
}

// ---------------------------------------------------------------------------
// Mouse reporting. The button masks are macros (BUTTON5_PRESSED only with
// NCURSES_MOUSE_VERSION > 1); these name them and fold a getmouse() event
// into what spectree uses.

/// `KEY_MOUSE`: what wget_wch reports when a mouse event is queued.
static inline int spectree_key_mouse(void) { return KEY_MOUSE; }

/// Asks for left-button presses and clicks and the wheel (buttons 4 and 5),
/// reported at once (no click interval), or with `on` = 0 for nothing.
/// Returns 1 when the terminal can report any of them.
static inline int spectree_enable_mouse(int on) {
    mmask_t wanted = 0;
    if (on) {
        wanted = BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
        wanted |= BUTTON5_PRESSED;
#endif
    }
    mmask_t old = 0;
    mmask_t got = mousemask(wanted, &old);
    if (on) mouseinterval(0);
    return got != 0;
}

/// Takes the queued mouse event: its cell and kind (1 left press or click,
/// 4 wheel up, 5 wheel down, 0 anything else). Returns 0 on success.
static inline int spectree_get_mouse(int *x, int *y, int *kind) {
    MEVENT e;
    if (getmouse(&e) != OK) return -1;
    *x = e.x; *y = e.y;
    *kind = 0;
    if (e.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) *kind = 1;
    else if (e.bstate & BUTTON4_PRESSED) *kind = 4;
#ifdef BUTTON5_PRESSED
    else if (e.bstate & BUTTON5_PRESSED) *kind = 5;
#endif
    return 0;
}
#endif
