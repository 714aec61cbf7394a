/* Primitives of one family: reductions beyond sum, scans, sort/partition/topk/searchsorted.
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise). */
#ifndef MX_CORE_PRIMS_REDUCE_SORT_H
#define MX_CORE_PRIMS_REDUCE_SORT_H

#define MX_PRIMS_REDUCE_SORT(X)      \
  X(ARG_REDUCE, "ArgReduce")         \
  X(SCAN, "Scan")                    \
  X(SORT, "Sort")                    \
  X(ARGSORT, "ArgSort")              \
  X(PARTITION, "Partition")          \
  X(ARGPARTITION, "ArgPartition")    \
  X(LOGSUMEXP, "LogSumExp")          \
  X(SOFTMAX, "Softmax")              \
  X(ISCLOSE, "IsClose")              \
  X(SEARCHSORTED, "SearchSorted")

/* ArgReduce: the output keeps `axis` as a size-1 dim (the constructor
 * reshapes it away unless keepdims); the result dtype is uint32. */
enum { MX_ARG_MIN = 0, MX_ARG_MAX = 1 };
typedef struct mx_arg_reduce_params {
  int op; /* MX_ARG_MIN / MX_ARG_MAX */
  int axis;
} mx_arg_reduce_params;

/* Scan along `axis`; the output has the input's shape and dtype. */
enum { MX_SCAN_SUM, MX_SCAN_PROD, MX_SCAN_MAX, MX_SCAN_MIN, MX_SCAN_LOGADDEXP };
typedef struct mx_scan_params {
  int op; /* MX_SCAN_* */
  int axis;
  int reverse;
  int inclusive;
} mx_scan_params;

/* Sort, ArgSort, Partition, ArgPartition along `axis` (kth is used by the
 * partitions only; a sorted line is a valid partition for every kth). */
typedef struct mx_sort_params {
  int axis;
  int kth;
} mx_sort_params;

/* Softmax over the last axis; `precise` accumulates half types in float32
 * (the CPU always does, so it only matters for bytewise node equality).
 * LogSumExp reduces the last axis and has no parameters. */
typedef struct mx_softmax_params {
  int precise;
} mx_softmax_params;

/* IsClose of two inputs of one dtype and shape: |a - b| <= atol + rtol*|b|
 * (equal infinities are close); `exact` asks for plain equality instead
 * (array_equal).  Output bool. */
typedef struct mx_isclose_params {
  double rtol, atol;
  int equal_nan;
  int exact;
} mx_isclose_params;

/* SearchSorted: inputs (sorted 1-D sequence, values) of one dtype; output
 * uint32 with the values' shape. */
typedef struct mx_searchsorted_params {
  int right;
} mx_searchsorted_params;

#endif
