#!/bin/sh
# Soak test: SOAK_STEPS (default 10000) speculative steps on the small model
# with the method, shape, temperature and draft source changing and the
# prompt renewed along the way, resident memory sampled every 50 steps.
# Exits non-zero unless memory stays flat after the warm-up (a fifth of the
# steps). Usage: scripts/soak.sh [spectree-binary] [steps]
set -eu
BIN=${1:-.build/release/spectree}
STEPS=${2:-10000}
exec "$BIN" bench soak --steps "$STEPS" --context 1024
