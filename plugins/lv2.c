/* The bundle's one exported symbol. Indices are stable: hosts do not store
 * them, but keeping the order makes the plugin list read the same everywhere. */
#include "glue.h"

LV2_SYMBOL_EXPORT const LV2_Descriptor *
lv2_descriptor(uint32_t index)
{
	switch (index) {
	case 0: return qk_neuron_descriptor();
	case 1: return qk_output_gate_descriptor();
	case 2: return qk_synaptic_gate_descriptor();
	case 3: return qk_activation_gate_descriptor();
	case 4: return qk_additive_output_descriptor();
	case 5: return qk_additive_synapse_descriptor();
	case 6: return qk_softmax_descriptor();
	case 7: return qk_attention_head_descriptor();
	case 8: return qk_quadratic_descriptor();
	default: return NULL;
	}
}
