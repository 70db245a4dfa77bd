/* SPDX-License-Identifier: ISC */
/* wavcmp EXPECTED ACTUAL TOLERANCE: compares two sound files sample by sample (same rate,
 * channels and length; every |expected - actual| <= TOLERANCE). Prints the largest difference
 * and where it is; exits 0 on a match, 1 on a mismatch, 2 on a read error. */
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double *
load(const char *path, SF_INFO *info)
{
	memset(info, 0, sizeof *info);
	SNDFILE *f = sf_open(path, SFM_READ, info);
	if (!f) {
		fprintf(stderr, "wavcmp: cannot read '%s': %s\n", path, sf_strerror(NULL));
		return NULL;
	}
	size_t n = (size_t)info->frames * (size_t)info->channels;
	double *d = malloc((n ? n : 1) * sizeof *d);
	if (d && sf_readf_double(f, d, info->frames) != info->frames) {
		fprintf(stderr, "wavcmp: short read of '%s'\n", path);
		free(d);
		d = NULL;
	}
	sf_close(f);
	return d;
}

int
main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: wavcmp EXPECTED ACTUAL TOLERANCE\n");
		return 2;
	}
	double tol = strtod(argv[3], NULL);
	SF_INFO ie, ia;
	double *e = load(argv[1], &ie), *a = load(argv[2], &ia);
	if (!e || !a) {
		free(e);
		free(a);
		return 2;
	}
	int rc = 0;
	if (ie.samplerate != ia.samplerate || ie.channels != ia.channels ||
	    ie.frames != ia.frames) {
		fprintf(stderr,
		        "wavcmp: %s: %d Hz, %d ch, %lld frames; %s: %d Hz, %d ch, %lld frames\n",
		        argv[1], ie.samplerate, ie.channels, (long long)ie.frames, argv[2],
		        ia.samplerate, ia.channels, (long long)ia.frames);
		rc = 1;
	} else {
		size_t n = (size_t)ie.frames * (size_t)ie.channels, worst = 0;
		double max = 0.0;
		for (size_t i = 0; i < n; i++) {
			double diff = fabs(e[i] - a[i]);
			if (!(diff <= max)) { /* also catches NaN */
				max = isnan(diff) ? INFINITY : diff;
				worst = i;
			}
		}
		if (!(max <= tol)) {
			fprintf(stderr,
			        "wavcmp: %s vs %s: max |diff| %.3g > %.3g at frame %zu (expected "
			        "%.9g, "
			        "got %.9g)\n",
			        argv[1], argv[2], max, tol, worst / (size_t)ie.channels, e[worst],
			        a[worst]);
			rc = 1;
		} else {
			printf("%s: %zu samples, max |diff| %.3g <= %.3g\n", argv[2], n, max, tol);
		}
	}
	free(e);
	free(a);
	return rc;
}
