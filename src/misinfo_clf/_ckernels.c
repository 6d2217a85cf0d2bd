/* Small compiled kernels of batch scoring (see _kernels.py, which holds the numpy
 * reference of each and picks this module when it was built).
 *
 * sorted_counts_u32(keys, unique, counts) -> n_unique
 *     np.unique(keys, return_counts=True) for uint32 keys: a least-significant-digit
 *     radix sort (three passes of 11 bits, a pass skipped when every key has the same
 *     digit), then run lengths. keys: uint32 buffer (read only); unique: writable uint32
 *     buffer of len(keys); counts: writable int64 buffer of len(keys).
 *
 * Buffers only (the buffer protocol): the module needs no numpy headers to build.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BITS 11
#define RADIX (1u << BITS)
#define MASK (RADIX - 1u)
#define PASSES 3

static int
get_buffer(PyObject *obj, Py_buffer *view, int writable, Py_ssize_t itemsize,
           const char *what)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0)
        return -1;
    if (view->itemsize != itemsize || view->ndim != 1) {
        PyErr_Format(PyExc_TypeError,
                     "%s: expected a 1-d contiguous buffer of %zd-byte items, "
                     "got %d-d of %zd-byte items",
                     what, itemsize, view->ndim, view->itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static PyObject *
sorted_counts_u32(PyObject *self, PyObject *args)
{
    PyObject *keys_obj, *unique_obj, *counts_obj;
    Py_buffer keys, unique, counts;
    if (!PyArg_ParseTuple(args, "OOO", &keys_obj, &unique_obj, &counts_obj))
        return NULL;
    if (get_buffer(keys_obj, &keys, 0, 4, "keys") < 0)
        return NULL;
    if (get_buffer(unique_obj, &unique, 1, 4, "unique") < 0) {
        PyBuffer_Release(&keys);
        return NULL;
    }
    if (get_buffer(counts_obj, &counts, 1, 8, "counts") < 0) {
        PyBuffer_Release(&keys);
        PyBuffer_Release(&unique);
        return NULL;
    }
    Py_ssize_t n = keys.shape[0];
    if (unique.shape[0] < n || counts.shape[0] < n) {
        PyErr_Format(PyExc_ValueError,
                     "unique and counts need room for %zd entries, got %zd and %zd", n,
                     unique.shape[0], counts.shape[0]);
        goto fail;
    }
    Py_ssize_t m = 0;
    if (n > 0) {
        uint32_t *tmp = (uint32_t *)malloc((size_t)n * sizeof(uint32_t));
        size_t *hist = (size_t *)calloc((size_t)PASSES * RADIX, sizeof(size_t));
        if (tmp == NULL || hist == NULL) {
            free(tmp);
            free(hist);
            PyErr_NoMemory();
            goto fail;
        }
        const uint32_t *src = (const uint32_t *)keys.buf;
        uint32_t *a = (uint32_t *)unique.buf, *b = tmp;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            uint32_t k = src[i];
            hist[k & MASK]++;
            hist[RADIX + ((k >> BITS) & MASK)]++;
            hist[2 * RADIX + (k >> (2 * BITS))]++;
        }
        /* the keys start in `unique`; each pass moves them to the other buffer */
        memcpy(a, src, (size_t)n * sizeof(uint32_t));
        for (int p = 0; p < PASSES; p++) {
            size_t *h = hist + (size_t)p * RADIX;
            unsigned shift = (unsigned)(p * BITS);
            int skip = 0;
            for (unsigned d = 0; d < RADIX; d++) {
                if (h[d] == (size_t)n) {
                    skip = 1;
                    break;
                }
                if (h[d])
                    break;
            }
            if (skip)
                continue;
            size_t total = 0;
            for (unsigned d = 0; d < RADIX; d++) {
                size_t c = h[d];
                h[d] = total;
                total += c;
            }
            for (Py_ssize_t i = 0; i < n; i++) {
                uint32_t k = a[i];
                b[h[(k >> shift) & MASK]++] = k;
            }
            uint32_t *t = a;
            a = b;
            b = t;
        }
        /* run lengths, written into `unique` / `counts` (a may be tmp) */
        uint32_t *out = (uint32_t *)unique.buf;
        int64_t *cnt = (int64_t *)counts.buf;
        Py_ssize_t i = 0;
        while (i < n) {
            uint32_t k = a[i];
            Py_ssize_t j = i + 1;
            while (j < n && a[j] == k)
                j++;
            out[m] = k; /* m <= i: never overwrites a key still to be read */
            cnt[m] = (int64_t)(j - i);
            m++;
            i = j;
        }
        Py_END_ALLOW_THREADS
        free(tmp);
        free(hist);
    }
    PyBuffer_Release(&keys);
    PyBuffer_Release(&unique);
    PyBuffer_Release(&counts);
    return PyLong_FromSsize_t(m);
fail:
    PyBuffer_Release(&keys);
    PyBuffer_Release(&unique);
    PyBuffer_Release(&counts);
    return NULL;
}

/* csr_counts(rows, cols, width, indptr, out_cols, out_counts) -> nnz
 *
 * The distinct (row, column) pairs of entries (rows[i], cols[i]) and how often each
 * occurs, by row then column: indptr (len n_rows + 1, int64) says where each row's pairs
 * start in out_cols (uint32) / out_counts (int64), both with room for len(rows) pairs.
 * The entries are grouped by row (a counting sort), then each row's columns are counted
 * in a dense array and read back in order from a two-level bitmap of the columns seen:
 * no comparison sort, and the work per row is its entries plus width / 4096 words. */
static PyObject *
csr_counts(PyObject *self, PyObject *args)
{
    PyObject *rows_obj, *cols_obj, *indptr_obj, *oc_obj, *on_obj;
    Py_ssize_t width;
    Py_buffer rows, cols, indptr, oc, on;
    if (!PyArg_ParseTuple(args, "OOnOOO", &rows_obj, &cols_obj, &width, &indptr_obj,
                          &oc_obj, &on_obj))
        return NULL;
    int got = 0;
    if (get_buffer(rows_obj, &rows, 0, 4, "rows") < 0)
        goto release;
    got = 1;
    if (get_buffer(cols_obj, &cols, 0, 4, "cols") < 0)
        goto release;
    got = 2;
    if (get_buffer(indptr_obj, &indptr, 1, 8, "indptr") < 0)
        goto release;
    got = 3;
    if (get_buffer(oc_obj, &oc, 1, 4, "out_cols") < 0)
        goto release;
    got = 4;
    if (get_buffer(on_obj, &on, 1, 8, "out_counts") < 0)
        goto release;
    got = 5;
    Py_ssize_t n = rows.shape[0], n_rows = indptr.shape[0] - 1;
    if (cols.shape[0] != n || oc.shape[0] < n || on.shape[0] < n || n_rows < 0 ||
        width < 0 || width > (Py_ssize_t)UINT32_MAX) {
        PyErr_SetString(PyExc_ValueError,
                        "csr_counts: rows and cols of one length, outputs with room for "
                        "as many pairs, indptr of n_rows + 1, 0 <= width < 2**32");
        goto release;
    }
    const uint32_t *r = (const uint32_t *)rows.buf, *c = (const uint32_t *)cols.buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (r[i] >= (uint64_t)n_rows || c[i] >= (uint64_t)width) {
            PyErr_Format(PyExc_ValueError,
                         "csr_counts: entry %zd is (%u, %u), outside %zd rows x %zd columns",
                         i, r[i], c[i], n_rows, width);
            goto release;
        }
    }
    size_t n_l1 = ((size_t)width + 63) / 64, n_l2 = (n_l1 + 63) / 64;
    int64_t *start = (int64_t *)calloc((size_t)n_rows + 1, sizeof(int64_t));
    uint32_t *grouped = (uint32_t *)malloc(((size_t)n + 1) * sizeof(uint32_t));
    uint32_t *count = (uint32_t *)calloc((size_t)width + 1, sizeof(uint32_t));
    uint64_t *l1 = (uint64_t *)calloc(n_l1 + 1, sizeof(uint64_t));
    uint64_t *l2 = (uint64_t *)calloc(n_l2 + 1, sizeof(uint64_t));
    if (!start || !grouped || !count || !l1 || !l2) {
        free(start);
        free(grouped);
        free(count);
        free(l1);
        free(l2);
        PyErr_NoMemory();
        goto release;
    }
    int64_t *ip = (int64_t *)indptr.buf, *out_n = (int64_t *)on.buf;
    uint32_t *out_c = (uint32_t *)oc.buf;
    Py_ssize_t m = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++)
        start[r[i] + 1]++;
    for (Py_ssize_t k = 0; k < n_rows; k++)
        start[k + 1] += start[k];
    for (Py_ssize_t i = 0; i < n; i++)
        grouped[start[r[i]]++] = c[i]; /* start[k] ends at row k + 1's beginning */
    int64_t from = 0;
    for (Py_ssize_t k = 0; k < n_rows; k++) {
        int64_t to = start[k];
        ip[k] = m;
        for (int64_t i = from; i < to; i++) {
            uint32_t col = grouped[i];
            if (count[col]++ == 0) {
                l1[col >> 6] |= (uint64_t)1 << (col & 63);
                l2[col >> 12] |= (uint64_t)1 << ((col >> 6) & 63);
            }
        }
        if (to > from) {
            for (size_t w2 = 0; w2 < n_l2; w2++) {
                uint64_t x = l2[w2];
                l2[w2] = 0;
                while (x) {
                    size_t w1 = w2 * 64 + (size_t)__builtin_ctzll(x);
                    x &= x - 1;
                    uint64_t y = l1[w1];
                    l1[w1] = 0;
                    while (y) {
                        uint32_t col = (uint32_t)(w1 * 64 + (size_t)__builtin_ctzll(y));
                        y &= y - 1;
                        out_c[m] = col;
                        out_n[m] = count[col];
                        count[col] = 0;
                        m++;
                    }
                }
            }
        }
        from = to;
    }
    ip[n_rows] = m;
    Py_END_ALLOW_THREADS
    free(start);
    free(grouped);
    free(count);
    free(l1);
    free(l2);
    PyBuffer_Release(&rows);
    PyBuffer_Release(&cols);
    PyBuffer_Release(&indptr);
    PyBuffer_Release(&oc);
    PyBuffer_Release(&on);
    return PyLong_FromSsize_t(m);
release:
    if (got >= 1)
        PyBuffer_Release(&rows);
    if (got >= 2)
        PyBuffer_Release(&cols);
    if (got >= 3)
        PyBuffer_Release(&indptr);
    if (got >= 4)
        PyBuffer_Release(&oc);
    if (got >= 5)
        PyBuffer_Release(&on);
    return NULL;
}

static PyMethodDef methods[] = {
    {"csr_counts", csr_counts, METH_VARARGS,
     "csr_counts(rows, cols, width, indptr, out_cols, out_counts) -> number of pairs"},
    {"sorted_counts_u32", sorted_counts_u32, METH_VARARGS,
     "sorted_counts_u32(keys, unique, counts) -> number of distinct keys"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_ckernels", "Compiled kernels of batch scoring.", -1, methods,
};

PyMODINIT_FUNC
PyInit__ckernels(void)
{
    return PyModule_Create(&module);
}
