// A streaming read for measuring memory bandwidth (spectree bench runtime).
#include "sk_internal.h"

uint64_t sk_stream_read(const void *p, int64_t bytes) {
    // Eight independent sums of 64-bit words: the loop vectorises at any level
    // and is bound by memory, not by the additions.
    const uint64_t *w = p;
    const int64_t n = bytes / 8;
    uint64_t s[8] = {0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int l = 0; l < 8; l++) s[l] += w[i + l];
    for (; i < n; i++) s[0] += w[i];
    return s[0] + s[1] + s[2] + s[3] + s[4] + s[5] + s[6] + s[7];
}
