/* SPDX-License-Identifier: ISC */
/* attention-head-8x4: a self-attention head over 8 tokens of dimension 4, fused. */
#define QK_ATT_TOKENS 8
#define QK_ATT_PRODUCTS 256
#define QK_ATT_COEFFICIENTS 64
#include "attention_sized.h"

const qk_plugin qk_plugin_attention_head_8x4 = QK_ATT_HEAD_PLUGIN(attention_head_8x4);
