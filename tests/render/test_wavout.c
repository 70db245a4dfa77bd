/* SPDX-License-Identifier: ISC */
/* The output container (tools/quarks/wavout.c): plain WAV while the data fits a RIFF header's
 * 32-bit sizes, RF64 beyond, decided from the render's length before anything is written. The
 * boundaries are checked here without writing 4 GiB; a small file opened as for a long render
 * shows the RF64 path writes a file libsndfile reads back. (check-rf64.sh, in the slow suite,
 * writes a real 4 GiB render.) */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "check.h"
#include "wavout.h"

#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
major(qk_format f, qk_subtype s, uint64_t frames)
{
	return qk_wav_sf_format(f, s, frames) & SF_FORMAT_TYPEMASK;
}

static void
decisions(void)
{
	/* (2^32 - 1 - 4096) bytes of data at most in a plain WAV. */
	CHECK(major(QK_FMT_WAV, QK_SUB_FLOAT, 48000) == SF_FORMAT_WAV, "1 s float");
	CHECK(major(QK_FMT_WAV, QK_SUB_FLOAT, 1073740799) == SF_FORMAT_WAV, "float at the limit");
	CHECK(major(QK_FMT_WAV, QK_SUB_FLOAT, 1073740800) == SF_FORMAT_RF64, "float past it");
	CHECK(major(QK_FMT_WAV, QK_SUB_FLOAT, (uint64_t)7 * 3600 * 48000) == SF_FORMAT_RF64,
	      "7 hours at 48 kHz, float (it wrapped to 47 minutes)");
	CHECK(major(QK_FMT_WAV, QK_SUB_PCM16, 2147481599) == SF_FORMAT_WAV, "pcm16 at the limit");
	CHECK(major(QK_FMT_WAV, QK_SUB_PCM16, 2147481600) == SF_FORMAT_RF64, "pcm16 past it");
	CHECK(major(QK_FMT_WAV, QK_SUB_PCM24, 1431654399) == SF_FORMAT_WAV, "pcm24 at the limit");
	CHECK(major(QK_FMT_WAV, QK_SUB_PCM24, 1431654400) == SF_FORMAT_RF64, "pcm24 past it");
	CHECK(major(QK_FMT_WAV, QK_SUB_DOUBLE, 536870399) == SF_FORMAT_WAV, "double at the limit");
	CHECK(major(QK_FMT_WAV, QK_SUB_DOUBLE, 536870400) == SF_FORMAT_RF64, "double past it");
	CHECK(major(QK_FMT_FLAC, QK_SUB_PCM24, (uint64_t)1 << 33) == SF_FORMAT_FLAC, "FLAC stays");
	CHECK((qk_wav_sf_format(QK_FMT_WAV, QK_SUB_PCM16, (uint64_t)1 << 32) & SF_FORMAT_SUBMASK) ==
	              SF_FORMAT_PCM_16,
	      "the subtype is kept");
}

/* Writes 100 frames through the output opened for a render of `frames` and reads the file. */
static void
write_read(uint64_t frames, int want_major)
{
	char dir[] = "/tmp/qk-test-wavout-XXXXXX", path[96];
	CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	const char *names[] = {"y"};
	char err[1024];
	qk_wavout *w = qk_wavout_open(dir, names, 1, 48000, QK_FMT_WAV, QK_SUB_FLOAT, frames, err,
	                              sizeof err);
	CHECK(w != NULL, "open: %s", err);
	if (!w)
		return;
	float data[100];
	for (int i = 0; i < 100; i++)
		data[i] = (float)i / 100.0f;
	CHECK(qk_wavout_write(w, 0, data, 100, err, sizeof err) == 0, "write: %s", err);
	CHECK(qk_wavout_commit(w, NULL, err, sizeof err) == 0, "commit: %s", err);
	snprintf(path, sizeof path, "%s/y.wav", dir);
	SF_INFO info;
	memset(&info, 0, sizeof info);
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	CHECK(f != NULL, "read back: %s", sf_strerror(NULL));
	if (f) {
		float back[100];
		CHECK((info.format & SF_FORMAT_TYPEMASK) == want_major, "container 0x%x",
		      info.format & SF_FORMAT_TYPEMASK);
		CHECK(info.frames == 100 && sf_readf_float(f, back, 100) == 100 &&
		              memcmp(back, data, sizeof data) == 0,
		      "samples read back");
		sf_close(f);
	}
	unlink(path);
	rmdir(dir);
}

/* An interrupt that comes while the files are being finished stops the renames. */
static void
interrupted_commit(void)
{
	char dir[] = "/tmp/qk-test-wavout-XXXXXX";
	CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	const char *names[] = {"y"};
	char err[1024];
	qk_wavout *w =
	        qk_wavout_open(dir, names, 1, 48000, QK_FMT_WAV, QK_SUB_FLOAT, 10, err, sizeof err);
	CHECK(w != NULL, "open: %s", err);
	if (!w)
		return;
	float data[10] = {0};
	qk_wavout_write(w, 0, data, 10, err, sizeof err);
	volatile sig_atomic_t stop = 1;
	CHECK(qk_wavout_commit(w, &stop, err, sizeof err) != 0 && strstr(err, "interrupted"),
	      "commit after an interrupt: %s", err);
	CHECK(rmdir(dir) == 0, "files left in %s", dir);
}

int
main(void)
{
	interrupted_commit();
	decisions();
	write_read(100, SF_FORMAT_WAV);
	write_read((uint64_t)7 * 3600 * 48000, SF_FORMAT_RF64);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures != 0;
}
