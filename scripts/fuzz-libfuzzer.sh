#!/bin/sh
# Coverage-guided fuzzing of the GGUF reader with libFuzzer, for SECONDS
# (default 60). Builds a small harness (Fuzz/GGUFLibFuzzer.swift with
# Sources/SpecModels/GGUF and the kernels' block table) with
# `swiftc -sanitize=fuzzer,address`, seeds its corpus with the small model's
# header and the synthetic files the fuzz tests write, and prints libFuzzer's
# executions and coverage. Skips (exit 0) when the toolchain has no libFuzzer.
set -eu
SECONDS_TO_RUN=${1:-60}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/.build/libfuzzer"
MODEL="${SPECTREE_MODELS:-$HOME/.cache/spectree/models}/SmolLM2-135M-Instruct.Q4_1.gguf"
mkdir -p "$OUT/module" "$OUT/corpus"

if ! find "$(dirname "$(dirname "$(command -v swiftc)")")" -name 'libclang_rt.fuzzer-*.a' | grep -q .; then
    echo "libFuzzer is not available in this toolchain: skipped"
    exit 0
fi

# The kernels' block-size table, as a C module for GGMLType.
cat > "$OUT/module/module.modulemap" <<MAP
module CKernels {
    header "$ROOT/Sources/CKernels/include/CKernels.h"
    export *
}
MAP
echo "building the libFuzzer harness (log: $OUT/build.log)"
{
clang -O1 -g -fsanitize=fuzzer-no-link,address -I "$ROOT/Sources/CKernels/include" \
    -c "$ROOT/Sources/CKernels/sk_types.c" -o "$OUT/sk_types.o"
swiftc -O -g -sanitize=fuzzer,address -parse-as-library -module-name GGUFLibFuzzer \
    -I "$OUT/module" -Xcc -I -Xcc "$ROOT/Sources/CKernels/include" \
    "$ROOT/Fuzz/GGUFLibFuzzer.swift" "$ROOT"/Sources/SpecModels/GGUF/*.swift "$OUT/sk_types.o" \
    -o "$OUT/gguf-fuzzer"
} > "$OUT/build.log" 2>&1 || { tail -20 "$OUT/build.log"; exit 1; }

# Seeds: the start of the real header (its first 64 KiB: header, early
# metadata) and small files from GGUFWriter (written by the harness at start).
if [ -f "$MODEL" ]; then head -c 65536 "$MODEL" > "$OUT/corpus/smollm2-head.gguf"; fi

echo "libFuzzer on the GGUF reader for $SECONDS_TO_RUN s"
SPECTREE_FUZZ_SEED_DIR="$OUT/corpus" "$OUT/gguf-fuzzer" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 \
    -rss_limit_mb=4096 -timeout=10 -print_final_stats=1 "$OUT/corpus" > "$OUT/last-run.log" 2>&1 || true
grep -E 'INITED|DONE|stat::|ERROR|SUMMARY|Done [0-9]+ runs' "$OUT/last-run.log" || true
grep -q "ERROR: libFuzzer\|SUMMARY: AddressSanitizer\|Fatal error" "$OUT/last-run.log" && exit 1
exit 0
