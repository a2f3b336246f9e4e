#!/usr/bin/env python3
"""How much spectree's 8-bit activation rounding moves a real model's logits.

Runs reference_forward.py's numpy pass over a GGUF model (weights dequantised by
the PyPI `gguf` package, kept in float32, products in float64) three ways on a
code prompt: float activations (the reference), every quantised matrix's input
rounded to 8-bit blocks of 32 (spectree before the K format), and the K-quant
matrices' inputs rounded with one scale per 256 elements (sk_quantize_act_k, the
rest per 32). Prints, per variant, the logits' error relative to each row's spread
(standard deviation): mean and max over rows and vocabulary, the mean over rows of
each row's largest, and how often the top token differs from the reference's.
Usage: activation_precision.py MODEL.gguf   (needs `pip install gguf numpy`; ~8 GB RAM for 1.5B)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from reference_forward import Model  # noqa: E402

# "def fibonacci(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a"
# in the Qwen2.5 tokenizer (spectree tokenize --no-special).
IDS = [750, 75698, 1445, 982, 262, 264, 11, 293, 284, 220, 15, 11, 220, 16, 198, 262, 369, 716, 304,
       2088, 1445, 982, 286, 264, 11, 293, 284, 293, 11, 264, 488, 293, 198, 262, 470, 264]


def load(path):
    from gguf import GGUFReader
    from gguf.quants import dequantize
    r = GGUFReader(path)
    tensors, kinds = {}, {}
    for ti in r.tensors:
        name = ti.tensor_type.name
        if name not in ("F32", "F16", "BF16"):
            kinds[ti.name] = 256 if name in ("Q4_K", "Q5_K", "Q6_K") else 32
        a = dequantize(ti.data, ti.tensor_type).astype(np.float32)
        tensors[ti.name] = a.reshape([int(s) for s in reversed(list(ti.shape))])
    arch = r.fields["general.architecture"].contents()
    f = lambda k: r.fields[f"{arch}.{k}"].contents()
    config = dict(layers=f("block_count"), dim=f("embedding_length"), heads=f("attention.head_count"),
                  kv_heads=f("attention.head_count_kv"), eps=f("attention.layer_norm_rms_epsilon"),
                  rope_base=f("rope.freq_base"), neox=(arch == "qwen2"))
    return tensors, config, kinds


def main():
    tensors, config, kinds = load(sys.argv[1])
    ref = Model(tensors, config).logits(IDS)
    spread = ref.std(axis=1, keepdims=True)
    variants = {"8-bit, scale per 32 (before)": {n: 32 for n in kinds},
                "8-bit, K-quants per 256 (after)": kinds}
    for label, groups in variants.items():
        out = Model(tensors, config, groups, emulate_activations=True).logits(IDS)
        err = np.abs(out - ref) / spread
        top = (out.argmax(axis=1) != ref.argmax(axis=1)).sum()
        print(f"{label}: error / spread mean {err.mean():.4f}, max {err.max():.4f}, "
              f"mean of row max {err.max(axis=1).mean():.4f}, median row mean {np.median(err.mean(axis=1)):.4f}; "
              f"top token differs in {top} of {len(IDS)} rows")
        print("  row max by position:", " ".join(f"{v:.2f}" for v in err.max(axis=1)))


if __name__ == "__main__":
    main()
