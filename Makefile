# spectree: two commands set up a fresh Debian machine.
#   make demo   installs what is missing, fetches the default model, builds (release) and runs the live screen
#   make test   installs what is missing and runs the test suite
# Both are idempotent and quick when everything is already in place.

SWIFT ?= swift
MODELS ?= $(or $(SPECTREE_MODELS),$(HOME)/.cache/spectree/models)
export SPECTREE_MODELS := $(MODELS)
# Debian's OpenBLAS misdetects virtualised CPUs and falls back to generic
# kernels; spectree also sets this itself (re-exec) when it is missing.
export OPENBLAS_CORETYPE ?= $(shell grep -q avx512f /proc/cpuinfo 2>/dev/null && echo SkylakeX || echo Haswell)

BIN := .build/release/spectree

.PHONY: demo test bench build deps model clean fuzz soak

deps:
	@scripts/install-deps.sh

model:
	@scripts/fetch-model.sh

build: deps
	$(SWIFT) build -c release --product spectree

demo: deps model build
	$(BIN) run

test: deps model
	$(SWIFT) test -c release --no-parallel

bench: deps model build
	$(BIN) bench runtime
	$(BIN) bench speculative
	$(BIN) bench ui

# Fuzz the GGUF reader, the model loader and the trace reader for FUZZ_SECONDS
# (default 300) with seed FUZZ_SEED; then libFuzzer on the GGUF parser when
# this toolchain can build it (scripts/fuzz-libfuzzer.sh).
FUZZ_SECONDS ?= 300
FUZZ_SEED ?= $(shell date +%s)
fuzz: deps model
	SPECTREE_FUZZ_SECONDS=$(FUZZ_SECONDS) SPECTREE_FUZZ_SEED=$(FUZZ_SEED) $(SWIFT) test -c release --filter FuzzTests
	@scripts/fuzz-libfuzzer.sh $(FUZZ_SECONDS)

# 10 000 speculative steps on the small model, settings and prompts changing,
# resident memory sampled: fails unless it stays flat after warm-up.
SOAK_STEPS ?= 10000
soak: deps model build
	@scripts/soak.sh $(BIN) $(SOAK_STEPS)

clean:
	rm -rf .build
