/* SPDX-License-Identifier: ISC */
/* One Faust peer's entry points: what arch.c exports for each generated class
 * (qkf_<name>_peer) and what benchmarks/plugins/faust_peers.c hosts. */
#ifndef QKF_FAUST_PEER_H
#define QKF_FAUST_PEER_H

#include <faust/gui/CInterface.h>

typedef struct {
	const char *name;
	void *(*create)(void);
	void (*init)(void *dsp, int rate);
	void (*ui)(void *dsp, UIGlue *ui);
	void (*compute)(void *dsp, int count, float **in, float **out);
	int (*inputs)(void *dsp);
	int (*outputs)(void *dsp);
} qkf_peer_entry;

#endif
