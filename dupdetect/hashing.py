"""32-bit hash mixing shared by features and signing, as in datasketch 2.0's affine32 scheme."""

from __future__ import annotations

import numpy as np


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, element-wise (datasketch pre-mixes every hash with it).

    Example:
        >>> int(fmix32(np.array([1], dtype=np.uint32))[0])
        1364076727
    """
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = h ^ (h >> np.uint32(16))
    return mixed
