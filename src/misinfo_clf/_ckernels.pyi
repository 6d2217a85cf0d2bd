# Types of the compiled module built from _ckernels.c (see _kernels.py). Every array
# argument is any object with the buffer protocol (numpy arrays here).

def sorted_counts_u32(keys: object, unique: object, counts: object, /) -> int: ...
def csr_counts(
    rows: object, cols: object, width: int, indptr: object, out_cols: object, out_counts: object, /
) -> int: ...
