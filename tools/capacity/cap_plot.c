/* SPDX-License-Identifier: ISC */
/* One polyline per class; axes in data units mapped to a fixed 800 x 560 canvas. */
#include "cap_plot.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define W 800.0
#define H 560.0
#define L 70.0 /* margins: left, right, top, bottom */
#define R 170.0
#define T 40.0
#define B 60.0

static const double pi = 3.14159265358979323846;

typedef struct frame {
	double xmax, ymax;
} frame;

static double
px(const frame *f, double x)
{
	return L + (W - L - R) * x / f->xmax;
}
static double
py(const frame *f, double y)
{
	return H - B - (H - T - B) * y / f->ymax;
}

static const char *const classes[] = {"ltg", "pair01", "pairpm", "syn01", "synpm", "ptf2"};
static const double colour[][3] = {
        {0.00, 0.00, 0.00}, {0.85, 0.15, 0.10}, {0.95, 0.55, 0.05},
        {0.10, 0.45, 0.85}, {0.35, 0.20, 0.70}, {0.10, 0.60, 0.25},
};

static void
axes(cairo_t *cr, const frame *f)
{
	char buf[32];
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 1.0);
	cairo_move_to(cr, px(f, 0), py(f, 0));
	cairo_line_to(cr, px(f, f->xmax), py(f, 0));
	cairo_move_to(cr, px(f, 0), py(f, 0));
	cairo_line_to(cr, px(f, 0), py(f, f->ymax));
	cairo_stroke(cr);
	cairo_set_font_size(cr, 12);
	for (int x = 0; x <= (int)f->xmax; ++x) {
		snprintf(buf, sizeof buf, "%d", x);
		cairo_move_to(cr, px(f, x) - 4, py(f, 0) + 18);
		cairo_show_text(cr, buf);
	}
	double step = f->ymax > 40 ? 10 : 5;
	for (double y = 0; y <= f->ymax + 1e-9; y += step) {
		snprintf(buf, sizeof buf, "%g", y);
		cairo_move_to(cr, px(f, 0) - 30, py(f, y) + 4);
		cairo_show_text(cr, buf);
	}
	cairo_move_to(cr, px(f, f->xmax / 2) - 60, H - 18);
	cairo_show_text(cr, "n (inputs)");
	cairo_save(cr);
	cairo_move_to(cr, 22, py(f, f->ymax / 2) + 60);
	cairo_rotate(cr, -pi / 2);
	cairo_show_text(cr, "log2 (number of functions)");
	cairo_restore(cr);
	cairo_set_font_size(cr, 15);
	cairo_move_to(cr, L, 24);
	cairo_show_text(cr, "Cardinal capacity of small gated circuits (exact counts)");
}

/* a x^2 curves (the asymptotic capacities), or 2^x when a == 0 (all functions: the ceiling
 * every class runs into at small n). */
static void
reference(cairo_t *cr, const frame *f, double a, const char *label, double yl)
{
	double dash[] = {6.0, 4.0}, dot[] = {2.0, 3.0};
	cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
	cairo_set_dash(cr, a > 0 ? dash : dot, 2, 0);
	for (int i = 0; i <= 100; ++i) {
		double x = f->xmax * i / 100.0, y = a > 0 ? a * x * x : pow(2.0, x);
		if (y > f->ymax)
			break;
		if (i == 0)
			cairo_move_to(cr, px(f, x), py(f, y));
		else
			cairo_line_to(cr, px(f, x), py(f, y));
	}
	cairo_stroke(cr);
	cairo_move_to(cr, W - R + 30, yl);
	cairo_line_to(cr, W - R + 55, yl);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	cairo_move_to(cr, W - R + 60, yl + 4);
	cairo_show_text(cr, label);
}

static void
series(cairo_t *cr, const frame *f, const cap_row *rows, size_t nrows, size_t c, double yl)
{
	cairo_set_source_rgb(cr, colour[c][0], colour[c][1], colour[c][2]);
	cairo_set_line_width(cr, 2.0);
	int started = 0;
	for (size_t i = 0; i < nrows; ++i) {
		if (strcmp(rows[i].cls, classes[c]) != 0)
			continue;
		double x = rows[i].n, y = log2((double)rows[i].count);
		if (!started)
			cairo_move_to(cr, px(f, x), py(f, y));
		else
			cairo_line_to(cr, px(f, x), py(f, y));
		started = 1;
	}
	cairo_stroke(cr);
	for (size_t i = 0; i < nrows; ++i) {
		if (strcmp(rows[i].cls, classes[c]) != 0)
			continue;
		cairo_arc(cr, px(f, rows[i].n), py(f, log2((double)rows[i].count)), 3.5, 0, 2 * pi);
		cairo_fill(cr);
	}
	cairo_move_to(cr, W - R + 30, yl);
	cairo_line_to(cr, W - R + 55, yl);
	cairo_stroke(cr);
	cairo_move_to(cr, W - R + 60, yl + 4);
	cairo_show_text(cr, classes[c]);
}

int
cap_plot_png(const char *path, const cap_row *rows, size_t nrows)
{
	frame f = {.xmax = 1, .ymax = 10};
	for (size_t i = 0; i < nrows; ++i)
		if (rows[i].n > f.xmax)
			f.xmax = rows[i].n;
	/* Room for 2 n^2 at the largest n, rounded up to a tick. */
	f.ymax = ceil(2 * f.xmax * f.xmax / 10.0) * 10.0;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)W, (int)H);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	axes(cr, &f);
	cairo_set_font_size(cr, 12);
	double yl = T + 20;
	reference(cr, &f, 1.0, "n^2", yl);
	reference(cr, &f, 2.0, "2 n^2", yl + 20);
	reference(cr, &f, 0.0, "2^n (all)", yl + 40);
	for (size_t c = 0; c < sizeof classes / sizeof classes[0]; ++c)
		series(cr, &f, rows, nrows, c, yl + 70 + 20 * (double)c);
	cairo_destroy(cr);
	cairo_status_t st = cairo_surface_write_to_png(s, path);
	cairo_surface_destroy(s);
	return st == CAIRO_STATUS_SUCCESS ? 0 : -1;
}
