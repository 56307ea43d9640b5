// AVX2 + FMA kernels (x86-64-v3). Compiled for that ISA by attribute only; the caller
// checks CPU features before calling.
#include "CVectorKernels.h"
#include <math.h>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
/// Candidates ahead that the gather kernels prefetch (see prefetch_row).
#define GATHER_AHEAD 24

AVX2 static inline float hsum256_ps(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

AVX2 static inline int32_t hsum256_epi32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

AVX2 static inline float dot_f32(const float *a, const float *b, size_t n) {
    // Four accumulators hide FMA latency; the tail is summed in scalar.
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
    }
    for (; i + 8 <= n; i += 8)
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    float sum = hsum256_ps(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; i++) sum += a[i] * b[i];
    return sum;
}

AVX2 static inline int32_t dot_u8s8(const uint8_t *a, const int8_t *b, size_t n) {
    // Widen to i16 and use vpmaddwd: 255*127*2 fits in i32 (vpmaddubsw would saturate).
    __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i a0 = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(a + i)));
        __m256i b0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(b + i)));
        __m256i a1 = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(a + i + 16)));
        __m256i b1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(b + i + 16)));
        s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(a0, b0));
        s1 = _mm256_add_epi32(s1, _mm256_madd_epi16(a1, b1));
    }
    for (; i + 16 <= n; i += 16) {
        __m256i a0 = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(a + i)));
        __m256i b0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(b + i)));
        s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(a0, b0));
    }
    int32_t sum = hsum256_epi32(_mm256_add_epi32(s0, s1));
    for (; i < n; i++) sum += (int32_t)a[i] * (int32_t)b[i];
    return sum;
}

AVX2 float atende_vk_avx2_dot_f32(const float *a, const float *b, size_t n) {
    return dot_f32(a, b, n);
}

AVX2 int32_t atende_vk_avx2_dot_u8s8(const uint8_t *a, const int8_t *b, size_t n) {
    return dot_u8s8(a, b, n);
}

AVX2 static inline __m128i hsum4_epi32_256(__m256i a, __m256i b, __m256i c, __m256i d) {
    __m256i ab = _mm256_hadd_epi32(a, b), cd = _mm256_hadd_epi32(c, d);
    __m256i abcd = _mm256_hadd_epi32(ab, cd);
    return _mm_add_epi32(_mm256_castsi256_si128(abcd), _mm256_extracti128_si256(abcd, 1));
}

AVX2 static inline __m128 hsum4_ps_256(__m256 a, __m256 b, __m256 c, __m256 d) {
    __m256 abcd = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
    return _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1));
}

AVX2 static inline float max4_128(__m128 v, float best) {
    v = _mm_max_ps(v, _mm_movehl_ps(v, v));
    v = _mm_max_ss(v, _mm_movehdup_ps(v));
    float m = _mm_cvtss_f32(v);
    return m > best ? m : best;
}

/// One row's dot product left as eight lanes (dim a multiple of 8): the caller reduces four
/// rows at once.
AVX2 static inline __m256 row_f32(const float *a, const float *q, size_t dim) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= dim; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(q + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(q + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(q + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(q + i + 24), s3);
    }
    for (; i < dim; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(q + i), s0);
    return _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3));
}

AVX2 float atende_vk_avx2_block_f32(const float *rows, size_t stride, size_t nrows,
                                    const float *q, size_t dim, float *out) {
    float best = -INFINITY;
    size_t r = 0;
    if (dim % 8 == 0) {
        // Rows one after another (one sequential stream for the hardware prefetcher), four
        // reduced together. Interleaving four rows 1.5 KB apart measured 1.6-1.7x the
        // bandwidth floor on Zen 4 and software prefetch did not fix it under clang; the
        // sequential order measured 1.1x (bench/vector, same machine).
        for (; r + 4 <= nrows; r += 4) {
            const float *a = rows + r * stride;
            __m128 v = hsum4_ps_256(row_f32(a, q, dim), row_f32(a + stride, q, dim),
                                    row_f32(a + 2 * stride, q, dim), row_f32(a + 3 * stride, q, dim));
            _mm_storeu_ps(out + r, v);
            best = max4_128(v, best);
        }
    }
    for (; r < nrows; r++) {
        float s = dot_f32(rows + r * stride, q, dim);
        out[r] = s;
        best = s > best ? s : best;
    }
    return best;
}

/// The widest query the vpmaddubsw kernels take (its |q| is kept on the stack); wider ones use
/// the widening kernel.
#define ABS_QUERY_MAX 4096

/// One row's signed int8 dot product (dim a multiple of 32) left as eight i32 lanes: the row
/// code c = u8 ^ 0x80 is signed, |q| (`qa`, computed once per query) is vpmaddubsw's unsigned
/// operand and sign(c, q) carries q's sign, so every i16 pair sum is at most 2 * 127 * 127 and
/// never saturates (codes and queries are in [-127, 127], which Quantizer guarantees).
/// Loading |q| instead of taking it per row: 0.91x the time at 10k rows of 384 (L3-resident),
/// 0.99x at 100k (memory-bound) on an EPYC (Zen 4), C harness, median of 41.
AVX2 static inline __m256i row_s8(const uint8_t *a, const int8_t *q, const int8_t *qa, size_t dim) {
    const __m256i bias = _mm256_set1_epi8((char)0x80), ones = _mm256_set1_epi16(1);
    __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
    size_t i = 0;
#define STEP(acc, off) do { \
        __m256i qv = _mm256_loadu_si256((const __m256i *)(q + i + (off))); \
        __m256i c = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(a + i + (off))), bias); \
        __m256i qabs = _mm256_load_si256((const __m256i *)(qa + i + (off))); \
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(qabs, _mm256_sign_epi8(c, qv)), ones)); \
    } while (0)
    for (; i + 64 <= dim; i += 64) { STEP(s0, 0); STEP(s1, 32); }
    for (; i < dim; i += 32) STEP(s0, 0);
#undef STEP
    return _mm256_add_epi32(s0, s1);
}

/// The largest |q| `row_u8_q6` takes. Four u8 x s8 products then sum to at most
/// 4 * 255 * 32 = 32640 in magnitude, so two vpmaddubsw results add in i16 without
/// saturating. Quantizer makes query codes in this range (`Quantizer.queryLevels`).
#define NARROW_QUERY_MAX 32

/// One row's dot product sum(u8 * q) (dim a multiple of 32) left as eight i32 lanes, for a
/// query with every |q| <= NARROW_QUERY_MAX: the raw u8 codes are vpmaddubsw's unsigned
/// operand, so neither the bias flip nor vpsignb nor |q| is needed, and one vpmaddwd widens
/// 64 bytes. The caller subtracts 128 * sum(q), which leaves row_s8's exact result.
/// 2.33 vs 2.89 ms for 100k rows of 384 (1.17x vs 1.45x the stream read of the same
/// bytes) and 27 vs 18 GB/s L2/L3-resident, on an AMD EPYC 7001 (Zen 1; a C harness,
/// median of 41): the older kernel was bound by its own instructions, not by memory.
AVX2 static inline __m256i row_u8_q6(const uint8_t *a, const int8_t *q, size_t dim) {
    const __m256i ones = _mm256_set1_epi16(1);
    __m256i s = _mm256_setzero_si256();
    size_t i = 0;
#define PAIR(off) _mm256_maddubs_epi16(_mm256_loadu_si256((const __m256i *)(a + i + (off))), \
                                       _mm256_loadu_si256((const __m256i *)(q + i + (off))))
    for (; i + 64 <= dim; i += 64) s = _mm256_add_epi32(s, _mm256_madd_epi16(_mm256_add_epi16(PAIR(0), PAIR(32)), ones));
    if (i < dim) s = _mm256_add_epi32(s, _mm256_madd_epi16(PAIR(0), ones));   // dim is a multiple of 32
#undef PAIR
    return s;
}

/// |q| into `qa` (32-byte aligned, dim a multiple of 32) and the sum of q; `narrow` says
/// whether every |q| is at most NARROW_QUERY_MAX (`row_u8_q6` applies).
AVX2 static inline int32_t query_abs(const int8_t *q, size_t dim, int8_t *qa, bool *narrow) {
    // Vector sums and maxima: the block kernel runs this once per block of rows.
    const __m256i ones8 = _mm256_set1_epi8(1), ones16 = _mm256_set1_epi16(1);
    __m256i sums = _mm256_setzero_si256(), widest = _mm256_setzero_si256();
    for (size_t i = 0; i < dim; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(q + i)), a = _mm256_abs_epi8(v);
        _mm256_store_si256((__m256i *)(qa + i), a);
        widest = _mm256_max_epu8(widest, a);
        sums = _mm256_add_epi32(sums, _mm256_madd_epi16(_mm256_maddubs_epi16(ones8, v), ones16));
    }
    // |q| <= NARROW_QUERY_MAX in every lane: no lane exceeds it after saturating subtraction.
    __m256i over = _mm256_subs_epu8(widest, _mm256_set1_epi8(NARROW_QUERY_MAX));
    *narrow = _mm256_testz_si256(over, over);
    return hsum256_epi32(sums);
}

/// Four rows' signed dot products sum((u8 - 128) * q) minus `correction`, reduced together.
AVX2 __attribute__((always_inline)) static inline __m128i dot4_s8(const uint8_t *a0, const uint8_t *a1, const uint8_t *a2, const uint8_t *a3,
                                   const int8_t *q, const int8_t *qa, size_t dim, bool narrow, __m128i adjust) {
    if (narrow)
        return _mm_add_epi32(hsum4_epi32_256(row_u8_q6(a0, q, dim), row_u8_q6(a1, q, dim),
                                             row_u8_q6(a2, q, dim), row_u8_q6(a3, q, dim)), adjust);
    return _mm_add_epi32(hsum4_epi32_256(row_s8(a0, q, qa, dim), row_s8(a1, q, qa, dim), row_s8(a2, q, qa, dim),
                                         row_s8(a3, q, qa, dim)), adjust);
}

/// What dot4_s8 adds to its sums: row_s8 counts sum(c * q), row_u8_q6 sum(u8 * q), which is
/// 128 * sum(q) more.
AVX2 static inline __m128i dot4_adjust(int32_t qsum, int32_t correction, bool narrow) {
    return _mm_set1_epi32(narrow ? -correction : 128 * qsum - correction);
}

AVX2 float atende_vk_avx2_block_u8s8(const uint8_t *codes, size_t stride, size_t nrows,
                                     const int8_t *q, size_t dim, int32_t correction,
                                     const float *scales, float *out) {
    float best = -INFINITY;
    size_t r = 0;
    if (dim % 32 == 0 && dim <= ABS_QUERY_MAX) {
        // 32 bytes per vpmaddubsw instead of widening 16 bytes to i16 for vpmaddwd, rows in
        // sequence (one prefetch stream) and four reduced together: 1.0x the int8 stream rate
        // at 100k and 0.065 vs 0.11 ms at 10k on Zen 4, where the interleaved widening kernel
        // was 1.2-1.3x (harness measurements, clang -O2).
        // The signed dot equals sum(u8 * q) - 128 * sum(q); the caller's correction is applied
        // on top of that identity, so results equal the widening kernel's exactly.
        int8_t qa[ABS_QUERY_MAX] __attribute__((aligned(32)));
        bool narrow;
        int32_t qsum = query_abs(q, dim, qa, &narrow);
        __m128i adjust = dot4_adjust(qsum, correction, narrow);
        for (; r + 4 <= nrows; r += 4) {
            const uint8_t *a = codes + r * stride;
            __m128i dots = dot4_s8(a, a + stride, a + 2 * stride, a + 3 * stride, q, qa, dim, narrow, adjust);
            __m128 v = _mm_mul_ps(_mm_cvtepi32_ps(dots), _mm_loadu_ps(scales + r));
            _mm_storeu_ps(out + r, v);
            best = max4_128(v, best);
        }
    }
    for (; r < nrows; r++) {
        float s = (float)(dot_u8s8(codes + r * stride, q, dim) - correction) * scales[r];
        out[r] = s;
        best = s > best ? s : best;
    }
    return best;
}

/// Into L2 (T1), not L1: with rows GATHER_AHEAD = 24 ahead (6 lines each at d = 384) the L1's
/// miss buffers would be full; measured on Zen 4 (a C harness, 1 in 13 rows of 100k, cold):
/// 47 ns a row against 55-60 with T0 at 4-16 rows ahead.
/// `stream` (codes far larger than the cache): non-temporal instead, so one search's rows do
/// not evict the next search's 1-bit blocks. On the Zen 1 VM, 100k x 384 uniform (7.6k rows a
/// search): 1.05 ms a search against 1.12 with T1; at 10k (codes cached between searches)
/// NTA loses, 0.17 against 0.14 ms, since those lines then never reach the L3.
AVX2 static inline void prefetch_row(const uint8_t *row, size_t dim, bool stream) {
    if (stream)
        for (size_t b = 0; b < dim; b += 64) _mm_prefetch((const char *)(row + b), _MM_HINT_NTA);
    else
        for (size_t b = 0; b < dim; b += 64) _mm_prefetch((const char *)(row + b), _MM_HINT_T1);
}

AVX2 void atende_vk_avx2_gather_u8s8(const uint8_t *codes, size_t stride, const uint32_t *rows, size_t count,
                                     const int8_t *q, size_t dim, int32_t correction,
                                     const float *scales, bool stream, float *out) {
    size_t i = 0;
    if (dim % 32 == 0 && dim <= ABS_QUERY_MAX) {
        // The block kernel's arithmetic (vpmaddubsw on 32 bytes, four rows reduced
        // together), so the scores are bit-identical to a full scan's; the rows are
        // scattered, so a later group's rows are prefetched while this one is scored.
        int8_t qa[ABS_QUERY_MAX] __attribute__((aligned(32)));
        bool narrow;
        int32_t qsum = query_abs(q, dim, qa, &narrow);
        __m128i adjust = dot4_adjust(qsum, correction, narrow);
        size_t ahead = count < GATHER_AHEAD ? count : GATHER_AHEAD;
        for (size_t j = 0; j < ahead; j++) prefetch_row(codes + (size_t)rows[j] * stride, dim, stream);
        for (; i + 4 <= count; i += 4) {
            for (size_t j = i + GATHER_AHEAD; j < i + 4 + GATHER_AHEAD && j < count; j++)
                prefetch_row(codes + (size_t)rows[j] * stride, dim, stream);
            size_t r0 = rows[i], r1 = rows[i + 1], r2 = rows[i + 2], r3 = rows[i + 3];
            __m128i dots = dot4_s8(codes + r0 * stride, codes + r1 * stride, codes + r2 * stride, codes + r3 * stride,
                                   q, qa, dim, narrow, adjust);
            __m128 s4 = _mm_setr_ps(scales[r0], scales[r1], scales[r2], scales[r3]);
            _mm_storeu_ps(out + i, _mm_mul_ps(_mm_cvtepi32_ps(dots), s4));
        }
    }
    for (; i < count; i++) {
        if (i + GATHER_AHEAD < count) prefetch_row(codes + (size_t)rows[i + GATHER_AHEAD] * stride, dim, stream);
        size_t r = rows[i];
        out[i] = (float)(dot_u8s8(codes + r * stride, q, dim) - correction) * scales[r];
    }
}

AVX2 static float stream_avx2(const float *p, size_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_add_ps(s0, _mm256_loadu_ps(p + i));
        s1 = _mm256_add_ps(s1, _mm256_loadu_ps(p + i + 8));
        s2 = _mm256_add_ps(s2, _mm256_loadu_ps(p + i + 16));
        s3 = _mm256_add_ps(s3, _mm256_loadu_ps(p + i + 24));
    }
    float sum = hsum256_ps(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; i++) sum += p[i];
    return sum;
}

float atende_vk_stream_read(const float *data, size_t n, bool use_avx2) {
    if (use_avx2) return stream_avx2(data, n);
    float s[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= n; i += 4) { s[0] += data[i]; s[1] += data[i+1]; s[2] += data[i+2]; s[3] += data[i+3]; }
    for (; i < n; i++) s[0] += data[i];
    return s[0] + s[1] + s[2] + s[3];
}

#else  // not x86-64: portable C bodies so the symbols exist; VectorIndex never selects them.

static float dot_f32(const float *a, const float *b, size_t n) {
    float s = 0; for (size_t i = 0; i < n; i++) s += a[i] * b[i]; return s;
}
static int32_t dot_u8s8(const uint8_t *a, const int8_t *b, size_t n) {
    int32_t s = 0; for (size_t i = 0; i < n; i++) s += (int32_t)a[i] * b[i]; return s;
}
float atende_vk_avx2_dot_f32(const float *a, const float *b, size_t n) { return dot_f32(a, b, n); }
int32_t atende_vk_avx2_dot_u8s8(const uint8_t *a, const int8_t *b, size_t n) { return dot_u8s8(a, b, n); }
float atende_vk_avx2_block_f32(const float *rows, size_t stride, size_t nrows,
                               const float *q, size_t dim, float *out) {
    float best = -INFINITY;
    for (size_t r = 0; r < nrows; r++) { out[r] = dot_f32(rows + r * stride, q, dim); if (out[r] > best) best = out[r]; }
    return best;
}
float atende_vk_avx2_block_u8s8(const uint8_t *codes, size_t stride, size_t nrows,
                                const int8_t *q, size_t dim, int32_t correction,
                                const float *scales, float *out) {
    float best = -INFINITY;
    for (size_t r = 0; r < nrows; r++) {
        out[r] = (float)(dot_u8s8(codes + r * stride, q, dim) - correction) * scales[r];
        if (out[r] > best) best = out[r];
    }
    return best;
}
void atende_vk_avx2_gather_u8s8(const uint8_t *codes, size_t stride, const uint32_t *rows, size_t count,
                                const int8_t *q, size_t dim, int32_t correction,
                                const float *scales, bool stream, float *out) {
    (void)stream;
    for (size_t i = 0; i < count; i++) {
        size_t r = rows[i];
        out[i] = (float)(dot_u8s8(codes + r * stride, q, dim) - correction) * scales[r];
    }
}
float atende_vk_stream_read(const float *data, size_t n, bool use_avx2) {
    (void)use_avx2; float s = 0; for (size_t i = 0; i < n; i++) s += data[i]; return s;
}
#endif
