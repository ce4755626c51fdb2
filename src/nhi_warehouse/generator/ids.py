"""Synthetic national-ID-shaped identifiers (A123456789) with a valid check digit.

The letter follows the person's county, the first digit the sex (1 male, 2 female), then
seven serial digits and the check digit of the Taiwanese ID algorithm. Serials come from a
bijection of the running number, so identifiers are unique without any lookup.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

_LETTER_VALUE = {
    "A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17, "I": 34,
    "J": 18, "K": 19, "L": 20, "M": 21, "N": 22, "O": 35, "P": 23, "Q": 24, "R": 25,
    "S": 26, "T": 27, "U": 28, "V": 29, "W": 32, "X": 30, "Y": 31, "Z": 33,
}  # fmt: skip
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SERIAL_SPACE = 10_000_000
_MULT = 7_654_321  # coprime with 10, so i -> i * _MULT mod 10^7 is a bijection


def strings_from_matrix(mat: np.ndarray) -> pa.Array:
    """Rows of a (n, width) uint8 ASCII matrix as an Arrow string array (no Python loop)."""
    n, width = mat.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    data = np.ascontiguousarray(mat, dtype=np.uint8)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data.tobytes())])


def national_ids(letter_idx: np.ndarray, male: np.ndarray, number: np.ndarray) -> pa.Array:
    """IDs for running numbers ``number`` (unique, < 10^7), letters ``LETTERS[letter_idx]``."""
    number = np.asarray(number, dtype=np.int64)
    if number.size and (number.min() < 0 or number.max() >= _SERIAL_SPACE):
        raise ValueError("national_ids supports at most 10,000,000 identifiers")
    serial = (number * _MULT + 1_234_567) % _SERIAL_SPACE
    value = np.array([_LETTER_VALUE[c] for c in LETTERS], dtype=np.int64)[letter_idx]
    sex_digit = np.where(male, 1, 2).astype(np.int64)
    digits = np.empty((number.size, 7), dtype=np.int64)
    rest = serial.copy()
    for k in range(6, -1, -1):
        digits[:, k] = rest % 10
        rest //= 10
    total = (value // 10) + (value % 10) * 9 + sex_digit * 8
    total += (digits * np.arange(7, 0, -1)).sum(axis=1)
    check = (10 - total % 10) % 10
    mat = np.empty((number.size, 10), dtype=np.uint8)
    mat[:, 0] = np.frombuffer(LETTERS.encode(), dtype=np.uint8)[letter_idx]
    mat[:, 1] = 48 + sex_digit
    mat[:, 2:9] = 48 + digits
    mat[:, 9] = 48 + check
    return strings_from_matrix(mat)


def is_valid_national_id(text: str) -> bool:
    """Check digit test (used by the tests)."""
    if len(text) != 10 or text[0] not in _LETTER_VALUE or text[1] not in "12":
        return False
    if not text[1:].isdigit():
        return False
    v = _LETTER_VALUE[text[0]]
    weights = [8, 7, 6, 5, 4, 3, 2, 1, 1]
    total = v // 10 + (v % 10) * 9 + sum(int(d) * w for d, w in zip(text[1:], weights, strict=True))
    return total % 10 == 0
