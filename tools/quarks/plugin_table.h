/* SPDX-License-Identifier: ISC */
/* A control's range and default as one of the bundle's plugins clamps it, read from the
 * plugin's own port table (plugins/describe.h), the table its run() reads: for the engine,
 * which computes the delays that close loops itself (engine_loops.c) and must read their
 * controls exactly as the plugin does. */
#ifndef QK_PLUGIN_TABLE_H
#define QK_PLUGIN_TABLE_H

/* 0 and the range of the control input `symbol` of the plugin with this URI; -1 when the
 * bundle has no such plugin or control. */
int qk_table_range(const char *plugin_uri, const char *symbol, float *lo, float *hi, float *def);

#endif
