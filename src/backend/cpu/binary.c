/* Binary arithmetic kernels: ADD, SUBTRACT, MULTIPLY, DIVIDE for all 14
 * dtypes.
 *
 * Integers wrap on overflow (computed in unsigned arithmetic, which C
 * defines).  Integer DIVIDE is floor division, the semantics MLX gives
 * floor_divide (true division of integers is promoted to float32 by the op
 * constructor, so it never reaches these loops); division by zero gives 0
 * instead of trapping.  Booleans: add is or, subtract is xor, multiply and
 * divide are and.  float16 and bfloat16 compute in float32 and round once;
 * complex64 uses C99 complex arithmetic (Annex G division, as std::complex
 * in MLX: (1+2j)/0 is inf+infj). */
#include "elementwise.h"

/* X(ENUM, storage, carrier, load(x), store(v), kind, unsigned wide type) */
#define BIN_TYPES(X)                                                          \
  X(BOOL, bool, bool, (x), (v), KB, uint32_t)                                 \
  X(UINT8, uint8_t, uint8_t, (x), ((uint8_t)(v)), KU, uint32_t)               \
  X(UINT16, uint16_t, uint16_t, (x), ((uint16_t)(v)), KU, uint32_t)           \
  X(UINT32, uint32_t, uint32_t, (x), ((uint32_t)(v)), KU, uint32_t)           \
  X(UINT64, uint64_t, uint64_t, (x), ((uint64_t)(v)), KU, uint64_t)           \
  X(INT8, int8_t, int8_t, (x), ((int8_t)(v)), KI, uint32_t)                   \
  X(INT16, int16_t, int16_t, (x), ((int16_t)(v)), KI, uint32_t)               \
  X(INT32, int32_t, int32_t, (x), ((int32_t)(v)), KI, uint32_t)               \
  X(INT64, int64_t, int64_t, (x), ((int64_t)(v)), KI, uint64_t)               \
  X(FLOAT16, _Float16, float, ((float)(x)), ((_Float16)(v)), KF, uint32_t)    \
  X(FLOAT32, float, float, (x), (v), KF, uint32_t)                            \
  X(FLOAT64, double, double, (x), (v), KF, uint32_t)                          \
  X(BFLOAT16, uint16_t, float, (mx__bf16_load(x)), (mx__bf16_store(v)), KF, uint32_t) \
  X(COMPLEX64, mx__c64, mx__c64, (x), (v), KF, uint32_t)

static inline int64_t floor_div_i64(int64_t a, int64_t b) {
  if (b == 0) return 0;
  if (b == -1) return (int64_t)(0u - (uint64_t)a); /* INT_MIN / -1 wraps, never traps */
  int64_t q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) q--;
  return q;
}

/* OP_<op>_<kind>(a, b, UW): a, b carriers. */
#define OP_ADD_KB(a, b, UW) ((a) | (b))
#define OP_ADD_KU(a, b, UW) ((UW)(a) + (UW)(b))
#define OP_ADD_KI(a, b, UW) ((UW)(a) + (UW)(b))
#define OP_ADD_KF(a, b, UW) ((a) + (b))
#define OP_SUB_KB(a, b, UW) ((a) ^ (b))
#define OP_SUB_KU(a, b, UW) ((UW)(a) - (UW)(b))
#define OP_SUB_KI(a, b, UW) ((UW)(a) - (UW)(b))
#define OP_SUB_KF(a, b, UW) ((a) - (b))
#define OP_MUL_KB(a, b, UW) ((a) & (b))
#define OP_MUL_KU(a, b, UW) ((UW)(a) * (UW)(b))
#define OP_MUL_KI(a, b, UW) ((UW)(a) * (UW)(b))
#define OP_MUL_KF(a, b, UW) ((a) * (b))
#define OP_DIV_KB(a, b, UW) ((a) & (b))
#define OP_DIV_KU(a, b, UW) ((b) ? (a) / (b) : 0)
#define OP_DIV_KI(a, b, UW) (floor_div_i64((int64_t)(a), (int64_t)(b)))
#define OP_DIV_KF(a, b, UW) ((a) / (b))


/* One op on one dtype: vector-vector, scalar-vector, vector-scalar loops
 * (vectorized and cloned per ISA) and the strided inner function. */
#define DEF_BIN(OP, E, ST, CT, LOAD, STORE, K, UW)                                            \
  static inline ST OP##_##E##_one(ST xa, ST xb) {                                            \
    CT a_, b_;                                                                               \
    {                                                                                        \
      ST x = xa;                                                                             \
      a_ = LOAD;                                                                             \
    }                                                                                        \
    {                                                                                        \
      ST x = xb;                                                                             \
      b_ = LOAD;                                                                             \
    }                                                                                        \
    __typeof__(OP_##OP##_##K(a_, b_, UW)) v = OP_##OP##_##K(a_, b_, UW);                     \
    return STORE;                                                                            \
  }                                                                                          \
  static MX__SIMD void OP##_##E##_vv(int64_t n, const ST* restrict a, const ST* restrict b,  \
                                     ST* o) {                                                \
    for (int64_t i = 0; i < n; i++) o[i] = OP##_##E##_one(a[i], b[i]);                       \
  }                                                                                          \
  static MX__SIMD void OP##_##E##_sv(int64_t n, ST a, const ST* restrict b, ST* o) {         \
    for (int64_t i = 0; i < n; i++) o[i] = OP##_##E##_one(a, b[i]);                          \
  }                                                                                          \
  static MX__SIMD void OP##_##E##_vs(int64_t n, const ST* restrict a, ST b, ST* o) {         \
    for (int64_t i = 0; i < n; i++) o[i] = OP##_##E##_one(a[i], b);                          \
  }                                                                                          \
  static void OP##_##E(int64_t n, char* const* p, const int64_t* bs, void* ctx) {            \
    (void)ctx;                                                                               \
    const int64_t z = (int64_t)sizeof(ST);                                                   \
    if (bs[0] == z && bs[1] == z && bs[2] == z) {                                            \
      OP##_##E##_vv(n, (const ST*)p[1], (const ST*)p[2], (ST*)p[0]);                         \
    } else if (bs[0] == z && bs[1] == 0 && bs[2] == z) {                                     \
      OP##_##E##_sv(n, *(const ST*)p[1], (const ST*)p[2], (ST*)p[0]);                        \
    } else if (bs[0] == z && bs[1] == z && bs[2] == 0) {                                     \
      OP##_##E##_vs(n, (const ST*)p[1], *(const ST*)p[2], (ST*)p[0]);                        \
    } else {                                                                                 \
      char* o = p[0];                                                                        \
      const char* a = p[1];                                                                  \
      const char* b = p[2];                                                                  \
      for (int64_t i = 0; i < n; i++, o += bs[0], a += bs[1], b += bs[2])                    \
        *(ST*)o = OP##_##E##_one(*(const ST*)a, *(const ST*)b);                              \
    }                                                                                        \
  }

#define DEF_ADD(E, ST, CT, LOAD, STORE, K, UW) DEF_BIN(ADD, E, ST, CT, LOAD, STORE, K, UW)
#define DEF_SUB(E, ST, CT, LOAD, STORE, K, UW) DEF_BIN(SUB, E, ST, CT, LOAD, STORE, K, UW)
#define DEF_MUL(E, ST, CT, LOAD, STORE, K, UW) DEF_BIN(MUL, E, ST, CT, LOAD, STORE, K, UW)
#define DEF_DIV(E, ST, CT, LOAD, STORE, K, UW) DEF_BIN(DIV, E, ST, CT, LOAD, STORE, K, UW)
BIN_TYPES(DEF_ADD)
BIN_TYPES(DEF_SUB)
BIN_TYPES(DEF_MUL)
BIN_TYPES(DEF_DIV)

#define CELL_ADD(E, ...) [MX_##E] = ADD_##E,
#define CELL_SUB(E, ...) [MX_##E] = SUB_##E,
#define CELL_MUL(E, ...) [MX_##E] = MUL_##E,
#define CELL_DIV(E, ...) [MX_##E] = DIV_##E,
enum { BIN_ADD, BIN_SUB, BIN_MUL, BIN_DIV };
static const mx__cpu_inner bin_table[4][MX_DTYPE_COUNT] = {
    [BIN_ADD] = {BIN_TYPES(CELL_ADD)},
    [BIN_SUB] = {BIN_TYPES(CELL_SUB)},
    [BIN_MUL] = {BIN_TYPES(CELL_MUL)},
    [BIN_DIV] = {BIN_TYPES(CELL_DIV)},
};

mx__cpu_inner mx__cpu_arith_inner(mx_prim p, mx_dtype t) {
  if (t < 0 || t >= MX_DTYPE_COUNT) return NULL;
  switch (p) {
    case MX_PRIM_ADD: return bin_table[BIN_ADD][t];
    case MX_PRIM_SUBTRACT: return bin_table[BIN_SUB][t];
    case MX_PRIM_MULTIPLY: return bin_table[BIN_MUL][t];
    case MX_PRIM_DIVIDE: return bin_table[BIN_DIV][t];
    default: return NULL;
  }
}

static int binary(int op, mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* a = inputs[0];
  mx_array* b = inputs[1];
  mx_array* out = outputs[0];
  if (a->dtype != out->dtype || b->dtype != out->dtype)
    return mx_error(MX_ERR_RUNTIME, "[%s] Inputs must have the output dtype (%s, %s -> %s).",
                    mx_prim_name(node->prim), mx_dtype_name(a->dtype), mx_dtype_name(b->dtype),
                    mx_dtype_name(out->dtype));
  if (a->ndim > out->ndim || b->ndim > out->ndim)
    return mx_error(MX_ERR_RUNTIME, "[%s] Inputs have more dims than the output.",
                    mx_prim_name(node->prim));
  mx__cpu_inner fn = bin_table[op][out->dtype];
  const int64_t z = (int64_t)mx_array_itemsize(out);

  if (out->size == 0) return mx_array_alloc_data(out, false);
  const char* pa = mx__cpu_in_ptr(a);
  const char* pb = pa ? mx__cpu_in_ptr(b) : NULL;
  if (!pa || !pb) return -1;

  /* Flat paths: each input is a scalar (one element, possibly broadcast)
   * or walks in the same dense order as the output. */
  bool a_scalar = a->data_size == 1, b_scalar = b->data_size == 1;
  bool same_shape = (a_scalar || mx_shape_equal(a->ndim, a->shape, out->ndim, out->shape)) &&
                    (b_scalar || mx_shape_equal(b->ndim, b->shape, out->ndim, out->shape));
  const mx_array* ref = !a_scalar ? a : (!b_scalar ? b : NULL);
  bool flat = same_shape && (a_scalar || mx__cpu_flat_like(a, NULL)) &&
              (b_scalar || mx__cpu_flat_like(b, NULL));
  bool flat_strided = false;
  if (!flat && same_shape && ref && (a_scalar || mx__cpu_flat_like(a, ref->strides)) &&
      (b_scalar || mx__cpu_flat_like(b, ref->strides)))
    flat_strided = true;

  if (flat || flat_strided) {
    char* po;
    if (flat) {
      mx_array* cands[2];
      int nc = 0;
      if (!a_scalar) cands[nc++] = a;
      if (!b_scalar) cands[nc++] = b;
      po = mx__cpu_alloc_donate(out, cands, nc);
    } else {
      /* Same dense non-row layout on both sides (e.g. two transposed
       * operands): keep it for the output so one flat loop does it. */
      po = mx__cpu_alloc(out);
      if (po) {
        memcpy(out->strides, ref->strides, (size_t)out->ndim * sizeof(int64_t));
        out->flags = mx_layout_flags(out->ndim, out->shape, out->strides, out->size);
      }
    }
    if (!po) return -1;
    char* base[3] = {po, (char*)pa, (char*)pb};
    int64_t bst[3] = {z, a_scalar ? 0 : z, b_scalar ? 0 : z};
    mx__cpu_apply_flat(out->size, 3, base, bst, fn, NULL);
    mx__cpu_written(out);
    return 0;
  }

  /* General strided path.  A row-contiguous input of the output's shape can
   * still donate: each element is read before the same slot is written. */
  mx_array* cands[2];
  int nc = 0;
  if (mx_shape_equal(a->ndim, a->shape, out->ndim, out->shape) && mx__cpu_flat_like(a, NULL))
    cands[nc++] = a;
  if (mx_shape_equal(b->ndim, b->shape, out->ndim, out->shape) && mx__cpu_flat_like(b, NULL))
    cands[nc++] = b;
  char* po = mx__cpu_alloc_donate(out, cands, nc);
  if (!po) return -1;
  int nd = out->ndim;
  int64_t ost[nd > 0 ? nd : 1], ast[nd > 0 ? nd : 1], bst[nd > 0 ? nd : 1];
  mx_row_strides(nd, out->shape, ost);
  mx__cpu_bcast_strides(a, nd, out->shape, ast);
  mx__cpu_bcast_strides(b, nd, out->shape, bst);
  char* base[3] = {po, (char*)pa, (char*)pb};
  const int64_t* st[3] = {ost, ast, bst};
  size_t isz[3] = {(size_t)z, (size_t)z, (size_t)z};
  mx__cpu_apply(nd, out->shape, 3, base, st, isz, fn, NULL);
  mx__cpu_written(out);
  return 0;
}

int mx__cpu_add(mx_node* node, mx_array* const* in, mx_array* const* out) {
  return binary(BIN_ADD, node, in, out);
}
int mx__cpu_subtract(mx_node* node, mx_array* const* in, mx_array* const* out) {
  return binary(BIN_SUB, node, in, out);
}
int mx__cpu_multiply(mx_node* node, mx_array* const* in, mx_array* const* out) {
  return binary(BIN_MUL, node, in, out);
}
int mx__cpu_divide(mx_node* node, mx_array* const* in, mx_array* const* out) {
  return binary(BIN_DIV, node, in, out);
}
