#!/usr/bin/env bash
# Makes sure TorchSharp's native layer can load on this machine.
#
# TorchSharp 0.107's libLibTorchSharp.so is built against GCC 13's libstdc++ (symbol version
# GLIBCXX_3.4.32). Debian 12 ships GCC 12's. The fix, verified on Debian 12: add Debian 13 ("trixie")
# as an apt source pinned at priority 100 (so nothing is upgraded from it by accident) and install libstdc++6
# from it, with the newer packages it depends on (libc6, dpkg, zstd, base-files, ...). Idempotent: it does
# nothing when the symbol is already there.
set -euo pipefail

needed=GLIBCXX_3.4.32
say() { printf 'rnnrunner setup: %s\n' "$*" >&2; }

libstdcxx_path() {
  ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}'
}

has_symbol() {
  local lib; lib=$(libstdcxx_path)
  [ -n "$lib" ] && grep -aq "$needed" "$lib"
}

if has_symbol; then
  exit 0
fi

say "TorchSharp needs $needed (GCC 13's libstdc++); this machine's $(libstdcxx_path || echo libstdc++) lacks it."

if [ ! -r /etc/os-release ] || ! grep -q '^ID=debian' /etc/os-release; then
  say "not a Debian machine: install a libstdc++6 from GCC 13 or newer with your package manager, then retry."
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=sudo
  command -v sudo >/dev/null || { say "run this script as root (it installs libstdc++6 from Debian 13)."; exit 1; }
else
  sudo_cmd=
fi

say "installing libstdc++6 (and the libc6 it needs) from Debian 13 (trixie), pinned at low priority (~20 s)..."
$sudo_cmd tee /etc/apt/sources.list.d/rnnrunner-trixie.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
$sudo_cmd tee /etc/apt/preferences.d/rnnrunner-trixie >/dev/null <<'PIN'
# Added by RnnRunner's setup: take packages from trixie only when asked for with -t trixie.
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update -qq -o Dpkg::Use-Pty=0 >/dev/null
$sudo_cmd apt-get install -y -qq -o Dpkg::Use-Pty=0 -t trixie libstdc++6 >/dev/null

if has_symbol; then
  say "done: $(libstdcxx_path) now provides $needed."
else
  say "libstdc++6 from trixie was installed but $needed is still missing; see docs/guide/engines.md, 'Native dependencies'."
  exit 1
fi
