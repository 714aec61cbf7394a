/* Function transforms of closures (mlx/c/transforms.h): vjp, jvp,
 * value_and_grad, custom rules and checkpointing, over src/transforms. */
#include <stdlib.h>

#include "capi_closure.h"
#include "transforms/custom.h"

/* Checks a closure handle and a vector handle, reporting failures. */
static mx__closure* fun_arg(mlx_closure fun, const char* who) {
  if (!fun.ctx) mx__capi_failf(MX_ERR_VALUE, "[%s] The closure is empty.", who);
  return fun.ctx;
}

static int vector_arg(mlx_vector_array v, const char* what, const char* who, int* n,
                      mx_array*** out) {
  if (!v.ctx)
    return mx__capi_failf(MX_ERR_VALUE, "[%s] Expected a non-empty mlx_vector_array for %s.", who, what);
  return mx__capi_vector_take(v, n, out) == 0 ? 0 : mx__capi_fail();
}

/* --- vjp and jvp ------------------------------------------------------------------------- */

int mlx_vjp(mlx_vector_array* res_0, mlx_vector_array* res_1, const mlx_closure fun,
            const mlx_vector_array primals, const mlx_vector_array cotangents) {
  OUT(res_0, "mlx_vjp");
  OUT(res_1, "mlx_vjp");
  mx__closure* c = fun_arg(fun, "mlx_vjp");
  if (!c) return 1;
  int np_ = 0, nc = 0, n_out = 0;
  mx_array **p = NULL, **ct = NULL, **outs = NULL, **vjps = NULL;
  if (vector_arg(primals, "primals", "mlx_vjp", &np_, &p) != 0) return 1;
  if (vector_arg(cotangents, "cotangents", "mlx_vjp", &nc, &ct) != 0) {
    mx_arrays_free(np_, p);
    return 1;
  }
  int rc = mx_vjp(mx__capi_closure_fn, c, np_, p, nc, ct, &n_out, &outs, &vjps);
  mx_arrays_free(np_, p);
  mx_arrays_free(nc, ct);
  if (rc != 0) return mx__capi_fail();
  rc = mx__capi_put_vector(res_0, n_out, outs);
  if (rc == 0) rc = mx__capi_put_vector(res_1, np_, vjps);
  mx_arrays_free(n_out, outs);
  mx_arrays_free(np_, vjps);
  return rc;
}

int mlx_jvp(mlx_vector_array* res_0, mlx_vector_array* res_1, const mlx_closure fun,
            const mlx_vector_array primals, const mlx_vector_array tangents) {
  OUT(res_0, "mlx_jvp");
  OUT(res_1, "mlx_jvp");
  mx__closure* c = fun_arg(fun, "mlx_jvp");
  if (!c) return 1;
  int np_ = 0, nt = 0, n_out = 0;
  mx_array **p = NULL, **t = NULL, **outs = NULL, **jvps = NULL;
  if (vector_arg(primals, "primals", "mlx_jvp", &np_, &p) != 0) return 1;
  if (vector_arg(tangents, "tangents", "mlx_jvp", &nt, &t) != 0) {
    mx_arrays_free(np_, p);
    return 1;
  }
  int rc = 0;
  if (nt != np_)
    rc = mx_error(MX_ERR_VALUE, "[jvp] Number of inputs does not match number of tangents.");
  if (rc == 0) rc = mx_jvp(mx__capi_closure_fn, c, np_, p, t, &n_out, &outs, &jvps);
  mx_arrays_free(np_, p);
  mx_arrays_free(nt, t);
  if (rc != 0) return mx__capi_fail();
  rc = mx__capi_put_vector(res_0, n_out, outs);
  if (rc == 0) rc = mx__capi_put_vector(res_1, n_out, jvps);
  mx_arrays_free(n_out, outs);
  mx_arrays_free(n_out, jvps);
  return rc;
}

/* --- value_and_grad ------------------------------------------------------------------------ */

typedef struct vag_spec {
  mx__closure* fun; /* one reference */
  int* argnums;
  size_t n_argnums;
} vag_spec;

static void vag_spec_free(void* p) {
  vag_spec* v = p;
  if (!v) return;
  mx__closure_release(v->fun);
  free(v->argnums);
  free(v);
}

/* One application: the function's arguments with the differentiated ones
 * replaced by the transform's stand-ins, and every output kept. */
typedef struct vag_call {
  const vag_spec* spec;
  int n_all;
  mx_array* const* all;
  int n_out;
  mx_array** outs;
} vag_call;

static int vag_traced(void* payload, int n_in, mx_array* const* in, int* n_out, mx_array*** out) {
  vag_call* v = payload;
  mx_array** args = malloc((size_t)(v->n_all ? v->n_all : 1) * sizeof *args);
  if (!args) return mx_error(MX_ERR_MEMORY, "[value_and_grad] Out of memory.");
  for (int i = 0; i < v->n_all; i++) args[i] = v->all[i];
  for (int k = 0; k < n_in; k++) args[v->spec->argnums[k]] = in[k];
  int n = 0;
  mx_array** outs = NULL;
  int rc = mx__capi_closure_fn(v->spec->fun, v->n_all, args, &n, &outs);
  free(args);
  if (rc != 0) return -1;
  if (n < 1) {
    mx_arrays_free(n, outs);
    return mx_error(MX_ERR_VALUE,
                    "[value_and_grad] The function whose gradient we want to compute must return "
                    "at least one array.");
  }
  mx_arrays_free(v->n_out, v->outs);
  v->n_out = n;
  v->outs = outs;
  mx_array** first = malloc(sizeof *first);
  if (!first) return mx_error(MX_ERR_MEMORY, "[value_and_grad] Out of memory.");
  first[0] = outs[0];
  mx_array_retain(first[0]);
  *n_out = 1;
  *out = first;
  return 0;
}

static int vag_apply(mlx_vector_array* res_0, mlx_vector_array* res_1, const mlx_vector_array input,
                     void* payload) {
  const vag_spec* spec = payload;
  int n_all = 0;
  mx_array** all = NULL;
  if (!input.ctx) return mx_error(MX_ERR_VALUE, "[value_and_grad] Expected a non-empty mlx_vector_array.");
  if (mx__capi_vector_take(input, &n_all, &all) != 0) return -1;
  int rc = 0;
  int np_ = (int)spec->n_argnums;
  mx_array** primals = calloc((size_t)(np_ ? np_ : 1), sizeof *primals);
  if (!primals) rc = mx_error(MX_ERR_MEMORY, "[value_and_grad] Out of memory.");
  for (int k = 0; k < np_ && rc == 0; k++) {
    int a = spec->argnums[k];
    if (a < 0 || a >= n_all)
      rc = mx_error(MX_ERR_VALUE,
                    "[value_and_grad] Can't compute the gradient of argument index %d because the "
                    "function is called with only %d arguments.",
                    a, n_all);
    else
      primals[k] = all[a];
  }
  vag_call call = {spec, n_all, all, 0, NULL};
  mx_array* one = rc == 0 ? mx_array_scalar_f64(1.0, MX_FLOAT32) : NULL;
  int n1 = 0;
  mx_array **o1 = NULL, **grads = NULL;
  if (rc == 0 && !one) rc = -1;
  if (rc == 0) rc = mx_vjp(vag_traced, &call, np_, primals, 1, &one, &n1, &o1, &grads);
  mx_array_release(one);
  free(primals);
  if (rc == 0) {
    mx_arrays_free(n1, o1);
    rc = mx__capi_put_vector(res_0, call.n_out, call.outs) == 0 &&
                 mx__capi_put_vector(res_1, np_, grads) == 0
             ? 0
             : -1;
    mx_arrays_free(np_, grads);
  }
  mx_arrays_free(call.n_out, call.outs);
  mx_arrays_free(n_all, all);
  return rc;
}

int mlx_value_and_grad(mlx_closure_value_and_grad* res, const mlx_closure fun, const int* argnums,
                       size_t argnums_num) {
  OUT(res, "mlx_value_and_grad");
  mx__closure* c = fun_arg(fun, "mlx_value_and_grad");
  if (!c) return 1;
  if (argnums_num == 0 || !argnums)
    return mx__capi_failf(MX_ERR_VALUE, "[value_and_grad] Gradient wrt no argument requested");
  for (size_t i = 0; i < argnums_num; i++)
    if (argnums[i] < 0)
      return mx__capi_failf(MX_ERR_VALUE,
                            "[value_and_grad] Can't compute the gradient of negative argument "
                            "index %d.",
                            argnums[i]);
  vag_spec* v = calloc(1, sizeof *v);
  int* nums = malloc(argnums_num * sizeof *nums);
  if (!v || !nums) {
    free(v);
    free(nums);
    return mx__capi_failf(MX_ERR_MEMORY, "[mlx_value_and_grad] Out of memory.");
  }
  for (size_t i = 0; i < argnums_num; i++) nums[i] = argnums[i];
  mx__closure_retain(c);
  v->fun = c;
  v->argnums = nums;
  v->n_argnums = argnums_num;
  mx__closure* out = mx__closure_new((void (*)(void))vag_apply, v, vag_spec_free, "mlx_value_and_grad");
  if (!out) return 1;
  mlx_closure_value_and_grad_free(*res);
  res->ctx = out;
  return 0;
}

/* --- custom rules and checkpoint --------------------------------------------------------------- */

typedef struct custom_closures {
  mx__closure* fun;
  mx__closure* vjp;
  mx__closure* jvp;
  mx__closure* vmap;
} custom_closures;

static void custom_closures_free(void* p) {
  custom_closures* cc = p;
  if (!cc) return;
  mx__closure_release(cc->fun);
  mx__closure_release(cc->vjp);
  mx__closure_release(cc->jvp);
  mx__closure_release(cc->vmap);
  free(cc);
}

/* Runs a custom closure on vectors made from internal lists and takes its
 * result back: the shape every rule below shares. */
static int custom_vjp_rule(mx_custom_rules* r, int np_, mx_array* const* primals, int nc,
                           mx_array* const* cots, mx_array* const* outputs, int* nv,
                           mx_array*** vjps) {
  custom_closures* cc = r->payload;
  mlx_vector_array a = mx__capi_vector_from(np_, primals);
  mlx_vector_array b = mx__capi_vector_from(nc, cots);
  mlx_vector_array d = mx__capi_vector_from(nc, outputs);
  mlx_vector_array res = mlx_vector_array_new();
  int rc = a.ctx && b.ctx && d.ctx && res.ctx ? mx__closure_call_custom(cc->vjp, &res, a, b, d) : -1;
  if (rc == 0) rc = mx__capi_vector_take(res, nv, vjps);
  mlx_vector_array_free(a);
  mlx_vector_array_free(b);
  mlx_vector_array_free(d);
  mlx_vector_array_free(res);
  return rc;
}

static int custom_jvp_rule(mx_custom_rules* r, int np_, mx_array* const* primals, int nt,
                           mx_array* const* tangents, const int* argnums, int* nj,
                           mx_array*** jvps) {
  custom_closures* cc = r->payload;
  mlx_vector_array a = mx__capi_vector_from(np_, primals);
  mlx_vector_array b = mx__capi_vector_from(nt, tangents);
  mlx_vector_array res = mlx_vector_array_new();
  int rc = a.ctx && b.ctx && res.ctx
               ? mx__closure_call_custom_jvp(cc->jvp, &res, a, b, argnums, (size_t)nt)
               : -1;
  if (rc == 0) rc = mx__capi_vector_take(res, nj, jvps);
  mlx_vector_array_free(a);
  mlx_vector_array_free(b);
  mlx_vector_array_free(res);
  return rc;
}

static int custom_vmap_rule(mx_custom_rules* r, int n_in, mx_array* const* inputs, const int* axes,
                            int* n_out, mx_array*** outputs, int** out_axes) {
  custom_closures* cc = r->payload;
  mlx_vector_array a = mx__capi_vector_from(n_in, inputs);
  mlx_vector_array res = mlx_vector_array_new();
  mlx_vector_int res_axes = mlx_vector_int_new();
  int rc = a.ctx && res.ctx && res_axes.ctx
               ? mx__closure_call_custom_vmap(cc->vmap, &res, &res_axes, a, axes, (size_t)n_in)
               : -1;
  if (rc == 0) rc = mx__capi_vector_take(res, n_out, outputs);
  if (rc == 0) {
    size_t na = mlx_vector_int_size(res_axes);
    if (na != (size_t)*n_out) {
      rc = mx_error(MX_ERR_VALUE,
                    "[custom_function] The vmap function returned %d outputs and %zu axes.", *n_out,
                    na);
    } else {
      int* ax = malloc((na ? na : 1) * sizeof *ax);
      if (!ax) rc = mx_error(MX_ERR_MEMORY, "[custom_function] Out of memory.");
      for (size_t i = 0; i < na && rc == 0; i++) mlx_vector_int_get(&ax[i], res_axes, i);
      if (rc == 0) *out_axes = ax;
    }
    if (rc != 0) {
      mx_arrays_free(*n_out, *outputs);
      *outputs = NULL;
    }
  }
  mlx_vector_array_free(a);
  mlx_vector_array_free(res);
  mlx_vector_int_free(res_axes);
  return rc;
}

/* The mlx_closure of a custom function: every call runs mx_custom_call. */
static int custom_apply(mlx_vector_array* res, const mlx_vector_array input, void* payload) {
  mx_custom_rules* r = payload;
  int n_in = 0, n_out = 0;
  mx_array **in = NULL, **out = NULL;
  if (!input.ctx) return mx_error(MX_ERR_VALUE, "[custom_function] Expected a non-empty mlx_vector_array.");
  if (mx__capi_vector_take(input, &n_in, &in) != 0) return -1;
  int rc = mx_custom_call(r, n_in, in, &n_out, &out);
  mx_arrays_free(n_in, in);
  if (rc != 0) return -1;
  mlx_vector_array v = mx__capi_vector_from(n_out, out);
  mx_arrays_free(n_out, out);
  if (!v.ctx) return -1;
  rc = mlx_vector_array_set(res, v) == 0 ? 0 : -1;
  mlx_vector_array_free(v);
  return rc;
}

static void custom_apply_free(void* payload) { mx_custom_rules_release(payload); }

static int make_custom(mlx_closure* res, mlx_closure fun, void* vjp, void* jvp, void* vmap,
                       bool checkpoint, const char* who) {
  OUT(res, who);
  mx__closure* f = fun_arg(fun, who);
  if (!f) return 1;
  custom_closures* cc = calloc(1, sizeof *cc);
  mx_custom_rules* r = cc ? mx_custom_rules_new() : NULL;
  if (!r) {
    free(cc);
    return mx__capi_failf(MX_ERR_MEMORY, "[%s] Out of memory.", who);
  }
  cc->fun = f;
  cc->vjp = vjp;
  cc->jvp = jvp;
  cc->vmap = vmap;
  mx__closure_retain(cc->fun);
  mx__closure_retain(cc->vjp);
  mx__closure_retain(cc->jvp);
  mx__closure_retain(cc->vmap);
  r->payload = cc;
  r->payload_free = custom_closures_free;
  r->fun = mx__capi_closure_fn;
  r->fun_payload = cc->fun;
  r->vjp = vjp ? custom_vjp_rule : NULL;
  r->jvp = jvp ? custom_jvp_rule : NULL;
  r->vmap = vmap ? custom_vmap_rule : NULL;
  r->checkpoint = checkpoint;
  mx__closure* out = mx__closure_new((void (*)(void))custom_apply, r, custom_apply_free, who);
  if (!out) return 1;
  mlx_closure_free(*res);
  res->ctx = out;
  return 0;
}

int mlx_custom_function(mlx_closure* res, const mlx_closure fun, const mlx_closure_custom fun_vjp,
                        const mlx_closure_custom_jvp fun_jvp,
                        const mlx_closure_custom_vmap fun_vmap) {
  return make_custom(res, fun, fun_vjp.ctx, fun_jvp.ctx, fun_vmap.ctx, false,
                     "mlx_custom_function");
}

int mlx_custom_vjp(mlx_closure* res, const mlx_closure fun, const mlx_closure_custom fun_vjp) {
  if (!fun_vjp.ctx) return mx__capi_failf(MX_ERR_VALUE, "[mlx_custom_vjp] The vjp closure is empty.");
  return make_custom(res, fun, fun_vjp.ctx, NULL, NULL, false, "mlx_custom_vjp");
}

int mlx_checkpoint(mlx_closure* res, const mlx_closure fun) {
  return make_custom(res, fun, NULL, NULL, NULL, true, "mlx_checkpoint");
}
