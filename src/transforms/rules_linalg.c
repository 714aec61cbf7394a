/* Transform rules (vjp, jvp, vmap) of the linalg primitives.  See
 * transforms.h for the rule signatures and rules_util.h for conventions.
 *
 * What MLX 0.32.4 supports decides what is here (each case was checked by
 * running MLX's mx.grad / mx.jvp / mx.vmap on mx.linalg's functions):
 *
 * - No decomposition is differentiable in MLX: vjp and jvp of LUF, QRF,
 *   SVD, Inverse, Cholesky, Eig and Eigh raise "[Primitive::vjp] Not
 *   implemented for <name>." (ValueError).  We raise the same, so that
 *   composites (pinv, det, slogdet, cholesky_inv, tri_inv, norm with ord
 *   2/-2/"nuc") fail exactly as in MLX.
 * - MLX vmaps SVD, Inverse, Cholesky, Eig and Eigh (the batch becomes a
 *   leading batch dim, which the kernels already loop over) but not LUF or
 *   QRF.
 * - MLX has no Solve or SolveTriangular primitive: solve is built from
 *   lu_factor, a gather of b's rows and two triangular solves, and
 *   solve_triangular is tri_inv(a) @ b.  So both are linear in b with the
 *   usual derivatives (MLX computes them), while a derivative through `a`
 *   reaches MLX's LUF / gather / Inverse and raises.  Our rules raise the
 *   error MLX raises for the same request, and vmap Solve only when `a`
 *   is not batched (MLX would have to vmap LUF otherwise). */
#include "rules_util.h"

#define S (node->stream)

/* --- refusals with MLX's messages ------------------------------------------------------ */

static int no_vjp(const char* name) {
  return mx_error(MX_ERR_VALUE, "[Primitive::vjp] Not implemented for %s.", name);
}
static int no_jvp(const char* name) {
  return mx_error(MX_ERR_VALUE, "[Primitive::jvp] Not implemented for %s.", name);
}
static int no_vmap(const char* name) {
  return mx_error(MX_ERR_VALUE, "[Primitive::vmap] Not implemented for %s.", name);
}

/* Our primitive names match MLX's, so the node's own name goes into the
 * message for the decompositions. */
static int vjp_refuse(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                      const bool* want, mx_array** g) {
  (void)p, (void)o, (void)c, (void)want, (void)g;
  return no_vjp(mx_prim_name(node->prim));
}

static int jvp_refuse(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                      mx_array** out) {
  (void)p, (void)o, (void)t, (void)out;
  return no_jvp(mx_prim_name(node->prim));
}

static int vmap_refuse(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                       int* oax) {
  (void)in, (void)ax, (void)out, (void)oax;
  return no_vmap(mx_prim_name(node->prim));
}

/* --- vmap of the decompositions ----------------------------------------------------------- */

/* Every linalg primitive treats leading dims as a batch and every output
 * gets the input's batch dims in front of its own trailing dims, so moving
 * the vmapped axis to the front of each input (unbatched inputs broadcast)
 * and rebuilding the node is the whole rule: that is what the elementwise
 * helper does. */
static int vmap_batch_front(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                            int* oax) {
  return mx__vmap_elementwise(node, in, ax, out, oax);
}

/* --- Solve and SolveTriangular ------------------------------------------------------------ */

/* Inputs: A (..,N,N) and B (..,N,R) with equal batch dims (the op
 * constructor broadcasts them), X = A^-1 B. */

/* A^-T y as the same primitive would compute it: the transposed system, for
 * the triangular case with the other triangle. */
static mx_array* solve_transposed(mx_node* node, mx_array* a, mx_array* y) {
  mx_array* at = mx_matrix_transpose(a, S);
  if (!at) return NULL;
  mx_array* r;
  if (node->prim == MX_PRIM_SOLVE_TRIANGULAR) {
    const mx_triangle_params* tp = node->params;
    r = mx_linalg_solve_triangular(at, y, !tp->upper, S);
  } else {
    r = mx_linalg_solve(at, y, S);
  }
  mx_array_release(at);
  return r;
}

static mx_array* solve_same(mx_node* node, mx_array* a, mx_array* y) {
  if (node->prim == MX_PRIM_SOLVE_TRIANGULAR) {
    const mx_triangle_params* tp = node->params;
    return mx_linalg_solve_triangular(a, y, tp->upper, S);
  }
  return mx_linalg_solve(a, y, S);
}

/* MLX differentiates solve with respect to b (through its gather and
 * triangular solves) but not a: its reverse pass meets the gather whose
 * indices (the LU row order) depend on a, and solve_triangular's meets
 * Inverse. */
static int vjp_solve(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* c,
                     const bool* want, mx_array** g) {
  (void)o;
  if (want[0]) {
    if (node->prim == MX_PRIM_SOLVE)
      return mx_error(MX_ERR_VALUE, "[gather_axis] Cannot calculate VJP with respect to indices. "
                      "Use stop_gradient on indices to stop gradients from being computed.");
    return no_vjp("Inverse");
  }
  if (!want[1] || !c[0]) return 0;
  /* X = A^-1 B gives dL/dB = A^-T dL/dX. */
  g[1] = solve_transposed(node, p[0], c[0]);
  return g[1] ? 0 : -1;
}

static int jvp_solve(mx_node* node, mx_array* const* p, mx_array* const* o, mx_array* const* t,
                     mx_array** out) {
  (void)o;
  if (t[0]) return no_jvp(node->prim == MX_PRIM_SOLVE ? "LUF" : "Inverse");
  out[0] = solve_same(node, p[0], t[1]);
  return out[0] ? 0 : -1;
}

static int vmap_solve(mx_node* node, mx_array* const* in, const int* ax, mx_array** out,
                      int* oax) {
  if (ax[0] >= 0 && node->prim == MX_PRIM_SOLVE) return no_vmap("LUF");
  return mx__vmap_elementwise(node, in, ax, out, oax);
}

const mx_transform_rules mx__rules_linalg[MX_PRIM_COUNT] = {
    MX_RULE(LU_FACTOR, vjp_refuse, jvp_refuse, vmap_refuse)
    MX_RULE(QR, vjp_refuse, jvp_refuse, vmap_refuse)
    MX_RULE(SVD, vjp_refuse, jvp_refuse, vmap_batch_front)
    MX_RULE(INVERSE, vjp_refuse, jvp_refuse, vmap_batch_front)
    MX_RULE(CHOLESKY, vjp_refuse, jvp_refuse, vmap_batch_front)
    MX_RULE(EIG, vjp_refuse, jvp_refuse, vmap_batch_front)
    MX_RULE(EIGH, vjp_refuse, jvp_refuse, vmap_batch_front)
    MX_RULE(SOLVE, vjp_solve, jvp_solve, vmap_solve)
    MX_RULE(SOLVE_TRIANGULAR, vjp_solve, jvp_solve, vmap_solve)
};
