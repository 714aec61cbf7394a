/* Primitives of one family: elementwise unary ops (abs ... bitwise_invert).
 * Lines are X(ENUM_SUFFIX, "MLX primitive name"); parameter structs for these
 * primitives live here too (plain old data, compared bytewise).
 *
 * Ops that MLX builds from other ops (degrees, radians, reciprocal, isnan,
 * isinf, nan_to_num, round with decimals, ...) have no primitive of their
 * own; see src/ops/unary_*.c.  The three logarithms share MLX's name "Log",
 * as do Sqrt and its reciprocal form ("Rsqrt"). */
#ifndef MX_CORE_PRIMS_UNARY_H
#define MX_CORE_PRIMS_UNARY_H

#define MX_PRIMS_UNARY(X)                 \
  X(ABS, "Abs")                           \
  X(NEGATIVE, "Negative")                 \
  X(SIGN, "Sign")                         \
  X(SQUARE, "Square")                     \
  X(SQRT, "Sqrt")                         \
  X(RSQRT, "Rsqrt")                       \
  X(EXP, "Exp")                           \
  X(EXPM1, "Expm1")                       \
  X(LOG, "Log")                           \
  X(LOG2, "Log")                          \
  X(LOG10, "Log")                         \
  X(LOG1P, "Log1p")                       \
  X(SIN, "Sin")                           \
  X(COS, "Cos")                           \
  X(TAN, "Tan")                           \
  X(ARCSIN, "ArcSin")                     \
  X(ARCCOS, "ArcCos")                     \
  X(ARCTAN, "ArcTan")                     \
  X(SINH, "Sinh")                         \
  X(COSH, "Cosh")                         \
  X(TANH, "Tanh")                         \
  X(ARCSINH, "ArcSinh")                   \
  X(ARCCOSH, "ArcCosh")                   \
  X(ARCTANH, "ArcTanh")                   \
  X(ERF, "Erf")                           \
  X(ERF_INV, "ErfInv")                    \
  X(SIGMOID, "Sigmoid")                   \
  X(FLOOR, "Floor")                       \
  X(CEIL, "Ceil")                         \
  X(ROUND, "Round")                       \
  X(TRUNC, "Trunc")                       \
  X(LOGICAL_NOT, "LogicalNot")            \
  X(BITWISE_INVERT, "BitwiseInvert")      \
  X(CONJUGATE, "Conjugate")               \
  X(REAL, "Real")                         \
  X(IMAG, "Imag")                         \
  X(STOP_GRADIENT, "StopGradient")

#endif
