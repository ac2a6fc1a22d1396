import json

import numpy as np
import pytest
from datasketch import MinHashLSH

from dupdetect import features, index, normalize, sign
from dupdetect.settings import SignSettings, View


def datasketch_pairs(signatures: np.ndarray, threshold: float) -> set[tuple[int, int]]:
    settings = SignSettings()
    lsh = MinHashLSH(threshold=threshold, num_perm=settings.num_perm)
    keys = list(range(len(signatures)))
    with lsh.insertion_session() as session:
        for i in keys:
            if (signatures[i] != 0xFFFFFFFF).any():
                session.insert(i, index.lean_minhash(signatures[i], settings))
    return {
        (i, j)
        for i in keys
        if (signatures[i] != 0xFFFFFFFF).any()
        for j in lsh.query(index.lean_minhash(signatures[i], settings))
        if i < j
    }


def bbc_signatures(shared_data, view, n=600):
    lines = (shared_data / "bbc" / "docs.jsonl").read_text().splitlines()[:n]
    records = [json.loads(line) for line in lines]
    profiles = [features.profile(normalize.normalize(r["text"])) for r in records]
    sets = [features.view_sets(p, view) for p in profiles] + [set()]  # an empty one is left out
    return sign.sign(sets, SignSettings())


def band_pairs(signatures, bands, rows):
    codes = index.band_codes(signatures, bands, rows)
    return codes // len(signatures), codes % len(signatures)


@pytest.mark.parametrize(
    "view, threshold", [("verbatim", 0.2), ("rewrite", 0.15), ("rewrite", 0.25)]
)
def test_banding_finds_the_pairs_datasketch_lsh_finds(shared_data, view, threshold):
    signatures = bbc_signatures(shared_data, view)
    first, second = band_pairs(signatures, *index.bands_and_rows(threshold, 128))
    found = set(zip(first.tolist(), second.tolist(), strict=True))
    assert found == datasketch_pairs(signatures, threshold)
    assert len(found) > 10


def test_bands_of_more_than_two_rows_compare_every_row():
    signatures = np.array([[1, 2, 3, 4], [1, 2, 3, 5], [1, 2, 3, 4], [9, 9, 9, 9]], np.uint32)
    first, second = band_pairs(signatures, bands=1, rows=4)
    assert list(zip(first.tolist(), second.tolist(), strict=True)) == [(0, 2)]
    first, second = band_pairs(signatures, bands=1, rows=3)
    assert list(zip(first.tolist(), second.tolist(), strict=True)) == [(0, 1), (0, 2), (1, 2)]


@pytest.mark.parametrize("view, threshold", [("verbatim", 0.2), ("rewrite", 0.25)])
def test_band_tables_answer_queries_as_datasketch_lsh_does(shared_data, view, threshold):
    signatures = bbc_signatures(shared_data, view, 300)
    settings = SignSettings()
    lsh = MinHashLSH(threshold=threshold, num_perm=settings.num_perm)
    tables = index.BandTables(View(view, threshold, 0.0), settings.num_perm)
    keys = [f"doc{i}" for i in range(len(signatures))]
    for start in range(0, len(keys), 50):  # in blocks, as an index is filled batch by batch
        tables.insert(keys[start : start + 50], signatures[start : start + 50])
    with lsh.insertion_session() as session:
        for key, row in zip(keys, signatures, strict=True):
            if (row != 0xFFFFFFFF).any():
                session.insert(key, index.lean_minhash(row, settings))
    for row in signatures[:100]:
        assert tables.query(row) == set(lsh.query(index.lean_minhash(row, settings)))
    tables.remove("doc0")
    assert "doc0" not in tables.query(signatures[0])


def test_a_bucket_of_many_near_copies_is_paired_in_linear_number():
    members = list(range(1000))
    pairs = list(index.bucket_pairs(members))
    assert len(pairs) < 2 * len(members)
    # every member is still tied to the first one and to its neighbour
    assert {j for i, j in pairs if i == 0} == set(members[1:])
    signatures = np.ones((1000, 4), dtype=np.uint32)
    first, second = band_pairs(signatures, bands=1, rows=4)
    assert len(first) == len(pairs)


def test_estimated_containment_is_the_same_compiled_or_not(shared_data, monkeypatch):
    signatures = bbc_signatures(shared_data, "rewrite", n=300)
    sizes = np.arange(len(signatures)) % 50 + 10
    first, second = np.triu_indices(len(signatures), 1)
    pairs = np.stack([first, second], axis=1)
    found = index.estimated_containment(pairs, signatures, sizes)
    monkeypatch.setattr(index, "_native_equal", None)
    assert np.array_equal(index.estimated_containment(pairs, signatures, sizes), found)
    equal = (signatures[first] == signatures[second]).sum(axis=1)
    jaccard = equal / signatures.shape[1]
    shared = jaccard * (sizes[first] + sizes[second]) / (1 + jaccard)
    assert np.allclose(found, shared / np.minimum(sizes[first], sizes[second]))
