#!/usr/bin/env python3
"""Tiny synthetic qwen2 models, one per supported tensor type, and their
reference logits.

The weights come from a byte stream that Tests/SpecModelsTests/SyntheticModel.swift
reproduces exactly (SplitMix64, tensors in a fixed order, scale fields of each
quantised block overwritten with moderate fp16 values). The Swift test writes
the model with spectree's own GGUF writer and runs it; this script dequantises
the same bytes with the PyPI `gguf` package and runs the independent numpy
forward pass of reference_forward.py. Output:
Tests/SpecModelsTests/Fixtures/reference/synthetic_qwen2_logits.json
"""
import json
import os
import sys

import numpy as np
from gguf import GGMLQuantizationType as Q
from gguf.quants import dequantize

sys.path.insert(0, os.path.dirname(__file__))
from reference_forward import Model  # noqa: E402

CONFIG = dict(layers=2, dim=256, ffn=512, heads=4, kv_heads=2, vocab=64, eps=1e-6, rope_base=10000.0, neox=True)
IDS = [1, 5, 9, 33, 2, 60, 17, 8, 41, 0]
MASK = (1 << 64) - 1

# type: (elements per block, bytes per block, [(byte offset of an fp16 field, base scale, signed)])
BLOCKS = {
    Q.Q4_0: (32, 18, [(0, 0.01, False)]),
    Q.Q4_1: (32, 20, [(0, 0.006, False), (2, 0.05, True)]),
    Q.Q5_0: (32, 22, [(0, 0.005, False)]),
    Q.Q5_1: (32, 24, [(0, 0.003, False), (2, 0.05, True)]),
    Q.Q8_0: (32, 34, [(0, 0.0006, False)]),
    Q.Q4_K: (256, 144, [(0, 0.0001, False), (2, 0.001, False)]),
    Q.Q5_K: (256, 176, [(0, 0.00005, False), (2, 0.001, False)]),
    Q.Q6_K: (256, 210, [(208, 0.00002, False)]),
}
TYPES = [Q.F32, Q.F16, Q.BF16, Q.Q4_0, Q.Q4_1, Q.Q5_0, Q.Q5_1, Q.Q8_0, Q.Q4_K, Q.Q5_K, Q.Q6_K]


class Stream:
    """SplitMix64: the same numbers as spectree's test generator."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        """[0, 1) from the top 24 bits: exact in float32 and float64."""
        return (self.next() >> 40) / float(1 << 24)

    def floats(self, n, scale, offset=0.0):
        return np.array([offset + scale * (2 * self.uniform() - 1) for _ in range(n)], dtype=np.float32)

    def bytes(self, n):
        out = bytearray()
        while len(out) < n:
            out += self.next().to_bytes(8, "little")
        return bytes(out[:n])


def tensor_specs(c):
    """(name, (rows, cols) or (n,), kind) in the order both sides generate them."""
    d, f, kv = c["dim"], c["ffn"], c["dim"] // c["heads"] * c["kv_heads"]
    specs = [("token_embd.weight", (c["vocab"], d), "matrix")]
    for l in range(c["layers"]):
        p = f"blk.{l}."
        specs += [
            (p + "attn_norm.weight", (d,), "norm"),
            (p + "attn_q.weight", (d, d), "matrix"), (p + "attn_q.bias", (d,), "bias"),
            (p + "attn_k.weight", (kv, d), "matrix"), (p + "attn_k.bias", (kv,), "bias"),
            (p + "attn_v.weight", (kv, d), "matrix"), (p + "attn_v.bias", (kv,), "bias"),
            (p + "attn_output.weight", (d, d), "matrix"),
            (p + "ffn_norm.weight", (d,), "norm"),
            (p + "ffn_gate.weight", (f, d), "matrix"), (p + "ffn_up.weight", (f, d), "matrix"),
            (p + "ffn_down.weight", (d, f), "matrix"),
        ]
    specs += [("output_norm.weight", (d,), "norm"), ("output.weight", (c["vocab"], d), "matrix")]
    return specs


def bf16_bytes(x):
    n = x.view(np.uint32).astype(np.uint64)
    n = ((n + (0x7FFF + ((n >> 16) & 1))) >> 16).astype(np.uint16)
    return n.tobytes()


def build(qtype, c=CONFIG, seed=2024):
    """Returns name -> (raw bytes, ggml type, shape) and name -> float64 array."""
    s = Stream(seed + int(qtype))
    raw, dense = {}, {}
    for name, shape, kind in tensor_specs(c):
        n = int(np.prod(shape))
        if kind != "matrix":
            x = s.floats(n, 0.1, 1.0 if kind == "norm" else 0.0)
            raw[name], dense[name] = (x.tobytes(), Q.F32, shape), x.astype(np.float64).reshape(shape)
            continue
        if qtype in (Q.F32, Q.F16, Q.BF16):
            x = s.floats(n, 0.08)
            b = x.tobytes() if qtype == Q.F32 else x.astype(np.float16).tobytes() if qtype == Q.F16 else bf16_bytes(x)
        else:
            elements, size, fields = BLOCKS[qtype]
            blocks = bytearray(s.bytes(n // elements * size))
            for blk in range(n // elements):
                for offset, base, signed in fields:
                    u = s.uniform()
                    v = base * (2 * u - 1) if signed else base * (0.5 + u)
                    at = blk * size + offset
                    blocks[at:at + 2] = np.float16(v).tobytes()
            b = bytes(blocks)
        raw[name] = (b, qtype, shape)
        arr = np.frombuffer(b, dtype=np.uint8)
        dense[name] = dequantize(arr, qtype).astype(np.float64).reshape(shape)
    return raw, dense


def main():
    out = {"config": CONFIG, "ids": IDS, "models": []}
    for qtype in TYPES:
        raw, dense = build(qtype)
        logits = Model(dense, CONFIG).logits(IDS)
        quantized = {n: 256 if t in (Q.Q4_K, Q.Q5_K, Q.Q6_K) else 32      # activation group sizes
                     for n, (_, t, _) in raw.items() if t not in (Q.F32, Q.F16, Q.BF16)}
        logits8 = Model(dense, CONFIG, quantized, emulate_activations=True).logits(IDS)
        out["models"].append({"type": qtype.name, "logits": [[round(float(v), 7) for v in row] for row in logits],
                              "logits_q8": [[round(float(v), 7) for v in row] for row in logits8]})
        print(qtype.name, "argmax", np.argmax(logits, axis=-1).tolist(), "std %.3f" % logits.std(), file=sys.stderr)
    dest = os.path.join(os.path.dirname(__file__), "..", "Tests", "SpecModelsTests", "Fixtures", "reference", "synthetic_qwen2_logits.json")
    with open(dest, "w") as fh:
        json.dump(out, fh, separators=(",", ":"))
    print("wrote", dest, file=sys.stderr)


if __name__ == "__main__":
    main()
