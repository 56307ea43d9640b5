// AVX-512 kernels: F/BW/VL for f32 and the vpmaddwd int8 path, plus a VNNI int8 path
// (vpdpbusd: u8 x s8 -> i32, 64 bytes per instruction). Tails use masked loads, so any
// length and any alignment take the same code.
#include "CVectorKernels.h"
#include <math.h>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma")))
#define AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma")))

AVX512 static inline __mmask16 tail16(size_t left) {
    return (__mmask16)((1u << left) - 1u);
}

AVX512 static inline __mmask64 tail64(size_t left) {
    return left >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << left) - 1);
}

AVX512 static inline __mmask32 tail32(size_t left) {
    return left >= 32 ? ~(__mmask32)0 : (((__mmask32)1 << left) - 1);
}

AVX512 static inline float dot_f32(const float *a, const float *b, size_t n) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    __m512 s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
        s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
        s2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32), s2);
        s3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48), s3);
    }
    for (; i + 16 <= n; i += 16)
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    if (i < n) {
        __mmask16 m = tail16(n - i);
        s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), s1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}

AVX512 static inline int32_t dot_u8s8(const uint8_t *a, const int8_t *b, size_t n) {
    // Without VNNI: widen 32 bytes to i16 and vpmaddwd, as on AVX2 but twice as wide.
    __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m512i a0 = _mm512_cvtepu8_epi16(_mm256_loadu_si256((const __m256i *)(a + i)));
        __m512i b0 = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(b + i)));
        __m512i a1 = _mm512_cvtepu8_epi16(_mm256_loadu_si256((const __m256i *)(a + i + 32)));
        __m512i b1 = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(b + i + 32)));
        s0 = _mm512_add_epi32(s0, _mm512_madd_epi16(a0, b0));
        s1 = _mm512_add_epi32(s1, _mm512_madd_epi16(a1, b1));
    }
    while (i < n) {
        __mmask32 m = tail32(n - i);
        __m512i a0 = _mm512_cvtepu8_epi16(_mm256_maskz_loadu_epi8(m, a + i));
        __m512i b0 = _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(m, b + i));
        s0 = _mm512_add_epi32(s0, _mm512_madd_epi16(a0, b0));
        i += 32;
    }
    return _mm512_reduce_add_epi32(_mm512_add_epi32(s0, s1));
}

AVX512VNNI static inline int32_t dot_u8s8_vnni(const uint8_t *a, const int8_t *b, size_t n) {
    __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
    size_t i = 0;
    for (; i + 128 <= n; i += 128) {
        s0 = _mm512_dpbusd_epi32(s0, _mm512_loadu_si512(a + i), _mm512_loadu_si512(b + i));
        s1 = _mm512_dpbusd_epi32(s1, _mm512_loadu_si512(a + i + 64), _mm512_loadu_si512(b + i + 64));
    }
    for (; i < n; i += 64) {
        __mmask64 m = tail64(n - i);
        s0 = _mm512_dpbusd_epi32(s0, _mm512_maskz_loadu_epi8(m, a + i), _mm512_maskz_loadu_epi8(m, b + i));
    }
    return _mm512_reduce_add_epi32(_mm512_add_epi32(s0, s1));
}

AVX512 float atende_vk_avx512_dot_f32(const float *a, const float *b, size_t n) {
    return dot_f32(a, b, n);
}

AVX512 int32_t atende_vk_avx512_dot_u8s8(const uint8_t *a, const int8_t *b, size_t n) {
    return dot_u8s8(a, b, n);
}

AVX512VNNI int32_t atende_vk_avx512vnni_dot_u8s8(const uint8_t *a, const int8_t *b, size_t n) {
    return dot_u8s8_vnni(a, b, n);
}

AVX512 float atende_vk_avx512_block_f32(const float *rows, size_t stride, size_t nrows,
                                        const float *q, size_t dim, float *out) {
    float best = -INFINITY;
    for (size_t r = 0; r < nrows; r++) {
        float s = dot_f32(rows + r * stride, q, dim);
        out[r] = s;
        best = s > best ? s : best;
    }
    return best;
}

AVX512 float atende_vk_avx512_block_u8s8(const uint8_t *codes, size_t stride, size_t nrows,
                                         const int8_t *q, size_t dim, int32_t correction,
                                         const float *scales, float *out) {
    float best = -INFINITY;
    for (size_t r = 0; r < nrows; r++) {
        float s = (float)(dot_u8s8(codes + r * stride, q, dim) - correction) * scales[r];
        out[r] = s;
        best = s > best ? s : best;
    }
    return best;
}

AVX512VNNI float atende_vk_avx512vnni_block_u8s8(const uint8_t *codes, size_t stride, size_t nrows,
                                                 const int8_t *q, size_t dim, int32_t correction,
                                                 const float *scales, float *out) {
    float best = -INFINITY;
    for (size_t r = 0; r < nrows; r++) {
        float s = (float)(dot_u8s8_vnni(codes + r * stride, q, dim) - correction) * scales[r];
        out[r] = s;
        best = s > best ? s : best;
    }
    return best;
}

#else  // not x86-64: forward to the portable C bodies; VectorIndex never selects these.

float atende_vk_avx512_dot_f32(const float *a, const float *b, size_t n) {
    return atende_vk_avx2_dot_f32(a, b, n);
}
int32_t atende_vk_avx512_dot_u8s8(const uint8_t *a, const int8_t *b, size_t n) {
    return atende_vk_avx2_dot_u8s8(a, b, n);
}
int32_t atende_vk_avx512vnni_dot_u8s8(const uint8_t *a, const int8_t *b, size_t n) {
    return atende_vk_avx2_dot_u8s8(a, b, n);
}
float atende_vk_avx512_block_f32(const float *rows, size_t stride, size_t nrows,
                                 const float *q, size_t dim, float *out) {
    return atende_vk_avx2_block_f32(rows, stride, nrows, q, dim, out);
}
float atende_vk_avx512_block_u8s8(const uint8_t *codes, size_t stride, size_t nrows,
                                  const int8_t *q, size_t dim, int32_t correction,
                                  const float *scales, float *out) {
    return atende_vk_avx2_block_u8s8(codes, stride, nrows, q, dim, correction, scales, out);
}
float atende_vk_avx512vnni_block_u8s8(const uint8_t *codes, size_t stride, size_t nrows,
                                      const int8_t *q, size_t dim, int32_t correction,
                                      const float *scales, float *out) {
    return atende_vk_avx2_block_u8s8(codes, stride, nrows, q, dim, correction, scales, out);
}
#endif
