import json

import numpy as np
import pytest
from datasketch import MinHashLSH

from dupdetect import features, index, normalize, sign
from dupdetect.settings import SignSettings


def datasketch_pairs(signatures: np.ndarray, threshold: float) -> set[tuple[int, int]]:
    settings = SignSettings()
    lsh = MinHashLSH(threshold=threshold, num_perm=settings.num_perm)
    keys = list(range(len(signatures)))
    index.insert(lsh, keys, signatures, settings)
    return {
        (i, j)
        for i in keys
        if (signatures[i] != 0xFFFFFFFF).any()
        for j in lsh.query(index.lean_minhash(signatures[i], settings))
        if i < j
    }


@pytest.mark.parametrize(
    "view, threshold", [("verbatim", 0.2), ("rewrite", 0.15), ("rewrite", 0.25)]
)
def test_banding_finds_the_pairs_datasketch_lsh_finds(shared_data, view, threshold):
    lines = (shared_data / "bbc" / "docs.jsonl").read_text().splitlines()[:600]
    records = [json.loads(line) for line in lines]
    profiles = [features.profile(normalize.normalize(r["text"])) for r in records]
    sets = [features.view_sets(p, view) for p in profiles] + [set()]  # an empty one is left out
    signatures = sign.sign(sets, SignSettings())
    first, second = index.band_pairs(signatures, *index.bands_and_rows(threshold, 128))
    found = set(zip(first.tolist(), second.tolist(), strict=True))
    assert found == datasketch_pairs(signatures, threshold)
    assert len(found) > 10


def test_bands_of_more_than_two_rows_compare_every_row():
    signatures = np.array([[1, 2, 3, 4], [1, 2, 3, 5], [1, 2, 3, 4], [9, 9, 9, 9]], np.uint32)
    first, second = index.band_pairs(signatures, bands=1, rows=4)
    assert list(zip(first.tolist(), second.tolist(), strict=True)) == [(0, 2)]
    first, second = index.band_pairs(signatures, bands=1, rows=3)
    assert list(zip(first.tolist(), second.tolist(), strict=True)) == [(0, 1), (0, 2), (1, 2)]
