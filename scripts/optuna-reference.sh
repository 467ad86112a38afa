#!/usr/bin/env bash
# Runs scripts/optuna-reference.py with Debian 13's Optuna 4.1 (python3-optuna) in the trixie chroot that
# scripts/pytorch-reference-chroot.sh also uses, adding python3-optuna to it when missing; prints its JSON lines.
# Needs root, debootstrap and the Debian mirror.
#   sudo scripts/optuna-reference.sh [SEEDS] > optuna.jsonl
#   ./rnnrunner-bench search --optuna optuna.jsonl
set -euo pipefail
root=${PYTORCH_CHROOT:-/opt/trixie-root}
if [[ ! -x "$root/usr/bin/python3" ]] || ! chroot "$root" python3 -c "import optuna" 2>/dev/null; then
  echo "optuna-reference: adding python3-optuna to the Debian 13 chroot in $root ..." >&2
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2
  [[ -d "$root/usr" ]] || debootstrap --variant=minbase trixie "$root" http://deb.debian.org/debian >&2
  chroot "$root" bash -c "DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-optuna" >&2
fi
cp "$(dirname "$0")/optuna-reference.py" "$root/tmp/optuna-reference.py"
chroot "$root" python3 /tmp/optuna-reference.py "$@"
