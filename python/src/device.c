/* Devices and streams: mlx.core.DeviceType, Device, Stream, StreamContext,
 * the functions that query and change the defaults, and the mlx.core.metal /
 * mlx.core.cuda availability checks.
 *
 * Behaviour follows MLX 0.32: mx.cpu and mx.gpu are DeviceType members (an
 * enum.Enum whose repr is "DeviceType.cpu"); a Device prints as
 * "Device(cpu, 0)" and equals the DeviceType of the same type at index 0; a
 * Stream prints as "Stream(Device(cpu, 0), 0)" where the last number is the
 * stream's global index; asking for anything on the GPU without a GPU
 * backend raises ValueError. */
#include "mlxpy.h"

#include <string.h>
#include <sys/utsname.h>

PyObject* mxpy_run_and_get(const char* source, const char* name); /* dtype.c */

static PyObject* devtype_enum;       /* the DeviceType class */
static PyObject* devtype_members[2]; /* DeviceType.cpu, DeviceType.gpu */

static const char* type_name(mx_device_type t) { return t == MX_DEVICE_GPU ? "gpu" : "cpu"; }

/* --- DeviceType --------------------------------------------------------- */

static const char devtype_source[] =
    "import enum\n"
    "class DeviceType(enum.Enum):\n"
    "    cpu = 0\n"
    "    gpu = 1\n"
    "    def __repr__(self):\n"
    "        return 'DeviceType.' + self.name\n"
    "    __str__ = __repr__\n"
    "DeviceType.__module__ = 'mlx.core'\n";

/* The mx_device_type of a DeviceType member, or -1 (no exception). */
static int devtype_value(PyObject* obj) {
  for (int i = 0; i < 2; i++)
    if (obj == devtype_members[i]) return i;
  return -1;
}

/* --- Device ----------------------------------------------------------------- */

typedef struct {
  PyObject_HEAD
  mx_device d;
} device_object;

static PyTypeObject device_type;

PyObject* mxpy_device_object(mx_device d) {
  device_object* o = PyObject_New(device_object, &device_type);
  if (o) o->d = d;
  return (PyObject*)o;
}

int mxpy_to_device(PyObject* obj, mx_device* out) {
  if (PyObject_TypeCheck(obj, &device_type)) {
    *out = ((device_object*)obj)->d;
    return 0;
  }
  int t = devtype_value(obj);
  if (t >= 0) {
    *out = (mx_device){(mx_device_type)t, 0};
    return 0;
  }
  PyErr_Format(PyExc_TypeError, "Expected an mlx.core.Device or mlx.core.DeviceType, not %.100s.",
               Py_TYPE(obj)->tp_name);
  return -1;
}

static PyObject* device_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  static char* kwlist[] = {"type", "index", NULL};
  PyObject* t;
  int index = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|i:Device", kwlist, &t, &index)) return NULL;
  int v = devtype_value(t);
  if (v < 0) {
    PyErr_Format(PyExc_TypeError, "Device(): argument 'type' must be an mlx.core.DeviceType, not %.100s.",
                 Py_TYPE(t)->tp_name);
    return NULL;
  }
  device_object* o = (device_object*)type->tp_alloc(type, 0);
  if (o) o->d = (mx_device){(mx_device_type)v, index};
  return (PyObject*)o;
}

static PyObject* device_repr(PyObject* self) {
  mx_device d = ((device_object*)self)->d;
  return PyUnicode_FromFormat("Device(%s, %d)", type_name(d.type), d.index);
}

static Py_hash_t device_hash(PyObject* self) {
  mx_device d = ((device_object*)self)->d;
  Py_hash_t h = (Py_hash_t)d.index * 2 + (Py_hash_t)d.type;
  return h == -1 ? -2 : h;
}

static PyObject* device_richcompare(PyObject* a, PyObject* b, int op) {
  if (op != Py_EQ && op != Py_NE) Py_RETURN_NOTIMPLEMENTED;
  mx_device x, y;
  /* A DeviceType stands for that type's device 0, as in MLX. */
  if ((!PyObject_TypeCheck(a, &device_type) && devtype_value(a) < 0) ||
      (!PyObject_TypeCheck(b, &device_type) && devtype_value(b) < 0))
    Py_RETURN_NOTIMPLEMENTED;
  if (mxpy_to_device(a, &x) != 0 || mxpy_to_device(b, &y) != 0) return NULL;
  bool eq = x.type == y.type && x.index == y.index;
  return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static PyObject* device_get_type(PyObject* self, void* closure) {
  return Py_NewRef(devtype_members[((device_object*)self)->d.type == MX_DEVICE_GPU]);
}

static PyGetSetDef device_getset[] = {
    {"type", device_get_type, NULL, "The device type (DeviceType.cpu or DeviceType.gpu).", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject device_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mlx.core.Device",
    .tp_basicsize = sizeof(device_object),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Device(type, index=0)\n--\n\nA device to run operations on.",
    .tp_new = device_new,
    .tp_repr = device_repr,
    .tp_hash = device_hash,
    .tp_richcompare = device_richcompare,
    .tp_getset = device_getset,
};

/* --- Stream ------------------------------------------------------------------- */

typedef struct {
  PyObject_HEAD
  mx_stream s;
} stream_object;

static PyTypeObject stream_type;

static PyObject* stream_object_new(mx_stream s) {
  stream_object* o = PyObject_New(stream_object, &stream_type);
  if (o) o->s = s;
  return (PyObject*)o;
}

static PyObject* stream_repr(PyObject* self) {
  mx_stream s = ((stream_object*)self)->s;
  mx_device d = mx_stream_device(s);
  return PyUnicode_FromFormat("Stream(Device(%s, %d), %d)", type_name(d.type), d.index, s.index);
}

static Py_hash_t stream_hash(PyObject* self) {
  Py_hash_t h = ((stream_object*)self)->s.index;
  return h == -1 ? -2 : h;
}

static PyObject* stream_richcompare(PyObject* a, PyObject* b, int op) {
  if ((op != Py_EQ && op != Py_NE) || !PyObject_TypeCheck(a, &stream_type) ||
      !PyObject_TypeCheck(b, &stream_type))
    Py_RETURN_NOTIMPLEMENTED;
  bool eq = ((stream_object*)a)->s.index == ((stream_object*)b)->s.index;
  return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static PyObject* stream_get_device(PyObject* self, void* closure) {
  return mxpy_device_object(mx_stream_device(((stream_object*)self)->s));
}

static PyGetSetDef stream_getset[] = {
    {"device", stream_get_device, NULL, "The device the stream runs on.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject stream_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mlx.core.Stream",
    .tp_basicsize = sizeof(stream_object),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A stream for running operations on a given device.",
    .tp_repr = stream_repr,
    .tp_hash = stream_hash,
    .tp_richcompare = stream_richcompare,
    .tp_getset = stream_getset,
    /* No tp_new: streams come from default_stream() and new_stream(). */
};

/* The default stream of `d`, refusing a device without a backend. */
static int device_stream(mx_device d, const char* who, mx_stream* out) {
  if (!mx_device_available(d.type)) {
    PyErr_Format(PyExc_ValueError, "[%s] Cannot get gpu stream without gpu backend.", who);
    return -1;
  }
  *out = mx_default_stream(d);
  if (out->index < 0) {
    PyErr_Format(PyExc_ValueError, "[%s] Device %s:%d has no stream.", who, type_name(d.type),
                 d.index);
    return -1;
  }
  return 0;
}

int mxpy_to_stream(PyObject* obj, mx_stream* out) {
  if (!obj || obj == Py_None) {
    *out = mx_stream_for_default();
    return 0;
  }
  if (PyObject_TypeCheck(obj, &stream_type)) {
    *out = ((stream_object*)obj)->s;
    return 0;
  }
  mx_device d;
  if (PyObject_TypeCheck(obj, &device_type) || devtype_value(obj) >= 0) {
    if (mxpy_to_device(obj, &d) != 0) return -1;
    return device_stream(d, "default_stream", out);
  }
  PyErr_Format(PyExc_TypeError,
               "stream must be None, an mlx.core.Stream, Device or DeviceType, not %.100s.",
               Py_TYPE(obj)->tp_name);
  return -1;
}

/* --- StreamContext ------------------------------------------------------------ */

typedef struct {
  PyObject_HEAD
  PyObject* target;     /* the Stream, Device or DeviceType given */
  mx_device old_device; /* defaults saved by __enter__ */
  mx_stream old_stream; /* the target device's default stream before */
  bool set_stream;      /* whether __enter__ changed a default stream */
} context_object;

static void context_dealloc(PyObject* self) {
  Py_XDECREF(((context_object*)self)->target);
  Py_TYPE(self)->tp_free(self);
}

static PyObject* context_enter(PyObject* self, PyObject* unused) {
  context_object* c = (context_object*)self;
  mx_device d;
  mx_stream s = {-1};
  bool is_stream = PyObject_TypeCheck(c->target, &stream_type);
  if (is_stream) {
    s = ((stream_object*)c->target)->s;
    d = mx_stream_device(s);
  } else if (mxpy_to_device(c->target, &d) != 0) {
    return NULL;
  }
  if (!mx_device_available(d.type)) {
    PyErr_SetString(PyExc_ValueError, "[default_stream] Cannot get gpu stream without gpu backend.");
    return NULL;
  }
  c->old_device = mx_default_device();
  c->old_stream = mx_default_stream(d);
  c->set_stream = is_stream;
  if (mx_set_default_device(d) != 0) return mxpy_raise();
  if (is_stream && mx_set_default_stream(s) != 0) {
    mx_set_default_device(c->old_device);
    return mxpy_raise();
  }
  Py_RETURN_NONE;
}

static PyObject* context_exit(PyObject* self, PyObject* args) {
  context_object* c = (context_object*)self;
  if (c->set_stream && mx_set_default_stream(c->old_stream) != 0) return mxpy_raise();
  if (mx_set_default_device(c->old_device) != 0) return mxpy_raise();
  Py_RETURN_FALSE;
}

static PyMethodDef context_methods[] = {
    {"__enter__", context_enter, METH_NOARGS, NULL},
    {"__exit__", context_exit, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject context_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mlx.core.StreamContext",
    .tp_basicsize = sizeof(context_object),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A context manager for setting the current device and stream.\n\n"
              "See :func:`stream` for usage.",
    .tp_dealloc = context_dealloc,
    .tp_methods = context_methods,
};

/* --- functions ------------------------------------------------------------------ */

static PyObject* f_default_device(mxpy_value* v, mx_stream s) {
  return mxpy_device_object(mx_default_device());
}

static PyObject* f_set_default_device(mxpy_value* v, mx_stream s) {
  mx_device d;
  if (mxpy_to_device(v[0].obj, &d) != 0) return NULL;
  if (!mx_device_available(d.type)) {
    PyErr_SetString(PyExc_ValueError,
                    "[set_default_device] Cannot set gpu device without gpu backend.");
    return NULL;
  }
  if (mx_set_default_device(d) != 0) return mxpy_raise();
  Py_RETURN_NONE;
}

static PyObject* f_default_stream(mxpy_value* v, mx_stream s) {
  mx_device d;
  mx_stream r;
  if (mxpy_to_device(v[0].obj, &d) != 0 || device_stream(d, "default_stream", &r) != 0) return NULL;
  return stream_object_new(r);
}

static PyObject* f_set_default_stream(mxpy_value* v, mx_stream s) {
  if (!PyObject_TypeCheck(v[0].obj, &stream_type)) {
    PyErr_Format(PyExc_TypeError, "set_default_stream(): argument must be an mlx.core.Stream, not %.100s.",
                 Py_TYPE(v[0].obj)->tp_name);
    return NULL;
  }
  if (mx_set_default_stream(((stream_object*)v[0].obj)->s) != 0) return mxpy_raise();
  Py_RETURN_NONE;
}

static PyObject* f_new_stream(mxpy_value* v, mx_stream s) {
  mx_device d;
  if (mxpy_to_device(v[0].obj, &d) != 0) return NULL;
  if (!mx_device_available(d.type)) {
    PyErr_SetString(PyExc_ValueError, "[new_stream] Cannot make gpu stream without gpu backend.");
    return NULL;
  }
  mx_stream r;
  if (mx_stream_new(d, &r) != 0) return mxpy_raise();
  return stream_object_new(r);
}

static PyObject* f_synchronize(mxpy_value* v, mx_stream unused) {
  mx_stream s;
  if (mxpy_to_stream(v[0].obj, &s) != 0) return NULL;
  int rc;
  Py_BEGIN_ALLOW_THREADS
  rc = mx_synchronize(s);
  Py_END_ALLOW_THREADS
  if (rc != 0) return mxpy_raise();
  Py_RETURN_NONE;
}

static PyObject* f_stream(mxpy_value* v, mx_stream s) {
  PyObject* t = v[0].obj;
  if (!PyObject_TypeCheck(t, &stream_type) && !PyObject_TypeCheck(t, &device_type) &&
      devtype_value(t) < 0) {
    PyErr_Format(PyExc_TypeError,
                 "stream(): argument must be an mlx.core.Stream, Device or DeviceType, not %.100s.",
                 Py_TYPE(t)->tp_name);
    return NULL;
  }
  context_object* c = PyObject_New(context_object, &context_type);
  if (!c) return NULL;
  c->target = Py_NewRef(t);
  c->set_stream = false;
  return (PyObject*)c;
}

static PyObject* f_is_available(mxpy_value* v, mx_stream s) {
  mx_device d;
  if (mxpy_to_device(v[0].obj, &d) != 0) return NULL;
  return PyBool_FromLong(mx_device_available(d.type) && d.index < mx_device_count(d.type));
}

static PyObject* f_device_count(mxpy_value* v, mx_stream s) {
  int t = devtype_value(v[0].obj);
  if (t < 0) {
    PyErr_Format(PyExc_TypeError, "device_count(): argument must be an mlx.core.DeviceType, not %.100s.",
                 Py_TYPE(v[0].obj)->tp_name);
    return NULL;
  }
  return PyLong_FromLong(mx_device_count((mx_device_type)t));
}

/* The CPU's marketing name from /proc/cpuinfo ("" when unknown). */
static void cpu_model_name(char* out, size_t len) {
  out[0] = '\0';
  FILE* f = fopen("/proc/cpuinfo", "r");
  if (!f) return;
  char line[512];
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "model name", 10) != 0) continue;
    char* colon = strchr(line, ':');
    if (!colon) continue;
    colon++;
    while (*colon == ' ' || *colon == '\t') colon++;
    size_t n = strcspn(colon, "\n");
    if (n >= len) n = len - 1;
    memcpy(out, colon, n);
    out[n] = '\0';
    break;
  }
  fclose(f);
}

static int dict_set_str(PyObject* dict, const char* key, const char* value) {
  PyObject* v = PyUnicode_DecodeUTF8(value, (Py_ssize_t)strlen(value), "replace");
  if (!v) return -1;
  int rc = PyDict_SetItemString(dict, key, v);
  Py_DECREF(v);
  return rc;
}

static PyObject* f_device_info(mxpy_value* v, mx_stream s) {
  mx_device d = mx_default_device();
  if (!v[0].none && mxpy_to_device(v[0].obj, &d) != 0) return NULL;
  PyObject* dict = PyDict_New();
  if (!dict) return NULL;
  if (d.type == MX_DEVICE_CPU) {
    struct utsname u;
    char model[256];
    cpu_model_name(model, sizeof model);
    if (dict_set_str(dict, "architecture", uname(&u) == 0 ? u.machine : "unknown") != 0 ||
        dict_set_str(dict, "device_name", model) != 0) {
      Py_DECREF(dict);
      return NULL;
    }
  }
  /* GPU details need a query the CUDA backend does not expose yet; without
   * a GPU backend MLX returns an empty dict too. */
  return dict;
}

static PyObject* f_metal_is_available(mxpy_value* v, mx_stream s) { Py_RETURN_FALSE; }

static PyObject* f_cuda_is_available(mxpy_value* v, mx_stream s) {
  return PyBool_FromLong(mx_device_available(MX_DEVICE_GPU));
}

#define P_OBJ(n) {n, MXPY_OBJECT, 0, NULL, {0}}

static const mxpy_fn device_fns[] = {
    {"default_device", f_default_device, "Get the default device.", {{0}}, true},
    {"set_default_device", f_set_default_device, "Set the default device.",
     {P_OBJ("device")}, true},
    {"default_stream", f_default_stream, "Get the device's default stream.", {P_OBJ("device")}, true},
    {"set_default_stream", f_set_default_stream,
     "Set the default stream.\n\nThis makes the given stream the default for the stream's\n"
     "device. It does not change the default device.",
     {P_OBJ("stream")}, true},
    {"new_stream", f_new_stream, "Make a new stream on the given device.", {P_OBJ("device")}, true},
    {"synchronize", f_synchronize,
     "Wait until the work queued on the stream finished.\n\n"
     "A device means that device's default stream; None means the default\n"
     "stream of the default device.",
     {{"stream", MXPY_OBJECT, MXPY_OPT | MXPY_NONE, "None", {0}}}, true},
    {"stream", f_stream,
     "Create a context manager to set the default device and stream.\n\n"
     "Args:\n    s: The Stream or Device to set as the default.",
     {P_OBJ("s")}, true},
    {"is_available", f_is_available, "Check if a back-end is available for the given device.",
     {P_OBJ("device")}, true},
    {"device_count", f_device_count, "Get the number of available devices of the given type.",
     {P_OBJ("device_type")}, true},
    {"device_info", f_device_info,
     "Get information about a device (the default device when None) as a dict.",
     {{"d", MXPY_OBJECT, MXPY_OPT | MXPY_NONE, "None", {0}}}, true},
    {NULL, NULL, NULL, {{0}}, false},
};

static const mxpy_fn metal_fns[] = {
    {"is_available", f_metal_is_available, "Check if the Metal back-end is available (never on Linux).",
     {{0}}, true},
    {NULL, NULL, NULL, {{0}}, false},
};

static const mxpy_fn cuda_fns[] = {
    {"is_available", f_cuda_is_available, "Check if the CUDA back-end is available.", {{0}}, true},
    {NULL, NULL, NULL, {{0}}, false},
};

/* Submodule objects (module.c creates them and registers them in
 * sys.modules). */
PyObject* mxpy_submodule(PyObject* parent, const char* name);

int mxpy_device_init(PyObject* module) {
  if (PyType_Ready(&device_type) < 0 || PyType_Ready(&stream_type) < 0 ||
      PyType_Ready(&context_type) < 0)
    return -1;
  devtype_enum = mxpy_run_and_get(devtype_source, "DeviceType");
  if (!devtype_enum) return -1;
  devtype_members[0] = PyObject_GetAttrString(devtype_enum, "cpu");
  devtype_members[1] = PyObject_GetAttrString(devtype_enum, "gpu");
  if (!devtype_members[0] || !devtype_members[1]) return -1;

  Py_INCREF(devtype_enum);
  if (PyModule_AddObject(module, "DeviceType", devtype_enum) < 0) return -1;
  Py_INCREF(devtype_members[0]);
  if (PyModule_AddObject(module, "cpu", devtype_members[0]) < 0) return -1;
  Py_INCREF(devtype_members[1]);
  if (PyModule_AddObject(module, "gpu", devtype_members[1]) < 0) return -1;
  Py_INCREF(&device_type);
  if (PyModule_AddObject(module, "Device", (PyObject*)&device_type) < 0) return -1;
  Py_INCREF(&stream_type);
  if (PyModule_AddObject(module, "Stream", (PyObject*)&stream_type) < 0) return -1;
  Py_INCREF(&context_type);
  if (PyModule_AddObject(module, "StreamContext", (PyObject*)&context_type) < 0) return -1;
  if (mxpy_add_functions(module, device_fns) < 0) return -1;

  PyObject* metal = mxpy_submodule(module, "metal");
  if (!metal || mxpy_add_functions(metal, metal_fns) < 0) return -1;
  PyObject* cuda = mxpy_submodule(module, "cuda");
  if (!cuda || mxpy_add_functions(cuda, cuda_fns) < 0) return -1;
  return 0;
}
