/* Printing arrays the way MLX prints them.
 *
 * The text is exactly what MLX 0.32's repr() gives, for example
 *     array([[0, 1, 2],
 *            [3, 4, 5]], dtype=int32)
 * Rules, learnt by running MLX (tests/c/gen_print_cases.py keeps the proof):
 *   - Elements are separated by ", " on the last axis; outer axes put each
 *     sub-array on its own line, indented by 7 + depth spaces so it lines up
 *     under the brackets that follow "array(".  There is no column alignment,
 *     no line wrapping and no blank line between blocks.
 *   - An axis longer than 6 shows its first 3 and last 3 entries with "..."
 *     between them (per axis, whatever the total size).
 *   - A 0-d array prints its one value bare; an axis of length 0 prints "[]".
 *   - bool prints True/False; integers print in full (int8/uint8 as numbers).
 *   - Floats (float16 and bfloat16 are widened to float32 first) print like
 *     C's "%g" with 6 significant digits by default ("1", "1.5", "1e-05",
 *     "1.23457e+06", "-0", "inf", "-nan"); with a print precision p >= 0 they
 *     print like "%.pf"; any other negative precision than -1 means "%.6f".
 *   - complex64 prints "re+imj", or "re-|im|j" when im < 0, each part
 *     formatted as a float ("1+-0j" for a negative-zero imaginary part).
 * str() prints the same text as repr() in MLX 0.32. */
#ifndef MX_CORE_PRINT_H
#define MX_CORE_PRINT_H

#include "array.h"

/* Global print options, as mlx.core.set_printoptions / get_printoptions.
 * MLX 0.32 has one option. */
typedef struct mx_print_options {
  int precision; /* digits after the point; -1 (the default) = "%g" style */
} mx_print_options;

/* The options in effect and setting them.  Thread safe: a print running
 * while another thread changes the options uses either the old or the new
 * options throughout, never a mix. */
mx_print_options mx_get_print_options(void);
void mx_set_print_options(mx_print_options opts);
/* The defaults (precision -1), as a fresh mlx.core.PrintOptions() has. */
mx_print_options mx_print_options_default(void);

/* Returns a malloc'd string (the caller frees it), exactly what MLX's
 * repr(array) prints, e.g. "array([6, 8, 10, 12], dtype=int32)".  Evaluates
 * `a` first (mx_array_eval).  Returns NULL with an error set when `a` is
 * NULL, its evaluation fails, or memory runs out. */
char* mx_array_tostring(mx_array* a);
/* The str() form; MLX 0.32 prints the same text as repr(). */
char* mx_array_tostr(mx_array* a);

/* Formats one floating-point value as MLX prints an element under
 * `precision` (see above) into buf, always NUL-terminated.  Returns the
 * length the full text needs (like snprintf), or -1 on failure.  Used for
 * arrays and by layers that print scalars the same way. */
int mx_format_float(char* buf, size_t buflen, double v, int precision);

#endif
