#!/usr/bin/env bash
# Runs scripts/pytorch-reference.py with Debian 13's PyTorch 2.6 (python3-torch) inside an isolated trixie chroot,
# so the host keeps its own packages (installing python3-torch on Debian 12 directly would upgrade ~420 of them).
# Needs root, debootstrap and the Debian mirror; about two minutes to build the chroot the first time.
# OpenBLAS is installed with it, its OpenMP build: libtorch2.6 only *recommends* an optimised BLAS, and without one
# (--no-install-recommends) ATen's GRU and simple RNN run on the netlib reference BLAS - no fair reference. OpenBLAS'
# default pthread build is worse still beside libtorch's OpenMP threads (both pools spin on 2 cores: simple RNN(64)
# 4.5 s a step against 0.16 s with the OpenMP build, which shares libtorch's libgomp pool).
#   sudo scripts/pytorch-reference-chroot.sh [--flush-denormal] [--no-mkldnn] [--keep-freed-memory] [--kernels] [--threads N]
set -euo pipefail
root=${PYTORCH_CHROOT:-/opt/trixie-root}
if [[ ! -x "$root/usr/bin/python3" ]] || ! chroot "$root" python3 -c "import torch" 2>/dev/null \
  || [[ ! -e "$root/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3" ]]; then
  echo "pytorch-reference: building a Debian 13 chroot with python3-torch in $root ..." >&2
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2
  [[ -d "$root/usr" ]] || debootstrap --variant=minbase trixie "$root" http://deb.debian.org/debian >&2
  chroot "$root" bash -c "DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-torch libopenblas0-openmp" >&2
fi
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
cp "$(dirname "$0")/pytorch-reference.py" "$root/tmp/pytorch-reference.py"
chroot "$root" python3 /tmp/pytorch-reference.py "$@" 2> >(grep -v "UCX" >&2)
