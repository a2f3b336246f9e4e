// Block geometry of the GGML types spectree supports (llama.cpp's ggml-common.h
// gives the layouts; the sizes here follow from them).
#include "CKernels.h"

typedef struct { int64_t elements, bytes; } sk_geometry;

static sk_geometry geometry(int type) {
    switch (type) {
    case SK_TYPE_F32:  return (sk_geometry){1, 4};
    case SK_TYPE_F16:  return (sk_geometry){1, 2};
    case SK_TYPE_BF16: return (sk_geometry){1, 2};
    case SK_TYPE_Q4_0: return (sk_geometry){32, 2 + 16};          // d, 32 nibbles
    case SK_TYPE_Q4_1: return (sk_geometry){32, 2 + 2 + 16};      // d, m, 32 nibbles
    case SK_TYPE_Q5_0: return (sk_geometry){32, 2 + 4 + 16};      // d, high bits, nibbles
    case SK_TYPE_Q5_1: return (sk_geometry){32, 2 + 2 + 4 + 16};  // d, m, high bits, nibbles
    case SK_TYPE_Q8_0: return (sk_geometry){32, 2 + 32};          // d, 32 int8
    case SK_TYPE_Q4_K: return (sk_geometry){256, 2 + 2 + 12 + 128};
    case SK_TYPE_Q5_K: return (sk_geometry){256, 2 + 2 + 12 + 32 + 128};
    case SK_TYPE_Q6_K: return (sk_geometry){256, 128 + 64 + 16 + 2};
    default:           return (sk_geometry){0, 0};
    }
}

bool sk_type_supported(int type) { return geometry(type).elements != 0; }
int64_t sk_block_elements(int type) { return geometry(type).elements; }
int64_t sk_block_bytes(int type) { return geometry(type).bytes; }

bool sk_type_uses_act_k(int type) {
    return type == SK_TYPE_Q4_K || type == SK_TYPE_Q5_K || type == SK_TYPE_Q6_K;
}
