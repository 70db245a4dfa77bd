/* SPDX-License-Identifier: ISC */
/* wavinfo FILE: prints what libsndfile reads of a sound file's header and its end, one line:
 * "CONTAINER FRAMES RATE LAST" (CONTAINER wav, rf64, flac or other; LAST the last frame's
 * first sample, read by seeking, so a file of gigabytes is checked without reading it all).
 * Exits 0, or 2 when the file cannot be read. */
#include <sndfile.h>
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: wavinfo FILE\n");
		return 2;
	}
	SF_INFO info;
	memset(&info, 0, sizeof info);
	SNDFILE *f = sf_open(argv[1], SFM_READ, &info);
	if (!f) {
		fprintf(stderr, "wavinfo: cannot read '%s': %s\n", argv[1], sf_strerror(NULL));
		return 2;
	}
	int major = info.format & SF_FORMAT_TYPEMASK;
	const char *kind = major == SF_FORMAT_WAV    ? "wav"
	                   : major == SF_FORMAT_RF64 ? "rf64"
	                   : major == SF_FORMAT_FLAC ? "flac"
	                                             : "other";
	float last[64] = {0};
	int ok = info.frames > 0 && info.channels <= 64 &&
	         sf_seek(f, info.frames - 1, SEEK_SET) == info.frames - 1 &&
	         sf_readf_float(f, last, 1) == 1;
	if (ok)
		printf("%s %lld %d %.9g\n", kind, (long long)info.frames, info.samplerate,
		       (double)last[0]);
	else
		printf("%s %lld %d none\n", kind, (long long)info.frames, info.samplerate);
	sf_close(f);
	return 0;
}
