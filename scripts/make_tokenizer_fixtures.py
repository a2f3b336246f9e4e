#!/usr/bin/env python3
"""Reference fixtures for spectree's tokenizers.

Writes, under Tests/SpecModelsTests/Fixtures/tokenizer/:

  pretokenizer_splits.json  tricky strings split by the Python `regex` module with
                            the exact patterns llama.cpp's llama-vocab.cpp gives
                            each named pre-tokenizer (applied in sequence: each
                            pattern splits every piece of the previous one, and
                            text between matches is kept as its own piece).
  smollm2_reference.json    expected SmolLM2-135M-Instruct token ids for the same
                            strings, from an independent Hugging Face `tokenizers`
                            BPE built from the GGUF's vocabulary and merges.
  sentencepiece_tiny.json   a tiny SentencePiece BPE model (byte fallback) trained
                            here on a small fixed corpus: its vocabulary, scores,
                            types, and the ids `sentencepiece` gives the strings.

and, NOT committed, the SmolLM2 vocabulary dump the Swift tests read until the
GGUF reader is wired in:

  $SPECTREE_TOKENIZER_DUMP (default ~/.cache/spectree/tokenizer/smollm2_vocab.json)

Needs: pip install gguf tokenizers regex sentencepiece
The model: $SPECTREE_MODELS/SmolLM2-135M-Instruct.Q4_1.gguf
           (default directory ~/.cache/spectree/models).
"""

import io
import json
import os
import sys
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "SpecModelsTests" / "Fixtures" / "tokenizer"
MODELS = Path(os.environ.get("SPECTREE_MODELS", Path.home() / ".cache" / "spectree" / "models"))
MODEL = MODELS / "SmolLM2-135M-Instruct.Q4_1.gguf"
DUMP = Path(os.environ.get(
    "SPECTREE_TOKENIZER_DUMP",
    Path.home() / ".cache" / "spectree" / "tokenizer" / "smollm2_vocab.json"))

# ---------------------------------------------------------------------------
# Pre-tokenizer patterns, as llama.cpp's llama-vocab.cpp lists them.

GPT2 = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"
LLAMA3 = (r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+"
          r"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2 = (r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+"
         r"|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
PRETOKENIZERS = {
    "gpt2": [GPT2],
    "smollm": [r"\p{N}", GPT2],
    "llama-bpe": [LLAMA3],
    "qwen2": [QWEN2],
    "default": [r"[\p{P}\$\+<=>\^~\|]+", GPT2, r"\p{N}+", r"[0-9][0-9][0-9]"],
}


def split_one(pattern, text):
    """Matches of `pattern` in `text`, with the text between matches kept as pieces."""
    pieces, last = [], 0
    for m in regex.finditer(pattern, text):
        if m.start() > last:
            pieces.append(text[last:m.start()])
        if m.end() > m.start():
            pieces.append(m.group())
        last = m.end()
    if last < len(text):
        pieces.append(text[last:])
    return pieces


def split(patterns, text):
    pieces = [text] if text else []
    for pattern in patterns:
        pieces = [p for piece in pieces for p in split_one(pattern, piece)]
    return pieces


# ---------------------------------------------------------------------------
# Tricky strings (Swift strings cannot hold invalid UTF-8, so none here).

TRICKY = [
    "",
    " ",
    "   ",
    "Hello world",
    "  leading spaces",
    "trailing spaces   ",
    "multiple   spaces   inside  words",
    "\ttab\tseparated\t values \t\t",
    "line1\nline2\n\nline4\r\nline5\n",
    "\n\n\n",
    " \n \n x\n\t\ny",
    "Hello world! 123",
    " 1 22 333 4444 55555",
    "12345678901234567890",
    "3.14159 and 1,000,000 and 0x1F and v2.0.1",
    "x=42; y = -17.5e+3; z=1/3",
    "abc123def 4x4 B52",
    "Arabic-Indic \u0663\u0664\u0665, superscript \u00b2, half \u00bd, roman \u216b",
    "I'm can't won't they've we'll she'd it's",
    "I'M CAN'T WE'LL IT'S THEY'VE SHE'D YOU'RE",
    "'s 'S 'll 'LL 're 'RE 'x ''s",
    "rock 'n' roll ''quoted'' 'single'",
    "\u2019curly\u2019 apostrophe don\u2019t",
    "Wait... what?!?! (really) [yes] {no} <tag/> --- *** ### @@@",
    "a.b,c;d:e!f?g \"quoted\" `code` ~tilde~ ^caret^ |pipe| $dollar +plus+ <=>",
    "...\n!!!\r\n???\n\n;",
    "I \u2764\ufe0f Swift \U0001f98a\U0001f525",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 family, "
    "\U0001f3f3\ufe0f\u200d\U0001f308 flag, \U0001f44d\U0001f3fd skin tone",
    "\U0001f600\U0001f603\U0001f604\U0001f601\U0001f606",
    "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u3068\u4e2d\u6587\u6587\u672c\uff0c"
    "\u8fd8\u6709\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8\u3002",
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645! "
    "\u0647\u0630\u0627 \u0627\u062e\u062a\u0628\u0627\u0631.",
    "Caf\u00e9 d\u00e9j\u00e0 vu \u2014 na\u00efve fa\u00e7ade, S\u00e3o Paulo, Z\u00fcrich",
    "e\u0301 a\u0300 n\u0303 (decomposed) vs \u00e9 \u00e0 \u00f1",
    "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440! "
    "\u0393\u03b5\u03b9\u03ac \u03c3\u03bf\u03c5 \u039a\u03cc\u03c3\u03bc\u03b5",
    "\u2211\u1d62 x\u1d62\u00b2 \u2264 \u221e \u2200\u03b5>0 \u2203\u03b4",
    "func greet(_ name: String) -> String {\n    return \"Hello, \\(name)!\"\n}\n",
    "def f(x):\n    if x > 0:\n        return x ** 2\n    return -x\n",
    "\tif x {\n\t\ty()\n\t}\n",
    "https://example.com/path?q=1&r=2#frag user@example.org",
    "supercalifragilisticexpialidocious pneumonoultramicroscopicsilicovolcanoconiosis",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "!!!!!!!!!!!!!!!!!!!!!!!!!",
    "                                x",
    "\u00a0non-breaking\u00a0space \u3000ideographic\u2028line-sep\u0085next-line",
    "zero\u200bwidth \u000bvertical\u000cform",
    "control \u0001\u001f chars \u007f",
    "<|im_start|>system\nYou are a helpful AI assistant.<|im_end|>\n"
    "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
    "<|endoftext|><|im_start|><|im_end|>",
    "<|im_start <|im_end|x <|im_end|>> <<|im_start|>",
    "<reponame>spectree<filename>main.swift<file_sep>",
]


# Seeded random strings over an alphabet of the characters the patterns treat
# specially, to catch scanner mistakes no hand-picked string shows.

FUZZ_ALPHABET = [
    " ", "  ", "\t", "\n", "\r", "\r\n", "\u000b", "\u00a0", "\u3000", "\u2028", "\u0085",
    "a", "Z", "word", "\u00e9", "\u01c5", "\u02b0", "\u65e5", "\u0645",
    "'", "s", "S", "ll", "LL", "re", "ve", "t", "d", "m",
    "1", "23", "456", "\u0663", "\u00b2", "\u216b",
    ".", ",", "!", "?", "(", ")", "-", "_", "$", "+", "<", "=", ">", "^", "~", "|", "`", "@", "#",
    "\u2019", "\u2014", "\u00ab", "\u0301", "\u200b", "\u00ad", "\U0001f98a", "\u2764\ufe0f",
]


def fuzz_strings(count, seed):
    import random
    rng = random.Random(seed)
    return ["".join(rng.choice(FUZZ_ALPHABET) for _ in range(rng.randint(1, 14))) for _ in range(count)]


FUZZ = fuzz_strings(240, seed=7)


# ---------------------------------------------------------------------------
# SmolLM2 (byte-level BPE, pre-tokenizer "smollm").

def read_gguf_vocab(path):
    import gguf
    reader = gguf.GGUFReader(str(path))

    def get(key, default=None):
        field = reader.fields.get(key)
        return default if field is None else field.contents()

    return {
        "model": get("tokenizer.ggml.model"),
        "pre": get("tokenizer.ggml.pre"),
        "tokens": list(get("tokenizer.ggml.tokens")),
        "token_types": [int(t) for t in get("tokenizer.ggml.token_type")],
        "merges": list(get("tokenizer.ggml.merges")),
        "bos_id": get("tokenizer.ggml.bos_token_id"),
        "eos_id": get("tokenizer.ggml.eos_token_id"),
        "unknown_id": get("tokenizer.ggml.unknown_token_id"),
        "padding_id": get("tokenizer.ggml.padding_token_id"),
        "add_bos": bool(get("tokenizer.ggml.add_bos_token", False)),
        "add_eos": bool(get("tokenizer.ggml.add_eos_token", False)),
        "add_space_prefix": bool(get("tokenizer.ggml.add_space_prefix", False)),
    }


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable character table."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def smollm2_reference(vocab):
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

    tokens = vocab["tokens"]
    ids = {t: i for i, t in enumerate(tokens)}
    merges = [tuple(m.split(" ", 1)) for m in vocab["merges"]]

    def build(with_special):
        tok = Tokenizer(models.BPE(vocab=ids, merges=merges))
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        ])
        tok.decoder = decoders.ByteLevel()
        if with_special:
            special = [tokens[i] for i, t in enumerate(vocab["token_types"]) if t in (3, 4)]
            tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in special])
        return tok

    hf_special, hf_plain = build(True), build(False)
    model = hf_plain.model
    b2u = bytes_to_unicode()

    def llama_cpp_style(text):
        """Independent second reference: llama.cpp's smollm regexes run by the
        `regex` module, then the BPE model on each byte-mapped piece."""
        out = []
        for piece in split(PRETOKENIZERS["smollm"], text):
            mapped = "".join(b2u[b] for b in piece.encode("utf-8"))
            out.extend(t.id for t in model.tokenize(mapped))
        return out

    cases = []
    for text in TRICKY + FUZZ[:120]:
        with_special = hf_special.encode(text, add_special_tokens=False).ids
        plain = hf_plain.encode(text, add_special_tokens=False).ids
        second = llama_cpp_style(text)
        if plain != second:
            sys.exit(f"smollm references disagree on {text!r}:\n  HF  {plain}\n  re  {second}")
        decoded = hf_plain.decode(plain)
        if decoded != text:
            sys.exit(f"HF byte-level round trip failed for {text!r}: {decoded!r}")
        cases.append({"text": text, "ids": with_special, "ids_no_special": plain})
    return cases


# ---------------------------------------------------------------------------
# A tiny SentencePiece BPE model.

SPM_CORPUS = """\
The quick brown fox jumps over the lazy dog.
A little fox lived near the river, and every morning it ran along the bank.
Speculative decoding drafts several tokens and verifies them in one call.
The draft model is small and fast; the target model is large and slow.
Tokens that the target accepts are kept, the first rejected one is resampled.
Trees of drafts let the target check many continuations at once.
Numbers like 42, 3.14 and 2024 appear in text too.
Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e, na\u00efve r\u00e9sum\u00e9.
Don't stop: we'll see what they've done, isn't it?
    Indented lines    keep their    spaces.
\tTabs\tare\tcharacters\ttoo.
""" * 3


def sentencepiece_fixture():
    import sentencepiece as spm

    spm.set_random_generator_seed(1234)
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(SPM_CORPUS.splitlines()),
        model_writer=buffer,
        model_type="bpe",
        vocab_size=420,
        byte_fallback=True,
        character_coverage=1.0,
        normalization_rule_name="identity",
        remove_extra_whitespaces=False,
        add_dummy_prefix=True,
        allow_whitespace_only_pieces=True,
        split_digits=True,
        num_threads=1,
        minloglevel=2,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1,
    )
    sp = spm.SentencePieceProcessor(model_proto=buffer.getvalue())

    def kind(i):
        if sp.is_unknown(i):
            return 2
        if sp.is_control(i):
            return 3
        if sp.is_unused(i):
            return 5
        if sp.is_byte(i):
            return 6
        return 1

    n = sp.get_piece_size()
    vocab = {
        "tokens": [sp.id_to_piece(i) for i in range(n)],
        "scores": [sp.get_score(i) for i in range(n)],
        "token_types": [kind(i) for i in range(n)],
        "bos_id": sp.bos_id(),
        "eos_id": sp.eos_id(),
        "unknown_id": sp.unk_id(),
        "add_space_prefix": True,
    }
    cases = []
    for text in TRICKY + FUZZ[:120]:
        ids = sp.encode(text)
        cases.append({"text": text, "ids": ids, "decoded": sp.decode(ids)})
    return vocab, cases


# ---------------------------------------------------------------------------

def write_json(path, value, compact=False):
    """Writes JSON; a fixture gets one line per key and per case, so diffs stay readable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if compact:
        text = json.dumps(value, ensure_ascii=True)
    else:
        lines = []
        for key, item in value.items():
            if key == "cases":
                cases = ",\n".join("  " + json.dumps(c, ensure_ascii=True) for c in item)
                lines.append(f' "cases": [\n{cases}\n ]')
            else:
                lines.append(f" {json.dumps(key)}: {json.dumps(item, ensure_ascii=True)}")
        text = "{\n" + ",\n".join(lines) + "\n}"
    path.write_text(text + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")


def main():
    splits = {"patterns": PRETOKENIZERS,
              "cases": [{"text": t, "splits": {name: split(p, t) for name, p in PRETOKENIZERS.items()}}
                        for t in TRICKY + FUZZ]}
    write_json(FIXTURES / "pretokenizer_splits.json", splits)

    spm_vocab, spm_cases = sentencepiece_fixture()
    write_json(FIXTURES / "sentencepiece_tiny.json", {"vocabulary": spm_vocab, "cases": spm_cases})

    if not MODEL.exists():
        sys.exit(f"model not found: {MODEL} (set SPECTREE_MODELS)")
    vocab = read_gguf_vocab(MODEL)
    assert vocab["model"] == "gpt2" and vocab["pre"] == "smollm", (vocab["model"], vocab["pre"])
    write_json(DUMP, vocab, compact=True)
    cases = smollm2_reference(vocab)
    write_json(FIXTURES / "smollm2_reference.json", {
        "model": MODEL.name,
        "pre": vocab["pre"],
        "vocabulary_size": len(vocab["tokens"]),
        "merges_count": len(vocab["merges"]),
        "cases": cases,
    })


if __name__ == "__main__":
    main()
