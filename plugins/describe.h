/* SPDX-License-Identifier: ISC */
/* A plugin described once, in C: its LV2 descriptor, its ports and its presets.
 *
 * The TTL a host reads is generated from these tables (ttl/ttlgen.c), and run()
 * reads its ports by the same enum that indexes the table, so a port's index,
 * symbol, range and default cannot drift between the binary and the TTL. Port
 * blocks that several plugins share (the unit's inputs, weights and activation)
 * are the macros at the end of this file. */
#ifndef QK_DESCRIBE_H
#define QK_DESCRIBE_H

#include <lv2/core/lv2.h>

#include "config.h"
#include "plugin_list.h"
#include "unit.h"

#include <stdint.h>

typedef enum {
	QK_AUDIO_IN,
	QK_AUDIO_OUT,
	QK_CONTROL_IN,
} qk_port_type;

/* Port properties, OR-ed together. */
enum {
	QK_OPTIONAL = 1 << 0,    /* lv2:connectionOptional */
	QK_INTEGER = 1 << 1,     /* lv2:integer */
	QK_ENUMERATION = 1 << 2, /* lv2:enumeration: only the scale points */
	QK_LOGARITHMIC = 1 << 3, /* pprop:logarithmic */
	/* What an unconnected (NULL) audio input reads besides 0, the identity of a sum. Not in
	 * the TTL: the tools read it here (tools/quarks/open_inputs.c). */
	QK_OPEN_READS_ONE = 1 << 4, /* a gate: 1, the identity of a product */
	QK_OPEN_LEFT_OUT = 1 << 5,  /* a softmax score: takes no part */
};

typedef struct {
	double value;
	const char *label;
} qk_scale_point;

typedef struct {
	qk_port_type type;
	const char *symbol;  /* lv2:symbol: API, never changes once shipped */
	const char *name;    /* lv2:name: API too (Carla connects by it) */
	const char *comment; /* rdfs:comment */
	/* Control ports only. */
	double def, min, max;
	const char *unit; /* local name in the units: namespace, or NULL */
	unsigned props;
	const qk_scale_point *points;
	unsigned n_points;
	/* pg:group: the lv2:symbol of one of the plugin's groups, or NULL. */
	const char *group;
} qk_port;

/* A port group (LV2 port-groups): ports that belong together, such as the
 * streams of one token, so that hosts like Carla can show them together. All
 * ports of an input group are inputs, all of an output group outputs. */
typedef enum {
	QK_GROUP_IN,  /* pg:InputGroup */
	QK_GROUP_OUT, /* pg:OutputGroup */
} qk_group_kind;

typedef struct {
	const char *symbol; /* lv2:symbol, unique in the plugin; the group's URI is the
	                       plugin's URI "#" symbol */
	const char *name;   /* lv2:name */
	qk_group_kind kind;
} qk_port_group;

typedef struct {
	const char *symbol;
	double value;
} qk_preset_value;

typedef struct {
	const char *slug; /* the preset's URI is QK_URI "preset/" slug */
	const char *label;
	const char *comment;
	const qk_preset_value *values;
	unsigned n_values;
} qk_preset;

typedef struct {
	LV2_Descriptor descriptor;
	const char *slug; /* the URI without the base: the TTL file's name */
	const char *name; /* doap:name */
	const char *shortdesc;
	const char *comment;
	const char *formula;  /* what it computes, for docs/PORTS.md (Markdown) */
	const char *klass;    /* an lv2: plugin class besides lv2:Plugin, or NULL */
	const qk_port *ports; /* indexed by the plugin's port enum */
	uint32_t n_ports;
	const qk_preset *presets;
	uint32_t n_presets;
	const qk_port_group *groups; /* what the ports' .group name, or NULL */
	uint32_t n_groups;
	const struct qk_state_kind *state; /* a stateful plugin's state (glue.h), or NULL */
} qk_plugin;

/* Every plugin of the bundle, in the order of plugins/plugins.list. */
extern const qk_plugin *const qk_plugins[];
extern const uint32_t qk_n_plugins;

#define QK_COUNT(array) ((uint32_t)(sizeof(array) / sizeof((array)[0])))

/* ---- Port blocks. The strings are the shipped ones: see tests/api/api.golden. ---- */

#define QK_AUDIO_INPUT(sym, nm, cmt)                                            \
	{                                                                       \
		.type = QK_AUDIO_IN, .symbol = sym, .name = nm, .comment = cmt, \
		.props = QK_OPTIONAL                                            \
	}
/* A gate input (it multiplies): unconnected it reads 1. Hosts that give every port a buffer
 * and clear the open ones (Carla, jalv, Ardour) never pass NULL, so there it reads 0; the
 * comment says so, and how to hold the gate open. */
#define QK_HOST_OPEN_GATE                                                                       \
	" In a host that feeds an open input with silence (Carla, jalv, Ardour) it reads 0 "    \
	"instead, a closed gate for a plain product: connect a constant 1 (Quark Constant) to " \
	"hold it open there."
#define QK_GATE_INPUT(sym, nm, cmt)                                                               \
	{                                                                                         \
		.type = QK_AUDIO_IN, .symbol = sym, .name = nm, .comment = cmt QK_HOST_OPEN_GATE, \
		.props = QK_OPTIONAL | QK_OPEN_READS_ONE                                          \
	}
#define QK_AUDIO_OUTPUT(sym, nm, cmt)                                           \
	{                                                                       \
		.type = QK_AUDIO_OUT, .symbol = sym, .name = nm, .comment = cmt \
	}
#define QK_CONTROL(sym, nm, cmt, d, lo, hi, u)                                              \
	{                                                                                   \
		.type = QK_CONTROL_IN, .symbol = sym, .name = nm, .comment = cmt, .def = d, \
		.min = lo, .max = hi, .unit = u                                             \
	}

/* A coefficient in [-QK_WEIGHT_MAX, QK_WEIGHT_MAX]: weights, bias, gains. */
#define QK_COEF(sym, nm, cmt, d) QK_CONTROL(sym, nm, cmt, d, -QK_WEIGHT_MAX, QK_WEIGHT_MAX, "coef")

/* A softmax temperature, logarithmic, in [QK_TEMP_MIN, QK_TEMP_MAX]. */
#define QK_TEMPERATURE(cmt)                                                                     \
	{                                                                                       \
		.type = QK_CONTROL_IN, .symbol = "temp", .name = "Temperature", .comment = cmt, \
		.def = 1.0, .min = QK_TEMP_MIN, .max = QK_TEMP_MAX, .props = QK_LOGARITHMIC     \
	}

/* The activation f (or gate function g): the qk_activation enumeration. */
extern const qk_scale_point qk_activation_points[];
extern const unsigned qk_n_activation_points;
#define QK_ACT_PORT(nm, cmt, d)                                                               \
	{                                                                                     \
		.type = QK_CONTROL_IN, .symbol = "act", .name = nm, .comment = cmt, .def = d, \
		.min = 0, .max = QK_RELU, .props = QK_INTEGER | QK_ENUMERATION,               \
		.points = qk_activation_points, .n_points = QK_RELU + 1                       \
	}

/* Input stream i of a unit, at index first + i - 1. */
#define QK_UNIT_INPUT(i)                    \
	QK_AUDIO_INPUT("x" #i, "Input " #i, \
	               "Input stream " #i " (an attended signal). Unconnected: reads 0.")
#define QK_UNIT_INPUTS(first)                                       \
	[first] = QK_UNIT_INPUT(1), [first + 1] = QK_UNIT_INPUT(2), \
	[first + 2] = QK_UNIT_INPUT(3), [first + 3] = QK_UNIT_INPUT(4)

#define QK_UNIT_OUTPUT QK_AUDIO_OUTPUT("out", "Output", "Output O of the unit.")

#define QK_UNIT_WEIGHT(i) QK_COEF("w" #i, "Weight " #i, "Static weight of input " #i ".", 1.0)
#define QK_UNIT_WEIGHTS(first)                                        \
	[first] = QK_UNIT_WEIGHT(1), [first + 1] = QK_UNIT_WEIGHT(2), \
	[first + 2] = QK_UNIT_WEIGHT(3), [first + 3] = QK_UNIT_WEIGHT(4)

#define QK_UNIT_BIAS QK_COEF("bias", "Bias", "Bias b added to the weighted sum.", 0.0)
#define QK_UNIT_SLOPE                                                                           \
	QK_COEF("slope", "Slope",                                                               \
	        "Gain on the activation before f: large values turn sigmoid or tanh into hard " \
	        "gates.",                                                                       \
	        1.0)
#define QK_UNIT_ACT(d) QK_ACT_PORT("Activation", "Activation function f applied to slope * S.", d)

/* A descriptor with the shared memoryless instance (glue.h). */
#define QK_MEMORYLESS(id, run_fn)                                                             \
	{                                                                                     \
		QK_URI_##id, qk_instantiate, qk_connect_port, NULL, run_fn, NULL, qk_cleanup, \
		        qk_extension_data                                                     \
	}

/* A descriptor with the shared stateful instance (glue.h), the plugin's .state
 * saying what its state is. */
#define QK_STATEFUL(id, run_fn)                                                                \
	{                                                                                      \
		QK_URI_##id, qk_instantiate_state, qk_connect_port, qk_activate_state, run_fn, \
		        NULL, qk_cleanup, qk_extension_data                                    \
	}

#endif
