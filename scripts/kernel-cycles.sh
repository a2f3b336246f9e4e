#!/bin/sh
# Builds scripts/kernel-cycles.c against the CKernels sources with the package's flags
# and runs it for Q4_K and Q6_K at k = 1536 (or for the type and k given).
set -e
cd "$(dirname "$0")/.."
out="${TMPDIR:-/tmp}/spectree-kernel-cycles"
clang -O3 -fno-math-errno -ISources/CKernels/include Sources/CKernels/*.c scripts/kernel-cycles.c -o "$out" -lpthread -lm
if [ $# -gt 0 ]; then "$out" "$@"; else "$out" 12 1536; "$out" 14 1536; fi
