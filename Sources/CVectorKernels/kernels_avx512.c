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

// Horizontal sums of four vectors at once: [sum(a), sum(b), sum(c), sum(d)]. Summing four
// rows together costs about what one row's reduction would, which matters once a row is
// only six 64-byte loads (int8, d = 384).
AVX512 static inline __m128i hsum4_epi32(__m512i a, __m512i b, __m512i c, __m512i d) {
    __m512i ab = _mm512_add_epi32(_mm512_unpacklo_epi32(a, b), _mm512_unpackhi_epi32(a, b));
    __m512i cd = _mm512_add_epi32(_mm512_unpacklo_epi32(c, d), _mm512_unpackhi_epi32(c, d));
    __m512i abcd = _mm512_add_epi32(_mm512_unpacklo_epi64(ab, cd), _mm512_unpackhi_epi64(ab, cd));
    __m256i h = _mm256_add_epi32(_mm512_castsi512_si256(abcd), _mm512_extracti64x4_epi64(abcd, 1));
    return _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
}

AVX512 static inline __m128 hsum4_ps(__m512 a, __m512 b, __m512 c, __m512 d) {
    __m512 ab = _mm512_add_ps(_mm512_unpacklo_ps(a, b), _mm512_unpackhi_ps(a, b));
    __m512 cd = _mm512_add_ps(_mm512_unpacklo_ps(c, d), _mm512_unpackhi_ps(c, d));
    __m512 abcd = _mm512_add_ps(_mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(ab), _mm512_castps_pd(cd))),
                                _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(ab), _mm512_castps_pd(cd))));
    __m256 h = _mm256_add_ps(_mm512_castps512_ps256(abcd), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(abcd), 1)));
    return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
}

AVX512 static inline float max4(__m128 v, float best) {
    v = _mm_max_ps(v, _mm_movehl_ps(v, v));
    v = _mm_max_ss(v, _mm_movehdup_ps(v));
    float m = _mm_cvtss_f32(v);
    return m > best ? m : best;
}

/// One row's dot product left as 16 lanes (dim a multiple of 16).
AVX512 static inline __m512 row_f32(const float *a, const float *q, size_t dim) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= dim; i += 32) {
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(q + i), s0);
        s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(q + i + 16), s1);
    }
    for (; i < dim; i += 16) s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(q + i), s0);
    return _mm512_add_ps(s0, s1);
}

AVX512 float atende_vk_avx512_block_f32(const float *rows, size_t stride, size_t nrows,
                                        const float *q, size_t dim, float *out) {
    float best = -INFINITY;
    size_t r = 0;
    if (dim % 16 == 0) {
        // Rows in sequence (one prefetch stream), four reduced together; see the AVX2 kernel.
        for (; r + 4 <= nrows; r += 4) {
            const float *a = rows + r * stride;
            __m128 v = hsum4_ps(row_f32(a, q, dim), row_f32(a + stride, q, dim),
                                row_f32(a + 2 * stride, q, dim), row_f32(a + 3 * stride, q, dim));
            _mm_storeu_ps(out + r, v);
            best = max4(v, best);
        }
    }
    for (; r < nrows; r++) {
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
    size_t r = 0;
    if (dim % 32 == 0) {
        __m128i corr = _mm_set1_epi32(correction);
        for (; r + 4 <= nrows; r += 4) {
            const uint8_t *a = codes + r * stride;
            __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
            __m512i s2 = _mm512_setzero_si512(), s3 = _mm512_setzero_si512();
            for (size_t i = 0; i < dim; i += 32) {
                __m512i qv = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(q + i)));
#define ROW(k, acc) acc = _mm512_add_epi32(acc, _mm512_madd_epi16( \
                    _mm512_cvtepu8_epi16(_mm256_loadu_si256((const __m256i *)(a + (k) * stride + i))), qv))
                ROW(0, s0); ROW(1, s1); ROW(2, s2); ROW(3, s3);
#undef ROW
            }
            __m128i dots = _mm_sub_epi32(hsum4_epi32(s0, s1, s2, s3), corr);
            __m128 v = _mm_mul_ps(_mm_cvtepi32_ps(dots), _mm_loadu_ps(scales + r));
            _mm_storeu_ps(out + r, v);
            best = max4(v, best);
        }
    }
    for (; r < nrows; r++) {
        float s = (float)(dot_u8s8(codes + r * stride, q, dim) - correction) * scales[r];
        out[r] = s;
        best = s > best ? s : best;
    }
    return best;
}

/// One row's u8 x s8 dot product (dim a multiple of 64) left as 16 i32 lanes.
AVX512VNNI static inline __m512i row_vnni(const uint8_t *a, const int8_t *q, size_t dim) {
    __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
    size_t i = 0;
    for (; i + 128 <= dim; i += 128) {
        s0 = _mm512_dpbusd_epi32(s0, _mm512_loadu_si512(a + i), _mm512_loadu_si512(q + i));
        s1 = _mm512_dpbusd_epi32(s1, _mm512_loadu_si512(a + i + 64), _mm512_loadu_si512(q + i + 64));
    }
    if (i < dim) s0 = _mm512_dpbusd_epi32(s0, _mm512_loadu_si512(a + i), _mm512_loadu_si512(q + i));
    return _mm512_add_epi32(s0, s1);
}

AVX512VNNI float atende_vk_avx512vnni_block_u8s8(const uint8_t *codes, size_t stride, size_t nrows,
                                                 const int8_t *q, size_t dim, int32_t correction,
                                                 const float *scales, float *out) {
    float best = -INFINITY;
    size_t r = 0;
    if (dim % 64 == 0) {
        // Rows in sequence (one prefetch stream), four reduced together; see the AVX2 kernels.
        __m128i corr = _mm_set1_epi32(correction);
        for (; r + 4 <= nrows; r += 4) {
            const uint8_t *a = codes + r * stride;
            __m128i dots = _mm_sub_epi32(hsum4_epi32(row_vnni(a, q, dim), row_vnni(a + stride, q, dim),
                                                     row_vnni(a + 2 * stride, q, dim), row_vnni(a + 3 * stride, q, dim)),
                                         corr);
            __m128 v = _mm_mul_ps(_mm_cvtepi32_ps(dots), _mm_loadu_ps(scales + r));
            _mm_storeu_ps(out + r, v);
            best = max4(v, best);
        }
    }
    for (; r < nrows; r++) {
        float s = (float)(dot_u8s8_vnni(codes + r * stride, q, dim) - correction) * scales[r];
        out[r] = s;
        best = s > best ? s : best;
    }
    return best;
}

AVX512VNNI void atende_vk_avx512vnni_gather_u8s8(const uint8_t *codes, size_t stride, const uint32_t *rows, size_t count,
                                                 const int8_t *q, size_t dim, int32_t correction,
                                                 const float *scales, float *out) {
    for (size_t i = 0; i < count; i++) {
        if (i + 24 < count) {  // as the AVX2 gather: 24 rows ahead, into L2
            const uint8_t *ahead = codes + (size_t)rows[i + 24] * stride;
            for (size_t b = 0; b < dim; b += 64) _mm_prefetch((const char *)(ahead + b), _MM_HINT_T1);
        }
        size_t r = rows[i];
        out[i] = (float)(dot_u8s8_vnni(codes + r * stride, q, dim) - correction) * scales[r];
    }
}

AVX512 void atende_vk_avx512_gather_u8s8(const uint8_t *codes, size_t stride, const uint32_t *rows, size_t count,
                                         const int8_t *q, size_t dim, int32_t correction,
                                         const float *scales, float *out) {
    for (size_t i = 0; i < count; i++) {
        if (i + 24 < count) {  // as the AVX2 gather: 24 rows ahead, into L2
            const uint8_t *ahead = codes + (size_t)rows[i + 24] * stride;
            for (size_t b = 0; b < dim; b += 64) _mm_prefetch((const char *)(ahead + b), _MM_HINT_T1);
        }
        size_t r = rows[i];
        out[i] = (float)(dot_u8s8(codes + r * stride, q, dim) - correction) * scales[r];
    }
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
void atende_vk_avx512_gather_u8s8(const uint8_t *codes, size_t stride, const uint32_t *rows, size_t count,
                                  const int8_t *q, size_t dim, int32_t correction,
                                  const float *scales, float *out) {
    atende_vk_avx2_gather_u8s8(codes, stride, rows, count, q, dim, correction, scales, false, out);
}
void atende_vk_avx512vnni_gather_u8s8(const uint8_t *codes, size_t stride, const uint32_t *rows, size_t count,
                                      const int8_t *q, size_t dim, int32_t correction,
                                      const float *scales, float *out) {
    atende_vk_avx2_gather_u8s8(codes, stride, rows, count, q, dim, correction, scales, false, out);
}
#endif
