/* Dtype conversion.  The kernel follows NumPy/MLX semantics: floats
 * truncate towards zero when converted to integers, any nonzero value
 * (NaN included) becomes true, complex numbers keep their real part. */
#include "ops_internal.h"

mx_array* mx_astype(mx_array* a, mx_dtype dtype, mx_stream s) {
  if (!a) {
    mx_error(MX_ERR_VALUE, "[astype] Invalid (null) array argument.");
    return NULL;
  }
  if (!mx_dtype_valid(dtype)) {
    mx_error(MX_ERR_VALUE, "[astype] Invalid dtype %d.", (int)dtype);
    return NULL;
  }
  /* Arrays are immutable, so converting to the same dtype is the input. */
  return mx__as_dtype(a, dtype, s);
}
