// The 1-bit (sign) first pass. Each row keeps one bit per dimension (x_i > 0); a query
// keeps 4 bits per dimension (u_i in 0...15, an affine image of q_i). The kernel computes
// S = sum_i u_i * bit_i exactly, from which the caller's affine terms give an estimate of
// the cosine (see atende_vk_bits_affine).
//
// Layout ("bit blocks"): rows are grouped 32 to a block; a block holds `pairs` = ceil(d/8)
// groups of 32 bytes, and byte r of group p is row r's dimensions 8p..8p+3 (low nibble)
// and 8p+4..8p+7 (high nibble). So every byte belongs to exactly one row (appending a row
// never rewrites a byte a reader may be reading), and one 32-byte load holds the same
// nibble position of 32 rows: one vpshufb looks up a 16-entry table (the sum of u over the
// nibble's set bits, at most 60) for 32 rows at once. 48 bytes per row at d = 384.
// Kernels never read the bytes of rows at or past `nrows` (a writer may be filling them).
//
// Why not XOR + popcount (Hamming distance against the query's own sign bits): simulated on
// the benchmark's data at 100k, the Hamming estimate needed ~33k candidates per query to
// keep recall@10 >= 0.995 on uniform data, the 4-bit query estimate ~7k (clustered: ~45
// either way). The table lookup also needs no popcount instruction, so AVX2 runs it.
#include "CVectorKernels.h"
#include <math.h>
#include <string.h>

static float finish_rows(const uint16_t *sums, size_t first, size_t count,
                         const atende_vk_bits_affine *f, const float *ones, const float *inv_l1,
                         const float *sigma, float *out, float best) {
    for (size_t i = 0; i < count; i++) {
        size_t r = first + i;
        float v = (f->a * (float)sums[i] + f->c * ones[r] + f->b) * inv_l1[r] + f->z * sigma[r];
        out[r] = v;
        best = v > best ? v : best;
    }
    return best;
}

void atende_vk_bits_sums_scalar(const uint8_t *blocks, size_t pairs, size_t nrows,
                                const uint8_t *luts, uint16_t *sums) {
    for (size_t r = 0; r < nrows; r++) {
        const uint8_t *block = blocks + (r / 32) * pairs * 32;
        unsigned s = 0;
        for (size_t p = 0; p < pairs; p++) {
            uint8_t byte = block[p * 32 + r % 32];
            s += luts[(2 * p) * 32 + (byte & 15)] + luts[(2 * p + 1) * 32 + (byte >> 4)];
        }
        sums[r] = (uint16_t)s;
    }
}

float atende_vk_scalar_scan_bits(const uint8_t *blocks, size_t pairs, size_t nrows, const uint8_t *luts,
                                 const atende_vk_bits_affine *f, const float *ones, const float *inv_l1,
                                 const float *sigma, float *out) {
    float best = -INFINITY;
    uint16_t sums[32];
    for (size_t r = 0; r < nrows; r += 32) {
        size_t count = nrows - r < 32 ? nrows - r : 32;
        atende_vk_bits_sums_scalar(blocks + (r / 32) * pairs * 32, pairs, count, luts, sums);
        best = finish_rows(sums, r, count, f, ones, inv_l1, sigma, out, best);
    }
    return best;
}

/// The indices i with low <= values[i] < high, into `out` (room for n); returns how many.
static size_t select_range(const float *values, size_t n, float low, float high, uint32_t *out) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        float v = values[i];
        out[count] = (uint32_t)i;
        count += (v >= low) & (v < high);  // branch-free: few rows pass
    }
    return count;
}


/// The band of value v < high: (high - v) / width rounded down, computed as a product with
/// the reciprocal `inv` (as the SIMD kernel does), at most bands - 1.
static inline size_t band_of(float v, float high, float inv, size_t bands) {
    float f = (high - v) * inv;
    return f < (float)(bands - 1) ? (size_t)f : bands - 1;
}

/// Groups the `count` listed rows by band of their value (see atende_vk_select_bands).
static void bucket_bands(const float *values, const uint32_t *picked, size_t count, float high, float width,
                         size_t bands, uint32_t *out, size_t *ends) {
    size_t starts[ATENDE_VK_MAX_BANDS + 1];
    const float inv = 1.0f / width;
    for (size_t b = 0; b <= bands; b++) starts[b] = 0;
    for (size_t i = 0; i < count; i++) starts[band_of(values[picked[i]], high, inv, bands) + 1]++;
    for (size_t b = 0; b < bands; b++) starts[b + 1] += starts[b];
    for (size_t i = 0; i < count; i++) out[starts[band_of(values[picked[i]], high, inv, bands)]++] = picked[i];
    for (size_t b = 0; b < bands; b++) ends[b] = starts[b];
}

size_t atende_vk_select_bands(const float *values, size_t n, float low, float high, float width, size_t bands,
                              uint32_t *tmp, uint32_t *out, size_t *ends) {
    if (bands < 1) bands = 1;
    if (bands > ATENDE_VK_MAX_BANDS) bands = ATENDE_VK_MAX_BANDS;
    size_t count = select_range(values, n, low, high, tmp);
    bucket_bands(values, tmp, count, high, width, bands, out, ends);
    return count;
}

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))

/// Byte k: row k's partial sum over group `p` of a 32-row block, its dimensions 8p..8p+7
/// (two table lookups of at most 60 each).
AVX2 static inline __m256i pair_sums(const uint8_t *block, const uint8_t *luts, size_t p, __m256i low4) {
    __m256i c = _mm256_loadu_si256((const __m256i *)(block + p * 32));
    __m256i lo = _mm256_and_si256(c, low4);
    __m256i hi = _mm256_and_si256(_mm256_srli_epi16(c, 4), low4);
    __m256i ta = _mm256_loadu_si256((const __m256i *)(luts + (2 * p) * 32));
    __m256i tb = _mm256_loadu_si256((const __m256i *)(luts + (2 * p + 1) * 32));
    return _mm256_add_epi8(_mm256_shuffle_epi8(ta, lo), _mm256_shuffle_epi8(tb, hi));
}

AVX2 float atende_vk_avx2_scan_bits(const uint8_t *blocks, size_t pairs, size_t nrows, const uint8_t *luts,
                                    const atende_vk_bits_affine *f, const float *ones, const float *inv_l1,
                                    const float *sigma, float *out) {
    float best = -INFINITY;
    const __m256i low4 = _mm256_set1_epi8(15);
    const __m256 fa = _mm256_set1_ps(f->a), fb = _mm256_set1_ps(f->b), fc = _mm256_set1_ps(f->c), fz = _mm256_set1_ps(f->z);
    __m256 vbest = _mm256_set1_ps(-INFINITY);
    uint16_t sums[32];
    for (size_t r = 0; r < nrows; r += 32) {
        const uint8_t *block = blocks + (r / 32) * pairs * 32;
        if (nrows - r < 32) {
            // The last, partial block: read only the published rows' bytes (a writer may be
            // filling the others), one row at a time.
            atende_vk_bits_sums_scalar(block, pairs, nrows - r, luts, sums);
            best = finish_rows(sums, r, nrows - r, f, ones, inv_l1, sigma, out, best);
            break;
        }
        // Byte k of `s` is row k's partial sum over two groups (at most 240, so it fits a byte
        // and each widening serves two groups). Accumulate as 16-bit lanes: `e` gains even
        // row + 256 * odd row (wrapping), `o` the odd row alone; at the end even = e - (o << 8).
        // Every row's total is at most 15 * d < 65536 for d < 4369.
        __m256i e = _mm256_setzero_si256(), o = _mm256_setzero_si256();
        size_t p = 0;
        for (; p + 2 <= pairs; p += 2) {
            __m256i s = _mm256_add_epi8(pair_sums(block, luts, p, low4), pair_sums(block, luts, p + 1, low4));
            e = _mm256_add_epi16(e, s);
            o = _mm256_add_epi16(o, _mm256_srli_epi16(s, 8));
        }
        if (p < pairs) {
            __m256i s = pair_sums(block, luts, p, low4);
            e = _mm256_add_epi16(e, s);
            o = _mm256_add_epi16(o, _mm256_srli_epi16(s, 8));
        }
        e = _mm256_sub_epi16(e, _mm256_slli_epi16(o, 8));
        // Back to row order: unpacklo gives rows 0-7 | 16-23, unpackhi rows 8-15 | 24-31.
        __m256i a = _mm256_unpacklo_epi16(e, o), b = _mm256_unpackhi_epi16(e, o);
        _mm_storeu_si128((__m128i *)(sums + 0), _mm256_castsi256_si128(a));
        _mm_storeu_si128((__m128i *)(sums + 8), _mm256_castsi256_si128(b));
        _mm_storeu_si128((__m128i *)(sums + 16), _mm256_extracti128_si256(a, 1));
        _mm_storeu_si128((__m128i *)(sums + 24), _mm256_extracti128_si256(b, 1));
        for (size_t i = 0; i < 32; i += 8) {
            size_t row = r + i;
            __m256 sv = _mm256_cvtepi32_ps(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(sums + i))));
            __m256 v = _mm256_fmadd_ps(fa, sv, _mm256_fmadd_ps(fc, _mm256_loadu_ps(ones + row), fb));
            v = _mm256_fmadd_ps(v, _mm256_loadu_ps(inv_l1 + row), _mm256_mul_ps(fz, _mm256_loadu_ps(sigma + row)));
            _mm256_storeu_ps(out + row, v);
            vbest = _mm256_max_ps(vbest, v);
        }
    }
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(vbest), _mm256_extractf128_ps(vbest, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    float vb = _mm_cvtss_f32(m);
    return vb > best ? vb : best;
}


// Lane positions of the set bits of an 8-bit mask, packed to the front (compress table).
static const uint8_t compress_lut[256][8] = {
    {0,0,0,0,0,0,0,0}, {0,0,0,0,0,0,0,0}, {1,0,0,0,0,0,0,0}, {0,1,0,0,0,0,0,0}, {2,0,0,0,0,0,0,0}, {0,2,0,0,0,0,0,0}, {1,2,0,0,0,0,0,0}, {0,1,2,0,0,0,0,0},
    {3,0,0,0,0,0,0,0}, {0,3,0,0,0,0,0,0}, {1,3,0,0,0,0,0,0}, {0,1,3,0,0,0,0,0}, {2,3,0,0,0,0,0,0}, {0,2,3,0,0,0,0,0}, {1,2,3,0,0,0,0,0}, {0,1,2,3,0,0,0,0},
    {4,0,0,0,0,0,0,0}, {0,4,0,0,0,0,0,0}, {1,4,0,0,0,0,0,0}, {0,1,4,0,0,0,0,0}, {2,4,0,0,0,0,0,0}, {0,2,4,0,0,0,0,0}, {1,2,4,0,0,0,0,0}, {0,1,2,4,0,0,0,0},
    {3,4,0,0,0,0,0,0}, {0,3,4,0,0,0,0,0}, {1,3,4,0,0,0,0,0}, {0,1,3,4,0,0,0,0}, {2,3,4,0,0,0,0,0}, {0,2,3,4,0,0,0,0}, {1,2,3,4,0,0,0,0}, {0,1,2,3,4,0,0,0},
    {5,0,0,0,0,0,0,0}, {0,5,0,0,0,0,0,0}, {1,5,0,0,0,0,0,0}, {0,1,5,0,0,0,0,0}, {2,5,0,0,0,0,0,0}, {0,2,5,0,0,0,0,0}, {1,2,5,0,0,0,0,0}, {0,1,2,5,0,0,0,0},
    {3,5,0,0,0,0,0,0}, {0,3,5,0,0,0,0,0}, {1,3,5,0,0,0,0,0}, {0,1,3,5,0,0,0,0}, {2,3,5,0,0,0,0,0}, {0,2,3,5,0,0,0,0}, {1,2,3,5,0,0,0,0}, {0,1,2,3,5,0,0,0},
    {4,5,0,0,0,0,0,0}, {0,4,5,0,0,0,0,0}, {1,4,5,0,0,0,0,0}, {0,1,4,5,0,0,0,0}, {2,4,5,0,0,0,0,0}, {0,2,4,5,0,0,0,0}, {1,2,4,5,0,0,0,0}, {0,1,2,4,5,0,0,0},
    {3,4,5,0,0,0,0,0}, {0,3,4,5,0,0,0,0}, {1,3,4,5,0,0,0,0}, {0,1,3,4,5,0,0,0}, {2,3,4,5,0,0,0,0}, {0,2,3,4,5,0,0,0}, {1,2,3,4,5,0,0,0}, {0,1,2,3,4,5,0,0},
    {6,0,0,0,0,0,0,0}, {0,6,0,0,0,0,0,0}, {1,6,0,0,0,0,0,0}, {0,1,6,0,0,0,0,0}, {2,6,0,0,0,0,0,0}, {0,2,6,0,0,0,0,0}, {1,2,6,0,0,0,0,0}, {0,1,2,6,0,0,0,0},
    {3,6,0,0,0,0,0,0}, {0,3,6,0,0,0,0,0}, {1,3,6,0,0,0,0,0}, {0,1,3,6,0,0,0,0}, {2,3,6,0,0,0,0,0}, {0,2,3,6,0,0,0,0}, {1,2,3,6,0,0,0,0}, {0,1,2,3,6,0,0,0},
    {4,6,0,0,0,0,0,0}, {0,4,6,0,0,0,0,0}, {1,4,6,0,0,0,0,0}, {0,1,4,6,0,0,0,0}, {2,4,6,0,0,0,0,0}, {0,2,4,6,0,0,0,0}, {1,2,4,6,0,0,0,0}, {0,1,2,4,6,0,0,0},
    {3,4,6,0,0,0,0,0}, {0,3,4,6,0,0,0,0}, {1,3,4,6,0,0,0,0}, {0,1,3,4,6,0,0,0}, {2,3,4,6,0,0,0,0}, {0,2,3,4,6,0,0,0}, {1,2,3,4,6,0,0,0}, {0,1,2,3,4,6,0,0},
    {5,6,0,0,0,0,0,0}, {0,5,6,0,0,0,0,0}, {1,5,6,0,0,0,0,0}, {0,1,5,6,0,0,0,0}, {2,5,6,0,0,0,0,0}, {0,2,5,6,0,0,0,0}, {1,2,5,6,0,0,0,0}, {0,1,2,5,6,0,0,0},
    {3,5,6,0,0,0,0,0}, {0,3,5,6,0,0,0,0}, {1,3,5,6,0,0,0,0}, {0,1,3,5,6,0,0,0}, {2,3,5,6,0,0,0,0}, {0,2,3,5,6,0,0,0}, {1,2,3,5,6,0,0,0}, {0,1,2,3,5,6,0,0},
    {4,5,6,0,0,0,0,0}, {0,4,5,6,0,0,0,0}, {1,4,5,6,0,0,0,0}, {0,1,4,5,6,0,0,0}, {2,4,5,6,0,0,0,0}, {0,2,4,5,6,0,0,0}, {1,2,4,5,6,0,0,0}, {0,1,2,4,5,6,0,0},
    {3,4,5,6,0,0,0,0}, {0,3,4,5,6,0,0,0}, {1,3,4,5,6,0,0,0}, {0,1,3,4,5,6,0,0}, {2,3,4,5,6,0,0,0}, {0,2,3,4,5,6,0,0}, {1,2,3,4,5,6,0,0}, {0,1,2,3,4,5,6,0},
    {7,0,0,0,0,0,0,0}, {0,7,0,0,0,0,0,0}, {1,7,0,0,0,0,0,0}, {0,1,7,0,0,0,0,0}, {2,7,0,0,0,0,0,0}, {0,2,7,0,0,0,0,0}, {1,2,7,0,0,0,0,0}, {0,1,2,7,0,0,0,0},
    {3,7,0,0,0,0,0,0}, {0,3,7,0,0,0,0,0}, {1,3,7,0,0,0,0,0}, {0,1,3,7,0,0,0,0}, {2,3,7,0,0,0,0,0}, {0,2,3,7,0,0,0,0}, {1,2,3,7,0,0,0,0}, {0,1,2,3,7,0,0,0},
    {4,7,0,0,0,0,0,0}, {0,4,7,0,0,0,0,0}, {1,4,7,0,0,0,0,0}, {0,1,4,7,0,0,0,0}, {2,4,7,0,0,0,0,0}, {0,2,4,7,0,0,0,0}, {1,2,4,7,0,0,0,0}, {0,1,2,4,7,0,0,0},
    {3,4,7,0,0,0,0,0}, {0,3,4,7,0,0,0,0}, {1,3,4,7,0,0,0,0}, {0,1,3,4,7,0,0,0}, {2,3,4,7,0,0,0,0}, {0,2,3,4,7,0,0,0}, {1,2,3,4,7,0,0,0}, {0,1,2,3,4,7,0,0},
    {5,7,0,0,0,0,0,0}, {0,5,7,0,0,0,0,0}, {1,5,7,0,0,0,0,0}, {0,1,5,7,0,0,0,0}, {2,5,7,0,0,0,0,0}, {0,2,5,7,0,0,0,0}, {1,2,5,7,0,0,0,0}, {0,1,2,5,7,0,0,0},
    {3,5,7,0,0,0,0,0}, {0,3,5,7,0,0,0,0}, {1,3,5,7,0,0,0,0}, {0,1,3,5,7,0,0,0}, {2,3,5,7,0,0,0,0}, {0,2,3,5,7,0,0,0}, {1,2,3,5,7,0,0,0}, {0,1,2,3,5,7,0,0},
    {4,5,7,0,0,0,0,0}, {0,4,5,7,0,0,0,0}, {1,4,5,7,0,0,0,0}, {0,1,4,5,7,0,0,0}, {2,4,5,7,0,0,0,0}, {0,2,4,5,7,0,0,0}, {1,2,4,5,7,0,0,0}, {0,1,2,4,5,7,0,0},
    {3,4,5,7,0,0,0,0}, {0,3,4,5,7,0,0,0}, {1,3,4,5,7,0,0,0}, {0,1,3,4,5,7,0,0}, {2,3,4,5,7,0,0,0}, {0,2,3,4,5,7,0,0}, {1,2,3,4,5,7,0,0}, {0,1,2,3,4,5,7,0},
    {6,7,0,0,0,0,0,0}, {0,6,7,0,0,0,0,0}, {1,6,7,0,0,0,0,0}, {0,1,6,7,0,0,0,0}, {2,6,7,0,0,0,0,0}, {0,2,6,7,0,0,0,0}, {1,2,6,7,0,0,0,0}, {0,1,2,6,7,0,0,0},
    {3,6,7,0,0,0,0,0}, {0,3,6,7,0,0,0,0}, {1,3,6,7,0,0,0,0}, {0,1,3,6,7,0,0,0}, {2,3,6,7,0,0,0,0}, {0,2,3,6,7,0,0,0}, {1,2,3,6,7,0,0,0}, {0,1,2,3,6,7,0,0},
    {4,6,7,0,0,0,0,0}, {0,4,6,7,0,0,0,0}, {1,4,6,7,0,0,0,0}, {0,1,4,6,7,0,0,0}, {2,4,6,7,0,0,0,0}, {0,2,4,6,7,0,0,0}, {1,2,4,6,7,0,0,0}, {0,1,2,4,6,7,0,0},
    {3,4,6,7,0,0,0,0}, {0,3,4,6,7,0,0,0}, {1,3,4,6,7,0,0,0}, {0,1,3,4,6,7,0,0}, {2,3,4,6,7,0,0,0}, {0,2,3,4,6,7,0,0}, {1,2,3,4,6,7,0,0}, {0,1,2,3,4,6,7,0},
    {5,6,7,0,0,0,0,0}, {0,5,6,7,0,0,0,0}, {1,5,6,7,0,0,0,0}, {0,1,5,6,7,0,0,0}, {2,5,6,7,0,0,0,0}, {0,2,5,6,7,0,0,0}, {1,2,5,6,7,0,0,0}, {0,1,2,5,6,7,0,0},
    {3,5,6,7,0,0,0,0}, {0,3,5,6,7,0,0,0}, {1,3,5,6,7,0,0,0}, {0,1,3,5,6,7,0,0}, {2,3,5,6,7,0,0,0}, {0,2,3,5,6,7,0,0}, {1,2,3,5,6,7,0,0}, {0,1,2,3,5,6,7,0},
    {4,5,6,7,0,0,0,0}, {0,4,5,6,7,0,0,0}, {1,4,5,6,7,0,0,0}, {0,1,4,5,6,7,0,0}, {2,4,5,6,7,0,0,0}, {0,2,4,5,6,7,0,0}, {1,2,4,5,6,7,0,0}, {0,1,2,4,5,6,7,0},
    {3,4,5,6,7,0,0,0}, {0,3,4,5,6,7,0,0}, {1,3,4,5,6,7,0,0}, {0,1,3,4,5,6,7,0}, {2,3,4,5,6,7,0,0}, {0,2,3,4,5,6,7,0}, {1,2,3,4,5,6,7,0}, {0,1,2,3,4,5,6,7}
};

/// Bits of a packed candidate below its band number (atende_vk_avx2_select_bands).
#define BAND_SHIFT 26

/// The indices i with low <= values[i] < high, each carrying its band in its top bits
/// (index | band << BAND_SHIFT; the caller keeps n <= 1 << BAND_SHIFT). Branch-free: every 8
/// values store their passing entries packed to the front (a permutation from compress_lut),
/// then advance by the popcount; `out` has room for n, and a store of 8 never passes i + 8 <= n.
AVX2 static size_t select_compress_banded(const float *values, size_t n, float low, float high, float width,
                                          size_t bands, uint32_t *out) {
    size_t count = 0, i = 0;
    __m256 lo = _mm256_set1_ps(low), hi = _mm256_set1_ps(high), inv = _mm256_set1_ps(1.0f / width);
    __m256 last = _mm256_set1_ps((float)(bands - 1));
    __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i eight = _mm256_set1_epi32(8);
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(values + i);
        __m256 in = _mm256_and_ps(_mm256_cmp_ps(v, lo, _CMP_GE_OQ), _mm256_cmp_ps(v, hi, _CMP_LT_OQ));
        unsigned mask = (unsigned)_mm256_movemask_ps(in);
        // The scalar reference's band (see band_of), capped as a float first so that a huge
        // quotient never reaches the conversion.
        __m256 f = _mm256_min_ps(_mm256_mul_ps(_mm256_sub_ps(hi, v), inv), last);
        __m256i packed = _mm256_or_si256(idx, _mm256_slli_epi32(_mm256_cvttps_epi32(f), BAND_SHIFT));
        __m256i perm = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)compress_lut[mask]));
        _mm256_storeu_si256((__m256i *)(out + count), _mm256_permutevar8x32_epi32(packed, perm));
        count += (size_t)__builtin_popcount(mask);
        idx = _mm256_add_epi32(idx, eight);
    }
    for (; i < n; i++) {
        float v = values[i];
        if (!(v >= low && v < high)) continue;
        out[count++] = (uint32_t)i | (uint32_t)band_of(v, high, 1.0f / width, bands) << BAND_SHIFT;
    }
    return count;
}

/// Counting sort of packed candidates by band, stable (indices stay ascending within a band).
/// The list is cut in four quarters sorted side by side: four independent chains of counter
/// updates instead of one (consecutive candidates mostly share a band, and each update waits
/// for the store of the one before; 2x faster on Zen 1). A band's region holds its rows from
/// quarter 0, then 1, 2, 3, so the order is the same as one pass would give.
static void bucket_packed(const uint32_t *packed, size_t count, size_t bands, uint32_t *out, size_t *ends) {
    size_t at[4][ATENDE_VK_MAX_BANDS];
    memset(at, 0, sizeof at);
    size_t quarter = count / 4, base[4] = {0, quarter, 2 * quarter, 3 * quarter};
    for (size_t j = 0; j < quarter; j++)
        for (int q = 0; q < 4; q++) at[q][packed[base[q] + j] >> BAND_SHIFT]++;
    for (size_t j = 4 * quarter; j < count; j++) at[3][packed[j] >> BAND_SHIFT]++;
    size_t run = 0;
    for (size_t b = 0; b < bands; b++) {
        for (int q = 0; q < 4; q++) {
            size_t c = at[q][b];
            at[q][b] = run;
            run += c;
        }
        ends[b] = run;
    }
    const uint32_t index = (1u << BAND_SHIFT) - 1;
    for (size_t j = 0; j < quarter; j++)
        for (int q = 0; q < 4; q++) {
            uint32_t p = packed[base[q] + j];
            out[at[q][p >> BAND_SHIFT]++] = p & index;
        }
    for (size_t j = 4 * quarter; j < count; j++) {
        uint32_t p = packed[j];
        out[at[3][p >> BAND_SHIFT]++] = p & index;
    }
}

AVX2 size_t atende_vk_avx2_select_bands(const float *values, size_t n, float low, float high, float width, size_t bands,
                                        uint32_t *tmp, uint32_t *out, size_t *ends) {
    if (bands < 1) bands = 1;
    if (bands > ATENDE_VK_MAX_BANDS) bands = ATENDE_VK_MAX_BANDS;
    if (n > (size_t)1 << BAND_SHIFT) return atende_vk_select_bands(values, n, low, high, width, bands, tmp, out, ends);
    size_t count = select_compress_banded(values, n, low, high, width, bands, tmp);
    bucket_packed(tmp, count, bands, out, ends);
    return count;
}

#else
float atende_vk_avx2_scan_bits(const uint8_t *blocks, size_t pairs, size_t nrows, const uint8_t *luts,
                               const atende_vk_bits_affine *f, const float *ones, const float *inv_l1,
                               const float *sigma, float *out) {
    return atende_vk_scalar_scan_bits(blocks, pairs, nrows, luts, f, ones, inv_l1, sigma, out);
}
size_t atende_vk_avx2_select_bands(const float *values, size_t n, float low, float high, float width, size_t bands,
                                   uint32_t *tmp, uint32_t *out, size_t *ends) {
    return atende_vk_select_bands(values, n, low, high, width, bands, tmp, out, ends);
}
#endif
