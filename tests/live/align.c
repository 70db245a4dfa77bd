/* SPDX-License-Identifier: ISC */
/* Compares a live capture with an offline render: finds the frame offset k at which the
 * capture equals the render (capture[i] vs render[k + i] for every i and every channel), and
 * prints k and the largest difference there. Exit 0 if some offset matches within TOL.
 * Usage: align TOL STEP CAPTURE.wav RENDER1.wav [RENDER2.wav ...]  (one render per capture
 * channel). Offsets are tried in multiples of STEP: JACK clients start and connect at period
 * boundaries, so with STEP = the period size the search is short and the match stricter.
 * The search takes the first offset where channel 1 matches, then checks the other channels
 * at that offset; a non-periodic signal (noise) in channel 1 makes the offset unique, which is
 * also reported (the number of offsets that match channel 1). */
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>

static float *
read_all(const char *path, sf_count_t *frames, int *channels)
{
	SF_INFO info = {0};
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	if (!f)
		return NULL;
	float *d =
	        malloc((size_t)(info.frames ? info.frames : 1) * (size_t)info.channels * sizeof *d);
	if (d)
		sf_readf_float(f, d, info.frames);
	sf_close(f);
	*frames = info.frames;
	*channels = info.channels;
	return d;
}

/* The buffers, freed before every exit so that LeakSanitizer has nothing to say. */
static void
free_all(float *cap, float **ren, int n)
{
	free(cap);
	for (int c = 0; c < n && c < 8; c++)
		free(ren[c]);
}

int
main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: align TOL STEP CAPTURE.wav RENDER.wav...\n");
		return 2;
	}
	double tol = atof(argv[1]);
	long step = atol(argv[2]);
	argv += 1;
	argc -= 1;
	if (step < 1)
		step = 1;
	sf_count_t nc;
	int cc, rcn;
	float *cap = read_all(argv[2], &nc, &cc);
	if (!cap || cc != argc - 3 || cc > 8) {
		fprintf(stderr, "align: cannot read %s or it has not %d channels (at most 8)\n",
		        argv[2], argc - 3);
		free(cap);
		return 1;
	}
	float *ren[8] = {NULL};
	sf_count_t rlen[8];
	for (int c = 0; c < cc && c < 8; c++) {
		ren[c] = read_all(argv[3 + c], &rlen[c], &rcn);
		if (!ren[c] || rcn != 1 || rlen[c] < nc) {
			fprintf(stderr,
			        "align: cannot read %s, or it is shorter than the capture\n",
			        argv[3 + c]);
			free_all(cap, ren, cc);
			return 1;
		}
	}
	long first = -1, matches = 0;
	for (sf_count_t k = 0; k + nc <= rlen[0]; k += step) {
		sf_count_t i = 0;
		while (i < nc && fabs((double)cap[i * cc] - ren[0][k + i]) <= tol)
			i++;
		if (i == nc) {
			if (first < 0)
				first = (long)k;
			matches++;
		}
	}
	if (first < 0) {
		printf("align: no offset matches within %g\n", tol);
		free_all(cap, ren, cc);
		return 1;
	}
	double maxd = 0;
	int ok = 1;
	for (int c = 0; c < cc; c++) {
		if (first + nc > rlen[c]) {
			ok = 0;
			continue;
		}
		for (sf_count_t i = 0; i < nc; i++) {
			double dd = fabs((double)cap[i * cc + c] - ren[c][first + i]);
			maxd = dd > maxd ? dd : maxd;
		}
	}
	ok = ok && maxd <= tol;
	printf("align: offset %ld frames, %ld matching offset(s), max |diff| %.3g over %ld frames "
	       "x "
	       "%d channel(s): %s\n",
	       first, matches, maxd, (long)nc, cc, ok ? "equal" : "DIFFERENT");
	free_all(cap, ren, cc);
	return !ok;
}
