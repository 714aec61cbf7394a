/* Printing arrays (src/core/print.c) against real MLX.
 *
 * The table below was produced by MLX 0.32.4 (the reference install at
 * /opt/mlxref) through tests/c/gen_print_cases.py: each case describes an
 * array (its bytes, or an arange recipe, and for views the strides into an
 * arange base) and the exact text MLX's repr() prints for it.  Each case is
 * rebuilt here with cmlx and printed with mx_array_tostring() and
 * mx_array_tostr(). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "harness.h"

enum { FILL_HEX, FILL_ARANGE };

typedef struct print_case {
  const char* name;
  mx_dtype dtype;
  int ndim;
  int shape[48];
  int precision;   /* print option in effect for this case */
  int fill;        /* FILL_HEX: `hex` holds the row-major bytes (little-endian) */
  const char* hex; /* FILL_ARANGE: element i is start + i * step (complex: re=v, im=-v) */
  double start, step;
  int view; /* 1: the array is a strided view of an arange base of base_shape */
  int base_ndim;
  int base_shape[8];
  int64_t strides[8];
  int64_t offset;
  const char* expected;
} print_case;

/* BEGIN GENERATED (tests/c/gen_print_cases.py) */
/* Produced by MLX 0.32.4 (repr() of mlx.core arrays, which equals
 * str()); regenerate with tests/c/gen_print_cases.py --write. */
static const print_case cases[] = {
    {.name = "bool_1d", .dtype = MX_BOOL, .ndim = 1, .shape = {3}, .precision = -1,
     .fill = FILL_HEX, .hex = "010001",
     .expected = "array([True, False, True], dtype=bool)"},
    {.name = "bool_2d", .dtype = MX_BOOL, .ndim = 2, .shape = {2, 2}, .precision = -1,
     .fill = FILL_HEX, .hex = "01000001",
     .expected = "array([[True, False],\n"
                 "       [False, True]], dtype=bool)"},
    {.name = "bool_0d_true", .dtype = MX_BOOL, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "01",
     .expected = "array(True, dtype=bool)"},
    {.name = "bool_0d_false", .dtype = MX_BOOL, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "00",
     .expected = "array(False, dtype=bool)"},
    {.name = "bool_summarised", .dtype = MX_BOOL, .ndim = 1, .shape = {9}, .precision = -1,
     .fill = FILL_HEX, .hex = "010000010000010000",
     .expected = "array([True, False, False, ..., True, False, False], dtype=bool)"},
    {.name = "uint8_extremes", .dtype = MX_UINT8, .ndim = 1, .shape = {5}, .precision = -1,
     .fill = FILL_HEX, .hex = "00017f80ff",
     .expected = "array([0, 1, 127, 128, 255], dtype=uint8)"},
    {.name = "int8_extremes", .dtype = MX_INT8, .ndim = 1, .shape = {5}, .precision = -1,
     .fill = FILL_HEX, .hex = "80ff00017f",
     .expected = "array([-128, -1, 0, 1, 127], dtype=int8)"},
    {.name = "uint16_extremes", .dtype = MX_UINT16, .ndim = 1, .shape = {4}, .precision = -1,
     .fill = FILL_HEX, .hex = "000001000080ffff",
     .expected = "array([0, 1, 32768, 65535], dtype=uint16)"},
    {.name = "int16_extremes", .dtype = MX_INT16, .ndim = 1, .shape = {4}, .precision = -1,
     .fill = FILL_HEX, .hex = "0080ffff0000ff7f",
     .expected = "array([-32768, -1, 0, 32767], dtype=int16)"},
    {.name = "uint32_extremes", .dtype = MX_UINT32, .ndim = 1, .shape = {4}, .precision = -1,
     .fill = FILL_HEX, .hex = "000000000100000000000080ffffffff",
     .expected = "array([0, 1, 2147483648, 4294967295], dtype=uint32)"},
    {.name = "int32_extremes", .dtype = MX_INT32, .ndim = 1, .shape = {4}, .precision = -1,
     .fill = FILL_HEX, .hex = "00000080ffffffff00000000ffffff7f",
     .expected = "array([-2147483648, -1, 0, 2147483647], dtype=int32)"},
    {.name = "uint64_extremes", .dtype = MX_UINT64, .ndim = 1, .shape = {4}, .precision = -1,
     .fill = FILL_HEX, .hex = "0000000000000000010000000000000000000000000000800000000000000000",
     .expected = "array([0, 1, 9223372036854775808, 0], dtype=uint64)"},
    {.name = "int64_extremes", .dtype = MX_INT64, .ndim = 1, .shape = {4}, .precision = -1,
     .fill = FILL_HEX, .hex = "0000000000000080ffffffffffffffff0000000000000000ffffffffffffff7f",
     .expected = "array([-9223372036854775808, -1, 0, 9223372036854775807], dtype=int64)"},
    {.name = "int32_example", .dtype = MX_INT32, .ndim = 1, .shape = {4}, .precision = -1,
     .fill = FILL_HEX, .hex = "06000000080000000a0000000c000000",
     .expected = "array([6, 8, 10, 12], dtype=int32)"},
    {.name = "uint8_0d", .dtype = MX_UINT8, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "07",
     .expected = "array(7, dtype=uint8)"},
    {.name = "uint16_0d", .dtype = MX_UINT16, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "0700",
     .expected = "array(7, dtype=uint16)"},
    {.name = "uint32_0d", .dtype = MX_UINT32, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "07000000",
     .expected = "array(7, dtype=uint32)"},
    {.name = "uint64_0d", .dtype = MX_UINT64, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "0700000000000000",
     .expected = "array(7, dtype=uint64)"},
    {.name = "int8_0d", .dtype = MX_INT8, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "07",
     .expected = "array(7, dtype=int8)"},
    {.name = "int16_0d", .dtype = MX_INT16, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "0700",
     .expected = "array(7, dtype=int16)"},
    {.name = "int32_0d", .dtype = MX_INT32, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "07000000",
     .expected = "array(7, dtype=int32)"},
    {.name = "int64_0d", .dtype = MX_INT64, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "0700000000000000",
     .expected = "array(7, dtype=int64)"},
    {.name = "int32_0d_negative", .dtype = MX_INT32, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "fbffffff",
     .expected = "array(-5, dtype=int32)"},
    {.name = "float16_values0", .dtype = MX_FLOAT16, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "003e003c662ea800007c4056",
     .expected = "array([1.5, 1, 0.0999756, 1.00136e-05, inf, 100], dtype=float16)"},
    {.name = "float16_values1", .dtype = MX_FLOAT16, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "007c00fc007e00fe00800000",
     .expected = "array([inf, -inf, nan, -nan, -0, 0], dtype=float16)"},
    {.name = "float16_values2", .dtype = MX_FLOAT16, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "007c007c007c8e060c084842",
     .expected = "array([inf, inf, inf, 0.000100017, 0.000123501, 3.14062], dtype=float16)"},
    {.name = "float16_values3", .dtype = MX_FLOAT16, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "5539007c0000007c000000c1",
     .expected = "array([0.666504, inf, 0, inf, 0, -2.5], dtype=float16)"},
    {.name = "float16_values4", .dtype = MX_FLOAT16, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "0038404a0280ff7b0100007c",
     .expected = "array([0.5, 12.5, -1.19209e-07, 65504, 5.96046e-08, inf], dtype=float16)"},
    {.name = "float16_0d_one", .dtype = MX_FLOAT16, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "003c",
     .expected = "array(1, dtype=float16)"},
    {.name = "float16_0d_one_and_half", .dtype = MX_FLOAT16, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "003e",
     .expected = "array(1.5, dtype=float16)"},
    {.name = "float16_0d_neg_zero", .dtype = MX_FLOAT16, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "0080",
     .expected = "array(-0, dtype=float16)"},
    {.name = "float16_0d_nan", .dtype = MX_FLOAT16, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "007e",
     .expected = "array(nan, dtype=float16)"},
    {.name = "bfloat16_values0", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "c03f803fcd3d28371550c842",
     .expected = "array([1.5, 1, 0.100098, 1.00136e-05, 9.99922e+09, 100], dtype=bfloat16)"},
    {.name = "bfloat16_values1", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "807f80ffc07fc07f00800000",
     .expected = "array([inf, -inf, nan, nan, -0, 0], dtype=bfloat16)"},
    {.name = "bfloat16_values2", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "f14797497449d23801394940",
     .expected = "array([123392, 1.23699e+06, 999424, 0.000100136, 0.000123024, 3.14062], dtype=bfloat16)"},
    {.name = "bfloat16_values3", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "2b3f0e5a6d00807f000020c0",
     .expected = "array([0.667969, 9.99236e+15, 1.00101e-38, inf, 0, -2.5], dtype=bfloat16)"},
    {.name = "bfloat16_values4", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "003f4841d7b380478133807f",
     .expected = "array([0.5, 12.5, -1.00117e-07, 65536, 6.00703e-08, inf], dtype=bfloat16)"},
    {.name = "bfloat16_0d_one", .dtype = MX_BFLOAT16, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "803f",
     .expected = "array(1, dtype=bfloat16)"},
    {.name = "bfloat16_0d_one_and_half", .dtype = MX_BFLOAT16, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "c03f",
     .expected = "array(1.5, dtype=bfloat16)"},
    {.name = "bfloat16_0d_neg_zero", .dtype = MX_BFLOAT16, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "0080",
     .expected = "array(-0, dtype=bfloat16)"},
    {.name = "bfloat16_0d_nan", .dtype = MX_BFLOAT16, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "c07f",
     .expected = "array(nan, dtype=bfloat16)"},
    {.name = "float32_values0", .dtype = MX_FLOAT32, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "0000c03f0000803fcdcccc3dacc52737f90215500000c842",
     .expected = "array([1.5, 1, 0.1, 1e-05, 1e+10, 100], dtype=float32)"},
    {.name = "float32_values1", .dtype = MX_FLOAT32, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "0000807f000080ff0000c07f0000c0ff0000008000000000",
     .expected = "array([inf, -inf, nan, -nan, -0, 0], dtype=float32)"},
    {.name = "float32_values2", .dtype = MX_FLOAT32, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "0020f14738b49649f823744917b7d1382e740139db0f4940",
     .expected = "array([123456, 1.23457e+06, 1e+06, 0.0001, 0.000123457, 3.14159], dtype=float32)"},
    {.name = "float32_values3", .dtype = MX_FLOAT32, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "abaa2a3fca1b0e5aeee36c009ec97f7f01000000000020c0",
     .expected = "array([0.666667, 1e+16, 1e-38, 3.4e+38, 1.4013e-45, -2.5], dtype=float32)"},
    {.name = "float32_values4", .dtype = MX_FLOAT32, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "0000003f0000484195bfd6b300e07f4759d980330000807f",
     .expected = "array([0.5, 12.5, -1e-07, 65504, 6e-08, inf], dtype=float32)"},
    {.name = "float32_0d_one", .dtype = MX_FLOAT32, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "0000803f",
     .expected = "array(1, dtype=float32)"},
    {.name = "float32_0d_one_and_half", .dtype = MX_FLOAT32, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "0000c03f",
     .expected = "array(1.5, dtype=float32)"},
    {.name = "float32_0d_neg_zero", .dtype = MX_FLOAT32, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "00000080",
     .expected = "array(-0, dtype=float32)"},
    {.name = "float32_0d_nan", .dtype = MX_FLOAT32, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "0000c07f",
     .expected = "array(nan, dtype=float32)"},
    {.name = "float64_values0", .dtype = MX_FLOAT64, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "000000000000f83f000000000000f03f9a9999999999b93ff168e388b5f8e43e000000205fa002420000000000005940",
     .expected = "array([1.5, 1, 0.1, 1e-05, 1e+10, 100], dtype=float64)"},
    {.name = "float64_values1", .dtype = MX_FLOAT64, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "000000000000f07f000000000000f0ff000000000000f87f000000000000f8ff00000000000000800000000000000000",
     .expected = "array([inf, -inf, nan, -nan, -0, 0], dtype=float64)"},
    {.name = "float64_values2", .dtype = MX_FLOAT64, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "000000000024fe400000000087d63241000000007f842e412d431cebe2361a3f411811be852e203ff1d4c853fb210940",
     .expected = "array([123456, 1.23457e+06, 1e+06, 0.0001, 0.000123457, 3.14159], dtype=float64)"},
    {.name = "float64_values3", .dtype = MX_FLOAT64, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "555555555555e53f0080e03779c34143e478aa9dfb380b38addf8cc733f9ef47b96a37ad01d6963600000000000004c0",
     .expected = "array([0.666667, 1e+16, 1e-38, 3.4e+38, 1e-45, -2.5], dtype=float64)"},
    {.name = "float64_values4", .dtype = MX_FLOAT64, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "000000000000e03f000000000000294048afbc9af2d77abe0000000000fcef402b69a4292b1b703e9c7500883ce4377e",
     .expected = "array([0.5, 12.5, -1e-07, 65504, 6e-08, 1e+300], dtype=float64)"},
    {.name = "float64_0d_one", .dtype = MX_FLOAT64, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "000000000000f03f",
     .expected = "array(1, dtype=float64)"},
    {.name = "float64_0d_one_and_half", .dtype = MX_FLOAT64, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "000000000000f83f",
     .expected = "array(1.5, dtype=float64)"},
    {.name = "float64_0d_neg_zero", .dtype = MX_FLOAT64, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "0000000000000080",
     .expected = "array(-0, dtype=float64)"},
    {.name = "float64_0d_nan", .dtype = MX_FLOAT64, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "000000000000f87f",
     .expected = "array(nan, dtype=float64)"},
    {.name = "float16_bits", .dtype = MX_FLOAT16, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "00fe007e00fc00800100ff7b",
     .expected = "array([-nan, nan, -inf, -0, 5.96046e-08, 65504], dtype=float16)"},
    {.name = "bfloat16_bits", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "c0ffc07f80ff008001007f7f",
     .expected = "array([-nan, nan, -inf, -0, 9.18355e-41, 3.38953e+38], dtype=bfloat16)"},
    {.name = "float32_summarised", .dtype = MX_FLOAT32, .ndim = 1, .shape = {10}, .precision = -1,
     .fill = FILL_HEX, .hex = "00000000abaaaa3eabaa2a3f0000803fabaaaa3f5555d53f0000004055551540abaa2a4000004040",
     .expected = "array([0, 0.333333, 0.666667, ..., 2.33333, 2.66667, 3], dtype=float32)"},
    {.name = "float32_big_and_small", .dtype = MX_FLOAT32, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "0000003f3cb496493cb4164a5a0e624a3cb4964a4b61bc4a",
     .expected = "array([0.5, 1.23457e+06, 2.46914e+06, 3.7037e+06, 4.93827e+06, 6.17284e+06], dtype=float32)"},
    {.name = "float16_random0", .dtype = MX_FLOAT16, .ndim = 2, .shape = {4, 6}, .precision = -1,
     .fill = FILL_HEX, .hex = "1a2e00800e00d1f9ee8dd29f4a9da5a810000080b8bc250046471b6f2a1b3d0d0800eed28fc63c6f80d506005a5d6c75",
     .expected = "array([[0.0953369, -0, 8.34465e-07, -47648, -0.000361919, -0.00763702],\n"
                 "       [-0.0051651, -0.0362854, 9.53674e-07, -0, -1.17969, 2.20537e-06],\n"
                 "       [7.27344, 7276, 0.00349808, 0.000319719, 4.76837e-07, -55.4375],\n"
                 "       [-6.55859, 7408, -88, 3.57628e-07, 342.5, 22208]], dtype=float16)"},
    {.name = "float16_random1", .dtype = MX_FLOAT16, .ndim = 2, .shape = {4, 6}, .precision = -1,
     .fill = FILL_HEX, .hex = "11acc5058b805cc6362cd8de9d54a770730000803e8c199b14c860b850474e000080f79b96006d2a28ab2cf0b35f0000",
     .expected = "array([[-0.0635376, 8.80361e-05, -8.28505e-06, -6.35938, 0.0657959, -438],\n"
                 "       [73.8125, 9528, 6.85453e-06, -0, -0.000258923, -0.00346565],\n"
                 "       [-8.15625, -0.546875, 7.3125, 4.64916e-06, -0, -0.00388908],\n"
                 "       [8.9407e-06, 0.0502014, -0.0559082, -8544, 492.75, 0]], dtype=float16)"},
    {.name = "float16_random2", .dtype = MX_FLOAT16, .ndim = 2, .shape = {4, 6}, .precision = -1,
     .fill = FILL_HEX, .hex = "c8b8308339eafce206805dfbbe1e000025c8ab833d00d9b9d82dc484e1100080009c729d062020ce8e85a9c801807d00",
     .expected = "array([[-0.597656, -4.86374e-05, -3186, -894, -3.57628e-07, -60320],\n"
                 "       [0.00658417, 0, -8.28906, -5.59688e-05, 3.63588e-06, -0.730957],\n"
                 "       [0.0913086, -7.27177e-05, 0.00059557, -0, -0.00390625, -0.00531769],\n"
                 "       [0.00785828, -24.5, -8.47578e-05, -9.32031, -5.96046e-08, 7.45058e-06]], dtype=float16)"},
    {.name = "bfloat16_random0", .dtype = MX_BFLOAT16, .ndim = 2, .shape = {4, 6}, .precision = -1,
     .fill = FILL_HEX, .hex = "460eeeeeb8ebac4219e03a0a93f7850f1a80ed7a48b59965b1180780565ec9f70c0039d3398f87f341726610e0693348",
     .expected = "array([[2.44054e-30, -3.68287e+28, -4.44885e+26, 86, -4.40992e+19, 8.95557e-33],\n"
                 "       [-5.96303e+33, 1.31148e-29, -2.38772e-39, 6.15287e+35, -7.45058e-07, 9.03153e+22],\n"
                 "       [4.57534e-24, -6.42848e-40, 3.85508e+18, -8.15353e+33, 1.10203e-39, -7.94569e+11],\n"
                 "       [-9.1212e-30, -2.13916e+31, 3.82276e+30, 4.53595e-29, 3.38499e+25, 183296]], dtype=bfloat16)"},
    {.name = "bfloat16_random1", .dtype = MX_BFLOAT16, .ndim = 2, .shape = {4, 6}, .precision = -1,
     .fill = FILL_HEX, .hex = "6e7486bdcaa4be25ff818f8101382a09b4892849b229854f2c712afb03d55280f8bb5d5be063bdcf9b74433fdaf8488d",
     .expected = "array([[7.54252e+31, -0.0654297, -8.76035e-17, 3.29597e-16, -9.36722e-38, -5.25299e-38],\n"
                 "       [3.0756e-05, 2.0463e-33, -4.33334e-33, 688128, 7.90479e-14, 4.46274e+09],\n"
                 "       [8.51703e+29, -8.8269e+35, -9.00225e+12, -7.53051e-39, -0.00756836, 6.2206e+16],\n"
                 "       [8.26414e+21, -6.34179e+09, 9.82429e+31, 0.761719, -3.53725e+34, -6.16298e-31]], dtype=bfloat16)"},
    {.name = "bfloat16_random2", .dtype = MX_BFLOAT16, .ndim = 2, .shape = {4, 6}, .precision = -1,
     .fill = FILL_HEX, .hex = "c263ac04d974480a00c68e4596e918e0a238095d1a91ce55bf55abe038eaadca02d3121c04507e8124089df43b1c8433",
     .expected = "array([[7.15734e+21, 4.0437e-36, 1.3754e+32, 9.62965e-33, -8192, 4544],\n"
                 "       [-2.26674e+25, -4.3811e+19, 7.72476e-05, 6.16993e+17, -1.21485e-28, 2.83124e+13],\n"
                 "       [2.62508e+13, -9.85748e+19, -5.56106e+25, -5.66886e+06, -5.58346e+11, 4.83073e-22],\n"
                 "       [8.85837e+09, -4.66524e-38, 4.9352e-34, -9.95106e+31, 6.18731e-22, 6.14673e-08]], dtype=bfloat16)"},
    {.name = "float32_random0", .dtype = MX_FLOAT32, .ndim = 2, .shape = {4, 6}, .precision = -1,
     .fill = FILL_HEX, .hex = "d00f373d77e11aea64a9a660b6da83bdc818db9a0e48018093c287b9e8ce503608d258e278cf108f99c1b1157dba8327"
                              "354afad04b4b73bfb0b94285c1d55cc3ee607f26dc5c3e58da45c2b9f2df44fa5963178d68819dae4700a12d9ef523dd",
     .expected = "array([[0.0446928, -4.68098e+25, 9.60739e+19, -0.064382, -9.06163e-23, -1.17684e-40],\n"
                 "       [-0.000258942, 3.11149e-06, -9.99908e+20, -7.13971e-30, 7.17952e-26, 3.6562e-15],\n"
                 "       [-3.35933e+10, -0.950368, -9.15594e-36, -220.835, 8.86023e-16, 8.37224e+14],\n"
                 "       [-0.000370546, -2.55558e+35, -4.66501e-31, -7.16252e-11, 1.83037e-11, -7.38408e+17]], dtype=float32)"},
    {.name = "float32_random1", .dtype = MX_FLOAT32, .ndim = 2, .shape = {4, 6}, .precision = -1,
     .fill = FILL_HEX, .hex = "d42fd71d3d31ac1f4813914e43311eb682b7bc9579b01444498b3f76247335ecccc340e70165468db32d4dece67a1bf6"
                              "334cdaec242010c9e1d766c0d316353a2611254f8178b33601f9a2774fe47d83ef3124a8d6a1f49f081e4ef9ff785b4e",
     .expected = "array([[5.69595e-21, 7.29263e-20, 1.21698e+09, -2.35725e-06, -7.62221e-26, 594.757],\n"
                 "       [9.71244e+32, -8.77437e+26, -9.10306e+23, -6.1135e-31, -9.92182e+26, -7.88378e+32],\n"
                 "       [-2.11125e+27, -590338, -3.60693, 0.0006908, 2.76936e+09, 5.34864e-06],\n"
                 "       [6.61096e+33, -7.46121e-37, -9.11466e-15, -1.03606e-19, -6.68889e+34, 9.20535e+08]], dtype=float32)"},
    {.name = "float32_random2", .dtype = MX_FLOAT32, .ndim = 2, .shape = {4, 6}, .precision = -1,
     .fill = FILL_HEX, .hex = "4690d90bbcd26c2b1c38eec8bc7d5a1c4cfc00884a918ab9749756a7b91ee9e0d458d0b8beb7f581829c0ad15500cde1"
                              "374933163fb46391dcf1824f97758dc770955d7482470600ef80063cf042ec6806591077d5b4b2d83ce6f8d7e7b60594",
     .expected = "array([[8.38024e-32, 8.41365e-13, -487873, 7.22927e-22, -3.88152e-34, -0.000264297],\n"
                 "       [-2.97806e-15, -1.34385e+20, -9.93476e-05, -9.02624e-38, -3.72082e+10, -4.72701e+20],\n"
                 "       [1.44826e-25, -1.79627e-28, 4.39378e+09, -72427.2, 7.02227e+31, 5.76665e-40],\n"
                 "       [0.00820945, 8.92571e+24, 2.92772e+33, -1.57192e+15, -5.47335e+14, -6.75086e-27]], dtype=float32)"},
    {.name = "float64_random0", .dtype = MX_FLOAT64, .ndim = 2, .shape = {4, 6}, .precision = -1,
     .fill = FILL_HEX, .hex = "779d90353a7d763e30ac23201a2de2c6c066fd29b90c9d45a87854036cf4e5ba4fdb3415ec5c41bb5942fca869b37b3b"
                              "3f9418055c7a35c3168ed92b347ca6c5cf93f90df73500c183ff9aeea07c8c459a0e0eb1054541c57df17fd3f001a6b9"
                              "80653139e7330bbeb6e22a9ac7d875bd122c5eaddd1692bb11d38e88a67901b820b024a2ceda244676006c626e2686bb"
                              "c4a8c3cbc306d5baa7f9fef49df331bd9b95b445043d7041408f081a056ca93c4c52551df88ec23bb1f8efb41ae5a239",
     .expected = "array([[8.37787e-08, -2.94925e+33, 2.24761e+27, -5.67518e-25, -2.87246e-23, 3.66617e-22],\n"
                 "       [-6.04551e+15, -3.47941e+27, -132799, 1.10203e+27, -4.17554e+25, -5.42529e-31],\n"
                 "       [-7.91704e-10, -1.24185e-12, -9.57641e-22, -6.41937e-39, 8.2614e+29, -5.86309e-22],\n"
                 "       [-2.7176e-25, -6.3777e-14, 1.70271e+07, 1.764e-16, 7.85982e-21, 4.65796e-31]], dtype=float64)"},
    {.name = "float64_random1", .dtype = MX_FLOAT64, .ndim = 2, .shape = {4, 6}, .precision = -1,
     .fill = FILL_HEX, .hex = "b686a39a8d55783eb7b42203b964b5c74554ac71e35e67b8b1db02512e1ca83a3ecb677f45874f40db5f7fc3dd04fd41"
                              "fa648fd5fa4fb84339e9fd35eaefc246cd9bcc2941a6bb3f590493d2154bdf440840afdfa1a853c10081a1357fd9823b"
                              "68383c116403d0b8c393760838e7414299456ca80bc40843dd6ec97ad775d245f70230d270feffc19139e58865dfd142"
                              "1d1bd1b91d519a3edf0edc3f019884ba34c28ef250f133ba8e1c42d712cd0e452cdba6a9a8ae23bb0713028c15c23b45",
     .expected = "array([[9.06519e-08, -2.84368e+37, -5.49442e-37, 3.89519e-26, 63.0568, 7.78973e+09],\n"
                 "       [1.75189e+18, 7.68183e+32, 0.108006, 5.91114e+23, -5.15342e+06, 4.98945e-22],\n"
                 "       [-4.81881e-35, 1.53787e+11, 8.71369e+14, 2.28528e+28, -8.5883e+09, 7.86047e+13],\n"
                 "       [3.92152e-07, -8.31776e-27, -2.51712e-28, 4.65453e+24, -8.14039e-24, 3.35575e+25]], dtype=float64)"},
    {.name = "float64_random2", .dtype = MX_FLOAT64, .ndim = 2, .shape = {4, 6}, .precision = -1,
     .fill = FILL_HEX, .hex = "3d00dc97aa5dc6413c6a9d9ab2a0a0bdfae05a2017bf9bba26d5f1a96e6e5341e15fe6535f964dba7213b6a3dd019aba"
                              "5c112610ef9f204030246093cf21ee3bcf1b5b3cc60ccac1ace703e3a9dbbb41d9089c76e4d1a63edc5405ad0f23e839"
                              "f6e0d795bec2383fe17287bfa1407a3e1e20f62f5a2b86b8068d4dced501a33ef0b4a63b0c6ca43e6258edcd8ba8e2b9"
                              "46a1f5b50343d4b83e8558559ddeea39a3e81b5cb6624039e040c15538b300bed4c71b36544f2dc150e087c225de95c3",
     .expected = "array([[7.50475e+08, -7.56141e-12, -2.24134e-26, 5.09382e+06, -7.46891e-28, -2.10085e-26],\n"
                 "       [8.31237, 5.10457e-20, -8.7409e+08, 4.67381e+08, 6.80086e-07, 9.52035e-30],\n"
                 "       [0.000377819, 9.77981e-08, -2.0848e-36, 5.66458e-07, 6.08625e-07, -7.35943e-30],\n"
                 "       [-6.09731e-35, 1.05982e-29, 6.3115e-33, -4.86036e-10, -960426, -3.93935e+17]], dtype=float64)"},
    {.name = "complex_random0", .dtype = MX_COMPLEX64, .ndim = 2, .shape = {3, 5}, .precision = -1,
     .fill = FILL_HEX, .hex = "202a8c43ebcb41ba15ce114456d8133a2fa19a43033e0339f64061c42cef19bacbec1644008773ba1f8acac3e45a53ba"
                              "857e2ac393d2443a2ae409c47f9beb39b97ce043dad8063ae2eb1644b85ecf38c973334474b071b9f5b8f2c3ab9459b9"
                              "31756243235f67bad1cfaec3fdc15d392a7120443649ba39",
     .expected = "array([[280.329-0.000739275j, 583.22+0.000563984j, 309.259+0.000125162j, -901.015-0.000587213j, 603.7-0.000928983j],\n"
                 "       [-405.079-0.000806255j, -170.494+0.000750818j, -551.565+0.000449385j, 448.974+0.000514401j, 603.686+9.88817e-05j],\n"
                 "       [717.809-0.000230493j, -485.445-0.000207501j, 226.458-0.000882613j, -349.624+0.000211485j, 641.768+0.000355312j]], dtype=complex64)"},
    {.name = "complex_random1", .dtype = MX_COMPLEX64, .ndim = 2, .shape = {3, 5}, .precision = -1,
     .fill = FILL_HEX, .hex = "b58f44c49bfb4b39401723443db1bf38ab14bb431b7a2039bf945f44f8801bb991d3634477f4323a281a2844849461ba"
                              "58318940403772ba691a23c3a9f978ba3ff672c4030490b812ba7cc35a66dc3953e037c4376d0e3a58b96bc43dddfb38"
                              "38aa6c4319dd263ac9223d43c94b253ac71de24347731dba",
     .expected = "array([[-786.245+0.000194533j, 652.363+9.1406e-05j, 374.161+0.000153043j, 894.324-0.0001483j, 911.306+0.000682659j],\n"
                 "       [672.409-0.00086052j, 4.28727-0.00092398j, -163.103-0.000949765j, -971.848-6.8672e-05j, -252.727+0.000420379j],\n"
                 "       [-735.505+0.000543314j, -942.896+0.000120098j, 236.665+0.000636534j, 189.136+0.000630554j, 452.233-0.000600625j]], dtype=complex64)"},
    {.name = "float32_random_precision4", .dtype = MX_FLOAT32, .ndim = 2, .shape = {2, 6}, .precision = 4,
     .fill = FILL_HEX, .hex = "b82db1c58321e14514301b46c467bbc52c59014514c28fc57ee86444daf9074680a7afc545780cc6e4eec744b988d045",
     .expected = "array([[-5669.7148, 7204.1890, 9932.0195, -5996.9707, 2069.5732, -4600.2598],\n"
                 "       [915.6327, 8702.4629, -5620.9375, -8990.0674, 1599.4653, 6673.0903]], dtype=float32)"},
    {.name = "complex_basic", .dtype = MX_COMPLEX64, .ndim = 1, .shape = {4}, .precision = -1,
     .fill = FILL_HEX, .hex = "0000803f0000004000004040000080c00000c0bf0000803e0000000000000000",
     .expected = "array([1+2j, 3-4j, -1.5+0.25j, 0+0j], dtype=complex64)"},
    {.name = "complex_special", .dtype = MX_COMPLEX64, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_HEX, .hex = "0000803f0000008000000080000000000000803f0000807f0000803f000080ff0000c07f0000c07f0000803f0000c0ff",
     .expected = "array([1+-0j, -0+0j, 1+infj, 1-infj, nan+nanj, 1+-nanj], dtype=complex64)"},
    {.name = "complex_negnan_real", .dtype = MX_COMPLEX64, .ndim = 1, .shape = {1}, .precision = -1,
     .fill = FILL_HEX, .hex = "0000c0ff0000803f",
     .expected = "array([-nan+1j], dtype=complex64)"},
    {.name = "complex_scale", .dtype = MX_COMPLEX64, .ndim = 1, .shape = {2}, .precision = -1,
     .fill = FILL_HEX, .hex = "acc52737f9021550cdcccc3dabaaaabe",
     .expected = "array([1e-05+1e+10j, 0.1-0.333333j], dtype=complex64)"},
    {.name = "complex_0d", .dtype = MX_COMPLEX64, .ndim = 0, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "0000803f00000040",
     .expected = "array(1+2j, dtype=complex64)"},
    {.name = "complex_2d", .dtype = MX_COMPLEX64, .ndim = 2, .shape = {2, 2}, .precision = -1,
     .fill = FILL_HEX, .hex = "0000803f0000803f00000040000000c00000000000006040000080c000000000",
     .expected = "array([[1+1j, 2-2j],\n"
                 "       [0+3.5j, -4+0j]], dtype=complex64)"},
    {.name = "empty_f32_0", .dtype = MX_FLOAT32, .ndim = 1, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "",
     .expected = "array([], dtype=float32)"},
    {.name = "empty_f32_2x0", .dtype = MX_FLOAT32, .ndim = 2, .shape = {2, 0}, .precision = -1,
     .fill = FILL_HEX, .hex = "",
     .expected = "array([[],\n"
                 "       []], dtype=float32)"},
    {.name = "empty_f32_0x3", .dtype = MX_FLOAT32, .ndim = 2, .shape = {0, 3}, .precision = -1,
     .fill = FILL_HEX, .hex = "",
     .expected = "array([], dtype=float32)"},
    {.name = "empty_f32_2x0x3", .dtype = MX_FLOAT32, .ndim = 3, .shape = {2, 0, 3}, .precision = -1,
     .fill = FILL_HEX, .hex = "",
     .expected = "array([[],\n"
                 "       []], dtype=float32)"},
    {.name = "empty_f32_2x3x0", .dtype = MX_FLOAT32, .ndim = 3, .shape = {2, 3, 0}, .precision = -1,
     .fill = FILL_HEX, .hex = "",
     .expected = "array([[[],\n"
                 "        [],\n"
                 "        []],\n"
                 "       [[],\n"
                 "        [],\n"
                 "        []]], dtype=float32)"},
    {.name = "empty_f32_3x0", .dtype = MX_FLOAT32, .ndim = 2, .shape = {3, 0}, .precision = -1,
     .fill = FILL_HEX, .hex = "",
     .expected = "array([[],\n"
                 "       [],\n"
                 "       []], dtype=float32)"},
    {.name = "empty_f32_7x0", .dtype = MX_FLOAT32, .ndim = 2, .shape = {7, 0}, .precision = -1,
     .fill = FILL_HEX, .hex = "",
     .expected = "array([[],\n"
                 "       [],\n"
                 "       [],\n"
                 "       ...,\n"
                 "       [],\n"
                 "       [],\n"
                 "       []], dtype=float32)"},
    {.name = "empty_f32_0x7", .dtype = MX_FLOAT32, .ndim = 2, .shape = {0, 7}, .precision = -1,
     .fill = FILL_HEX, .hex = "",
     .expected = "array([], dtype=float32)"},
    {.name = "empty_f32_7x0x2", .dtype = MX_FLOAT32, .ndim = 3, .shape = {7, 0, 2}, .precision = -1,
     .fill = FILL_HEX, .hex = "",
     .expected = "array([[],\n"
                 "       [],\n"
                 "       [],\n"
                 "       ...,\n"
                 "       [],\n"
                 "       [],\n"
                 "       []], dtype=float32)"},
    {.name = "empty_f32_1x0x2", .dtype = MX_FLOAT32, .ndim = 3, .shape = {1, 0, 2}, .precision = -1,
     .fill = FILL_HEX, .hex = "",
     .expected = "array([[]], dtype=float32)"},
    {.name = "empty_f32_0x0", .dtype = MX_FLOAT32, .ndim = 2, .shape = {0, 0}, .precision = -1,
     .fill = FILL_HEX, .hex = "",
     .expected = "array([], dtype=float32)"},
    {.name = "empty_int32_2x0", .dtype = MX_INT32, .ndim = 2, .shape = {2, 0}, .precision = -1,
     .fill = FILL_HEX, .hex = "",
     .expected = "array([[],\n"
                 "       []], dtype=int32)"},
    {.name = "empty_bool_0", .dtype = MX_BOOL, .ndim = 1, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "",
     .expected = "array([], dtype=bool)"},
    {.name = "empty_complex_0", .dtype = MX_COMPLEX64, .ndim = 1, .shape = {0}, .precision = -1,
     .fill = FILL_HEX, .hex = "",
     .expected = "array([], dtype=complex64)"},
    {.name = "int32_1d_n1", .dtype = MX_INT32, .ndim = 1, .shape = {1}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([0], dtype=int32)"},
    {.name = "int32_1d_n2", .dtype = MX_INT32, .ndim = 1, .shape = {2}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([0, 1], dtype=int32)"},
    {.name = "int32_1d_n3", .dtype = MX_INT32, .ndim = 1, .shape = {3}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([0, 1, 2], dtype=int32)"},
    {.name = "int32_1d_n4", .dtype = MX_INT32, .ndim = 1, .shape = {4}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([0, 1, 2, 3], dtype=int32)"},
    {.name = "int32_1d_n5", .dtype = MX_INT32, .ndim = 1, .shape = {5}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([0, 1, 2, 3, 4], dtype=int32)"},
    {.name = "int32_1d_n6", .dtype = MX_INT32, .ndim = 1, .shape = {6}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([0, 1, 2, 3, 4, 5], dtype=int32)"},
    {.name = "int32_1d_n7", .dtype = MX_INT32, .ndim = 1, .shape = {7}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([0, 1, 2, ..., 4, 5, 6], dtype=int32)"},
    {.name = "int32_1d_n8", .dtype = MX_INT32, .ndim = 1, .shape = {8}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([0, 1, 2, ..., 5, 6, 7], dtype=int32)"},
    {.name = "int32_1d_n1000", .dtype = MX_INT32, .ndim = 1, .shape = {1000}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([0, 1, 2, ..., 997, 998, 999], dtype=int32)"},
    {.name = "int32_1d_n1001", .dtype = MX_INT32, .ndim = 1, .shape = {1001}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([0, 1, 2, ..., 998, 999, 1000], dtype=int32)"},
    {.name = "int32_2x3", .dtype = MX_INT32, .ndim = 2, .shape = {2, 3}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([[0, 1, 2],\n"
                 "       [3, 4, 5]], dtype=int32)"},
    {.name = "int32_2x6", .dtype = MX_INT32, .ndim = 2, .shape = {2, 6}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([[0, 1, 2, 3, 4, 5],\n"
                 "       [6, 7, 8, 9, 10, 11]], dtype=int32)"},
    {.name = "int32_2x7", .dtype = MX_INT32, .ndim = 2, .shape = {2, 7}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([[0, 1, 2, ..., 4, 5, 6],\n"
                 "       [7, 8, 9, ..., 11, 12, 13]], dtype=int32)"},
    {.name = "int32_7x2", .dtype = MX_INT32, .ndim = 2, .shape = {7, 2}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([[0, 1],\n"
                 "       [2, 3],\n"
                 "       [4, 5],\n"
                 "       ...,\n"
                 "       [8, 9],\n"
                 "       [10, 11],\n"
                 "       [12, 13]], dtype=int32)"},
    {.name = "int32_7x7", .dtype = MX_INT32, .ndim = 2, .shape = {7, 7}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([[0, 1, 2, ..., 4, 5, 6],\n"
                 "       [7, 8, 9, ..., 11, 12, 13],\n"
                 "       [14, 15, 16, ..., 18, 19, 20],\n"
                 "       ...,\n"
                 "       [28, 29, 30, ..., 32, 33, 34],\n"
                 "       [35, 36, 37, ..., 39, 40, 41],\n"
                 "       [42, 43, 44, ..., 46, 47, 48]], dtype=int32)"},
    {.name = "int32_2x3x4", .dtype = MX_INT32, .ndim = 3, .shape = {2, 3, 4}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([[[0, 1, 2, 3],\n"
                 "        [4, 5, 6, 7],\n"
                 "        [8, 9, 10, 11]],\n"
                 "       [[12, 13, 14, 15],\n"
                 "        [16, 17, 18, 19],\n"
                 "        [20, 21, 22, 23]]], dtype=int32)"},
    {.name = "int32_2x7x2", .dtype = MX_INT32, .ndim = 3, .shape = {2, 7, 2}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([[[0, 1],\n"
                 "        [2, 3],\n"
                 "        [4, 5],\n"
                 "        ...,\n"
                 "        [8, 9],\n"
                 "        [10, 11],\n"
                 "        [12, 13]],\n"
                 "       [[14, 15],\n"
                 "        [16, 17],\n"
                 "        [18, 19],\n"
                 "        ...,\n"
                 "        [22, 23],\n"
                 "        [24, 25],\n"
                 "        [26, 27]]], dtype=int32)"},
    {.name = "int32_7x2x2", .dtype = MX_INT32, .ndim = 3, .shape = {7, 2, 2}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([[[0, 1],\n"
                 "        [2, 3]],\n"
                 "       [[4, 5],\n"
                 "        [6, 7]],\n"
                 "       [[8, 9],\n"
                 "        [10, 11]],\n"
                 "       ...,\n"
                 "       [[16, 17],\n"
                 "        [18, 19]],\n"
                 "       [[20, 21],\n"
                 "        [22, 23]],\n"
                 "       [[24, 25],\n"
                 "        [26, 27]]], dtype=int32)"},
    {.name = "int32_8x8x8", .dtype = MX_INT32, .ndim = 3, .shape = {8, 8, 8}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([[[0, 1, 2, ..., 5, 6, 7],\n"
                 "        [8, 9, 10, ..., 13, 14, 15],\n"
                 "        [16, 17, 18, ..., 21, 22, 23],\n"
                 "        ...,\n"
                 "        [40, 41, 42, ..., 45, 46, 47],\n"
                 "        [48, 49, 50, ..., 53, 54, 55],\n"
                 "        [56, 57, 58, ..., 61, 62, 63]],\n"
                 "       [[64, 65, 66, ..., 69, 70, 71],\n"
                 "        [72, 73, 74, ..., 77, 78, 79],\n"
                 "        [80, 81, 82, ..., 85, 86, 87],\n"
                 "        ...,\n"
                 "        [104, 105, 106, ..., 109, 110, 111],\n"
                 "        [112, 113, 114, ..., 117, 118, 119],\n"
                 "        [120, 121, 122, ..., 125, 126, 127]],\n"
                 "       [[128, 129, 130, ..., 133, 134, 135],\n"
                 "        [136, 137, 138, ..., 141, 142, 143],\n"
                 "        [144, 145, 146, ..., 149, 150, 151],\n"
                 "        ...,\n"
                 "        [168, 169, 170, ..., 173, 174, 175],\n"
                 "        [176, 177, 178, ..., 181, 182, 183],\n"
                 "        [184, 185, 186, ..., 189, 190, 191]],\n"
                 "       ...,\n"
                 "       [[320, 321, 322, ..., 325, 326, 327],\n"
                 "        [328, 329, 330, ..., 333, 334, 335],\n"
                 "        [336, 337, 338, ..., 341, 342, 343],\n"
                 "        ...,\n"
                 "        [360, 361, 362, ..., 365, 366, 367],\n"
                 "        [368, 369, 370, ..., 373, 374, 375],\n"
                 "        [376, 377, 378, ..., 381, 382, 383]],\n"
                 "       [[384, 385, 386, ..., 389, 390, 391],\n"
                 "        [392, 393, 394, ..., 397, 398, 399],\n"
                 "        [400, 401, 402, ..., 405, 406, 407],\n"
                 "        ...,\n"
                 "        [424, 425, 426, ..., 429, 430, 431],\n"
                 "        [432, 433, 434, ..., 437, 438, 439],\n"
                 "        [440, 441, 442, ..., 445, 446, 447]],\n"
                 "       [[448, 449, 450, ..., 453, 454, 455],\n"
                 "        [456, 457, 458, ..., 461, 462, 463],\n"
                 "        [464, 465, 466, ..., 469, 470, 471],\n"
                 "        ...,\n"
                 "        [488, 489, 490, ..., 493, 494, 495],\n"
                 "        [496, 497, 498, ..., 501, 502, 503],\n"
                 "        [504, 505, 506, ..., 509, 510, 511]]], dtype=int32)"},
    {.name = "int32_2x2x2x2", .dtype = MX_INT32, .ndim = 4, .shape = {2, 2, 2, 2}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([[[[0, 1],\n"
                 "         [2, 3]],\n"
                 "        [[4, 5],\n"
                 "         [6, 7]]],\n"
                 "       [[[8, 9],\n"
                 "         [10, 11]],\n"
                 "        [[12, 13],\n"
                 "         [14, 15]]]], dtype=int32)"},
    {.name = "int32_2x1x2x1x2", .dtype = MX_INT32, .ndim = 5, .shape = {2, 1, 2, 1, 2}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([[[[[0, 1]],\n"
                 "         [[2, 3]]]],\n"
                 "       [[[[4, 5]],\n"
                 "         [[6, 7]]]]], dtype=int32)"},
    {.name = "int32_6d", .dtype = MX_INT32, .ndim = 6, .shape = {2, 2, 2, 2, 2, 2}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([[[[[[0, 1],\n"
                 "           [2, 3]],\n"
                 "          [[4, 5],\n"
                 "           [6, 7]]],\n"
                 "         [[[8, 9],\n"
                 "           [10, 11]],\n"
                 "          [[12, 13],\n"
                 "           [14, 15]]]],\n"
                 "        [[[[16, 17],\n"
                 "           [18, 19]],\n"
                 "          [[20, 21],\n"
                 "           [22, 23]]],\n"
                 "         [[[24, 25],\n"
                 "           [26, 27]],\n"
                 "          [[28, 29],\n"
                 "           [30, 31]]]]],\n"
                 "       [[[[[32, 33],\n"
                 "           [34, 35]],\n"
                 "          [[36, 37],\n"
                 "           [38, 39]]],\n"
                 "         [[[40, 41],\n"
                 "           [42, 43]],\n"
                 "          [[44, 45],\n"
                 "           [46, 47]]]],\n"
                 "        [[[[48, 49],\n"
                 "           [50, 51]],\n"
                 "          [[52, 53],\n"
                 "           [54, 55]]],\n"
                 "         [[[56, 57],\n"
                 "           [58, 59]],\n"
                 "          [[60, 61],\n"
                 "           [62, 63]]]]]], dtype=int32)"},
    {.name = "int32_6d_summarised", .dtype = MX_INT32, .ndim = 6, .shape = {1, 7, 1, 2, 1, 8}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([[[[[[0, 1, 2, ..., 5, 6, 7]],\n"
                 "          [[8, 9, 10, ..., 13, 14, 15]]]],\n"
                 "        [[[[16, 17, 18, ..., 21, 22, 23]],\n"
                 "          [[24, 25, 26, ..., 29, 30, 31]]]],\n"
                 "        [[[[32, 33, 34, ..., 37, 38, 39]],\n"
                 "          [[40, 41, 42, ..., 45, 46, 47]]]],\n"
                 "        ...,\n"
                 "        [[[[64, 65, 66, ..., 69, 70, 71]],\n"
                 "          [[72, 73, 74, ..., 77, 78, 79]]]],\n"
                 "        [[[[80, 81, 82, ..., 85, 86, 87]],\n"
                 "          [[88, 89, 90, ..., 93, 94, 95]]]],\n"
                 "        [[[[96, 97, 98, ..., 101, 102, 103]],\n"
                 "          [[104, 105, 106, ..., 109, 110, 111]]]]]], dtype=int32)"},
    {.name = "float32_7d_ones", .dtype = MX_FLOAT32, .ndim = 7, .shape = {1, 1, 1, 1, 1, 1, 1}, .precision = -1,
     .fill = FILL_ARANGE, .start = 1.0, .step = 1.0,
     .expected = "array([[[[[[[1]]]]]]], dtype=float32)"},
    {.name = "int32_1x1", .dtype = MX_INT32, .ndim = 2, .shape = {1, 1}, .precision = -1,
     .fill = FILL_ARANGE, .start = 1.0, .step = 1.0,
     .expected = "array([[1]], dtype=int32)"},
    {.name = "int32_40d_ones", .dtype = MX_INT32, .ndim = 40, .shape = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, .precision = -1,
     .fill = FILL_ARANGE, .start = 1.0, .step = 0.0,
     .expected = "array([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]], dtype=int32)"},
    {.name = "int32_9d_mixed", .dtype = MX_INT32, .ndim = 9, .shape = {1, 2, 1, 1, 2, 1, 1, 2, 1}, .precision = -1,
     .fill = FILL_ARANGE, .start = 1.0, .step = 0.0,
     .expected = "array([[[[[[[[[1],\n"
                 "              [1]]]],\n"
                 "           [[[[1],\n"
                 "              [1]]]]]]],\n"
                 "        [[[[[[[1],\n"
                 "              [1]]]],\n"
                 "           [[[[1],\n"
                 "              [1]]]]]]]]], dtype=int32)"},
    {.name = "float32_100x100", .dtype = MX_FLOAT32, .ndim = 2, .shape = {100, 100}, .precision = -1,
     .fill = FILL_ARANGE, .start = -50.0, .step = 0.25,
     .expected = "array([[-50, -49.75, -49.5, ..., -25.75, -25.5, -25.25],\n"
                 "       [-25, -24.75, -24.5, ..., -0.75, -0.5, -0.25],\n"
                 "       [0, 0.25, 0.5, ..., 24.25, 24.5, 24.75],\n"
                 "       ...,\n"
                 "       [2375, 2375.25, 2375.5, ..., 2399.25, 2399.5, 2399.75],\n"
                 "       [2400, 2400.25, 2400.5, ..., 2424.25, 2424.5, 2424.75],\n"
                 "       [2425, 2425.25, 2425.5, ..., 2449.25, 2449.5, 2449.75]], dtype=float32)"},
    {.name = "float16_3x9", .dtype = MX_FLOAT16, .ndim = 2, .shape = {3, 9}, .precision = -1,
     .fill = FILL_ARANGE, .start = -3.0, .step = 0.125,
     .expected = "array([[-3, -2.875, -2.75, ..., -2.25, -2.125, -2],\n"
                 "       [-1.875, -1.75, -1.625, ..., -1.125, -1, -0.875],\n"
                 "       [-0.75, -0.625, -0.5, ..., 0, 0.125, 0.25]], dtype=float16)"},
    {.name = "bfloat16_9x2", .dtype = MX_BFLOAT16, .ndim = 2, .shape = {9, 2}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.5, .step = 0.5,
     .expected = "array([[0.5, 1],\n"
                 "       [1.5, 2],\n"
                 "       [2.5, 3],\n"
                 "       ...,\n"
                 "       [6.5, 7],\n"
                 "       [7.5, 8],\n"
                 "       [8.5, 9]], dtype=bfloat16)"},
    {.name = "float64_2x2", .dtype = MX_FLOAT64, .ndim = 2, .shape = {2, 2}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.1, .step = 1.0,
     .expected = "array([[0.1, 1.1],\n"
                 "       [2.1, 3.1]], dtype=float64)"},
    {.name = "complex_8", .dtype = MX_COMPLEX64, .ndim = 1, .shape = {8}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.5, .step = 1.0,
     .expected = "array([0.5-0.5j, 1.5-1.5j, 2.5-2.5j, ..., 5.5-5.5j, 6.5-6.5j, 7.5-7.5j], dtype=complex64)"},
    {.name = "uint8_2x8", .dtype = MX_UINT8, .ndim = 2, .shape = {2, 8}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .expected = "array([[0, 1, 2, ..., 5, 6, 7],\n"
                 "       [8, 9, 10, ..., 13, 14, 15]], dtype=uint8)"},
    {.name = "int64_7", .dtype = MX_INT64, .ndim = 1, .shape = {7}, .precision = -1,
     .fill = FILL_ARANGE, .start = -3.0, .step = 1.0,
     .expected = "array([-3, -2, -1, ..., 1, 2, 3], dtype=int64)"},
    {.name = "view_transpose", .dtype = MX_INT32, .ndim = 2, .shape = {4, 3}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .view = 1, .base_ndim = 2, .base_shape = {3, 4}, .strides = {1, 4}, .offset = 0,
     .expected = "array([[0, 4, 8],\n"
                 "       [1, 5, 9],\n"
                 "       [2, 6, 10],\n"
                 "       [3, 7, 11]], dtype=int32)"},
    {.name = "view_step", .dtype = MX_INT32, .ndim = 2, .shape = {2, 2}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .view = 1, .base_ndim = 2, .base_shape = {3, 4}, .strides = {8, 2}, .offset = 1,
     .expected = "array([[1, 3],\n"
                 "       [9, 11]], dtype=int32)"},
    {.name = "view_offset", .dtype = MX_INT32, .ndim = 2, .shape = {2, 2}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .view = 1, .base_ndim = 2, .base_shape = {3, 4}, .strides = {4, 1}, .offset = 6,
     .expected = "array([[6, 7],\n"
                 "       [10, 11]], dtype=int32)"},
    {.name = "view_reversed", .dtype = MX_INT32, .ndim = 2, .shape = {3, 2}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .view = 1, .base_ndim = 2, .base_shape = {3, 4}, .strides = {-4, -2}, .offset = 11,
     .expected = "array([[11, 9],\n"
                 "       [7, 5],\n"
                 "       [3, 1]], dtype=int32)"},
    {.name = "view_broadcast", .dtype = MX_FLOAT32, .ndim = 2, .shape = {3, 2}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .view = 1, .base_ndim = 1, .base_shape = {2}, .strides = {0, 1}, .offset = 0,
     .expected = "array([[0, 1],\n"
                 "       [0, 1],\n"
                 "       [0, 1]], dtype=float32)"},
    {.name = "view_transpose_summarised", .dtype = MX_FLOAT32, .ndim = 2, .shape = {9, 8}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .view = 1, .base_ndim = 2, .base_shape = {8, 9}, .strides = {1, 9}, .offset = 0,
     .expected = "array([[0, 9, 18, ..., 45, 54, 63],\n"
                 "       [1, 10, 19, ..., 46, 55, 64],\n"
                 "       [2, 11, 20, ..., 47, 56, 65],\n"
                 "       ...,\n"
                 "       [6, 15, 24, ..., 51, 60, 69],\n"
                 "       [7, 16, 25, ..., 52, 61, 70],\n"
                 "       [8, 17, 26, ..., 53, 62, 71]], dtype=float32)"},
    {.name = "view_3d_swap", .dtype = MX_INT16, .ndim = 3, .shape = {4, 3, 2}, .precision = -1,
     .fill = FILL_ARANGE, .start = 0.0, .step = 1.0,
     .view = 1, .base_ndim = 3, .base_shape = {2, 3, 4}, .strides = {1, 4, 12}, .offset = 0,
     .expected = "array([[[0, 12],\n"
                 "        [4, 16],\n"
                 "        [8, 20]],\n"
                 "       [[1, 13],\n"
                 "        [5, 17],\n"
                 "        [9, 21]],\n"
                 "       [[2, 14],\n"
                 "        [6, 18],\n"
                 "        [10, 22]],\n"
                 "       [[3, 15],\n"
                 "        [7, 19],\n"
                 "        [11, 23]]], dtype=int16)"},
    {.name = "precision0_float16_0", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = 0,
     .fill = FILL_HEX, .hex = "003e003c662ea800007c",
     .expected = "array([2, 1, 0, 0, inf], dtype=float16)"},
    {.name = "precision0_float16_5", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = 0,
     .fill = FILL_HEX, .hex = "007c007c48425539007e",
     .expected = "array([inf, inf, 3, 1, nan], dtype=float16)"},
    {.name = "precision0_float16_10", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = 0,
     .fill = FILL_HEX, .hex = "00fc00800c08404a0038",
     .expected = "array([-inf, -0, 0, 12, 0], dtype=float16)"},
    {.name = "precision0_bfloat16_0", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = 0,
     .fill = FILL_HEX, .hex = "c03f803fcd3d28371550",
     .expected = "array([2, 1, 0, 0, 9999220736], dtype=bfloat16)"},
    {.name = "precision0_bfloat16_5", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = 0,
     .fill = FILL_HEX, .hex = "f147974949402b3fc07f",
     .expected = "array([123392, 1236992, 3, 1, nan], dtype=bfloat16)"},
    {.name = "precision0_bfloat16_10", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = 0,
     .fill = FILL_HEX, .hex = "80ff008001394841003f",
     .expected = "array([-inf, -0, 0, 12, 0], dtype=bfloat16)"},
    {.name = "precision0_float32_0", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = 0,
     .fill = FILL_HEX, .hex = "0000c03f0000803fcdcccc3dacc52737f9021550",
     .expected = "array([2, 1, 0, 0, 10000000000], dtype=float32)"},
    {.name = "precision0_float32_5", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = 0,
     .fill = FILL_HEX, .hex = "0020f14738b49649db0f4940abaa2a3f0000c07f",
     .expected = "array([123456, 1234567, 3, 1, nan], dtype=float32)"},
    {.name = "precision0_float32_10", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = 0,
     .fill = FILL_HEX, .hex = "000080ff000000802e740139000048410000003f",
     .expected = "array([-inf, -0, 0, 12, 0], dtype=float32)"},
    {.name = "precision0_float64_0", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = 0,
     .fill = FILL_HEX, .hex = "000000000000f83f000000000000f03f9a9999999999b93ff168e388b5f8e43e000000205fa00242",
     .expected = "array([2, 1, 0, 0, 10000000000], dtype=float64)"},
    {.name = "precision0_float64_5", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = 0,
     .fill = FILL_HEX, .hex = "000000000024fe400000000087d63241f1d4c853fb210940555555555555e53f000000000000f87f",
     .expected = "array([123456, 1234567, 3, 1, nan], dtype=float64)"},
    {.name = "precision0_float64_10", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = 0,
     .fill = FILL_HEX, .hex = "000000000000f0ff0000000000000080411811be852e203f0000000000002940000000000000e03f",
     .expected = "array([-inf, -0, 0, 12, 0], dtype=float64)"},
    {.name = "precision0_complex", .dtype = MX_COMPLEX64, .ndim = 1, .shape = {3}, .precision = 0,
     .fill = FILL_HEX, .hex = "0000803f00002040abaaaa3e000000c0000000bf00000000",
     .expected = "array([1+2j, 0-2j, -0+0j], dtype=complex64)"},
    {.name = "precision0_int32", .dtype = MX_INT32, .ndim = 1, .shape = {3}, .precision = 0,
     .fill = FILL_HEX, .hex = "01000000feffffff03000000",
     .expected = "array([1, -2, 3], dtype=int32)"},
    {.name = "precision0_bool", .dtype = MX_BOOL, .ndim = 1, .shape = {2}, .precision = 0,
     .fill = FILL_HEX, .hex = "0100",
     .expected = "array([True, False], dtype=bool)"},
    {.name = "precision0_f32_0d", .dtype = MX_FLOAT32, .ndim = 0, .shape = {0}, .precision = 0,
     .fill = FILL_HEX, .hex = "abaaaa3e",
     .expected = "array(0, dtype=float32)"},
    {.name = "precision1_float16_0", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = 1,
     .fill = FILL_HEX, .hex = "003e003c662ea800007c",
     .expected = "array([1.5, 1.0, 0.1, 0.0, inf], dtype=float16)"},
    {.name = "precision1_float16_5", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = 1,
     .fill = FILL_HEX, .hex = "007c007c48425539007e",
     .expected = "array([inf, inf, 3.1, 0.7, nan], dtype=float16)"},
    {.name = "precision1_float16_10", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = 1,
     .fill = FILL_HEX, .hex = "00fc00800c08404a0038",
     .expected = "array([-inf, -0.0, 0.0, 12.5, 0.5], dtype=float16)"},
    {.name = "precision1_bfloat16_0", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = 1,
     .fill = FILL_HEX, .hex = "c03f803fcd3d28371550",
     .expected = "array([1.5, 1.0, 0.1, 0.0, 9999220736.0], dtype=bfloat16)"},
    {.name = "precision1_bfloat16_5", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = 1,
     .fill = FILL_HEX, .hex = "f147974949402b3fc07f",
     .expected = "array([123392.0, 1236992.0, 3.1, 0.7, nan], dtype=bfloat16)"},
    {.name = "precision1_bfloat16_10", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = 1,
     .fill = FILL_HEX, .hex = "80ff008001394841003f",
     .expected = "array([-inf, -0.0, 0.0, 12.5, 0.5], dtype=bfloat16)"},
    {.name = "precision1_float32_0", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = 1,
     .fill = FILL_HEX, .hex = "0000c03f0000803fcdcccc3dacc52737f9021550",
     .expected = "array([1.5, 1.0, 0.1, 0.0, 10000000000.0], dtype=float32)"},
    {.name = "precision1_float32_5", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = 1,
     .fill = FILL_HEX, .hex = "0020f14738b49649db0f4940abaa2a3f0000c07f",
     .expected = "array([123456.0, 1234567.0, 3.1, 0.7, nan], dtype=float32)"},
    {.name = "precision1_float32_10", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = 1,
     .fill = FILL_HEX, .hex = "000080ff000000802e740139000048410000003f",
     .expected = "array([-inf, -0.0, 0.0, 12.5, 0.5], dtype=float32)"},
    {.name = "precision1_float64_0", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = 1,
     .fill = FILL_HEX, .hex = "000000000000f83f000000000000f03f9a9999999999b93ff168e388b5f8e43e000000205fa00242",
     .expected = "array([1.5, 1.0, 0.1, 0.0, 10000000000.0], dtype=float64)"},
    {.name = "precision1_float64_5", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = 1,
     .fill = FILL_HEX, .hex = "000000000024fe400000000087d63241f1d4c853fb210940555555555555e53f000000000000f87f",
     .expected = "array([123456.0, 1234567.0, 3.1, 0.7, nan], dtype=float64)"},
    {.name = "precision1_float64_10", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = 1,
     .fill = FILL_HEX, .hex = "000000000000f0ff0000000000000080411811be852e203f0000000000002940000000000000e03f",
     .expected = "array([-inf, -0.0, 0.0, 12.5, 0.5], dtype=float64)"},
    {.name = "precision1_complex", .dtype = MX_COMPLEX64, .ndim = 1, .shape = {3}, .precision = 1,
     .fill = FILL_HEX, .hex = "0000803f00002040abaaaa3e000000c0000000bf00000000",
     .expected = "array([1.0+2.5j, 0.3-2.0j, -0.5+0.0j], dtype=complex64)"},
    {.name = "precision1_int32", .dtype = MX_INT32, .ndim = 1, .shape = {3}, .precision = 1,
     .fill = FILL_HEX, .hex = "01000000feffffff03000000",
     .expected = "array([1, -2, 3], dtype=int32)"},
    {.name = "precision1_bool", .dtype = MX_BOOL, .ndim = 1, .shape = {2}, .precision = 1,
     .fill = FILL_HEX, .hex = "0100",
     .expected = "array([True, False], dtype=bool)"},
    {.name = "precision1_f32_0d", .dtype = MX_FLOAT32, .ndim = 0, .shape = {0}, .precision = 1,
     .fill = FILL_HEX, .hex = "abaaaa3e",
     .expected = "array(0.3, dtype=float32)"},
    {.name = "precision3_float16_0", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = 3,
     .fill = FILL_HEX, .hex = "003e003c662ea800007c",
     .expected = "array([1.500, 1.000, 0.100, 0.000, inf], dtype=float16)"},
    {.name = "precision3_float16_5", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = 3,
     .fill = FILL_HEX, .hex = "007c007c48425539007e",
     .expected = "array([inf, inf, 3.141, 0.667, nan], dtype=float16)"},
    {.name = "precision3_float16_10", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = 3,
     .fill = FILL_HEX, .hex = "00fc00800c08404a0038",
     .expected = "array([-inf, -0.000, 0.000, 12.500, 0.500], dtype=float16)"},
    {.name = "precision3_bfloat16_0", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = 3,
     .fill = FILL_HEX, .hex = "c03f803fcd3d28371550",
     .expected = "array([1.500, 1.000, 0.100, 0.000, 9999220736.000], dtype=bfloat16)"},
    {.name = "precision3_bfloat16_5", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = 3,
     .fill = FILL_HEX, .hex = "f147974949402b3fc07f",
     .expected = "array([123392.000, 1236992.000, 3.141, 0.668, nan], dtype=bfloat16)"},
    {.name = "precision3_bfloat16_10", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = 3,
     .fill = FILL_HEX, .hex = "80ff008001394841003f",
     .expected = "array([-inf, -0.000, 0.000, 12.500, 0.500], dtype=bfloat16)"},
    {.name = "precision3_float32_0", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = 3,
     .fill = FILL_HEX, .hex = "0000c03f0000803fcdcccc3dacc52737f9021550",
     .expected = "array([1.500, 1.000, 0.100, 0.000, 10000000000.000], dtype=float32)"},
    {.name = "precision3_float32_5", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = 3,
     .fill = FILL_HEX, .hex = "0020f14738b49649db0f4940abaa2a3f0000c07f",
     .expected = "array([123456.000, 1234567.000, 3.142, 0.667, nan], dtype=float32)"},
    {.name = "precision3_float32_10", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = 3,
     .fill = FILL_HEX, .hex = "000080ff000000802e740139000048410000003f",
     .expected = "array([-inf, -0.000, 0.000, 12.500, 0.500], dtype=float32)"},
    {.name = "precision3_float64_0", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = 3,
     .fill = FILL_HEX, .hex = "000000000000f83f000000000000f03f9a9999999999b93ff168e388b5f8e43e000000205fa00242",
     .expected = "array([1.500, 1.000, 0.100, 0.000, 10000000000.000], dtype=float64)"},
    {.name = "precision3_float64_5", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = 3,
     .fill = FILL_HEX, .hex = "000000000024fe400000000087d63241f1d4c853fb210940555555555555e53f000000000000f87f",
     .expected = "array([123456.000, 1234567.000, 3.142, 0.667, nan], dtype=float64)"},
    {.name = "precision3_float64_10", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = 3,
     .fill = FILL_HEX, .hex = "000000000000f0ff0000000000000080411811be852e203f0000000000002940000000000000e03f",
     .expected = "array([-inf, -0.000, 0.000, 12.500, 0.500], dtype=float64)"},
    {.name = "precision3_complex", .dtype = MX_COMPLEX64, .ndim = 1, .shape = {3}, .precision = 3,
     .fill = FILL_HEX, .hex = "0000803f00002040abaaaa3e000000c0000000bf00000000",
     .expected = "array([1.000+2.500j, 0.333-2.000j, -0.500+0.000j], dtype=complex64)"},
    {.name = "precision3_int32", .dtype = MX_INT32, .ndim = 1, .shape = {3}, .precision = 3,
     .fill = FILL_HEX, .hex = "01000000feffffff03000000",
     .expected = "array([1, -2, 3], dtype=int32)"},
    {.name = "precision3_bool", .dtype = MX_BOOL, .ndim = 1, .shape = {2}, .precision = 3,
     .fill = FILL_HEX, .hex = "0100",
     .expected = "array([True, False], dtype=bool)"},
    {.name = "precision3_f32_0d", .dtype = MX_FLOAT32, .ndim = 0, .shape = {0}, .precision = 3,
     .fill = FILL_HEX, .hex = "abaaaa3e",
     .expected = "array(0.333, dtype=float32)"},
    {.name = "precision10_float16_0", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = 10,
     .fill = FILL_HEX, .hex = "003e003c662ea800007c",
     .expected = "array([1.5000000000, 1.0000000000, 0.0999755859, 0.0000100136, inf], dtype=float16)"},
    {.name = "precision10_float16_5", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = 10,
     .fill = FILL_HEX, .hex = "007c007c48425539007e",
     .expected = "array([inf, inf, 3.1406250000, 0.6665039062, nan], dtype=float16)"},
    {.name = "precision10_float16_10", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = 10,
     .fill = FILL_HEX, .hex = "00fc00800c08404a0038",
     .expected = "array([-inf, -0.0000000000, 0.0001235008, 12.5000000000, 0.5000000000], dtype=float16)"},
    {.name = "precision10_bfloat16_0", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = 10,
     .fill = FILL_HEX, .hex = "c03f803fcd3d28371550",
     .expected = "array([1.5000000000, 1.0000000000, 0.1000976562, 0.0000100136, 9999220736.0000000000], dtype=bfloat16)"},
    {.name = "precision10_bfloat16_5", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = 10,
     .fill = FILL_HEX, .hex = "f147974949402b3fc07f",
     .expected = "array([123392.0000000000, 1236992.0000000000, 3.1406250000, 0.6679687500, nan], dtype=bfloat16)"},
    {.name = "precision10_bfloat16_10", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = 10,
     .fill = FILL_HEX, .hex = "80ff008001394841003f",
     .expected = "array([-inf, -0.0000000000, 0.0001230240, 12.5000000000, 0.5000000000], dtype=bfloat16)"},
    {.name = "precision10_float32_0", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = 10,
     .fill = FILL_HEX, .hex = "0000c03f0000803fcdcccc3dacc52737f9021550",
     .expected = "array([1.5000000000, 1.0000000000, 0.1000000015, 0.0000100000, 10000000000.0000000000], dtype=float32)"},
    {.name = "precision10_float32_5", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = 10,
     .fill = FILL_HEX, .hex = "0020f14738b49649db0f4940abaa2a3f0000c07f",
     .expected = "array([123456.0000000000, 1234567.0000000000, 3.1415927410, 0.6666666865, nan], dtype=float32)"},
    {.name = "precision10_float32_10", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = 10,
     .fill = FILL_HEX, .hex = "000080ff000000802e740139000048410000003f",
     .expected = "array([-inf, -0.0000000000, 0.0001234568, 12.5000000000, 0.5000000000], dtype=float32)"},
    {.name = "precision10_float64_0", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = 10,
     .fill = FILL_HEX, .hex = "000000000000f83f000000000000f03f9a9999999999b93ff168e388b5f8e43e000000205fa00242",
     .expected = "array([1.5000000000, 1.0000000000, 0.1000000000, 0.0000100000, 10000000000.0000000000], dtype=float64)"},
    {.name = "precision10_float64_5", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = 10,
     .fill = FILL_HEX, .hex = "000000000024fe400000000087d63241f1d4c853fb210940555555555555e53f000000000000f87f",
     .expected = "array([123456.0000000000, 1234567.0000000000, 3.1415926500, 0.6666666667, nan], dtype=float64)"},
    {.name = "precision10_float64_10", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = 10,
     .fill = FILL_HEX, .hex = "000000000000f0ff0000000000000080411811be852e203f0000000000002940000000000000e03f",
     .expected = "array([-inf, -0.0000000000, 0.0001234568, 12.5000000000, 0.5000000000], dtype=float64)"},
    {.name = "precision10_complex", .dtype = MX_COMPLEX64, .ndim = 1, .shape = {3}, .precision = 10,
     .fill = FILL_HEX, .hex = "0000803f00002040abaaaa3e000000c0000000bf00000000",
     .expected = "array([1.0000000000+2.5000000000j, 0.3333333433-2.0000000000j, -0.5000000000+0.0000000000j], dtype=complex64)"},
    {.name = "precision10_int32", .dtype = MX_INT32, .ndim = 1, .shape = {3}, .precision = 10,
     .fill = FILL_HEX, .hex = "01000000feffffff03000000",
     .expected = "array([1, -2, 3], dtype=int32)"},
    {.name = "precision10_bool", .dtype = MX_BOOL, .ndim = 1, .shape = {2}, .precision = 10,
     .fill = FILL_HEX, .hex = "0100",
     .expected = "array([True, False], dtype=bool)"},
    {.name = "precision10_f32_0d", .dtype = MX_FLOAT32, .ndim = 0, .shape = {0}, .precision = 10,
     .fill = FILL_HEX, .hex = "abaaaa3e",
     .expected = "array(0.3333333433, dtype=float32)"},
    {.name = "precision20_float16_0", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = 20,
     .fill = FILL_HEX, .hex = "003e003c662ea800007c",
     .expected = "array([1.50000000000000000000, 1.00000000000000000000, 0.09997558593750000000, 0.00001001358032226562, inf], dtype=float16)"},
    {.name = "precision20_float16_5", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = 20,
     .fill = FILL_HEX, .hex = "007c007c48425539007e",
     .expected = "array([inf, inf, 3.14062500000000000000, 0.66650390625000000000, nan], dtype=float16)"},
    {.name = "precision20_float16_10", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = 20,
     .fill = FILL_HEX, .hex = "00fc00800c08404a0038",
     .expected = "array([-inf, -0.00000000000000000000, 0.00012350082397460938, 12.50000000000000000000, 0.50000000000000000000], dtype=float16)"},
    {.name = "precision20_bfloat16_0", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = 20,
     .fill = FILL_HEX, .hex = "c03f803fcd3d28371550",
     .expected = "array([1.50000000000000000000, 1.00000000000000000000, 0.10009765625000000000, 0.00001001358032226562, 9999220736.00000000000000000000], dtype=bfloat16)"},
    {.name = "precision20_bfloat16_5", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = 20,
     .fill = FILL_HEX, .hex = "f147974949402b3fc07f",
     .expected = "array([123392.00000000000000000000, 1236992.00000000000000000000, 3.14062500000000000000, 0.66796875000000000000, nan], dtype=bfloat16)"},
    {.name = "precision20_bfloat16_10", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = 20,
     .fill = FILL_HEX, .hex = "80ff008001394841003f",
     .expected = "array([-inf, -0.00000000000000000000, 0.00012302398681640625, 12.50000000000000000000, 0.50000000000000000000], dtype=bfloat16)"},
    {.name = "precision20_float32_0", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = 20,
     .fill = FILL_HEX, .hex = "0000c03f0000803fcdcccc3dacc52737f9021550",
     .expected = "array([1.50000000000000000000, 1.00000000000000000000, 0.10000000149011611938, 0.00000999999974737875, 10000000000.00000000000000000000], dtype=float32)"},
    {.name = "precision20_float32_5", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = 20,
     .fill = FILL_HEX, .hex = "0020f14738b49649db0f4940abaa2a3f0000c07f",
     .expected = "array([123456.00000000000000000000, 1234567.00000000000000000000, 3.14159274101257324219, 0.66666668653488159180, nan], dtype=float32)"},
    {.name = "precision20_float32_10", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = 20,
     .fill = FILL_HEX, .hex = "000080ff000000802e740139000048410000003f",
     .expected = "array([-inf, -0.00000000000000000000, 0.00012345678987912834, 12.50000000000000000000, 0.50000000000000000000], dtype=float32)"},
    {.name = "precision20_float64_0", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = 20,
     .fill = FILL_HEX, .hex = "000000000000f83f000000000000f03f9a9999999999b93ff168e388b5f8e43e000000205fa00242",
     .expected = "array([1.50000000000000000000, 1.00000000000000000000, 0.10000000000000000555, 0.00001000000000000000, 10000000000.00000000000000000000], dtype=float64)"},
    {.name = "precision20_float64_5", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = 20,
     .fill = FILL_HEX, .hex = "000000000024fe400000000087d63241f1d4c853fb210940555555555555e53f000000000000f87f",
     .expected = "array([123456.00000000000000000000, 1234567.00000000000000000000, 3.14159265000000020862, 0.66666666666666662966, nan], dtype=float64)"},
    {.name = "precision20_float64_10", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = 20,
     .fill = FILL_HEX, .hex = "000000000000f0ff0000000000000080411811be852e203f0000000000002940000000000000e03f",
     .expected = "array([-inf, -0.00000000000000000000, 0.00012345678900000000, 12.50000000000000000000, 0.50000000000000000000], dtype=float64)"},
    {.name = "precision20_complex", .dtype = MX_COMPLEX64, .ndim = 1, .shape = {3}, .precision = 20,
     .fill = FILL_HEX, .hex = "0000803f00002040abaaaa3e000000c0000000bf00000000",
     .expected = "array([1.00000000000000000000+2.50000000000000000000j, 0.33333334326744079590-2.00000000000000000000j, -0.50000000000000000000+0.00000000000000000000j], dtype=complex64)"},
    {.name = "precision20_int32", .dtype = MX_INT32, .ndim = 1, .shape = {3}, .precision = 20,
     .fill = FILL_HEX, .hex = "01000000feffffff03000000",
     .expected = "array([1, -2, 3], dtype=int32)"},
    {.name = "precision20_bool", .dtype = MX_BOOL, .ndim = 1, .shape = {2}, .precision = 20,
     .fill = FILL_HEX, .hex = "0100",
     .expected = "array([True, False], dtype=bool)"},
    {.name = "precision20_f32_0d", .dtype = MX_FLOAT32, .ndim = 0, .shape = {0}, .precision = 20,
     .fill = FILL_HEX, .hex = "abaaaa3e",
     .expected = "array(0.33333334326744079590, dtype=float32)"},
    {.name = "precisionm2_float16_0", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = -2,
     .fill = FILL_HEX, .hex = "003e003c662ea800007c",
     .expected = "array([1.500000, 1.000000, 0.099976, 0.000010, inf], dtype=float16)"},
    {.name = "precisionm2_float16_5", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = -2,
     .fill = FILL_HEX, .hex = "007c007c48425539007e",
     .expected = "array([inf, inf, 3.140625, 0.666504, nan], dtype=float16)"},
    {.name = "precisionm2_float16_10", .dtype = MX_FLOAT16, .ndim = 1, .shape = {5}, .precision = -2,
     .fill = FILL_HEX, .hex = "00fc00800c08404a0038",
     .expected = "array([-inf, -0.000000, 0.000124, 12.500000, 0.500000], dtype=float16)"},
    {.name = "precisionm2_bfloat16_0", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = -2,
     .fill = FILL_HEX, .hex = "c03f803fcd3d28371550",
     .expected = "array([1.500000, 1.000000, 0.100098, 0.000010, 9999220736.000000], dtype=bfloat16)"},
    {.name = "precisionm2_bfloat16_5", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = -2,
     .fill = FILL_HEX, .hex = "f147974949402b3fc07f",
     .expected = "array([123392.000000, 1236992.000000, 3.140625, 0.667969, nan], dtype=bfloat16)"},
    {.name = "precisionm2_bfloat16_10", .dtype = MX_BFLOAT16, .ndim = 1, .shape = {5}, .precision = -2,
     .fill = FILL_HEX, .hex = "80ff008001394841003f",
     .expected = "array([-inf, -0.000000, 0.000123, 12.500000, 0.500000], dtype=bfloat16)"},
    {.name = "precisionm2_float32_0", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = -2,
     .fill = FILL_HEX, .hex = "0000c03f0000803fcdcccc3dacc52737f9021550",
     .expected = "array([1.500000, 1.000000, 0.100000, 0.000010, 10000000000.000000], dtype=float32)"},
    {.name = "precisionm2_float32_5", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = -2,
     .fill = FILL_HEX, .hex = "0020f14738b49649db0f4940abaa2a3f0000c07f",
     .expected = "array([123456.000000, 1234567.000000, 3.141593, 0.666667, nan], dtype=float32)"},
    {.name = "precisionm2_float32_10", .dtype = MX_FLOAT32, .ndim = 1, .shape = {5}, .precision = -2,
     .fill = FILL_HEX, .hex = "000080ff000000802e740139000048410000003f",
     .expected = "array([-inf, -0.000000, 0.000123, 12.500000, 0.500000], dtype=float32)"},
    {.name = "precisionm2_float64_0", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = -2,
     .fill = FILL_HEX, .hex = "000000000000f83f000000000000f03f9a9999999999b93ff168e388b5f8e43e000000205fa00242",
     .expected = "array([1.500000, 1.000000, 0.100000, 0.000010, 10000000000.000000], dtype=float64)"},
    {.name = "precisionm2_float64_5", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = -2,
     .fill = FILL_HEX, .hex = "000000000024fe400000000087d63241f1d4c853fb210940555555555555e53f000000000000f87f",
     .expected = "array([123456.000000, 1234567.000000, 3.141593, 0.666667, nan], dtype=float64)"},
    {.name = "precisionm2_float64_10", .dtype = MX_FLOAT64, .ndim = 1, .shape = {5}, .precision = -2,
     .fill = FILL_HEX, .hex = "000000000000f0ff0000000000000080411811be852e203f0000000000002940000000000000e03f",
     .expected = "array([-inf, -0.000000, 0.000123, 12.500000, 0.500000], dtype=float64)"},
    {.name = "precisionm2_complex", .dtype = MX_COMPLEX64, .ndim = 1, .shape = {3}, .precision = -2,
     .fill = FILL_HEX, .hex = "0000803f00002040abaaaa3e000000c0000000bf00000000",
     .expected = "array([1.000000+2.500000j, 0.333333-2.000000j, -0.500000+0.000000j], dtype=complex64)"},
    {.name = "precisionm2_int32", .dtype = MX_INT32, .ndim = 1, .shape = {3}, .precision = -2,
     .fill = FILL_HEX, .hex = "01000000feffffff03000000",
     .expected = "array([1, -2, 3], dtype=int32)"},
    {.name = "precisionm2_bool", .dtype = MX_BOOL, .ndim = 1, .shape = {2}, .precision = -2,
     .fill = FILL_HEX, .hex = "0100",
     .expected = "array([True, False], dtype=bool)"},
    {.name = "precisionm2_f32_0d", .dtype = MX_FLOAT32, .ndim = 0, .shape = {0}, .precision = -2,
     .fill = FILL_HEX, .hex = "abaaaa3e",
     .expected = "array(0.333333, dtype=float32)"},
    {.name = "thirds_default", .dtype = MX_FLOAT32, .ndim = 1, .shape = {2}, .precision = -1,
     .fill = FILL_HEX, .hex = "abaaaa3eabaa2a3f",
     .expected = "array([0.333333, 0.666667], dtype=float32)"},
    {.name = "thirds_precision3", .dtype = MX_FLOAT32, .ndim = 1, .shape = {2}, .precision = 3,
     .fill = FILL_HEX, .hex = "abaaaa3eabaa2a3f",
     .expected = "array([0.333, 0.667], dtype=float32)"},
    {.name = "precision50_f32", .dtype = MX_FLOAT32, .ndim = 1, .shape = {2}, .precision = 50,
     .fill = FILL_HEX, .hex = "abaaaa3e6042a20d",
     .expected = "array([0.33333334326744079589843750000000000000000000000000, 0.00000000000000000000000000000100000000317107685097], dtype=float32)"},
    {.name = "precision100_f32", .dtype = MX_FLOAT32, .ndim = 1, .shape = {2}, .precision = 100,
     .fill = FILL_HEX, .hex = "abaaaa3e9ec97f7f",
     .expected = "array([0.3333333432674407958984375000000000000000000000000000000000000000000000000000000000000000000000000000, 339999995214436424907732413799364296704.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000], dtype=float32)"},
    {.name = "precision3_f64_huge", .dtype = MX_FLOAT64, .ndim = 1, .shape = {2}, .precision = 3,
     .fill = FILL_HEX, .hex = "9c7500883ce4377e59f3f8c21f6ea581",
     .expected = "array([1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000, -0.000], dtype=float64)"},
};
/* END GENERATED */

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* Writes value v into element i of `out` in `dtype`, as the generator's
 * NumPy/MLX conversion does (all recipe values are exact in every dtype). */
static void store(void* out, int64_t i, mx_dtype dtype, double v) {
  switch (dtype) {
    case MX_BOOL: ((bool*)out)[i] = v != 0; break;
    case MX_UINT8: ((uint8_t*)out)[i] = (uint8_t)v; break;
    case MX_UINT16: ((uint16_t*)out)[i] = (uint16_t)v; break;
    case MX_UINT32: ((uint32_t*)out)[i] = (uint32_t)v; break;
    case MX_UINT64: ((uint64_t*)out)[i] = (uint64_t)v; break;
    case MX_INT8: ((int8_t*)out)[i] = (int8_t)v; break;
    case MX_INT16: ((int16_t*)out)[i] = (int16_t)v; break;
    case MX_INT32: ((int32_t*)out)[i] = (int32_t)v; break;
    case MX_INT64: ((int64_t*)out)[i] = (int64_t)v; break;
    case MX_FLOAT16: ((uint16_t*)out)[i] = mx_f32_to_f16((float)v); break;
    case MX_BFLOAT16: ((uint16_t*)out)[i] = mx_f32_to_bf16((float)v); break;
    case MX_FLOAT32: ((float*)out)[i] = (float)v; break;
    case MX_FLOAT64: ((double*)out)[i] = v; break;
    case MX_COMPLEX64: ((mx_complex64*)out)[i] = (mx_complex64){(float)v, (float)-v}; break;
    default: break;
  }
}

/* Rebuilds a case's array with cmlx; NULL on failure. */
static mx_array* build_case(const print_case* c) {
  int nd = c->view ? c->base_ndim : c->ndim;
  const int* shape = c->view ? c->base_shape : c->shape;
  int64_t n = 1;
  for (int i = 0; i < nd; i++) n *= shape[i];
  size_t item = mx_dtype_size(c->dtype);
  unsigned char* bytes = calloc((size_t)(n > 0 ? n : 1), item);
  if (!bytes) return NULL;
  if (c->fill == FILL_HEX) {
    size_t len = strlen(c->hex);
    if (len != (size_t)n * item * 2) {
      free(bytes);
      return NULL;
    }
    for (size_t i = 0; i < len / 2; i++)
      bytes[i] = (unsigned char)(hexval(c->hex[2 * i]) * 16 + hexval(c->hex[2 * i + 1]));
  } else {
    for (int64_t i = 0; i < n; i++) store(bytes, i, c->dtype, c->start + (double)i * c->step);
  }
  mx_array* a = mx_array_from_data(bytes, c->dtype, nd, shape);
  free(bytes);
  if (!a || !c->view) return a;
  mx_array* v = mx_array_from_buffer(a->buffer, c->dtype, c->ndim, c->shape, c->strides,
                                     a->offset + c->offset);
  mx_array_release(a);
  return v;
}

static const print_case* find_case(const char* name) {
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (strcmp(cases[i].name, name) == 0) return &cases[i];
  return NULL;
}

static void test_mlx_cases(void) {
  mx_print_options saved = mx_get_print_options();
  int bad = 0;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const print_case* c = &cases[i];
    mx_array* a = build_case(c);
    CHECK(a != NULL);
    if (!a) {
      printf("   case %s: cannot build the array: %s\n", c->name, mx_error_message());
      continue;
    }
    mx_set_print_options((mx_print_options){.precision = c->precision});
    char* s = mx_array_tostring(a);
    char* t = mx_array_tostr(a);
    CHECK(s != NULL && strcmp(s, c->expected) == 0);
    CHECK(t != NULL && strcmp(t, c->expected) == 0);
    if ((!s || strcmp(s, c->expected) != 0) && bad++ < 10)
      printf("   case %s\n   want: %s\n   got:  %s\n", c->name, c->expected,
             s ? s : mx_error_message());
    free(s);
    free(t);
    mx_array_release(a);
  }
  mx_set_print_options(saved);
  printf("   %zu MLX cases\n", sizeof cases / sizeof cases[0]);
}

static void test_options(void) {
  mx_print_options d = mx_print_options_default();
  CHECK(d.precision == -1);
  CHECK(mx_get_print_options().precision == -1);
  mx_set_print_options((mx_print_options){.precision = 3});
  CHECK(mx_get_print_options().precision == 3);
  mx_set_print_options(d);
  CHECK(mx_get_print_options().precision == -1);
}

static void test_errors(void) {
  mx_error_clear();
  CHECK(mx_array_tostring(NULL) == NULL);
  CHECK(mx_error_last_kind() == MX_ERR_VALUE);
  CHECK(mx_array_tostr(NULL) == NULL);
}

static void test_format_float(void) {
  char buf[8];
  /* Too small a buffer: truncated, terminated, and the full length returned. */
  CHECK(mx_format_float(buf, sizeof buf, 1234567.0, 3) == 11);
  CHECK(strcmp(buf, "1234567") == 0);
  CHECK(mx_format_float(buf, sizeof buf, -NAN, -1) == 4);
  CHECK(strcmp(buf, "-nan") == 0);
}

/* One thread flips the precision while another prints: every print must use
 * one setting throughout (either MLX text, never a mix). */
static atomic_int stop_flipping;

static void* flipper(void* arg) {
  (void)arg;
  while (!atomic_load(&stop_flipping)) {
    mx_set_print_options((mx_print_options){.precision = 3});
    mx_set_print_options((mx_print_options){.precision = -1});
  }
  return NULL;
}

static void test_threads(void) {
  const print_case* c1 = find_case("thirds_default");
  const print_case* c2 = find_case("thirds_precision3");
  CHECK(c1 && c2);
  if (!c1 || !c2) return;
  mx_array* a = build_case(c1);
  CHECK(a != NULL);
  if (!a) return;
  mx_print_options saved = mx_get_print_options();
  atomic_store(&stop_flipping, 0);
  pthread_t th;
  CHECK(pthread_create(&th, NULL, flipper, NULL) == 0);
  int ok = 1;
  for (int i = 0; i < 20000; i++) {
    char* s = mx_array_tostring(a);
    if (!s || (strcmp(s, c1->expected) != 0 && strcmp(s, c2->expected) != 0)) ok = 0;
    free(s);
  }
  atomic_store(&stop_flipping, 1);
  pthread_join(th, NULL);
  CHECK(ok);
  mx_set_print_options(saved);
  mx_array_release(a);
}

int main(void) {
  RUN(test_options);
  RUN(test_errors);
  RUN(test_format_float);
  RUN(test_mlx_cases);
  RUN(test_threads);
  return test_summary();
}
