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
FIGURE_TARGET ?= $(MODELS)/Qwen2.5-Coder-1.5B-Instruct.Q4_K_M.gguf
FIGURE_DRAFT ?= $(MODELS)/Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf
FIGURES := docs/figures

figures: build
	@test -f $(FIGURE_TARGET) && test -f $(FIGURE_DRAFT) || { echo "make figures needs the pair: $(FIGURE_TARGET) and $(FIGURE_DRAFT)"; exit 1; }
	mkdir -p $(FIGURES)
	$(BIN) bench methods --model $(FIGURE_TARGET) --draft $(FIGURE_DRAFT) --quick --plot $(FIGURES)/methods.svg > $(FIGURES)/methods.txt && cat $(FIGURES)/methods.txt
	$(BIN) bench draft-depth --model $(FIGURE_TARGET) --draft $(FIGURE_DRAFT) --quick --layers 4,14 --plot $(FIGURES)/draft-depth.svg > $(FIGURES)/draft-depth.txt && cat $(FIGURES)/draft-depth.txt
	$(BIN) tune --model $(FIGURE_TARGET) --draft $(FIGURE_DRAFT) --quick --plot $(FIGURES)/tune.svg > $(FIGURES)/tune.txt && cat $(FIGURES)/tune.txt
	$(BIN) bench runtime --model $(FIGURE_TARGET) --plot $(FIGURES)/runtime.svg > $(FIGURES)/runtime.txt && cat $(FIGURES)/runtime.txt

clean:
	rm -rf .build
