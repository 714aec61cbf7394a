/* mx.save, mx.load, mx.savez, mx.savez_compressed, mx.save_safetensors and
 * mx.save_gguf over the readers and writers of src/io.
 *
 * A file argument is a str or path-like (a path on disk) or, where MLX takes
 * one, a file-like object: loading reads it whole with .read() and parses
 * the bytes; saving builds the bytes in memory and hands them to .write().
 * As in MLX, save functions add the format's extension to paths that lack
 * it, and GGUF takes paths only. */
#include <string.h>

#include "io/io.h"
#include "mlxpy.h"

/* --- file arguments --------------------------------------------------------------- */

/* The filesystem path of `file` as a new bytes object, or NULL without an
 * exception when it is neither a str nor path-like. */
static PyObject* path_bytes(PyObject* file) {
  if (!PyUnicode_Check(file) && !PyObject_HasAttrString(file, "__fspath__")) return NULL;
  PyObject* out = NULL;
  if (!PyUnicode_FSConverter(file, &out)) return NULL;
  return out;
}

/* `path` with `ext` appended unless it already ends with it (new bytes). */
static PyObject* with_extension(PyObject* path, const char* ext) {
  const char* p = PyBytes_AS_STRING(path);
  size_t n = (size_t)PyBytes_GET_SIZE(path), e = strlen(ext);
  if (n >= e && memcmp(p + n - e, ext, e) == 0) {
    Py_INCREF(path);
    return path;
  }
  return PyBytes_FromFormat("%s%s", p, ext);
}

static bool is_writable(PyObject* file) { return PyObject_HasAttrString(file, "write"); }

/* Hands the bytes in `mem` to file.write(). */
static int write_to(PyObject* file, const mx_io_membuf* mem) {
  PyObject* b = PyBytes_FromStringAndSize((const char*)mem->data, (Py_ssize_t)mem->size);
  if (!b) return -1;
  PyObject* r = PyObject_CallMethod(file, "write", "O", b);
  Py_DECREF(b);
  if (!r) return -1;
  Py_DECREF(r);
  return 0;
}

/* Runs a save: to the path (with `ext` added) or to a file-like object.
 * `fn` writes through an mx_io_writer; `label` is MLX's function name. */
typedef int (*save_fn)(const mx_io_writer* w, void* ctx);

static PyObject* do_save(PyObject* file, const char* ext, const char* label, save_fn fn,
                         void* ctx, bool paths_only) {
  PyObject* path = path_bytes(file);
  if (!path && PyErr_Occurred()) return NULL;
  if (path) {
    PyObject* full = with_extension(path, ext);
    Py_DECREF(path);
    if (!full) return NULL;
    FILE* f = fopen(PyBytes_AS_STRING(full), "wb");
    if (!f) {
      PyErr_Format(PyExc_RuntimeError, "[%s] Failed to open file %s", label,
                   PyBytes_AS_STRING(full));
      Py_DECREF(full);
      return NULL;
    }
    mx_io_writer w = mx_io_writer_file(f, PyBytes_AS_STRING(full));
    int rc;
    Py_BEGIN_ALLOW_THREADS rc = fn(&w, ctx);
    Py_END_ALLOW_THREADS
    if (fclose(f) != 0 && rc == 0) rc = mx_error(MX_ERR_RUNTIME, "[%s] Failed to write file.", label);
    Py_DECREF(full);
    if (rc != 0) return mxpy_raise();
    Py_RETURN_NONE;
  }
  if (paths_only || !is_writable(file)) {
    if (paths_only) PyErr_Format(PyExc_ValueError, "[%s] Input must be a string", label);
    else PyErr_Format(PyExc_ValueError, "[%s] Input must be a file-like object, or string", label);
    return NULL;
  }
  mx_io_membuf mem = {0};
  mx_io_writer w = mx_io_writer_memory(&mem, "<file>");
  int rc;
  Py_BEGIN_ALLOW_THREADS rc = fn(&w, ctx);
  Py_END_ALLOW_THREADS
  if (rc != 0) {
    free(mem.data);
    return mxpy_raise();
  }
  rc = write_to(file, &mem);
  free(mem.data);
  if (rc != 0) return NULL;
  Py_RETURN_NONE;
}

/* --- save ------------------------------------------------------------------------------ */

static int save_npy_fn(const mx_io_writer* w, void* ctx) { return mx_save_npy(w, ctx); }

static PyObject* py_save(PyObject* self, PyObject* args, PyObject* kw) {
  static char* kwlist[] = {"file", "arr", NULL};
  PyObject *file, *arr;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "OO:save", kwlist, &file, &arr)) return NULL;
  if (!mxpy_is_array(arr)) {
    PyErr_Format(PyExc_TypeError,
                 "save(): incompatible function arguments. The following argument types are "
                 "supported:\n    1. save(file: file | str | pathlib.Path, arr: array) -> None\n\n"
                 "Invoked with types: %s, %s",
                 Py_TYPE(file)->tp_name, Py_TYPE(arr)->tp_name);
    return NULL;
  }
  return do_save(file, ".npy", "save", save_npy_fn, mxpy_arr(arr), false);
}

/* --- savez ------------------------------------------------------------------------------ */

typedef struct npz_ctx {
  mx_io_arrays arrays;
  bool compressed;
} npz_ctx;

static int save_npz_fn(const mx_io_writer* w, void* ctx) {
  npz_ctx* c = ctx;
  return mx_save_npz(w, &c->arrays, c->compressed);
}

static int push_array(mx_io_arrays* l, const char* name, PyObject* v, const char* fn) {
  if (!mxpy_is_array(v)) {
    PyErr_Format(PyExc_RuntimeError, "[%s] Expected an array for '%s', got %s.", fn, name,
                 Py_TYPE(v)->tp_name);
    return -1;
  }
  if (mx_io_arrays_push(l, name, mxpy_arr(v)) != 0) return mxpy_raise_int();
  return 0;
}

static PyObject* savez_common(PyObject* args, PyObject* kw, bool compressed) {
  const char* fn = compressed ? "savez_compressed" : "savez";
  Py_ssize_t n = PyTuple_GET_SIZE(args);
  if (n < 1) {
    PyErr_Format(PyExc_TypeError, "%s() missing required argument 'file' (pos 1)", fn);
    return NULL;
  }
  PyObject* file = PyTuple_GET_ITEM(args, 0);
  npz_ctx ctx = {{0}, compressed};
  PyObject* out = NULL;
  for (Py_ssize_t i = 1; i < n; i++) {
    char name[32];
    snprintf(name, sizeof name, "arr_%zd", i - 1);
    if (kw && PyDict_GetItemString(kw, name)) {
      PyErr_Format(PyExc_ValueError, "[%s] Cannot use un-named variables and keyword %s", fn, name);
      goto done;
    }
    if (push_array(&ctx.arrays, name, PyTuple_GET_ITEM(args, i), fn) != 0) goto done;
  }
  if (kw) {
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(kw, &pos, &k, &v)) {
      const char* name = PyUnicode_AsUTF8(k);
      if (!name || push_array(&ctx.arrays, name, v, fn) != 0) goto done;
    }
  }
  out = do_save(file, ".npz", fn, save_npz_fn, &ctx, false);
done:
  mx_io_arrays_free(&ctx.arrays);
  return out;
}

static PyObject* py_savez(PyObject* self, PyObject* args, PyObject* kw) {
  return savez_common(args, kw, false);
}
static PyObject* py_savez_compressed(PyObject* self, PyObject* args, PyObject* kw) {
  return savez_common(args, kw, true);
}

/* --- safetensors / gguf saving ------------------------------------------------------- */

/* dict[str, array] -> list; TypeError in MLX's words otherwise. */
static int arrays_from_dict(PyObject* d, mx_io_arrays* out, const char* sig) {
  if (!PyDict_Check(d)) {
    PyErr_Format(PyExc_TypeError,
                 "%s(): incompatible function arguments. The arrays must be a dict[str, array], "
                 "got %s.",
                 sig, Py_TYPE(d)->tp_name);
    return -1;
  }
  PyObject *k, *v;
  Py_ssize_t pos = 0;
  while (PyDict_Next(d, &pos, &k, &v)) {
    if (!PyUnicode_Check(k) || !mxpy_is_array(v)) {
      PyErr_Format(PyExc_TypeError,
                   "%s(): incompatible function arguments. The arrays must be a "
                   "dict[str, array].",
                   sig);
      return -1;
    }
    const char* name = PyUnicode_AsUTF8(k);
    if (!name || mx_io_arrays_push(out, name, mxpy_arr(v)) != 0)
      return name ? mxpy_raise_int() : -1;
  }
  return 0;
}

typedef struct st_ctx {
  mx_io_arrays arrays;
  mx_io_strings meta;
  mx_io_gguf_meta gmeta;
} st_ctx;

static int save_st_fn(const mx_io_writer* w, void* ctx) {
  st_ctx* c = ctx;
  return mx_save_safetensors(w, &c->arrays, &c->meta);
}
static int save_gguf_fn(const mx_io_writer* w, void* ctx) {
  st_ctx* c = ctx;
  return mx_save_gguf(w, &c->arrays, &c->gmeta);
}

static void st_ctx_free(st_ctx* c) {
  mx_io_arrays_free(&c->arrays);
  mx_io_strings_free(&c->meta);
  mx_io_gguf_meta_free(&c->gmeta);
}

static PyObject* py_save_safetensors(PyObject* self, PyObject* args, PyObject* kw) {
  static char* kwlist[] = {"file", "arrays", "metadata", NULL};
  PyObject *file, *arrays, *metadata = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "OO|O:save_safetensors", kwlist, &file, &arrays,
                                   &metadata))
    return NULL;
  st_ctx c = {0};
  PyObject* out = NULL;
  if (arrays_from_dict(arrays, &c.arrays, "save_safetensors") != 0) goto done;
  if (metadata != Py_None) {
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    bool ok = PyDict_Check(metadata);
    while (ok && PyDict_Next(metadata, &pos, &k, &v)) {
      if (!PyUnicode_Check(k) || !PyUnicode_Check(v)) {
        ok = false;
        break;
      }
      const char *ks = PyUnicode_AsUTF8(k), *vs = PyUnicode_AsUTF8(v);
      if (!ks || !vs) goto done;
      if (mx_io_strings_push(&c.meta, ks, vs) != 0) {
        mxpy_raise();
        goto done;
      }
    }
    if (!ok) {
      PyErr_SetString(PyExc_ValueError,
                      "[save_safetensors] Metadata must be a dictionary with string keys and "
                      "values");
      goto done;
    }
  }
  out = do_save(file, ".safetensors", "save_safetensors", save_st_fn, &c, false);
done:
  st_ctx_free(&c);
  return out;
}

static PyObject* py_save_gguf(PyObject* self, PyObject* args, PyObject* kw) {
  static char* kwlist[] = {"file", "arrays", "metadata", NULL};
  PyObject *file, *arrays, *metadata = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "OO|O:save_gguf", kwlist, &file, &arrays, &metadata))
    return NULL;
  st_ctx c = {0};
  PyObject* out = NULL;
  if (arrays_from_dict(arrays, &c.arrays, "save_gguf") != 0) goto done;
  if (metadata != Py_None) {
    if (!PyDict_Check(metadata)) {
      PyErr_SetString(PyExc_TypeError,
                      "save_gguf(): incompatible function arguments. The metadata must be a "
                      "dict[str, array | str | list[str]].");
      goto done;
    }
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(metadata, &pos, &k, &v)) {
      const char* key = PyUnicode_Check(k) ? PyUnicode_AsUTF8(k) : NULL;
      if (!key) {
        if (!PyErr_Occurred())
          PyErr_SetString(PyExc_RuntimeError, "[save_gguf] Metadata keys must be strings.");
        goto done;
      }
      mx_gguf_value gv = {0};
      const char** tmp = NULL;
      int rc = 0;
      if (mxpy_is_array(v)) {
        gv.kind = MX_GGUF_ARRAY;
        gv.array = mxpy_arr(v);
      } else if (PyUnicode_Check(v)) {
        gv.kind = MX_GGUF_STRING;
        gv.str = (char*)PyUnicode_AsUTF8(v);
        if (!gv.str) goto done;
      } else if (PyList_Check(v)) {
        Py_ssize_t n = PyList_GET_SIZE(v);
        tmp = calloc((size_t)n + 1, sizeof(char*));
        if (!tmp) {
          PyErr_NoMemory();
          goto done;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
          PyObject* s = PyList_GET_ITEM(v, i);
          if (!PyUnicode_Check(s) || !(tmp[i] = PyUnicode_AsUTF8(s))) {
            free(tmp);
            if (!PyErr_Occurred())
              PyErr_Format(PyExc_RuntimeError,
                           "[save_gguf] Metadata '%s' must be an array, a string or a list of "
                           "strings.",
                           key);
            goto done;
          }
        }
        gv.kind = MX_GGUF_STRINGS;
        gv.n_strs = (int)n;
        gv.strs = (char**)tmp;
      } else {
        PyErr_Format(PyExc_RuntimeError,
                     "[save_gguf] Metadata '%s' must be an array, a string or a list of strings.",
                     key);
        goto done;
      }
      /* The push copies the value; our temporaries are borrowed. */
      rc = mx_io_gguf_meta_push(&c.gmeta, key, &gv);
      free(tmp);
      if (rc != 0) {
        mxpy_raise();
        goto done;
      }
    }
  }
  out = do_save(file, ".gguf", "save_gguf", save_gguf_fn, &c, true);
done:
  st_ctx_free(&c);
  return out;
}

/* --- load ----------------------------------------------------------------------------------- */

static PyObject* arrays_dict(mx_io_arrays* l) {
  PyObject* d = PyDict_New();
  if (!d) return NULL;
  for (int i = 0; i < l->n; i++) {
    mx_array_retain(l->arrays[i]);
    PyObject* a = mxpy_wrap(l->arrays[i]);
    if (!a || PyDict_SetItemString(d, l->names[i], a) != 0) {
      Py_XDECREF(a);
      Py_DECREF(d);
      return NULL;
    }
    Py_DECREF(a);
  }
  return d;
}

static PyObject* gguf_value_object(const mx_gguf_value* v) {
  switch (v->kind) {
    case MX_GGUF_ARRAY:
      mx_array_retain(v->array);
      return mxpy_wrap(v->array);
    case MX_GGUF_STRING: return PyUnicode_DecodeUTF8(v->str, (Py_ssize_t)strlen(v->str), "replace");
    case MX_GGUF_STRINGS: {
      PyObject* l = PyList_New(v->n_strs);
      for (int i = 0; l && i < v->n_strs; i++) {
        PyObject* s = PyUnicode_DecodeUTF8(v->strs[i], (Py_ssize_t)strlen(v->strs[i]), "replace");
        if (!s) {
          Py_DECREF(l);
          return NULL;
        }
        PyList_SET_ITEM(l, i, s);
      }
      return l;
    }
    default: Py_RETURN_NONE;
  }
}

static PyObject* pair(PyObject* a, PyObject* b) {
  if (!a || !b) {
    Py_XDECREF(a);
    Py_XDECREF(b);
    return NULL;
  }
  PyObject* t = PyTuple_Pack(2, a, b);
  Py_DECREF(a);
  Py_DECREF(b);
  return t;
}

static PyObject* py_load(PyObject* self, PyObject* args, PyObject* kw) {
  static char* kwlist[] = {"", "format", "return_metadata", "stream", NULL};
  PyObject *file, *format = Py_None, *stream = Py_None;
  int return_metadata = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "O|Op$O:load", kwlist, &file, &format,
                                   &return_metadata, &stream))
    return NULL;
  mx_stream s;
  if (mxpy_to_stream(stream, &s) != 0) return NULL;
  PyObject* path = path_bytes(file);
  if (!path && PyErr_Occurred()) return NULL;
  bool readable = !path && PyObject_HasAttrString(file, "read");
  if (!path && !readable) {
    PyErr_SetString(PyExc_ValueError, "[load] Input must be a file-like object, or string");
    return NULL;
  }
  /* The format: given, or the extension of the path (or of file.name). */
  PyObject* fmt = NULL;
  if (format != Py_None) {
    if (!PyUnicode_Check(format)) {
      PyErr_SetString(PyExc_TypeError, "load(): format must be a str or None");
      Py_XDECREF(path);
      return NULL;
    }
    fmt = PyUnicode_AsUTF8String(format);
  } else {
    PyObject* name = path;
    Py_XINCREF(name);
    if (!name) {
      PyObject* attr = PyObject_GetAttrString(file, "name");
      if (attr) {
        PyUnicode_FSConverter(attr, &name);
        Py_DECREF(attr);
      }
    }
    if (name) {
      const char* p = PyBytes_AS_STRING(name);
      const char* dot = strrchr(p, '.');
      const char* slash = strrchr(p, '/');
      if (!dot || (slash && slash > dot))
        PyErr_SetString(PyExc_ValueError, "[load] Could not infer file format from extension");
      else
        fmt = PyBytes_FromString(dot + 1);
      Py_DECREF(name);
    }
  }
  if (!fmt) {
    Py_XDECREF(path);
    return NULL;
  }
  const char* f = PyBytes_AS_STRING(fmt);
  int which = strcmp(f, "npy") == 0 ? 0 : strcmp(f, "npz") == 0 ? 1
            : strcmp(f, "safetensors") == 0 ? 2 : strcmp(f, "gguf") == 0 ? 3 : -1;
  PyObject* out = NULL;
  PyObject* data = NULL;
  if (which < 0) {
    PyErr_Format(PyExc_ValueError, "[load] Unknown file format %s", f);
    goto done;
  }
  if (return_metadata && which < 2) {
    PyErr_Format(PyExc_ValueError, "[load] metadata not supported for format %s", f);
    goto done;
  }
  if (which == 3 && !path) {
    PyErr_SetString(PyExc_ValueError, "[load_gguf] Input must be a string");
    goto done;
  }
  /* File-like objects are read whole, then parsed from memory. */
  Py_buffer view = {0};
  mx_io_reader mr = {0};
  if (!path) {
    data = PyObject_CallMethod(file, "read", NULL);
    if (!data || PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) != 0) goto done;
    mr = mx_io_reader_memory(view.buf, (size_t)view.len, "<file>");
  }
  const char* p = path ? PyBytes_AS_STRING(path) : NULL;
  mx_io_arrays arrays = {0};
  mx_io_strings meta = {0};
  mx_io_gguf_meta gmeta = {0};
  mx_array* single = NULL;
  int rc = 0;
  Py_BEGIN_ALLOW_THREADS
  switch (which) {
    case 0: single = p ? mx_load_npy_path(p) : mx_load_npy(&mr); rc = single ? 0 : -1; break;
    case 1: rc = p ? mx_load_npz_path(p, &arrays) : mx_load_npz(&mr, &arrays); break;
    case 2: rc = p ? mx_load_safetensors_path(p, &arrays, &meta)
                   : mx_load_safetensors(&mr, &arrays, &meta); break;
    default: rc = mx_load_gguf_path(p, &arrays, &gmeta); break;
  }
  Py_END_ALLOW_THREADS
  if (data) PyBuffer_Release(&view);
  if (rc != 0) {
    mxpy_raise();
  } else if (which == 0) {
    out = mxpy_wrap(single);
    single = NULL;
  } else {
    out = arrays_dict(&arrays);
    if (out && return_metadata) {
      PyObject* md = PyDict_New();
      for (int i = 0; md && which == 2 && i < meta.n; i++) {
        PyObject* v = PyUnicode_DecodeUTF8(meta.values[i], (Py_ssize_t)strlen(meta.values[i]),
                                           "replace");
        if (!v || PyDict_SetItemString(md, meta.keys[i], v) != 0) Py_CLEAR(md);
        Py_XDECREF(v);
      }
      for (int i = 0; md && which == 3 && i < gmeta.n; i++) {
        PyObject* v = gguf_value_object(&gmeta.values[i]);
        if (!v || PyDict_SetItemString(md, gmeta.keys[i], v) != 0) Py_CLEAR(md);
        Py_XDECREF(v);
      }
      out = pair(out, md);
    }
  }
  mx_io_arrays_free(&arrays);
  mx_io_strings_free(&meta);
  mx_io_gguf_meta_free(&gmeta);
done:
  Py_XDECREF(data);
  Py_XDECREF(path);
  Py_DECREF(fmt);
  return out;
}

/* --- registration ------------------------------------------------------------------------- */

static PyMethodDef io_methods[] = {
    {"save", (PyCFunction)(void (*)(void))py_save, METH_VARARGS | METH_KEYWORDS,
     "save(file: file | str | pathlib.Path, arr: array) -> None\n\n"
     "Save the array to a binary file in ``.npy`` format."},
    {"load", (PyCFunction)(void (*)(void))py_load, METH_VARARGS | METH_KEYWORDS,
     "load(file: file | str | pathlib.Path, /, format: str | None = None, return_metadata: bool "
     "= False, *, stream: None | Stream | Device = None) -> array | dict[str, array] | "
     "tuple[dict[str, array], dict[str, Any]]\n\n"
     "Load array(s) from a ``.npy``, ``.npz``, ``.safetensors`` or ``.gguf`` file."},
    {"savez", (PyCFunction)(void (*)(void))py_savez, METH_VARARGS | METH_KEYWORDS,
     "savez(file: file | str | pathlib.Path, *args, **kwargs)\n\n"
     "Save several arrays to a binary file in uncompressed ``.npz`` format."},
    {"savez_compressed", (PyCFunction)(void (*)(void))py_savez_compressed,
     METH_VARARGS | METH_KEYWORDS,
     "savez_compressed(file: file | str | pathlib.Path, *args, **kwargs)\n\n"
     "Save several arrays to a binary file in compressed ``.npz`` format."},
    {"save_safetensors", (PyCFunction)(void (*)(void))py_save_safetensors,
     METH_VARARGS | METH_KEYWORDS,
     "save_safetensors(file: file | str | pathlib.Path, arrays: dict[str, array], metadata: "
     "dict[str, str] | None = None)\n\n"
     "Save array(s) to a binary file in ``.safetensors`` format."},
    {"save_gguf", (PyCFunction)(void (*)(void))py_save_gguf, METH_VARARGS | METH_KEYWORDS,
     "save_gguf(file: file | str | pathlib.Path, arrays: dict[str, array], metadata: dict[str, "
     "array | str | list[str]])\n\n"
     "Save array(s) to a binary file in ``.gguf`` format."},
    {NULL, NULL, 0, NULL},
};

int mxpy_io_init(PyObject* module) { return PyModule_AddFunctions(module, io_methods); }
