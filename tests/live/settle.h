/* SPDX-License-Identifier: ISC */
/* Waiting for a dummy JACK server to run on time, for the live test tools (settle.c).
 *
 * Why: jackd 1.9.21 loses an activation when the graph changes (a connection, a client
 * activating, deactivating or closing) while its periods run late, back to back: the
 * freewheel driver's activation count stays one short, every client sleeps in libjack and the
 * server hangs in synchronous mode for ten times its client timeout, then again every cycle
 * (docs/live.md, "Why the live tests wait"). Periods run late mostly in the first second
 * after clients start. So the tools change the graph only once the server has run on time
 * for a while.
 *
 * Everything here only reads the server's shared engine state (frame counter, last xrun
 * delay): no request to the server and no change to its graph, so the waiting client need
 * not be active and waiting cannot itself trigger the fault. */
#ifndef QK_LIVE_SETTLE_H
#define QK_LIVE_SETTLE_H

#include <jack/jack.h>

/* Monotonic time in seconds. */
double qkl_now(void);

/* Sleeps for the given number of seconds. */
void qkl_sleep(double seconds);

typedef enum {
	QKL_ON_TIME, /* no late period for the quiet time */
	QKL_LATE,    /* still late at the time limit */
	QKL_STOPPED  /* no period at all for `stop` seconds: the server is hung */
} qkl_state;

/* Waits until client c's server has run `quiet` seconds without a late period, at most
 * `limit` seconds. A period is late if the server reports a new xrun or if the frame counter
 * falls behind the clock by more than two periods. Returns QKL_STOPPED as soon as the frame
 * counter has not moved for `stop` seconds. */
qkl_state qkl_settle(jack_client_t *c, double quiet, double limit, double stop);

#endif
