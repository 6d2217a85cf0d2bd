"""The compiled kernels against their numpy references (``_kernels``)."""

import numpy as np
import pytest

from misinfo_clf import _kernels

compiled = pytest.mark.skipif(
    not _kernels.COMPILED,
    reason="misinfo_clf._ckernels was not built (no C compiler at install time); "
    "the numpy reference serves and is tested on its own below",
)


def _random_entries(rng, n_rows, width, size):
    # few distinct columns per row and repeats: the shape of a chunk's n-gram entries
    rows = rng.integers(0, n_rows, size=size).astype(np.int32)
    cols = (rng.zipf(1.3, size=size) % width).astype(np.int32)
    return rows, cols


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_csr_counts_numpy_is_a_sparse_count_matrix(seed):
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    rows, cols = _random_entries(rng, 50, 3000, 5000)
    indptr, out_cols, counts = _kernels.csr_counts_numpy(rows, cols, 50, 3000)
    expected = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(50, 3000)).tocsr()
    expected.sum_duplicates()
    expected.sort_indices()
    np.testing.assert_array_equal(indptr, expected.indptr)
    np.testing.assert_array_equal(out_cols, expected.indices)
    np.testing.assert_array_equal(counts, expected.data)


@compiled
@pytest.mark.parametrize(
    "n_rows, width, size",
    [(1, 1, 1), (3, 5, 0), (7, 1, 40), (200, 70_000, 20_000), (2000, 4_000_000, 100_000)],
)
def test_compiled_csr_counts_matches_numpy(n_rows, width, size):
    rng = np.random.default_rng(size)
    rows, cols = _random_entries(rng, n_rows, width, size)
    got = _kernels.csr_counts(rows, cols, n_rows, width)
    want = _kernels.csr_counts_numpy(rows, cols, n_rows, width)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == np.int64
        np.testing.assert_array_equal(g, w)


@compiled
@pytest.mark.parametrize("size", [2, 3, 1000, 300_000])
def test_compiled_sorted_counts_matches_numpy(size):
    rng = np.random.default_rng(size)
    # keys over the full 32 bits and keys sharing their high digits (a skipped pass)
    for keys in (
        rng.integers(0, 2**32, size=size, dtype=np.uint32),
        rng.integers(0, 50, size=size).astype(np.uint32),
    ):
        unique, counts = _kernels.sorted_counts(keys)
        want_unique, want_counts = np.unique(keys, return_counts=True)
        np.testing.assert_array_equal(unique, want_unique)
        np.testing.assert_array_equal(counts, want_counts)
        assert counts.dtype == np.int64


@pytest.mark.parametrize("keys", [np.zeros(0, np.uint32), np.array([7], np.uint32)])
def test_sorted_counts_empty_and_single(keys):
    unique, counts = _kernels.sorted_counts(keys)
    np.testing.assert_array_equal(unique, keys)
    np.testing.assert_array_equal(counts, np.ones(len(keys), dtype=np.int64))


def test_sorted_counts_other_dtypes_use_the_reference():
    keys = np.array([5, -1, 5, 3], dtype=np.int64)
    unique, counts = _kernels.sorted_counts(keys)
    np.testing.assert_array_equal(unique, [-1, 3, 5])
    np.testing.assert_array_equal(counts, [1, 1, 2])


@pytest.mark.parametrize("impl", ["csr_counts", "csr_counts_numpy"])
@pytest.mark.parametrize(
    "rows, cols",
    [([0, 3], [0, 1]), ([0, 1], [0, 4]), ([-1, 0], [0, 0]), ([0, 0], [-2, 0])],
)
def test_csr_counts_entries_outside_the_shape_raise(impl, rows, cols):
    if impl == "csr_counts" and not _kernels.COMPILED:
        pytest.skip("misinfo_clf._ckernels was not built")
    with pytest.raises(ValueError, match="outside 3 rows x 4 columns"):
        getattr(_kernels, impl)(np.array(rows, np.int32), np.array(cols, np.int32), 3, 4)


def test_csr_counts_lengths_must_agree():
    with pytest.raises(ValueError, match="one length expected, got 2 and 1"):
        _kernels.csr_counts(np.zeros(2, np.int32), np.zeros(1, np.int32), 3, 4)


@compiled
def test_compiled_module_checks_its_buffers():
    from misinfo_clf import _ckernels

    keys = np.arange(4, dtype=np.uint32)
    with pytest.raises(TypeError, match="keys: expected a 1-d contiguous buffer of 4-byte"):
        _ckernels.sorted_counts_u32(keys.astype(np.int64), keys.copy(), np.zeros(4, np.int64))
    with pytest.raises(TypeError, match="counts: expected"):
        _ckernels.sorted_counts_u32(keys, keys.copy(), np.zeros(4, np.int32))
    with pytest.raises(ValueError, match="need room for 4 entries"):
        _ckernels.sorted_counts_u32(keys, keys[:2].copy(), np.zeros(4, np.int64))
    with pytest.raises(ValueError, match="read-only"):  # numpy refuses a writable view
        ro = keys.copy()
        ro.flags.writeable = False
        _ckernels.sorted_counts_u32(keys, ro, np.zeros(4, np.int64))
