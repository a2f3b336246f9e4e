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
#endif
