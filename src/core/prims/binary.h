/* Primitives of one family: elementwise binary and ternary ops (comparisons, logical, bitwise, power, where, clip, ...).
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise).
 *
 * Inputs always arrive with the output's shape (broadcast views) and, except
 * for SELECT's condition, one common dtype; comparisons and the logical ops
 * write bool.  DIVMOD has two outputs (quotient, remainder).  clip,
 * floor_divide, logical_xor and the like are built from these (see
 * src/ops/binary_*.c). */
#ifndef MX_CORE_PRIMS_BINARY_H
#define MX_CORE_PRIMS_BINARY_H

#define MX_PRIMS_BINARY(X)            \
  X(EQUAL, "Equal")                   \
  X(NOT_EQUAL, "NotEqual")            \
  X(LESS, "Less")                     \
  X(LESS_EQUAL, "LessEqual")          \
  X(GREATER, "Greater")               \
  X(GREATER_EQUAL, "GreaterEqual")    \
  X(LOGICAL_AND, "LogicalAnd")        \
  X(LOGICAL_OR, "LogicalOr")          \
  X(MAXIMUM, "Maximum")               \
  X(MINIMUM, "Minimum")               \
  X(POWER, "Power")                   \
  X(REMAINDER, "Remainder")           \
  X(DIVMOD, "DivMod")                 \
  X(LOG_ADD_EXP, "LogAddExp")         \
  X(ARCTAN2, "ArcTan2")               \
  X(BITWISE_AND, "BitwiseAnd")        \
  X(BITWISE_OR, "BitwiseOr")          \
  X(BITWISE_XOR, "BitwiseXor")        \
  X(LEFT_SHIFT, "LeftShift")          \
  X(RIGHT_SHIFT, "RightShift")        \
  X(SELECT, "Select")

/* Equal with equal_nan (array_equal, isclose): NaNs compare equal.  The
 * plain Equal node has no parameters. */
typedef struct mx_equal_params {
  int equal_nan;
} mx_equal_params;

#endif
