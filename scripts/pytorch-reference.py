#!/usr/bin/env python3
"""Plain PyTorch reference for `rnnrunner bench engines`' step timings (issue: TorchSharp throughput vs PyTorch).

Same protocol as EnginesBenchmark.TimeStep: Embedding(10000, 32) -> recurrent layer -> Linear(1), one fixed batch
of 128 random reviews x 500 tokens, RMSprop(lr 5e-4, alpha 0.9, eps 1e-7), gradient clipping at norm 1,
binary cross-entropy with logits; one warm-up step, then the mean of at least 3 steps and 2 s. Run with the
same thread count as the benchmark. Prints one JSON object per line.

    python3 scripts/pytorch-reference.py --threads 2 [--flush-denormal]
"""
import argparse, json, time
import torch
from torch import nn


class Model(nn.Module):
    def __init__(self, cell, units):
        super().__init__()
        self.embedding = nn.Embedding(10000, 32)
        self.rnn = {"simple_rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell](32, units, batch_first=True)
        self.dense = nn.Linear(units, 1)

    def forward(self, tokens):
        out, _ = self.rnn(self.embedding(tokens))
        return self.dense(out[:, -1]).squeeze(-1)


def time_step(cell, units):
    torch.manual_seed(1)
    model = Model(cell, units)
    optimizer = torch.optim.RMSprop(model.parameters(), lr=5e-4, alpha=0.9, eps=1e-7)
    tokens = torch.randint(1, 10000, (128, 500))
    labels = torch.randint(0, 2, (128,)).float()

    def step():
        optimizer.zero_grad()
        loss = nn.functional.binary_cross_entropy_with_logits(model(tokens), labels)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()

    step()
    start, steps = time.perf_counter(), 0
    while steps < 3 or time.perf_counter() - start < 2:
        step()
        steps += 1
    return (time.perf_counter() - start) / steps * 1000


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--flush-denormal", action="store_true")
    parser.add_argument("--units", type=int, nargs="+", default=[32, 64, 128, 256])
    parser.add_argument("--cells", nargs="+", default=["simple_rnn", "lstm", "gru"])
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(args.flush_denormal)
    for cell in args.cells:
        for units in args.units:
            print(json.dumps({"cell": cell, "units": units, "ms_per_step": round(time_step(cell, units), 1),
                              "torch": torch.__version__, "threads": args.threads,
                              "flush_denormal": args.flush_denormal}), flush=True)
