#!/usr/bin/env python3
"""Makes the small example datasets of experiments/data/ (deterministic: same bytes every run).

  topics.tar.gz   text_folder: short "news" texts in three classes (arts, science, sport), Keras'
                  text_dataset_from_directory layout under topics/train and topics/test.

Each text mixes words typical of its topic with words every topic uses and a few words of another topic, so a
model has to weigh evidence rather than spot one word. Run from the repository root:
  python3 experiments/data/make-examples.py
"""
import gzip
import io
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


if __name__ == "__main__":
    topics()
