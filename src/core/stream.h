/* Devices, streams, events and the scheduler.
 *
 * A stream is an ordered queue of work on one device.  Each device has a
 * default stream; users make more with mx_stream_new().  Work queued on a
 * stream runs in order on that stream's worker thread; eval() runs a task
 * inline on the calling thread when its stream is idle, which keeps small ops
 * cheap.  Every task gets a sequence number on its stream; an array produced
 * by a queued task carries the event (stream, seq), and a consumer on another
 * stream waits for that event before reading.  GPU streams wrap a CUDA stream:
 * their tasks only launch kernels, and waiting for their events also waits
 * for the launched kernels to finish. */
#ifndef MX_CORE_STREAM_H
#define MX_CORE_STREAM_H

#include <stdbool.h>
#include <stdint.h>

typedef enum mx_device_type { MX_DEVICE_CPU = 0, MX_DEVICE_GPU = 1 } mx_device_type;

typedef struct mx_device {
  mx_device_type type;
  int index;
} mx_device;

typedef struct mx_stream {
  int index; /* into the global stream table; stable for the process */
} mx_stream;

typedef struct mx_event {
  int stream; /* stream index, -1 for none */
  uint64_t seq;
} mx_event;

#define MX_MAX_STREAMS 256

/* Devices. */
bool mx_device_available(mx_device_type type); /* CPU always; GPU when the CUDA backend runs */
int mx_device_count(mx_device_type type);
mx_device mx_default_device(void);
int mx_set_default_device(mx_device d); /* error when unavailable */

/* Streams.  Returns 0 / -1 with an error set. */
mx_stream mx_default_stream(mx_device d);
int mx_set_default_stream(mx_stream s);
int mx_stream_new(mx_device d, mx_stream* out);
mx_device mx_stream_device(mx_stream s);
/* The stream an op runs on when the caller passed none (default device's
 * default stream). */
mx_stream mx_stream_for_default(void);
bool mx_stream_valid(mx_stream s);
/* Waits until everything queued on `s` finished (GPU: kernels too). */
int mx_synchronize(mx_stream s);
/* Waits on all streams. */
int mx_synchronize_all(void);

/* Events. */
int mx_event_wait(mx_event e);
bool mx_event_done(mx_event e);

/* Backend stream hooks, installed by a GPU backend at start-up. */
typedef struct mx_stream_hooks {
  int (*stream_new)(int stream_index);       /* create the device stream */
  int (*synchronize)(int stream_index);      /* wait for launched work */
} mx_stream_hooks;
void mx_stream_set_gpu_hooks(const mx_stream_hooks* hooks, int device_count);

#endif
