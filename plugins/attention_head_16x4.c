/* SPDX-License-Identifier: ISC */
/* attention-head-16x4: a self-attention head over 16 tokens of dimension 4, fused. */
#define QK_ATT_TOKENS 16
#define QK_ATT_PRODUCTS 1024
#define QK_ATT_COEFFICIENTS 256
#include "attention_sized.h"

const qk_plugin qk_plugin_attention_head_16x4 = QK_ATT_HEAD_PLUGIN(attention_head_16x4);
