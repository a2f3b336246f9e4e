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
clang -O1 -g -fsanitize=fuzzer-no-link,address -I "$ROOT/Sources/CKernels/include" \
    -c "$ROOT/Sources/CKernels/sk_types.c" -o "$OUT/sk_types.o"
swiftc -O -g -sanitize=fuzzer,address -parse-as-library -module-name GGUFLibFuzzer \
    -I "$OUT/module" -Xcc -I -Xcc "$ROOT/Sources/CKernels/include" \
    "$ROOT/Fuzz/GGUFLibFuzzer.swift" "$ROOT"/Sources/SpecModels/GGUF/*.swift "$OUT/sk_types.o" \
    -o "$OUT/gguf-fuzzer"

# Seeds: the real header (first 2 MB) and a few synthetic files, if present.
if [ -f "$MODEL" ]; then head -c 2000000 "$MODEL" > "$OUT/corpus/smollm2-head.gguf"; fi
for f in "$ROOT"/Tests/FuzzTests/Fixtures/*.gguf; do [ -f "$f" ] && cp "$f" "$OUT/corpus/"; done

"$OUT/gguf-fuzzer" -max_total_time="$SECONDS_TO_RUN" -max_len=4000000 -rss_limit_mb=4096 \
    -timeout=10 -print_final_stats=1 "$OUT/corpus" 2>&1 | tee "$OUT/last-run.log" \
    | grep -E '^#[0-9]+ +(DONE|INITED)|stat::|ERROR|SUMMARY|Done [0-9]+ runs' || true
grep -q "ERROR: libFuzzer\|SUMMARY: AddressSanitizer\|Fatal error" "$OUT/last-run.log" && exit 1
exit 0
