#!/usr/bin/env python3
"""Makes the small example datasets of experiments/data/ (deterministic: the same data every run; the same bytes,
but for the .npz whose zip entries carry the time they were written).

  topics.tar.gz   text_folder: short "news" texts in three classes (arts, science, sport), Keras'
                  text_dataset_from_directory layout under topics/train and topics/test.
  tickets.csv     table, text_column: support tickets (text, with quotes and commas) and their queue
                  (billing, technical, account); one file, the test rows split off by test_split.
  weather.csv     timeseries: 2,400 hourly rows of temperature (a daily cycle, a slow drift and noise),
                  humidity (falling as it warms) and pressure (a random walk).
  signals.npz     numpy: the signals task as Keras' imdb.npz stores IMDB — object arrays of raw id lists and integer
                  labels (needs python3-numpy; the other files need only Python).
  signals.jsonl   table, sequence_column: token-id sequences as JSON arrays, labelled "up" when ids 1-9
                  outnumber ids 10-18 (the rest, 19-49, are noise), else "down".

Each text mixes words typical of its topic with words every topic uses and a few words of another topic, so a
model has to weigh evidence rather than spot one word. Run from the repository root:
  python3 experiments/data/make-examples.py
"""
import csv
import gzip
import io
import json
import math
import random
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

TOPICS = {
    "arts": "painting gallery museum sculpture novel poetry theatre opera film director actor portrait exhibition "
            "canvas melody orchestra concert festival author stage ballet".split(),
    "science": "experiment laboratory molecule theory physics chemistry biology telescope galaxy protein genome "
               "research hypothesis data microscope particle climate fossil vaccine quantum".split(),
    "sport": "match goal team player coach league season striker tournament medal race stadium referee score "
             "championship keeper sprint marathon victory defeat".split(),
}
SHARED = ("the a of and in on with for new year first last week city people world report said after before "
          "during about more most local national team's public big small long short open").split()


def text(rng: random.Random, topic: str) -> str:
    words = []
    for _ in range(rng.randint(8, 60)):
        roll = rng.random()
        if roll < 0.22:
            words.append(rng.choice(TOPICS[topic]))
        elif roll < 0.30:
            other = rng.choice([t for t in TOPICS if t != topic])
            words.append(rng.choice(TOPICS[other]))
        else:
            words.append(rng.choice(SHARED))
    sentence = " ".join(words)
    return sentence[0].upper() + sentence[1:] + ".\n"


def add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def topics() -> None:
    rng = random.Random(20261202)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for split, per_class in (("train", 200), ("test", 60)):
            for topic in sorted(TOPICS):
                for i in range(per_class):
                    add(tar, f"topics/{split}/{topic}/{i:04d}.txt", text(rng, topic).encode("utf-8"))
    out = HERE / "topics.tar.gz"
    with open(out, "wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as gz:
        gz.write(raw.getvalue())
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")


QUEUES = {
    "billing": "invoice charge refund payment card bill price subscription paid charged twice receipt".split(),
    "technical": "error crash bug login app server slow broken update install connection timeout".split(),
    "account": "password email username profile delete account settings address verify locked name".split(),
}
TICKET_WORDS = "hi hello please help my the i a is was with on since yesterday today thanks can you not " \
               "it and of for again still".split()


def ticket(rng: random.Random, queue: str) -> str:
    words = [rng.choice(QUEUES[queue]) if rng.random() < 0.25 else rng.choice(TICKET_WORDS)
             for _ in range(rng.randint(5, 30))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), '"urgent",')  # quotes and commas inside a field
    return " ".join(words).capitalize() + "."


def tickets() -> None:
    rng = random.Random(7)
    out = HERE / "tickets.csv"
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text", "queue"])
        for i in range(450):
            queue = sorted(QUEUES)[i % 3]
            writer.writerow([i, ticket(rng, queue), queue])
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")


def signals() -> None:
    rng = random.Random(11)
    out = HERE / "signals.jsonl"
    with open(out, "w", encoding="utf-8") as f:
        for _ in range(600):
            ids = [rng.randint(1, 49) for _ in range(rng.randint(5, 40))]
            up = sum(1 for i in ids if 1 <= i <= 9)
            down = sum(1 for i in ids if 10 <= i <= 18)
            if up == down:
                ids.append(rng.randint(1, 18))
                up, down = (up + 1, down) if ids[-1] <= 9 else (up, down + 1)
            f.write(json.dumps({"ids": ids, "label": "up" if up > down else "down"}) + "\n")
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")


def weather() -> None:
    rng = random.Random(3)
    out = HERE / "weather.csv"
    pressure = 1013.0
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["hour", "temperature", "humidity", "pressure"])
        for hour in range(2400):
            drift = 4 * math.sin(2 * math.pi * hour / (24 * 30))
            temperature = 12 + drift + 6 * math.sin(2 * math.pi * (hour % 24 - 9) / 24) + rng.gauss(0, 0.8)
            humidity = 70 - 2.5 * (temperature - 12) + rng.gauss(0, 3)
            pressure += rng.gauss(0, 0.4) - 0.01 * (pressure - 1013)
            writer.writerow([hour, f"{temperature:.2f}", f"{humidity:.1f}", f"{pressure:.1f}"])
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")


def signals_npz() -> None:
    import numpy as np  # only this file needs NumPy
    rng = random.Random(13)
    xs, ys = [], []
    for _ in range(800):
        ids = [rng.randint(1, 49) for _ in range(rng.randint(5, 40))]
        up = sum(1 for i in ids if i <= 9)
        down = sum(1 for i in ids if 10 <= i <= 18)
        if up == down:
            ids.append(rng.randint(1, 18))
            up, down = (up + 1, down) if ids[-1] <= 9 else (up, down + 1)
        xs.append(ids)
        ys.append(1 if up > down else 0)
    out = HERE / "signals.npz"
    objects = np.empty(len(xs), dtype=object)
    objects[:] = xs
    np.savez_compressed(out, x_train=objects[:600], y_train=np.array(ys[:600]), x_test=objects[600:], y_test=np.array(ys[600:]))
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    topics()
    tickets()
    signals()
    weather()
    signals_npz()
