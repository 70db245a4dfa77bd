/* SPDX-License-Identifier: ISC */
/* Plot layout: a title, then one lane per signal (name at the left, its value range beside it,
 * a dashed zero line), then a shared time axis. Long signals are drawn as a min/max envelope
 * per pixel column, short ones as sample-and-hold steps, so gates look like gates. */
#define _POSIX_C_SOURCE 200809L
#include "plot.h"

#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { WIDTH = 1000, LEFT = 120, RIGHT = 20, TOP = 40, LANE = 100, GAP = 12, BOTTOM = 44 };

static const double palette[][3] = {
        {0.12, 0.47, 0.71}, {0.84, 0.15, 0.16}, {0.17, 0.63, 0.17}, {0.58, 0.40, 0.74},
        {1.00, 0.50, 0.05}, {0.55, 0.34, 0.29}, {0.89, 0.47, 0.76}, {0.09, 0.75, 0.81},
};

/* 1, 2 or 5 times a power of ten, near span / 8. */
static double
nice_step(double span)
{
	double raw = span / 8.0;
	double p = pow(10.0, floor(log10(raw)));
	double m = raw / p;
	return (m < 1.5 ? 1.0 : m < 3.5 ? 2.0 : m < 7.5 ? 5.0 : 10.0) * p;
}

/* The data's own range (for the labels) and the padded one the lane shows. */
static void
range_of(const qk_trace *t, double *lo, double *hi, double *dmin, double *dmax)
{
	double mn = INFINITY, mx = -INFINITY;
	for (uint64_t i = 0; i < t->frames; i++) {
		if (t->data[i] < mn)
			mn = t->data[i];
		if (t->data[i] > mx)
			mx = t->data[i];
	}
	if (!(mn <= mx)) {
		mn = -1.0;
		mx = 1.0;
	}
	*dmin = mn;
	*dmax = mx;
	if (mx - mn < 1e-9) {
		mn -= 0.5;
		mx += 0.5;
	}
	double pad = (mx - mn) * 0.08;
	*lo = mn - pad;
	*hi = mx + pad;
}

static void
draw_trace(cairo_t *cr, const qk_trace *t, double x0, double w, double y0, double h, double lo,
           double hi, uint64_t frames)
{
#define Y(v) (y0 + h - ((v)-lo) / (hi - lo) * h)
	if (t->frames == 0)
		return;
	double per_px = (double)frames / w;
	if (per_px <= 2.0) {
		for (uint64_t i = 0; i < t->frames; i++) {
			double xa = x0 + (double)i / per_px, xb = x0 + (double)(i + 1) / per_px;
			if (i == 0)
				cairo_move_to(cr, xa, Y(t->data[i]));
			else
				cairo_line_to(cr, xa, Y(t->data[i]));
			cairo_line_to(cr, xb, Y(t->data[i]));
		}
	} else {
		for (int px = 0; px < (int)w; px++) {
			uint64_t a = (uint64_t)(px * per_px), b = (uint64_t)((px + 1) * per_px);
			if (b > t->frames)
				b = t->frames;
			if (a >= b)
				break;
			float mn = t->data[a], mx = t->data[a];
			for (uint64_t i = a; i < b; i++) {
				if (t->data[i] < mn)
					mn = t->data[i];
				if (t->data[i] > mx)
					mx = t->data[i];
			}
			if (px == 0)
				cairo_move_to(cr, x0 + px + 0.5, Y(t->data[a]));
			cairo_line_to(cr, x0 + px + 0.5, Y(mx));
			cairo_line_to(cr, x0 + px + 0.5, Y(mn));
		}
	}
	cairo_stroke(cr);
#undef Y
}

static void
text_at(cairo_t *cr, double x, double y, const char *s, int align_right)
{
	cairo_text_extents_t ex;
	cairo_text_extents(cr, s, &ex);
	cairo_move_to(cr, align_right ? x - ex.x_advance : x, y);
	cairo_show_text(cr, s);
}

static void
draw(cairo_t *cr, const char *title, const qk_trace *tr, size_t n, double rate, int height)
{
	uint64_t frames = 1;
	for (size_t i = 0; i < n; i++)
		if (tr[i].frames > frames)
			frames = tr[i].frames;
	double w = WIDTH - LEFT - RIGHT, dur = (double)frames / rate;
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, 15);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	text_at(cr, LEFT, 26, title, 0);
	for (size_t i = 0; i < n; i++) {
		double y0 = TOP + (double)i * (LANE + GAP), lo, hi, dmin, dmax;
		range_of(&tr[i], &lo, &hi, &dmin, &dmax);
		cairo_set_source_rgb(cr, 0.97, 0.97, 0.97);
		cairo_rectangle(cr, LEFT, y0, w, LANE);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
		cairo_set_line_width(cr, 1);
		cairo_rectangle(cr, LEFT + 0.5, y0 + 0.5, w - 1, LANE - 1);
		cairo_stroke(cr);
		if (lo < 0 && hi > 0) {
			double dash = 4;
			double yz = y0 + LANE - (0 - lo) / (hi - lo) * LANE;
			cairo_set_dash(cr, &dash, 1, 0);
			cairo_move_to(cr, LEFT, floor(yz) + 0.5);
			cairo_line_to(cr, LEFT + w, floor(yz) + 0.5);
			cairo_stroke(cr);
			cairo_set_dash(cr, NULL, 0, 0);
		}
		const double *c = palette[i % (sizeof palette / sizeof palette[0])];
		cairo_set_source_rgb(cr, c[0], c[1], c[2]);
		cairo_set_line_width(cr, 1.5);
		cairo_save(cr);
		cairo_rectangle(cr, LEFT, y0, w, LANE);
		cairo_clip(cr);
		draw_trace(cr, &tr[i], LEFT, w, y0, LANE, lo, hi, frames);
		cairo_restore(cr);
		cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
		                       CAIRO_FONT_WEIGHT_BOLD);
		cairo_set_font_size(cr, 13);
		text_at(cr, LEFT - 8, y0 + LANE / 2.0 + 4, tr[i].label, 1);
		cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
		                       CAIRO_FONT_WEIGHT_NORMAL);
		cairo_set_font_size(cr, 10);
		cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
		char num[32];
		snprintf(num, sizeof num, "max %.3g", dmax);
		text_at(cr, LEFT - 8, y0 + 12, num, 1);
		snprintf(num, sizeof num, "min %.3g", dmin);
		text_at(cr, LEFT - 8, y0 + LANE - 4, num, 1);
	}
	double axis = TOP + (double)n * (LANE + GAP) - GAP + 0.5;
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	cairo_set_line_width(cr, 1);
	cairo_set_font_size(cr, 11);
	double step = nice_step(dur);
	for (double t = 0; t <= dur * (1 + 1e-9); t += step) {
		double x = floor(LEFT + t / dur * w) + 0.5;
		cairo_move_to(cr, x, axis);
		cairo_line_to(cr, x, axis + 5);
		cairo_stroke(cr);
		char num[32];
		snprintf(num, sizeof num, "%g", t);
		cairo_text_extents_t ex;
		cairo_text_extents(cr, num, &ex);
		cairo_move_to(cr, x - ex.x_advance / 2, axis + 18);
		cairo_show_text(cr, num);
	}
	text_at(cr, LEFT + w, (double)height - 6, "time (s)", 1);
}

int
qk_plot_png(const char *path, const char *title, const qk_trace *traces, size_t n, double rate,
            const volatile sig_atomic_t *stop, char *err, size_t err_len)
{
	if (n == 0) {
		snprintf(err, err_len, "nothing to plot");
		return -1;
	}
	int height = TOP + (int)n * (LANE + GAP) - GAP + BOTTOM;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, WIDTH, height);
	cairo_t *cr = cairo_create(s);
	draw(cr, title, traces, n, rate, height);
	cairo_destroy(cr);
	size_t len = strlen(path) + 16;
	char *tmp = malloc(len);
	int rc = -1;
	if (!tmp) {
		snprintf(err, err_len, "out of memory");
	} else {
		snprintf(tmp, len, "%s.tmp-XXXXXX", path);
		int fd = mkstemp(tmp);
		if (fd < 0) {
			snprintf(err, err_len, "cannot write '%s': %s", path, strerror(errno));
		} else {
			close(fd);
			cairo_status_t st = cairo_surface_write_to_png(s, tmp);
			if (st != CAIRO_STATUS_SUCCESS) {
				snprintf(err, err_len, "cannot write '%s': %s", path,
				         cairo_status_to_string(st));
				unlink(tmp);
			} else if (stop && *stop) {
				snprintf(err, err_len, "interrupted; no output written");
				unlink(tmp);
			} else if (chmod(tmp, 0644) != 0 || rename(tmp, path) != 0) {
				snprintf(err, err_len, "cannot write '%s': %s", path,
				         strerror(errno));
				unlink(tmp);
			} else {
				rc = 0;
			}
		}
	}
	free(tmp);
	cairo_surface_destroy(s);
	return rc;
}
