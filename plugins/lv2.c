/* SPDX-License-Identifier: ISC */
/* The bundle's one exported symbol. */
#include "describe.h"

LV2_SYMBOL_EXPORT const LV2_Descriptor *
lv2_descriptor(uint32_t index)
{
	return index < qk_n_plugins ? &qk_plugins[index]->descriptor : NULL;
}
