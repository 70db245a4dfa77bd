#include "wavin.h"

#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int qk_wav_load(const char *path, int channel, double rate, float **data, uint64_t *frames,
                char *err, size_t err_len)
{
  SF_INFO info;
  memset(&info, 0, sizeof info);
  SNDFILE *f = sf_open(path, SFM_READ, &info);
  if (!f) {
    snprintf(err, err_len, "cannot read '%s': %s", path, sf_strerror(NULL));
    return -1;
  }
  int rc = -1;
  float *all = NULL, *out = NULL;
  if ((double)info.samplerate != rate) {
    snprintf(err, err_len, "'%s' is at %d Hz but the render runs at %.0f Hz (give -r %d, or "
             "resample the file)", path, info.samplerate, rate, info.samplerate);
  } else if (channel > info.channels) {
    snprintf(err, err_len, "'%s' has %d channel%s, not a channel %d", path, info.channels,
             info.channels == 1 ? "" : "s", channel);
  } else if (info.frames < 0 || (uint64_t)info.frames > SIZE_MAX / sizeof(float) /
                                                           (size_t)info.channels) {
    snprintf(err, err_len, "'%s' is too long", path);
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
