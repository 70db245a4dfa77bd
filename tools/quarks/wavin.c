/* SPDX-License-Identifier: ISC */
#define _POSIX_C_SOURCE 200809L
#include "wavin.h"

#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint32_t
le32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint32_t
be32(const unsigned char *b)
{
	return (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 | (uint32_t)b[0] << 24;
}

static uint64_t
le64(const unsigned char *b)
{
	return (uint64_t)le32(b) | (uint64_t)le32(b + 4) << 32;
}

/* libsndfile quietly shortens a WAV or AIFF whose data chunk runs past the end of the file to
 * what is there, so it cannot tell a truncated file from a short one: the chunk sizes are read
 * here. Chunks are walked from the start (at most 1024 of them, which no real file has before
 * its audio) up to the data chunk. */
int
qk_wav_truncated(const char *path, uint64_t *promised, uint64_t *present)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct stat st;
	unsigned char h[12];
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || fread(h, 1, 12, f) != 12) {
		fclose(f); /* not a regular file, or too short to be either kind: libsndfile decides
		            */
		return 0;
	}
	uint64_t size = (uint64_t)st.st_size;
	int riff = memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WAVE", 4) == 0;
	int rifx = memcmp(h, "RIFX", 4) == 0 && memcmp(h + 8, "WAVE", 4) == 0;
	int rf64 = (memcmp(h, "RF64", 4) == 0 || memcmp(h, "BW64", 4) == 0) &&
	           memcmp(h + 8, "WAVE", 4) == 0;
	int aiff = memcmp(h, "FORM", 4) == 0 &&
	           (memcmp(h + 8, "AIFF", 4) == 0 || memcmp(h + 8, "AIFC", 4) == 0);
	int rc = 0;
	uint64_t ds64_data = 0, pos = 12;
	for (int k = 0; (riff || rifx || rf64 || aiff) && k < 1024; k++) {
		unsigned char c[8];
		if (fseeko(f, (off_t)pos, SEEK_SET) != 0 || fread(c, 1, 8, f) != 8)
			break; /* no data chunk: libsndfile decides what that is */
		uint64_t len = riff || rf64 ? le32(c + 4) : be32(c + 4);
		if (rf64 && memcmp(c, "ds64", 4) == 0) {
			unsigned char ds[16];
			if (fread(ds, 1, 16, f) == 16)
				ds64_data = le64(ds + 8); /* riffSize, then dataSize */
		}
		int is_data = aiff ? memcmp(c, "SSND", 4) == 0 : memcmp(c, "data", 4) == 0;
		if (is_data) {
			if (rf64 && len == 0xFFFFFFFFu)
				len = ds64_data;
			/* 0 and 0xFFFFFFFF are what streaming writers leave when they cannot seek
			 * back. */
			int unknown = len == 0 || (!rf64 && len == 0xFFFFFFFFu);
			uint64_t have = size - pos - 8;
			if (!unknown && len > have) {
				/* An SSND chunk starts with 8 bytes of offset and block size before
				 * the audio. */
				uint64_t skip = aiff ? 8 : 0;
				*promised = len > skip ? len - skip : 0;
				*present = have > skip ? have - skip : 0;
				rc = 1;
			}
			break;
		}
		pos += 8 + len + (len & 1); /* chunks are padded to an even length */
	}
	fclose(f);
	return rc;
}

/* Bytes per frame of the data chunk, for the message; 0 for compressed encodings. */
static uint64_t
frame_bytes(const SF_INFO *info)
{
	switch (info->format & SF_FORMAT_SUBMASK) {
	case SF_FORMAT_PCM_S8:
	case SF_FORMAT_PCM_U8:
	case SF_FORMAT_ULAW:
	case SF_FORMAT_ALAW: return (uint64_t)info->channels;
	case SF_FORMAT_PCM_16: return 2u * (uint64_t)info->channels;
	case SF_FORMAT_PCM_24: return 3u * (uint64_t)info->channels;
	case SF_FORMAT_PCM_32:
	case SF_FORMAT_FLOAT: return 4u * (uint64_t)info->channels;
	case SF_FORMAT_DOUBLE: return 8u * (uint64_t)info->channels;
	default: return 0;
	}
}

/* Opens path and checks what needs no sample rate. Returns the open file, or NULL with err. */
static SNDFILE *
open_checked(const char *path, int channel, SF_INFO *info, char *err, size_t err_len)
{
	memset(info, 0, sizeof *info);
	SNDFILE *f = sf_open(path, SFM_READ, info);
	if (!f) {
		snprintf(err, err_len, "cannot read '%s': %s", path, sf_strerror(NULL));
		return NULL;
	}
	uint64_t promised, present;
	if (channel > info->channels) {
		snprintf(err, err_len, "'%s' has %d channel%s, not a channel %d", path,
		         info->channels, info->channels == 1 ? "" : "s", channel);
	} else if (info->frames < 0 ||
	           (uint64_t)info->frames > SIZE_MAX / sizeof(float) / (size_t)info->channels) {
		snprintf(err, err_len, "'%s' is too long", path);
	} else if (qk_wav_truncated(path, &promised, &present) == 1) {
		uint64_t fb = frame_bytes(info);
		if (fb)
			snprintf(err, err_len,
			         "'%s' is truncated: its header promises %llu frames, the file "
			         "holds %llu",
			         path, (unsigned long long)(promised / fb),
			         (unsigned long long)(present / fb));
		else
			snprintf(err, err_len,
			         "'%s' is truncated: its header promises %llu bytes of audio, the "
			         "file holds %llu",
			         path, (unsigned long long)promised, (unsigned long long)present);
	} else {
		return f;
	}
	sf_close(f);
	return NULL;
}

int
qk_wav_check(const char *path, int channel, char *err, size_t err_len)
{
	SF_INFO info;
	SNDFILE *f = open_checked(path, channel, &info, err, err_len);
	if (!f)
		return -1;
	sf_close(f);
	return 0;
}

int
qk_wav_load(const char *path, int channel, double rate, float **data, uint64_t *frames, char *err,
            size_t err_len)
{
	SF_INFO info;
	SNDFILE *f = open_checked(path, channel, &info, err, err_len);
	if (!f)
		return -1;
	int rc = -1;
	float *all = NULL, *out = NULL;
	if ((double)info.samplerate != rate) {
		snprintf(err, err_len,
		         "'%s' is at %d Hz but the render runs at %.0f Hz (give -r %d, or "
		         "resample the file)",
		         path, info.samplerate, rate, info.samplerate);
	} else {
		size_t n = (size_t)info.frames, ch = (size_t)info.channels;
		all = malloc((n * ch > 0 ? n * ch : 1) * sizeof *all);
		out = malloc((n ? n : 1) * sizeof *out);
		if (!all || !out) {
			snprintf(err, err_len, "'%s': out of memory", path);
		} else if (sf_readf_float(f, all, (sf_count_t)n) != (sf_count_t)n) {
			snprintf(err, err_len, "cannot read '%s': %s", path, sf_strerror(f));
		} else {
			for (size_t i = 0; i < n; i++)
				out[i] = all[i * ch + (size_t)(channel - 1)];
			*data = out;
			*frames = n;
			out = NULL;
			rc = 0;
		}
	}
	free(all);
	free(out);
	sf_close(f);
	return rc;
}
