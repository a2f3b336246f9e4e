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

.PHONY: demo test bench build deps model clean figures

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

# The README's charts (docs/figures/*.svg, with each run's text beside it),
# regenerated from the real pair: the quick sweeps, some minutes each on 2 cores.
PAIR_TARGET ?= $(MODELS)/Qwen2.5-Coder-1.5B-Instruct.Q4_K_M.gguf
PAIR_DRAFT ?= $(MODELS)/Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf
FIGURES := docs/figures
PAIR := --model $(PAIR_TARGET)

figures: build
	@test -f $(PAIR_TARGET) && test -f $(PAIR_DRAFT) || { echo "make figures needs the pair: $(PAIR_TARGET) and $(PAIR_DRAFT)"; exit 1; }
	mkdir -p $(FIGURES)
	$(BIN) bench methods $(PAIR) --draft $(PAIR_DRAFT) --quick --plot $(FIGURES)/methods.svg | tee $(FIGURES)/methods.txt
	$(BIN) bench draft-depth $(PAIR) --draft $(PAIR_DRAFT) --quick --plot $(FIGURES)/draft-depth.svg | tee $(FIGURES)/draft-depth.txt
	$(BIN) tune $(PAIR) --draft $(PAIR_DRAFT) --quick --plot $(FIGURES)/tune.svg | tee $(FIGURES)/tune.txt
	$(BIN) bench runtime $(PAIR) --plot $(FIGURES)/runtime.svg | tee $(FIGURES)/runtime.txt

clean:
	rm -rf .build
