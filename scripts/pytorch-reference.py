#!/usr/bin/env python3
"""Plain PyTorch reference for `rnnrunner-bench engines`: the same training step, timed the same way.

Protocol (EnginesBenchmark / BenchmarkBatches on the RnnRunner side): Embedding(10000, 32) -> recurrent layer ->
Linear(1), one fixed batch of 128 random reviews x 500 tokens, RMSprop(lr 5e-4, alpha 0.9, eps 1e-7), gradient
clipping at norm 1, binary cross-entropy with logits. A training step is timed apart from an evaluation pass
(forward only, no gradients: what a validation pass costs per batch); each is one warm-up call, then the mean of at
least 3 calls and 2 s. Tokens/s = 128 x 500 / seconds per call. Prints one JSON object per line, the first naming
the machine and the build: CPU model and vector extensions, torch version, BLAS, whether oneDNN is on, threads,
flush-to-zero, the allocator setting, and - with --kernels - the oneDNN primitives each cell's step actually executed (ONEDNN_VERBOSE).

    python3 scripts/pytorch-reference.py --threads 2 [--flush-denormal] [--no-mkldnn] [--keep-freed-memory] [--kernels]
"""
import argparse, json, os, re, subprocess, sys, time

BATCH, STEPS, VOCABULARY, EMBEDDING = 128, 500, 10000, 32


def cpu():
    model, flags = "?", set()
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key.strip() == "model name" and model == "?":
                model = value.strip()
            if key.strip() == "flags" and not flags:
                flags = set(value.split())
    names = [("avx2", "AVX2"), ("fma", "FMA"), ("avx512f", "AVX-512F"), ("avx512_vnni", "AVX-512 VNNI"),
             ("avx512_bf16", "AVX-512 BF16"), ("amx_tile", "AMX")]
    return model, ", ".join(n for flag, n in names if flag in flags) or "none"


def build(cell, units):
    import torch
    from torch import nn

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(VOCABULARY, EMBEDDING)
            self.rnn = {"simple_rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell](EMBEDDING, units, batch_first=True)
            self.dense = nn.Linear(units, 1)

        def forward(self, tokens):
            out, _ = self.rnn(self.embedding(tokens))
            return self.dense(out[:, -1]).squeeze(-1)

    torch.manual_seed(1)
    model = Model()
    optimizer = torch.optim.RMSprop(model.parameters(), lr=5e-4, alpha=0.9, eps=1e-7)
    tokens = torch.randint(1, VOCABULARY, (BATCH, STEPS))
    labels = torch.randint(0, 2, (BATCH,)).float()

    def train_step():
        model.train()
        optimizer.zero_grad()
        loss = nn.functional.binary_cross_entropy_with_logits(model(tokens), labels)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss.item()

    def evaluate():
        model.eval()
        with torch.no_grad():
            return nn.functional.binary_cross_entropy_with_logits(model(tokens), labels).item()

    return train_step, evaluate


def mean_ms(call):
    call()
    start, calls = time.perf_counter(), 0
    while calls < 3 or time.perf_counter() - start < 2:
        call()
        calls += 1
    return (time.perf_counter() - start) / calls * 1000


def kernels(cell, units, args):
    """The oneDNN primitives one training step and one evaluation execute, from a child run with ONEDNN_VERBOSE=1."""
    child = [sys.executable, __file__, "--probe", cell, str(units), "--threads", str(args.threads)]
    child += ["--flush-denormal"] if args.flush_denormal else []
    child += ["--no-mkldnn"] if args.no_mkldnn else []
    child += ["--keep-freed-memory"] if args.keep_freed_memory else []
    out = subprocess.run(child, env={**os.environ, "ONEDNN_VERBOSE": "1"}, capture_output=True, text=True).stdout
    # onednn_verbose,v1,primitive,exec,cpu,<kind>,<implementation>,<prop_kind>,...
    seen = sorted({f"{m.group(1)},{m.group(2)},{m.group(3)}"
                   for m in re.finditer(r"primitive,exec,cpu,([^,]+),([^,]+),([^,]+)", out)})
    return seen or ["none (no oneDNN primitive executed)"]


def keep_freed_memory():
    """What RnnRunner's TorchSharp engine does (LibTorchContext): glibc keeps freed blocks for reuse (no mmap for large
    blocks, no trimming), so tensors are not page-faulted afresh at every step. True when glibc accepted both."""
    import ctypes
    libc = ctypes.CDLL("libc.so.6")
    M_TRIM_THRESHOLD, M_MMAP_MAX = -1, -4
    return libc.mallopt(M_MMAP_MAX, 0) == 1 and libc.mallopt(M_TRIM_THRESHOLD, 2**31 - 1) == 1


def configure(args):
    if args.keep_freed_memory and not keep_freed_memory():
        sys.exit("pytorch-reference: mallopt refused (not glibc?)")
    import torch
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(args.flush_denormal)
    torch.backends.mkldnn.enabled = not args.no_mkldnn
    return torch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--flush-denormal", action="store_true")
    parser.add_argument("--no-mkldnn", action="store_true", help="torch.backends.mkldnn.enabled = False (ATen's own cells)")
    parser.add_argument("--kernels", action="store_true", help="name the oneDNN primitives each cell runs")
    parser.add_argument("--keep-freed-memory", action="store_true",
                        help="glibc keeps freed memory for reuse, as RnnRunner's TorchSharp engine sets it")
    parser.add_argument("--units", type=int, nargs="+", default=[32, 64, 128, 256])
    parser.add_argument("--cells", nargs="+", default=["simple_rnn", "lstm", "gru"])
    parser.add_argument("--probe", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    torch = configure(args)
    if args.probe:
        train_step, evaluate = build(args.probe[0], int(args.probe[1]))
        train_step(), evaluate()
        return
    model, isa = cpu()
    # The BLAS that serves libblas.so.3 at run time (Debian's build says only "generic": chosen by alternatives).
    with open("/proc/self/maps") as f:
        blas = sorted({os.path.realpath(line.split()[-1]) for line in f if "libblas" in line or "openblas" in line})
    print(json.dumps({"machine": {"cpu": model, "isa": isa, "cores": os.cpu_count()},
                      "torch": torch.__version__, "blas": blas or ["?"],
                      "mkldnn": torch.backends.mkldnn.enabled, "threads": torch.get_num_threads(),
                      "interop_threads": torch.get_num_interop_threads(), "flush_denormal": args.flush_denormal,
                      "allocator": "glibc, freed memory kept" if args.keep_freed_memory else "glibc defaults"}), flush=True)
    for cell in args.cells:
        for units in args.units:
            train_step, evaluate = build(cell, units)
            train_ms, eval_ms = mean_ms(train_step), mean_ms(evaluate)
            line = {"cell": cell, "units": units, "ms_per_step": round(train_ms, 2),
                    "train_tokens_per_s": round(BATCH * STEPS / train_ms * 1000),
                    "eval_ms_per_batch": round(eval_ms, 2), "eval_tokens_per_s": round(BATCH * STEPS / eval_ms * 1000)}
            if args.kernels:
                line["onednn"] = kernels(cell, units, args)
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
