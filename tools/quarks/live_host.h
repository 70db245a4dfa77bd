/* SPDX-License-Identifier: ISC */
/* The JACK side of `quarks run`: one client whose process callback runs a render engine.
 *
 * The process thread and the main thread share only atomics and a jack_ringbuffer (single
 * producer: the main thread; single consumer: the process thread), so the callback never
 * allocates, locks or does I/O. The engine lives in a "slot" (engine + its input buffers); a
 * sample-rate change builds a new slot in the main thread and swaps it in atomically. */
#ifndef QK_LIVE_HOST_H
#define QK_LIVE_HOST_H

#include "engine.h"
#include "graph.h"

#include <jack/jack.h>
#include <stdint.h>

typedef struct qk_live qk_live;

/* Opens the JACK client `name` and registers one port per graph input and output. Does not
 * start processing. Returns NULL with the reason in err (a clear one when no server runs). */
qk_live *qk_live_open(const qk_graph *g, const char *name, char *err, size_t cap);

/* Builds the engine at the server's current rate; changes queued before qk_live_activate()
 * apply from the first frame. */
int qk_live_start(qk_live *l, qk_diag *d);
int qk_live_activate(qk_live *l, qk_diag *d);

/* Main-thread housekeeping, called a few times a second: rebuilds the engine after a sample
 * rate change. Returns -1 when the server has gone away. */
int qk_live_poll(qk_live *l, qk_diag *d);

/* Queues a control change for the next block; `target` is NODE.PORT. */
int qk_live_set(qk_live *l, const char *target, float value, char *err, size_t cap);

/* Queues a relocation of every source to frame pos. */
int qk_live_seek(qk_live *l, uint64_t pos, char *err, size_t cap);

/* Connects output i to the i-th physical playback port (for listening). */
void qk_live_connect_playback(qk_live *l);

jack_client_t *qk_live_client(qk_live *l);
unsigned qk_live_xruns(const qk_live *l);
uint32_t qk_live_rate(const qk_live *l);
uint32_t qk_live_buffer_size(const qk_live *l);

/* Deactivates, closes the client and frees everything. */
void qk_live_close(qk_live *l);

#endif
