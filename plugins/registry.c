/* SPDX-License-Identifier: ISC */
/* The bundle's plugins, in the order of plugins/plugins.list (plugin_list.h is
 * generated from it), and the port blocks every plugin shares. */
#include "describe.h"

#define QK_DECLARE(id) extern const qk_plugin qk_plugin_##id;
QK_PLUGIN_LIST(QK_DECLARE)

#define QK_ENTRY(id) &qk_plugin_##id,
const qk_plugin *const qk_plugins[] = {QK_PLUGIN_LIST(QK_ENTRY)};
const uint32_t qk_n_plugins = QK_COUNT(qk_plugins);

/* The labels of qk_activation, by value; `act=relu` in a graph is one of them. */
const qk_scale_point qk_activation_points[] = {
        {QK_LINEAR, "linear"},   {QK_STEP, "step (0,1)"}, {QK_SIGN, "sign (-1,+1)"},
        {QK_SIGMOID, "sigmoid"}, {QK_TANH, "tanh"},       {QK_RELU, "relu"},
};
const unsigned qk_n_activation_points = QK_COUNT(qk_activation_points);
_Static_assert(QK_COUNT(qk_activation_points) == QK_RELU + 1, "one scale point per activation");
