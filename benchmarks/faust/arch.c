/* SPDX-License-Identifier: ISC */
/* Faust architecture for the plugin benchmark: the class Faust generates
 * (faust -lang c -vec -vs 32 -cn qkf_<name>), plus one table of its entry
 * points, qkf_<name>_peer, that benchmarks/plugins/faust_peers.c hosts
 * behind an LV2_Descriptor. Not an LV2 plugin: Faust's own lv2.cpp needs a
 * C++ build and its bundle would be a second, installed build of the same
 * code; this compiles the same generated DSP straight into the benchmark
 * with the flags the benchmark chooses (-O3 -march=x86-64-v3, with and
 * without -ffast-math). */
#include "faust_peer.h"

#include <stddef.h>

/* Faust fills in these two markers, which are not C, so clang-format would misread the
 * rest: it is left alone from here on. */
/* clang-format off */
<< includeIntrinsic >>

<< includeclass >>

#define QKF_CAT2(a, b) a##b
#define QKF_CAT(a, b) QKF_CAT2(a, b)

static void *
qkf_create(void)
{
	return QKF_CAT(new, FAUSTCLASS)();
}

static void
qkf_init(void *dsp, int rate)
{
	QKF_CAT(init, FAUSTCLASS)((FAUSTCLASS *)dsp, rate);
}

static void
qkf_ui(void *dsp, UIGlue *ui)
{
	QKF_CAT(buildUserInterface, FAUSTCLASS)((FAUSTCLASS *)dsp, ui);
}

static void
qkf_compute(void *dsp, int count, float **in, float **out)
{
	QKF_CAT(compute, FAUSTCLASS)((FAUSTCLASS *)dsp, count, in, out);
}

static int
qkf_inputs(void *dsp)
{
	return QKF_CAT(getNumInputs, FAUSTCLASS)((FAUSTCLASS *)dsp);
}

static int
qkf_outputs(void *dsp)
{
	return QKF_CAT(getNumOutputs, FAUSTCLASS)((FAUSTCLASS *)dsp);
}

#define QKF_STR2(a) #a
#define QKF_STR(a) QKF_STR2(a)

const qkf_peer_entry QKF_CAT(FAUSTCLASS, _peer) = {
        QKF_STR(FAUSTCLASS), qkf_create, qkf_init, qkf_ui, qkf_compute, qkf_inputs, qkf_outputs,
};
