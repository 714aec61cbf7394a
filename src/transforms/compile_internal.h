/* The recorded form of a compiled function, shared by compile_trace.c
 * (record, simplify, fuse) and compile_run.c (replay). */
#ifndef MX_TRANSFORMS_COMPILE_INTERNAL_H
#define MX_TRANSFORMS_COMPILE_INTERNAL_H

#include "compile.h"

/* Where a step's input (or a function output) comes from. */
enum { REF_INPUT, REF_STEP, REF_CONST };
typedef struct cref {
  int kind;
  int index; /* input number, step number or constant number */
  int out;   /* which output of the step */
} cref;

typedef struct cstep {
  mx_prim prim;
  void* params;
  size_t params_size;
  mx_stream stream;
  int n_in;
  cref* in;
  int n_out;
  int* out_ndim;
  int** out_shape;
  mx_dtype* out_dtype;
  bool dead;  /* merged into another step or removed */
  int group;  /* fused group, or -1 */
} cstep;

/* A fused group stops growing at these many distinct inputs / outputs
 * (compile_fuse.c starts a new group instead). */
#define MX_MAX_GROUP_INPUTS 64
#define MX_MAX_GROUP_OUTPUTS 32

typedef struct cgroup {
  int first;     /* the member step the COMPILED node is built at */
  int n_in;
  cref* in;      /* external inputs, in program value order */
  int n_out;
  cref* out;     /* member outputs that leave the group, in program order */
  mx_fused_program* program;
} cgroup;

struct mx_compiled {
  int n_inputs;
  int* in_ndim;
  int** in_shape;
  mx_dtype* in_dtype;
  int n_steps;
  cstep* steps;
  int n_consts;
  mx_array** consts;
  /* For a constant that was an unevaluated broadcast when traced (x + 1
   * makes one): the array it broadcast (owned), for shapeless replays. */
  mx_array** const_src;
  int n_outputs;
  cref* outputs;
  int n_groups;
  cgroup* groups;
  bool shapeless;
};

/* compile_fuse.c: groups elementwise steps and builds their programs. */
int mx__compile_fuse(mx_compiled* c);
/* Shape of a reference's value at trace time. */
void mx__compile_ref_shape(const mx_compiled* c, cref r, int* ndim, const int** shape,
                           mx_dtype* dtype);
/* Elementwise primitives a fused program can run. */
bool mx__compile_fusible(mx_prim p);

#endif
