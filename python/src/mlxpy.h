/* Internal header of the mlx.core extension (python/src).
 *
 * The extension is plain CPython C API over the internal C library
 * (src/core, src/ops).  Files, one per area:
 *   module.c     PyInit_core: creates the module and calls each area's init
 *   errors.c     mx error kind -> Python exception
 *   args.c       the table-driven argument parser every function uses
 *   dtype.c      Dtype objects, DtypeCategory, finfo / iinfo, issubdtype
 *   convert.c    Python values <-> mx_array (scalars, lists, buffers)
 *   array.c      the mlx.core.array type: properties, methods, buffer export
 *   array_ops.c  arithmetic operators and the weak-scalar rules
 *   device.c     Device, DeviceType, Stream, StreamContext and their functions
 *   memory.c     the memory API
 *   ops_*.c      module-level op functions, one family per file
 *   eval.c       eval / async_eval
 *
 * Conventions: functions returning PyObject* return a new reference or NULL
 * with a Python exception set; functions returning int return 0 / -1 the same
 * way.  mx_array* results are new references.  Every call into the C library
 * that can fail is followed by mxpy_raise() so the user sees the exception
 * MLX raises (see errors.c). */
#ifndef MLXPY_H
#define MLXPY_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/core.h"
#include "ops/ops.h"

#define MLXPY_MODULE "mlx.core"

/* --- errors.c ------------------------------------------------------------ */

/* Raises the Python exception matching the last mx error of this thread
 * (kind and message), clears it, and returns NULL / -1. */
PyObject* mxpy_raise(void);
int mxpy_raise_int(void);

/* --- array.c --------------------------------------------------------------- */

typedef struct mxpy_array {
  PyObject_HEAD
  /* Owned.  In-place operators (a += b) swap in the result, as MLX does. */
  mx_array* arr;
} mxpy_array;

extern PyTypeObject mxpy_array_type;

static inline bool mxpy_is_array(PyObject* o) {
  return PyObject_TypeCheck(o, &mxpy_array_type);
}
static inline mx_array* mxpy_arr(PyObject* o) { return ((mxpy_array*)o)->arr; }

/* Wraps `a`, stealing the reference.  When `a` is NULL raises the pending mx
 * error and returns NULL, so `return mxpy_wrap(mx_add(...));` is the idiom. */
PyObject* mxpy_wrap(mx_array* a);

/* Evaluates `a` with the GIL released.  Returns 0 / -1 (exception set). */
int mxpy_eval_arrays(int n, mx_array* const* arrays, bool async);
static inline int mxpy_eval(mx_array* a) { return mxpy_eval_arrays(1, &a, false); }

int mxpy_array_init(PyObject* module);
/* indexing.c: a[key], a[key] = v and the `at` property. */
PyObject* mxpy_array_getitem(PyObject* self, PyObject* key);
int mxpy_array_setitem(PyObject* self, PyObject* key, PyObject* value);
PyObject* mxpy_array_at(PyObject* self, void* closure);
/* array_ops.c: installs the number protocol on the array type. */
void mxpy_array_ops_setup(PyTypeObject* type);

/* --- dtype.c --------------------------------------------------------------- */

typedef struct mxpy_dtype {
  PyObject_HEAD
  mx_dtype dtype;
} mxpy_dtype;

extern PyTypeObject mxpy_dtype_type;

/* The singleton Dtype object of `t` (borrowed reference). */
PyObject* mxpy_dtype_object(mx_dtype t);
static inline bool mxpy_is_dtype(PyObject* o) { return PyObject_TypeCheck(o, &mxpy_dtype_type); }
int mxpy_dtype_init(PyObject* module);

/* --- device.c -------------------------------------------------------------- */

/* Resolves a `stream=` argument: NULL or None (default stream of the default
 * device), a Stream, a Device or a DeviceType (that device's default stream).
 * Returns 0 / -1 (TypeError for other objects, ValueError for a device that
 * is not available, as MLX). */
int mxpy_to_stream(PyObject* obj, mx_stream* out);
/* Resolves a Device or DeviceType argument. */
int mxpy_to_device(PyObject* obj, mx_device* out);
PyObject* mxpy_device_object(mx_device d);
int mxpy_device_init(PyObject* module);

/* --- memory.c / eval.c ----------------------------------------------------- */

int mxpy_memory_init(PyObject* module);
/* random.c: the mlx.core.random submodule. */
int mxpy_random_init(PyObject* module);
/* linalg.c, fft.c: the mlx.core.linalg and mlx.core.fft submodules. */
int mxpy_linalg_init(PyObject* module);
int mxpy_fft_init(PyObject* module);
/* transforms.c: grad, vjp, jvp, vmap, compile and friends. */
int mxpy_transforms_init(PyObject* module);
/* io.c: save/load in npy, npz, safetensors and gguf. */
int mxpy_io_init(PyObject* module);
int mxpy_eval_init(PyObject* module);
/* ops_misc.c: PrintOptions types, constants, array extras (array_extras.c). */
int mxpy_misc_init(PyObject* module);

/* --- convert.c ------------------------------------------------------------- */

/* mx.array(val, dtype): Python scalars, nested lists/tuples, mx.array,
 * buffer-protocol objects (NumPy arrays and scalars, bytes, array.array) and
 * objects with __mlx_array__.  `dtype` < 0 means infer it as MLX does.
 * Lists are accepted only when `allow_lists`; elsewhere MLX rejects them
 * (ValueError "Invalid type list received in array initialization."). */
mx_array* mxpy_to_array(PyObject* obj, int dtype, bool allow_lists);

/* The operands of a binary op (add, a + b, ...) as arrays, with MLX's
 * weak-scalar rules: a Python scalar takes the dtype of the array on the
 * other side when it can represent it (see array_ops.c for the table).
 * `verb` ("addition") names the op in the ValueError for bad operands.
 * Returns 0 / -1; on success *a and *b are new references. */
int mxpy_binary_operands(PyObject* x, PyObject* y, mx_array** a, mx_array** b);

/* Is `obj` something a binary operator accepts as its other operand? */
bool mxpy_is_operand(PyObject* obj);

/* Element access for evaluated arrays (host data). */
PyObject* mxpy_item(mx_array* a);   /* size-1 arrays -> Python scalar */
PyObject* mxpy_tolist(mx_array* a); /* nested lists of Python scalars */

/* Converts `n` contiguous elements between dtypes on the host.  Both
 * pointers are element 0; the regions must not overlap. */
void mxpy_convert(void* dst, mx_dtype dst_type, const void* src, mx_dtype src_type, int64_t n);

/* --- args.c: the table-driven binding layer ------------------------------- */

/* A parameter's type decides how the parser converts the Python object. */
typedef enum mxpy_type {
  MXPY_ARRAY,     /* an mlx.core.array, nothing else (MLX's `a: array`) */
  MXPY_SCALAR_OR_ARRAY, /* array, Python scalar, NumPy array/scalar, buffer */
  MXPY_OBJECT,    /* passed through untouched (borrowed) */
  MXPY_AXES,      /* None, an int or a sequence of ints */
  MXPY_SHAPE,     /* a sequence of ints */
  MXPY_SHAPE_OR_INT, /* an int or a sequence of ints */
  MXPY_INT,       /* an int (or anything with __index__) */
  MXPY_FLOAT,     /* a float or an int */
  MXPY_BOOL,      /* a bool */
  MXPY_DTYPE,     /* a Dtype; None is accepted when the default is None */
  MXPY_VARARGS,   /* *name: the remaining positional arguments, as a tuple in .obj
                     (parameters after it are keyword-only) */
} mxpy_type;

/* Parameter flags. */
enum {
  MXPY_POSONLY = 1u << 0, /* before the "/" */
  MXPY_KWONLY = 1u << 1,  /* after the "*" */
  MXPY_OPT = 1u << 2,     /* has a default (see `def` and `def_text`) */
  MXPY_NONE = 1u << 3,    /* accepts None (then value.none is set) */
};

typedef struct mxpy_ints {
  int n;
  int* v;          /* points at `small` or at a malloc'd block */
  int small[8];
} mxpy_ints;

/* One parsed argument.  Only the field of the parameter's type is set;
 * `given` says whether the caller passed it. */
typedef struct mxpy_value {
  bool given;
  bool none;     /* the caller passed None (for MXPY_NONE parameters) */
  PyObject* obj; /* as passed (borrowed), NULL when defaulted */
  mx_array* a;   /* ARRAY, SCALAR_OR_ARRAY: owned by the parser */
  mxpy_ints ints; /* AXES, SHAPE */
  int64_t i;
  double f;
  bool b;
  int dtype;     /* DTYPE: an mx_dtype, or -1 for None */
} mxpy_value;

typedef struct mxpy_param {
  const char* name;
  mxpy_type type;
  unsigned flags;
  const char* def_text; /* the default as the signature shows it */
  mxpy_value def;       /* the default (scalar fields only) */
} mxpy_param;

#define MXPY_MAX_PARAMS 8

/* The implementation receives the parsed values in parameter order and the
 * resolved stream. */
typedef PyObject* (*mxpy_impl)(mxpy_value* v, mx_stream s);

/* A function as Python sees it: name, parameters (terminated by a NULL
 * name), docstring body, and whether it takes the keyword-only `stream`
 * (MLX's ops all do). */
typedef struct mxpy_fn {
  const char* name;
  mxpy_impl impl;
  const char* doc;
  mxpy_param params[MXPY_MAX_PARAMS];
  bool no_stream;
} mxpy_fn;

/* Adds each function of `fns` (terminated by a NULL name) to `module`. */
int mxpy_add_functions(PyObject* module, const mxpy_fn* fns);
/* Adds each function of `fns` as a method of `type`; the array is passed as
 * the first parameter. */
int mxpy_add_methods(PyTypeObject* type, const mxpy_fn* fns);
/* Parses and calls `fn` directly (for hand-written wrappers).  `self`, when
 * not NULL, is the first argument. */
PyObject* mxpy_call(const mxpy_fn* fn, PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                    PyObject* kwnames);

/* Single-object converters, usable outside the table (0 / -1). */
int mxpy_parse_ints(PyObject* obj, const char* what, bool allow_int, mxpy_ints* out);
void mxpy_ints_free(mxpy_ints* v);
int mxpy_parse_dtype(PyObject* obj, const char* what, bool allow_none, int* out);

/* --- ops_*.c tables ---------------------------------------------------------- */

extern const mxpy_fn mxpy_ops_arith[];
extern const mxpy_fn mxpy_ops_reduce[];
extern const mxpy_fn mxpy_ops_shape[];
extern const mxpy_fn mxpy_ops_create[];
extern const mxpy_fn mxpy_ops_unary[]; /* ops_unary.c */
extern const mxpy_fn mxpy_ops_binary[]; /* ops_binary.c */
extern const mxpy_fn mxpy_ops_reduce_sort[]; /* ops_reduce_sort.c */
extern const mxpy_fn mxpy_ops_shape_more[]; /* ops_shape_more.c */
extern const mxpy_fn mxpy_ops_indexing[]; /* ops_indexing.c */
extern const mxpy_fn mxpy_ops_linalg_conv[]; /* ops_linalg_conv.c */
extern const mxpy_fn mxpy_ops_misc[]; /* ops_misc.c */
/* Methods of mx.array defined by tables (module.c adds them). */
extern const mxpy_fn mxpy_array_methods_table[]; /* array.c */
extern const mxpy_fn mxpy_reduce_methods[];      /* ops_reduce.c */
extern const mxpy_fn mxpy_shape_methods[];       /* ops_shape_more.c */
extern const mxpy_fn mxpy_reduce_sort_methods[]; /* ops_reduce_sort.c */
extern const mxpy_fn mxpy_unary_methods[];       /* ops_unary.c */

/* --- module.c / dtype.c helpers -------------------------------------------- */

/* The submodule mlx.core.<name> (borrowed), created on first use, added to
 * the parent and to sys.modules. */
PyObject* mxpy_submodule(PyObject* parent, const char* name);
/* Runs Python `source` in a fresh namespace and returns what it binds to
 * `name` (new reference); used to build the enum.Enum classes. */
PyObject* mxpy_run_and_get(const char* source, const char* name);

#endif
