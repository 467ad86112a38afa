#!/usr/bin/env python3
"""Writes the .npy/.npz fixtures of NpyReaderTests with NumPy itself (Debian's python3-numpy), so the reader is
tested against files NumPy wrote. Run from this folder: /usr/bin/python3 make-fixtures.py"""
import io
import pickle
from pathlib import Path

import numpy as np
from numpy.lib import format as npformat

OUT = Path(__file__).resolve().parent / "Fixtures"
OUT.mkdir(exist_ok=True)

np.save(OUT / "int32_c.npy", np.arange(12, dtype="<i4").reshape(3, 4))
np.save(OUT / "int64_fortran.npy", np.asfortranarray(np.arange(12, dtype="<i8").reshape(3, 4)))
np.save(OUT / "int16_big_endian.npy", np.array([-2, 300, 7], dtype=">i2"))
np.save(OUT / "uint8.npy", np.array([0, 200, 255], dtype="u1"))
np.save(OUT / "bool.npy", np.array([True, False, True]))
np.save(OUT / "float32_3d.npy", (np.arange(12, dtype="<f4") / 4).reshape(2, 3, 2))
np.save(OUT / "float16.npy", np.array([0.5, -1.25], dtype="<f2"))
np.save(OUT / "strings.npy", np.array(["ab", "cde"]))

lists = np.array([[1, 2, 3], [4, 5], [70000, 2**40]], dtype=object)
np.save(OUT / "lists_protocol3.npy", lists, allow_pickle=True)  # what np.save writes (protocol 3)
for protocol in (2, 4, 5):  # older and newer writers: the same header, another pickle protocol
    with open(OUT / f"lists_protocol{protocol}.npy", "wb") as f:
        npformat.write_array_header_1_0(f, {"descr": "|O", "fortran_order": False, "shape": (3,)})
        pickle.dump(lists, f, protocol=protocol)

# Keras' imdb.npz layout: object arrays of id lists and integer labels, compressed.
np.savez_compressed(OUT / "imdb_like.npz",
                    x_train=np.array([[1, 14, 22], [1, 194, 1153, 194], [1, 14, 5], [1, 7, 7, 9]], dtype=object),
                    y_train=np.array([1, 0, 1, 0]), x_test=np.array([[1, 591, 202], [1, 14]], dtype=object),
                    y_test=np.array([0, 1]))


# A folder of .npy files: float feature sequences (N, T, F) with a real target per sequence.
series = OUT / "series"
series.mkdir(exist_ok=True)
np.save(series / "x_train.npy", (np.arange(24, dtype="<f4") / 10).reshape(4, 3, 2))
np.save(series / "y_train.npy", np.array([0.5, 1.5, 2.5, 3.5]))
np.save(series / "x_test.npy", (np.arange(12, dtype="<f4") / 10).reshape(2, 3, 2))
np.save(series / "y_test.npy", np.array([0.25, 0.75]))
np.savez(OUT / "unequal.npz", x_train=np.zeros((3, 4), dtype="i4"), y_train=np.zeros(2, dtype="i4"),
         x_test=np.zeros((1, 4), dtype="i4"), y_test=np.zeros(1, dtype="i4"))


# A time series as an .npy: (rows, columns), and one with a gap.
np.save(OUT / "series.npy", np.stack([np.arange(100.0), 10 * np.arange(100.0)], axis=1))
gap = np.stack([np.arange(100.0), 10 * np.arange(100.0)], axis=1)
gap[7, 1] = np.nan
np.save(OUT / "series_nan.npy", gap)


class Evil:
    def __reduce__(self):
        import os
        return (os.system, ("echo pwned",))


with open(OUT / "evil.npy", "wb") as f:
    header = {"descr": "|O", "fortran_order": False, "shape": (1,)}
    npformat.write_array_header_1_0(f, header)
    pickle.dump(Evil(), f, protocol=3)

data = (OUT / "int32_c.npy").read_bytes()
(OUT / "truncated.npy").write_bytes(data[:-10])
print("fixtures written to", OUT)
