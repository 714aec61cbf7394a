/* mlx_device_info: a small key/value table of device properties.
 *
 * For the CPU we report what MLX reports on Linux: "architecture" (the
 * machine name from uname, e.g. "x86_64") and "device_name" (the processor
 * model from /proc/cpuinfo).  A GPU's table is empty for now, which is also
 * what MLX answers for a GPU that is not present.
 *
 * Reading these is not array work, so it stays here rather than in core;
 * if the Python layer needs mx.device_info too, this should move into
 * src/core behind a backend hook. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "capi.h"

typedef struct info_entry {
  char* key;
  char* str; /* the value when it is a string, else NULL */
  size_t size;
} info_entry;

typedef struct info_table {
  int n;
  info_entry entries[8];
} info_table;

static void table_free(info_table* t) {
  if (!t) return;
  for (int i = 0; i < t->n; i++) {
    free(t->entries[i].key);
    free(t->entries[i].str);
  }
  free(t);
}

static int add_string(info_table* t, const char* key, const char* value) {
  if (t->n == (int)(sizeof t->entries / sizeof t->entries[0])) return -1;
  info_entry* e = &t->entries[t->n];
  e->key = strdup(key);
  e->str = strdup(value);
  if (!e->key || !e->str) {
    free(e->key);
    free(e->str);
    return -1;
  }
  t->n++;
  return 0;
}

/* The processor model, e.g. "Intel(R) Xeon(R) Processor", or "" when the
 * system does not say. */
static void cpu_model(char* out, size_t len) {
  out[0] = '\0';
  FILE* f = fopen("/proc/cpuinfo", "r");
  if (!f) return;
  char line[512];
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "model name", 10) != 0) continue;
    const char* v = strchr(line, ':');
    if (!v) continue;
    v++;
    while (*v == ' ' || *v == '\t') v++;
    snprintf(out, len, "%s", v);
    out[strcspn(out, "\n")] = '\0';
    break;
  }
  fclose(f);
}

mlx_device_info mlx_device_info_new(void) { return (mlx_device_info){NULL}; }

int mlx_device_info_get(mlx_device_info* info, mlx_device dev) {
  if (!info) return mx__capi_null_output("mlx_device_info_get");
  mx_device d;
  if (!mx__capi_device(dev, &d)) return 1;
  info_table* t = calloc(1, sizeof *t);
  if (!t) return mx__capi_failf(MX_ERR_MEMORY, "[device_info] Out of memory.");
  if (d.type == MX_DEVICE_CPU) {
    struct utsname u;
    char model[256];
    cpu_model(model, sizeof model);
    if (uname(&u) != 0) u.machine[0] = '\0';
    if (add_string(t, "architecture", u.machine) != 0 || add_string(t, "device_name", model) != 0) {
      table_free(t);
      return mx__capi_failf(MX_ERR_MEMORY, "[device_info] Out of memory.");
    }
  }
  table_free(info->ctx);
  info->ctx = t;
  return 0;
}

int mlx_device_info_free(mlx_device_info info) {
  table_free(info.ctx);
  return 0;
}

/* Finds `key`; NULL when absent.  Reports an empty handle or NULL key. */
static const info_entry* find(mlx_device_info info, const char* key, bool* bad) {
  *bad = false;
  if (!info.ctx || !key) {
    *bad = true;
    mx__capi_failf(MX_ERR_VALUE, "Expected a non-empty mlx_device_info and a key.");
    return NULL;
  }
  const info_table* t = info.ctx;
  for (int i = 0; i < t->n; i++)
    if (strcmp(t->entries[i].key, key) == 0) return &t->entries[i];
  return NULL;
}

int mlx_device_info_has_key(bool* exists, mlx_device_info info, const char* key) {
  if (!exists) return mx__capi_null_output("mlx_device_info_has_key");
  bool bad;
  const info_entry* e = find(info, key, &bad);
  if (bad) return 1;
  *exists = e != NULL;
  return 0;
}

/* Lookups answer 2 for a missing key or a value of the other kind, without
 * calling the error handler: that is an answer, not a failure. */
int mlx_device_info_is_string(bool* is_string, mlx_device_info info, const char* key) {
  if (!is_string) return mx__capi_null_output("mlx_device_info_is_string");
  bool bad;
  const info_entry* e = find(info, key, &bad);
  if (bad) return 1;
  if (!e) return 2;
  *is_string = e->str != NULL;
  return 0;
}

int mlx_device_info_get_string(const char** value, mlx_device_info info, const char* key) {
  if (!value) return mx__capi_null_output("mlx_device_info_get_string");
  bool bad;
  const info_entry* e = find(info, key, &bad);
  if (bad) return 1;
  if (!e || !e->str) return 2;
  *value = e->str;
  return 0;
}

int mlx_device_info_get_size(size_t* value, mlx_device_info info, const char* key) {
  if (!value) return mx__capi_null_output("mlx_device_info_get_size");
  bool bad;
  const info_entry* e = find(info, key, &bad);
  if (bad) return 1;
  if (!e || e->str) return 2;
  *value = e->size;
  return 0;
}

int mlx_device_info_get_keys(mlx_vector_string* keys, mlx_device_info info) {
  if (!keys) return mx__capi_null_output("mlx_device_info_get_keys");
  if (!info.ctx) return mx__capi_failf(MX_ERR_VALUE, "Expected a non-empty mlx_device_info.");
  const info_table* t = info.ctx;
  const char* names[sizeof t->entries / sizeof t->entries[0]];
  for (int i = 0; i < t->n; i++) names[i] = t->entries[i].key;
  return mlx_vector_string_set_data(keys, names, (size_t)t->n);
}
