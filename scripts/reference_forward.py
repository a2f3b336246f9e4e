#!/usr/bin/env python3
"""An independent reference forward pass for spectree's tests.

Plain numpy in float64 over tensors dequantised by the PyPI `gguf` package
(never spectree's own code), for the `llama` and `qwen2` architectures:
RMSNorm, RoPE (GGML "normal" adjacent-pair ordering for llama, NeoX half-split
ordering for qwen2), grouped-query causal attention, SwiGLU, optional QKV bias,
tied or separate output matrix.

Usage as a library: `Model(tensors, config).logits(ids)`; as a script it writes
the fixture `Tests/SpecModelsTests/Fixtures/reference/smollm2_logits.json` for
the default model (requires `pip install gguf numpy`).
"""
import json
import os
import sys

import numpy as np


def rms_norm(x, w, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * w


def rope(x, positions, base, neox):
    """x: (T, heads, head_dim); rotates pairs by position * base^(-2i/d)."""
    d = x.shape[-1]
    inv = base ** (-np.arange(0, d, 2, dtype=np.float64) / d)  # (d/2,)
    ang = np.asarray(positions, dtype=np.float64)[:, None] * inv[None, :]  # (T, d/2)
    cos, sin = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
    out = np.empty_like(x)
    if neox:
        a, b = x[..., : d // 2], x[..., d // 2 :]
        out[..., : d // 2] = a * cos - b * sin
        out[..., d // 2 :] = a * sin + b * cos
    else:
        a, b = x[..., 0::2], x[..., 1::2]
        out[..., 0::2] = a * cos - b * sin
        out[..., 1::2] = a * sin + b * cos
    return out


def quantize_activations(x, group=32):
    """spectree's (and llama.cpp's) 8-bit activation blocks, emulated in float32:
    per group of `group` elements (32; 256 for the K-quant matrices, spectree's
    sk_quantize_act_k), d = max|x| / 127, q = round-half-even(x * (1 / d)); returns q * d."""
    x32 = np.asarray(x, dtype=np.float32).reshape(-1, group)
    d = np.abs(x32).max(axis=1, keepdims=True) / np.float32(127)
    inv = np.where(d != 0, np.float32(1) / np.where(d != 0, d, np.float32(1)), np.float32(0)).astype(np.float32)
    q = np.rint(x32 * inv)
    return (q.astype(np.float64) * d.astype(np.float64)).reshape(np.shape(x))


class Model:
    """tensors: name -> float64 array in (rows, cols) order; config: dict.

    `quantized`: names of matrices stored in a block-quantised type, or a dict of
    name -> activation group size (32, or 256 for K-quants). When
    `emulate_activations` is set, their inputs are rounded to 8-bit blocks first
    (the scheme spectree's integer kernels use); otherwise everything is float64.
    """

    def __init__(self, tensors, config, quantized=(), emulate_activations=False):
        self.t = tensors
        self.c = config
        groups = quantized if isinstance(quantized, dict) else {n: 32 for n in quantized}
        self.quantized = dict(groups) if emulate_activations else {}

    def mm(self, x, name):
        """x @ W.T for the matrix `name`, with activation rounding if it applies."""
        if name in self.quantized:
            x = quantize_activations(x, self.quantized[name])
        return x @ self.t[name].T

    def logits(self, ids):
        c, t = self.c, self.t
        T = len(ids)
        nh, nkv, dim = c["heads"], c["kv_heads"], c["dim"]
        hd = dim // nh
        x = t["token_embd.weight"][np.asarray(ids)]  # (T, dim)
        pos = np.arange(T)
        mask = np.triu(np.full((T, T), -np.inf), k=1)
        for l in range(c["layers"]):
            p = f"blk.{l}."
            h = rms_norm(x, t[p + "attn_norm.weight"], c["eps"])
            q = self.mm(h, p + "attn_q.weight")
            k = self.mm(h, p + "attn_k.weight")
            v = self.mm(h, p + "attn_v.weight")
            if p + "attn_q.bias" in t:
                q += t[p + "attn_q.bias"]
                k += t[p + "attn_k.bias"]
                v += t[p + "attn_v.bias"]
            q = rope(q.reshape(T, nh, hd), pos, c["rope_base"], c["neox"])
            k = rope(k.reshape(T, nkv, hd), pos, c["rope_base"], c["neox"])
            v = v.reshape(T, nkv, hd)
            out = np.empty((T, nh, hd))
            for head in range(nh):
                kv = head // (nh // nkv)
                s = q[:, head, :] @ k[:, kv, :].T / np.sqrt(hd) + mask
                s = np.exp(s - s.max(axis=-1, keepdims=True))
                s /= s.sum(axis=-1, keepdims=True)
                out[:, head, :] = s @ v[:, kv, :]
            x = x + self.mm(out.reshape(T, dim), p + "attn_output.weight")
            h = rms_norm(x, t[p + "ffn_norm.weight"], c["eps"])
            g = self.mm(h, p + "ffn_gate.weight")
            u = self.mm(h, p + "ffn_up.weight")
            x = x + self.mm(g / (1 + np.exp(-g)) * u, p + "ffn_down.weight")
        x = rms_norm(x, t["output_norm.weight"], c["eps"])
        return self.mm(x, "output.weight" if "output.weight" in t else "token_embd.weight")  # (T, vocab)


def load_gguf(path):
    """Dequantises every tensor of a GGUF file with the gguf package."""
    from gguf import GGUFReader
    from gguf.quants import dequantize

    r = GGUFReader(path)
    tensors, quantized = {}, {}
    for ti in r.tensors:
        if ti.tensor_type.name not in ("F32", "F16", "BF16"):
            quantized[ti.name] = 256 if ti.tensor_type.name in ("Q4_K", "Q5_K", "Q6_K") else 32
        a = dequantize(ti.data, ti.tensor_type).astype(np.float64)
        shape = [int(s) for s in reversed(list(ti.shape))]
        tensors[ti.name] = a.reshape(shape)
    arch = r.fields["general.architecture"].contents()
    f = lambda k: r.fields[f"{arch}.{k}"].contents()
    config = dict(
        layers=f("block_count"), dim=f("embedding_length"), heads=f("attention.head_count"),
        kv_heads=f("attention.head_count_kv"), eps=f("attention.layer_norm_rms_epsilon"),
        rope_base=f("rope.freq_base"), neox=(arch == "qwen2"),
    )
    return tensors, config, quantized


# Token ids of the prompts (from the model's own tokenizer, fixed here so the
# fixture does not depend on any tokenizer implementation).
PROMPTS = {
    "story": "Once upon a time, there was a little fox who",
    "chat": "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n",
    "code": "def fibonacci(n):\n    if n < 2:\n        return n\n",
}


def main():
    models = os.environ.get("SPECTREE_MODELS", os.path.expanduser("~/.cache/spectree/models"))
    path = os.path.join(models, "SmolLM2-135M-Instruct.Q4_1.gguf")
    tensors, config, quantized = load_gguf(path)
    model = Model(tensors, config)
    emulated = Model(tensors, config, quantized, emulate_activations=True)
    # Two layers only (the self-draft spectree calls self:2): too shallow for the
    # rounding of 8-bit activations to be amplified, so the tight comparison.
    shallow = Model(tensors, dict(config, layers=2), quantized, emulate_activations=True)
    from tokenizers import Tokenizer  # only to turn the prompts into ids once
    from gguf import GGUFReader

    r = GGUFReader(path)
    tok_field = r.fields["tokenizer.ggml.tokens"]
    merges_field = r.fields["tokenizer.ggml.merges"]
    tokens = [bytes(tok_field.parts[i]).decode() for i in tok_field.data]
    merges = [bytes(merges_field.parts[i]).decode() for i in merges_field.data]
    from tokenizers import models as tm, pre_tokenizers as tp, decoders as td
    bpe = Tokenizer(tm.BPE(vocab={t: i for i, t in enumerate(tokens)}, merges=[tuple(m.split(" ", 1)) for m in merges]))
    bpe.pre_tokenizer = tp.Sequence([tp.Digits(individual_digits=True), tp.ByteLevel(add_prefix_space=False, use_regex=True)])
    bpe.decoder = td.ByteLevel()
    bpe.add_special_tokens([t for t in tokens if t.startswith("<|") or t in ("<repo_name>", "<reponame>")])

    rng = np.random.default_rng(7)
    probe = sorted(rng.choice(len(tokens), size=64, replace=False).tolist())
    out = {"model": os.path.basename(path), "prompts": []}
    for name, text in PROMPTS.items():
        ids = bpe.encode(text).ids
        logits = model.logits(ids)
        logits8 = emulated.logits(ids)
        logits2 = shallow.logits(ids)
        rows = []
        for row, row8, row2 in zip(logits, logits8, logits2):
            top = np.argsort(-row, kind="stable")[:16].tolist()
            idx = sorted(set(probe) | set(top))
            rows.append({"argmax": int(np.argmax(row)), "ids": idx, "logits": [round(float(row[i]), 6) for i in idx],
                         "logits_q8": [round(float(row8[i]), 6) for i in idx],
                         "two_layers_q8": [round(float(row2[i]), 6) for i in idx]})
        out["prompts"].append({"name": name, "text": text, "ids": ids, "rows": rows})
        print(name, ids[:8], "argmax of last row:", int(np.argmax(logits[-1])), file=sys.stderr)
    dest = os.path.join(os.path.dirname(__file__), "..", "Tests", "SpecModelsTests", "Fixtures", "reference", "smollm2_logits.json")
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest, "w") as fh:
        json.dump(out, fh, separators=(",", ":"))
    print("wrote", dest, file=sys.stderr)


if __name__ == "__main__":
    main()
