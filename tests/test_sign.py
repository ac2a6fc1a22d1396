import random

import numpy as np
import pytest
from datasketch import MinHash

from dupdetect import hashing
from dupdetect import sign as signing
from dupdetect.settings import SignSettings
from dupdetect.sign import sign

KERNELS = [(signing, "_native"), (hashing, "_native_fnv"), (hashing, "_native_count")]


@pytest.fixture(params=["numba", "numpy"], autouse=True)
def kernel(request, monkeypatch):
    """Every test runs on both paths: the numba kernels (the [fast] extra) and plain NumPy."""
    if request.param == "numba" and signing._native is None:
        pytest.skip("numba is not installed")
    if request.param == "numpy":
        for module, name in KERNELS:
            monkeypatch.setattr(module, name, None)
    return request.param


@pytest.mark.parametrize("num_perm,seed", [(128, 1), (64, 7), (256, 42)])
def test_signatures_equal_datasketch_minhash(num_perm, seed):
    rng = random.Random(seed)
    sets = [
        {"".join(rng.choice("abcdefgh ") for _ in range(rng.randint(1, 12))) for _ in range(n)}
        for n in [0, 1, 3, 50, 700] + [rng.randint(0, 400) for _ in range(40)]
    ]
    matrix = sign(sets, SignSettings(num_perm=num_perm, seed=seed))
    for values, row in zip(sets, matrix, strict=True):
        expected = MinHash(num_perm=num_perm, seed=seed)
        expected.update_batch([v.encode("utf-8") for v in values])
        assert np.array_equal(row, expected.hashvalues)


def test_empty_input_gives_empty_matrix():
    assert sign([], SignSettings()).shape == (0, 128)


def test_identical_sets_sign_identically_whatever_the_batch():
    alone = sign([{"x y", "y z"}], SignSettings())
    batched = sign([{"q"}, {"x y", "y z"}, set()], SignSettings())
    assert np.array_equal(alone[0], batched[1])


def test_signatures_stay_equal_across_value_blocks():
    # Enough values to span several internal blocks of permuted values.
    rng = random.Random(3)
    sets = [{f"w{rng.randint(0, 10**6)}" for _ in range(rng.randint(0, 900))} for _ in range(120)]
    matrix = sign(sets, SignSettings(num_perm=32))
    for values, row in zip(sets, matrix, strict=True):
        expected = MinHash(num_perm=32, seed=1)
        expected.update_batch([v.encode("utf-8") for v in values])
        assert np.array_equal(row, expected.hashvalues)


def test_verbatim_view_equals_datasketch_with_the_shingle_hash():
    from dupdetect.features import profile, shingle_hash, verbatim_set, view_sets

    text = (
        "Voting is under way for the annual Bloggies which recognise the best web blogs, "
        "online spaces where people publish their thoughts, of the year. Voting is under way."
    )
    expected = MinHash(num_perm=128, seed=1, hashfunc=shingle_hash)
    expected.update_batch([s.encode("utf-8") for s in verbatim_set(text)])
    ours = sign([view_sets(profile(text), "verbatim")], SignSettings())[0]
    assert np.array_equal(ours, expected.hashvalues)


def test_word_hashes_equal_the_reference_with_or_without_numba():
    words = ["a", "été", "1,000", "x" * 300, "日本", "a", "z"]
    # The reference, FNV-1a 64 folded to 32 bits, written out for "a" as a fixed point.
    assert hashing.word_hash("a") == 0xAF63DC4C ^ 0x8601EC8C
    assert hashing.word_hashes(words).tolist() == [hashing.word_hash(w) for w in words]
    assert hashing.word_hashes([]).tolist() == []


def test_shared_values_are_counted_alike_with_or_without_numba():
    rng = np.random.default_rng(3)
    for size_a, size_b in [(0, 5), (5, 0), (300, 500), (1000, 40)]:
        a = np.unique(rng.integers(0, 2000, size_a, dtype=np.uint32))
        b = np.unique(rng.integers(0, 2000, size_b, dtype=np.uint32))
        assert hashing.count_shared(a, b) == len(set(a.tolist()) & set(b.tolist()))
