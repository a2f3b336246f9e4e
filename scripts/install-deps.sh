#!/usr/bin/env bash
# Installs the Debian packages spectree builds and tests with, if any is missing.
# Idempotent and quick when everything is in place (one dpkg query).
set -euo pipefail
packages=(pkg-config libncursesw5-dev libopenblas-dev tmux)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "spectree: installing ${missing[*]} …" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"; } >&2; then
    echo "spectree: could not install ${missing[*]}; install them by hand: apt-get install ${missing[*]}" >&2
    exit 1
fi
