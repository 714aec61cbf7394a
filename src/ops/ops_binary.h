/* Op constructors of the binary family (conventions as in ops.h: new
 * reference or NULL with an error set; arrays borrowed; `s` the stream).
 *
 * Operands broadcast NumPy-style and promote with MLX's table.  Comparisons
 * and logical ops give bool; logaddexp and arctan2 give float32 for
 * integer inputs; the others keep the promoted dtype.  Integer arithmetic
 * wraps; integer division by zero gives 0 (floor_divide) and the dividend
 * (remainder), never a trap. */
#ifndef MX_OPS_BINARY_H
#define MX_OPS_BINARY_H

#include <stdbool.h>

#include "../core/core.h"

mx_array* mx_equal(mx_array* a, mx_array* b, mx_stream s);
/* equal with NaN == NaN when equal_nan (for array_equal / isclose). */
mx_array* mx_equal_nan(mx_array* a, mx_array* b, bool equal_nan, mx_stream s);
mx_array* mx_not_equal(mx_array* a, mx_array* b, mx_stream s);
mx_array* mx_less(mx_array* a, mx_array* b, mx_stream s);
mx_array* mx_less_equal(mx_array* a, mx_array* b, mx_stream s);
mx_array* mx_greater(mx_array* a, mx_array* b, mx_stream s);
mx_array* mx_greater_equal(mx_array* a, mx_array* b, mx_stream s);

mx_array* mx_logical_and(mx_array* a, mx_array* b, mx_stream s);
mx_array* mx_logical_or(mx_array* a, mx_array* b, mx_stream s);
mx_array* mx_logical_xor(mx_array* a, mx_array* b, mx_stream s);

/* NaN-propagating. */
mx_array* mx_maximum(mx_array* a, mx_array* b, mx_stream s);
mx_array* mx_minimum(mx_array* a, mx_array* b, mx_stream s);

/* Integer powers with a negative exponent give 0, as in MLX. */
mx_array* mx_power(mx_array* a, mx_array* b, mx_stream s);
/* Floor division (integers), floor(a / b) (floats), a / b (complex). */
mx_array* mx_floor_divide(mx_array* a, mx_array* b, mx_stream s);
/* Result has the sign of b (NumPy); complex is MX_ERR_VALUE. */
mx_array* mx_remainder(mx_array* a, mx_array* b, mx_stream s);
/* Both of the above from one node: *quot and *rem receive new references.
 * Returns 0 / -1. */
int mx_divmod(mx_array* a, mx_array* b, mx_stream s, mx_array** quot, mx_array** rem);
mx_array* mx_logaddexp(mx_array* a, mx_array* b, mx_stream s);
mx_array* mx_arctan2(mx_array* a, mx_array* b, mx_stream s);

/* Integer and bool operands only (MX_ERR_RUNTIME otherwise, as MLX).  Shift
 * counts are taken modulo the width of the (promoted) type, as x86 does. */
mx_array* mx_bitwise_and(mx_array* a, mx_array* b, mx_stream s);
mx_array* mx_bitwise_or(mx_array* a, mx_array* b, mx_stream s);
mx_array* mx_bitwise_xor(mx_array* a, mx_array* b, mx_stream s);
mx_array* mx_left_shift(mx_array* a, mx_array* b, mx_stream s);
mx_array* mx_right_shift(mx_array* a, mx_array* b, mx_stream s);

/* condition ? x : y, all three broadcast; the condition is read as bool. */
mx_array* mx_where(mx_array* condition, mx_array* x, mx_array* y, mx_stream s);
/* minimum(maximum(a, a_min), a_max); either bound may be NULL (not both). */
mx_array* mx_clip(mx_array* a, mx_array* a_min, mx_array* a_max, mx_stream s);

#endif
