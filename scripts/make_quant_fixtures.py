#!/usr/bin/env python3
"""Writes the dequantisation fixtures of Tests/SpecModelsTests/Fixtures/quant.

For every GGML type spectree supports, one file `<NAME>.bin`:

    offset 0   4 bytes   magic b"SKQF"
    offset 4   u32 LE    GGML type id
    offset 8   u32 LE    element count n
    offset 12  u32 LE    byte count m of the raw blocks
    offset 16  m bytes   raw GGML blocks
    then       4n bytes  float32 LE: gguf-py's `gguf.quants.dequantize` of those blocks

Where gguf-py can quantise the type (F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0)
the blocks are random float data passed through `gguf.quants.quantize`; for the
K-quants (dequantisation only in gguf-py) they are random bytes whose fp16 scale
fields are overwritten with finite, moderate values. The data include all-zero
blocks, outliers, and for F16/BF16 the special values (±0, ±inf, quiet NaN,
subnormals). Fixed seed: the files are reproducible.

Usage: pip install gguf numpy; python3 scripts/make_quant_fixtures.py
"""
import os
import struct

import numpy as np
from gguf import GGMLQuantizationType as T
from gguf import quants

SEED = 20250401
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "SpecModelsTests", "Fixtures", "quant")

# name, type, element count
QUANTISABLE = [("F32", T.F32, 256), ("F16", T.F16, 512), ("BF16", T.BF16, 512),
               ("Q4_0", T.Q4_0, 1024), ("Q4_1", T.Q4_1, 1024), ("Q5_0", T.Q5_0, 1024),
               ("Q5_1", T.Q5_1, 1024), ("Q8_0", T.Q8_0, 1024)]
# name, type, element count, byte offsets of fp16 scale fields within a 256-element block
RANDOM_BLOCKS = [("Q4_K", T.Q4_K, 1024, (0, 2)), ("Q5_K", T.Q5_K, 1024, (0, 2)),
                 ("Q6_K", T.Q6_K, 1024, (208,))]


def float_data(rng, n):
    """Random rows with a per-32-block magnitude, one all-zero block and a few outliers."""
    x = rng.standard_normal(n).astype(np.float32)
    scales = np.exp(rng.uniform(-4, 2, n // 32)).astype(np.float32)
    x *= np.repeat(scales, 32)
    x[32:64] = 0.0                                   # an all-zero block
    x[rng.integers(0, n, 4)] *= 50.0                 # outliers
    return x


def specials(x, dtype):
    """Puts ±0, ±inf, a quiet NaN and subnormals of `dtype` at the start of x."""
    if dtype == np.float16:
        bits = [0x0000, 0x8000, 0x7C00, 0xFC00, 0x7E00, 0x0001, 0x83FF, 0x0400, 0x7BFF]
        v = np.array(bits, dtype=np.uint16).view(np.float16).astype(np.float32)
    else:  # bfloat16: values exactly representable, so quantisation keeps them
        bits = [0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0x00010000, 0x80400000]
        v = np.array(bits, dtype=np.uint32).view(np.float32)
    x[: len(v)] = v
    return x


def write(name, qtype, n, raw):
    raw = np.ascontiguousarray(raw).view(np.uint8).reshape(-1)
    expected = quants.dequantize(raw, qtype).astype(np.float32).reshape(-1)
    assert expected.size == n, (name, expected.size, n)
    with open(os.path.join(OUT, name + ".bin"), "wb") as f:
        f.write(b"SKQF" + struct.pack("<III", int(qtype), n, raw.size))
        f.write(raw.tobytes())
        f.write(expected.astype("<f4").tobytes())
    print(f"{name:5s} {n:5d} elements, {raw.size:5d} bytes")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(SEED)
    for name, qtype, n in QUANTISABLE:
        x = float_data(rng, n)
        if qtype == T.F16:
            x = specials(x, np.float16)
        elif qtype == T.BF16:
            x = specials(x, "bf16")
        write(name, qtype, n, quants.quantize(x.reshape(4, -1), qtype))
    for name, qtype, n, fp16_offsets in RANDOM_BLOCKS:
        block_bytes = {T.Q4_K: 144, T.Q5_K: 176, T.Q6_K: 210}[qtype]
        nb = n // 256
        raw = rng.integers(0, 256, size=(nb, block_bytes), dtype=np.uint8)
        for b in range(nb):
            for off in fp16_offsets:
                v = np.float16(rng.uniform(0.001, 0.05) * (1 if b % 3 else -1) * (0 if b == 1 and off == 0 else 1))
                raw[b, off:off + 2] = np.frombuffer(v.tobytes(), dtype=np.uint8)
        write(name, qtype, n, raw)


if __name__ == "__main__":
    main()
