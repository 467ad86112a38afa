#!/usr/bin/env bash
# Runs exported models' model.py under Debian 13's PyTorch 2.6 beside their model.onnx under Debian's ONNX Runtime 1.21,
# and onnx.checker (onnx 1.17, full check) on the ONNX file - three independent readers of what `rnnrunner export` wrote.
# Usage: sudo scripts/check-pytorch-export.sh RUN_OR_EXPORT_FOLDER...   (a run folder is exported first, to a temporary folder)
# Prints one JSON line per model: {"model", "inputs", "max_abs_difference", "onnx_checker"}; exits 1 if any differs by
# more than 1e-4 or fails the checker. Uses the chroot scripts/pytorch-reference-chroot.sh builds (the host's packages stay
# as they are); needs root and, the first time, Debian's mirror.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root=${PYTORCH_CHROOT:-/opt/trixie-root}
[[ $# -gt 0 ]] || { echo "usage: $0 RUN_OR_EXPORT_FOLDER..." >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "$0: needs root (it enters the chroot $root)" >&2; exit 2; }

if [[ ! -x "$root/usr/bin/python3" ]] || ! chroot "$root" python3 -c "import torch, onnx, onnxruntime" 2>/dev/null; then
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2
  [[ -d "$root/usr" ]] || debootstrap --variant=minbase trixie "$root" http://deb.debian.org/debian >&2
  chroot "$root" bash -c "DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-torch libopenblas0-openmp python3-onnx python3-onnxruntime" >&2
fi
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"

work=$(mktemp -d "$root/tmp/export-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0
n=0
for folder in "$@"; do
  n=$((n + 1))
  target="$work/$n"
  if [[ -f "$folder/weights.bin" ]]; then
    "$here/../rnnrunner" export "$folder" --format onnx --format safetensors -o "$target" -q >/dev/null
  else
    cp -r "$folder" "$target"
  fi
  inside="/tmp/$(basename "$work")/$n"
  # Debian's onnxruntime prints a schema-registration notice per operator on import; kept out of the way unless it fails.
  if ! line=$(chroot "$root" python3 "$inside/model.py" --check 2>"$work/$n.log"); then status=1; cat "$work/$n.log" | grep -v "Schema error" | grep . >&2 || true; fi
  checker=$(chroot "$root" python3 -c "import onnx; onnx.checker.check_model(onnx.load('$inside/model.onnx'), full_check=True); print('passed')" 2>"$work/$n.checker.log" || echo failed)
  [[ $checker == passed ]] || { status=1; grep -v "Schema error" "$work/$n.checker.log" | grep . >&2 || true; }
  echo "${line%\}}, \"onnx_checker\": \"$checker\", \"from\": \"$folder\"}"
done
exit $status
