/* SPDX-License-Identifier: ISC */
#define _GNU_SOURCE /* O_TMPFILE, linkat */
#include "wavout.h"

#include <errno.h>
#include <fcntl.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Frames collected before each write: libsndfile writes straight through, and one system call
 * per 256-frame block costs more than the plugins do. */
enum { CHUNK = 16384 };

/* Where possible a file is written unnamed (O_TMPFILE): a render killed even by SIGKILL then
 * leaves nothing behind. It gets a temporary name only when it is complete, just before the
 * rename. Elsewhere (a file system without O_TMPFILE) it is a hidden .NAME.wav.tmp-XXXXXX file
 * from the start. */
typedef struct {
	SNDFILE *sf;
	int fd;    /* an unnamed file's descriptor, kept to name it at the end; else -1 */
	char *tmp; /* the temporary name: a template while the file is unnamed, NULL once gone */
	int named; /* tmp exists on disk */
	char *final;
	float *buf;
	uint32_t fill;
} out_file;

struct qk_wavout {
	out_file *files;
	size_t n;
};

int
qk_format_parse(const char *text, qk_format *out)
{
	if (strcmp(text, "wav") == 0)
		*out = QK_FMT_WAV;
	else if (strcmp(text, "flac") == 0)
		*out = QK_FMT_FLAC;
	else
		return -1;
	return 0;
}

int
qk_subtype_parse(const char *text, qk_subtype *out)
{
	static const struct {
		const char *name;
		qk_subtype sub;
	} names[] = {{"float", QK_SUB_FLOAT},
	             {"double", QK_SUB_DOUBLE},
	             {"pcm16", QK_SUB_PCM16},
	             {"pcm24", QK_SUB_PCM24}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(text, names[i].name) == 0) {
			*out = names[i].sub;
			return 0;
		}
	return -1;
}

const char *
qk_format_ext(qk_format f)
{
	return f == QK_FMT_FLAC ? "flac" : "wav";
}

/* Bytes per sample of a subtype. */
static uint64_t
sample_bytes(qk_subtype sub)
{
	switch (sub) {
	case QK_SUB_FLOAT: return 4;
	case QK_SUB_DOUBLE: return 8;
	case QK_SUB_PCM16: return 2;
	case QK_SUB_PCM24: return 3;
	}
	return 8;
}

/* The RIFF and data chunk sizes are 32-bit: the data of a plain WAV must leave room under
 * 4 GiB for the header chunks before it (libsndfile's take under a hundred bytes; 4 KiB is a
 * safe margin). */
#define WAV_MAX_DATA (UINT64_C(0xFFFFFFFF) - 4096)

int
qk_wav_sf_format(qk_format fmt, qk_subtype sub, uint64_t frames)
{
	int major = SF_FORMAT_FLAC;
	if (fmt == QK_FMT_WAV) {
		int big = frames > WAV_MAX_DATA / sample_bytes(sub);
		major = big ? SF_FORMAT_RF64 : SF_FORMAT_WAV;
	}
	switch (sub) {
	case QK_SUB_FLOAT: return major | SF_FORMAT_FLOAT;
	case QK_SUB_DOUBLE: return major | SF_FORMAT_DOUBLE;
	case QK_SUB_PCM16: return major | SF_FORMAT_PCM_16;
	case QK_SUB_PCM24: return major | SF_FORMAT_PCM_24;
	}
	return 0;
}

/* mkdir -p */
static int
make_dirs(const char *dir, char *err, size_t err_len)
{
	char *p = strdup(dir);
	if (!p) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			snprintf(err, err_len, "cannot create the folder '%s': %s", p,
			         strerror(errno));
			free(p);
			return -1;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, err_len, "'%s' is not a folder", dir);
		return -1;
	}
	return 0;
}

static char *
join(const char *dir, const char *prefix, const char *name, const char *suffix)
{
	size_t n = strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 2;
	char *r = malloc(n);
	if (r)
		snprintf(r, n, "%s/%s%s%s", dir, prefix, name, suffix);
	return r;
}

qk_wavout *
qk_wavout_open(const char *dir, const char *const *names, size_t n, int rate, qk_format fmt,
               qk_subtype sub, uint64_t frames, char *err, size_t err_len)
{
	SF_INFO info;
	memset(&info, 0, sizeof info);
	info.samplerate = rate;
	info.channels = 1;
	info.format = qk_wav_sf_format(fmt, sub, frames);
	if (!sf_format_check(&info)) {
		snprintf(err, err_len,
		         "%s files cannot hold %s samples (FLAC takes pcm16 or pcm24)",
		         qk_format_ext(fmt), sub == QK_SUB_FLOAT ? "float" : "double");
		return NULL;
	}
	if (make_dirs(dir, err, err_len) != 0)
		return NULL;
	qk_wavout *w = calloc(1, sizeof *w);
	if (!w || !(w->files = calloc(n ? n : 1, sizeof *w->files))) {
		free(w);
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	/* Files are created with the usual permissions, not mkstemp's 0600. */
	mode_t mask = umask(0);
	umask(mask);
	char ext[8];
	snprintf(ext, sizeof ext, ".%s", qk_format_ext(fmt));
	for (size_t i = 0; i < n; i++, w->n++) {
		out_file *f = &w->files[i];
		f->fd = -1;
		f->final = join(dir, "", names[i], ext);
		char tail[32];
		snprintf(tail, sizeof tail, "%s.tmp-XXXXXX", ext);
		f->tmp = join(dir, ".", names[i], tail);
		f->buf = malloc(CHUNK * sizeof *f->buf);
		if (!f->final || !f->tmp || !f->buf) {
			snprintf(err, err_len, "out of memory");
			w->n++;
			qk_wavout_abort(w);
			return NULL;
		}
		int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666 & ~mask);
		if (fd >= 0) {
			f->fd = fd;
		} else {
			fd = mkstemp(f->tmp);
			f->named = fd >= 0;
		}
		if (fd < 0) {
			snprintf(err, err_len, "cannot write in '%s': %s", dir, strerror(errno));
			free(f->tmp);
			f->tmp = NULL;
			w->n++;
			qk_wavout_abort(w);
			return NULL;
		}
		if (fchmod(fd, 0666 & ~mask) != 0) {
			/* Not fatal: the file is still written, only with owner-only permissions.
			 */
		}
		SF_INFO fi = info;
		f->sf = sf_open_fd(fd, SFM_WRITE, &fi, f->fd < 0 ? SF_TRUE : SF_FALSE);
		if (!f->sf) {
			if (f->fd < 0)
				close(fd);
			snprintf(err, err_len, "cannot write '%s': %s", f->final,
			         sf_strerror(NULL));
			w->n++;
			qk_wavout_abort(w);
			return NULL;
		}
		/* PCM: clip rather than wrap around outside [-1, 1]. No PEAK chunk: it holds a
		 * timestamp, and renders must be bit-identical from run to run. */
		sf_command(f->sf, SFC_SET_CLIPPING, NULL, SF_TRUE);
		sf_command(f->sf, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
	}
	return w;
}

static int
flush(out_file *f, char *err, size_t err_len)
{
	if (f->fill && sf_writef_float(f->sf, f->buf, f->fill) != (sf_count_t)f->fill) {
		snprintf(err, err_len, "cannot write '%s': %s", f->final, sf_strerror(f->sf));
		return -1;
	}
	f->fill = 0;
	return 0;
}

int
qk_wavout_write(qk_wavout *w, size_t i, const float *data, uint32_t frames, char *err,
                size_t err_len)
{
	out_file *f = &w->files[i];
	while (frames > 0) {
		uint32_t n = CHUNK - f->fill < frames ? CHUNK - f->fill : frames;
		memcpy(f->buf + f->fill, data, n * sizeof *data);
		f->fill += n;
		data += n;
		frames -= n;
		if (f->fill == CHUNK && flush(f, err, err_len) != 0)
			return -1;
	}
	return 0;
}

const char *
qk_wavout_path(const qk_wavout *w, size_t i)
{
	return w->files[i].final;
}

static void
free_all(qk_wavout *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->files[i].tmp);
		free(w->files[i].final);
		free(w->files[i].buf);
	}
	free(w->files);
	free(w);
}

void
qk_wavout_abort(qk_wavout *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++) {
		if (w->files[i].sf)
			sf_close(w->files[i].sf);
		if (w->files[i].fd >= 0)
			close(w->files[i].fd); /* an unnamed file disappears with its last
			                          descriptor */
		if (w->files[i].tmp && w->files[i].named)
			unlink(w->files[i].tmp);
	}
	free_all(w);
}

/* Links a complete unnamed file to a fresh temporary name (the template's XXXXXX replaced by
 * the process id and a counter), so that rename() can put it in place atomically. */
static int
give_name(out_file *f, char *err, size_t err_len)
{
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", f->fd);
	char *x = f->tmp + strlen(f->tmp) - 6;
	for (unsigned k = 0; k < 1000; k++) {
		char six[16];
		snprintf(six, sizeof six, "%06x", ((unsigned)getpid() * 1000u + k) & 0xffffffu);
		memcpy(x, six, 6);
		int rc = linkat(AT_FDCWD, proc, AT_FDCWD, f->tmp, AT_SYMLINK_FOLLOW);
		if (rc != 0 && errno == ENOENT) /* no /proc: this works with CAP_DAC_READ_SEARCH */
			rc = linkat(f->fd, "", AT_FDCWD, f->tmp, AT_EMPTY_PATH);
		if (rc == 0) {
			f->named = 1;
			close(f->fd);
			f->fd = -1;
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	snprintf(err, err_len, "cannot name '%s': %s", f->tmp, strerror(errno));
	return -1;
}

int
qk_wavout_commit(qk_wavout *w, const volatile sig_atomic_t *stop, char *err, size_t err_len)
{
	int rc = 0;
	/* Close everything first: a failure to finish any file (headers are written at close)
	 * aborts them all before any is renamed. */
	for (size_t i = 0; i < w->n; i++) {
		out_file *f = &w->files[i];
		if (rc == 0 && flush(f, err, err_len) != 0)
			rc = -1;
		sf_write_sync(f->sf); /* on disk before the rename makes it visible */
		if (rc == 0 && sf_error(f->sf) != SF_ERR_NO_ERROR) {
			snprintf(err, err_len, "cannot write '%s': %s", f->final,
			         sf_strerror(f->sf));
			rc = -1;
		}
		if (sf_close(f->sf) != 0 && rc == 0) {
			snprintf(err, err_len, "cannot finish '%s'", f->final);
			rc = -1;
		}
		f->sf = NULL;
	}
	if (rc == 0 && stop && *stop) {
		snprintf(err, err_len, "interrupted; no output written");
		rc = -1;
	}
	for (size_t i = 0; i < w->n && rc == 0; i++) {
		out_file *f = &w->files[i];
		if (f->fd >= 0 && give_name(f, err, err_len) != 0) {
			rc = -1;
		} else if (rename(f->tmp, f->final) != 0) {
			snprintf(err, err_len, "cannot rename '%s' to '%s': %s", f->tmp, f->final,
			         strerror(errno));
			rc = -1;
		} else {
			free(f->tmp);
			f->tmp = NULL;
		}
	}
	if (rc != 0) {
		qk_wavout_abort(w);
		return -1;
	}
	free_all(w);
	return 0;
}
