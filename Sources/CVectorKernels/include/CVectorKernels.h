// Kernels that need per-CPU compilation. Every SIMD function carries its own
// __attribute__((target(...))) so the module builds with no -march and no unsafeFlags;
// the caller (VectorIndex) picks one path once from atende_vk_detect().
//
// int8 rows are stored biased as u8 (code + 128) so AVX-512 VNNI's u8 x s8 instruction
// can be used directly; every int8 kernel returns sum(u8[i] * q[i]) and the caller
// subtracts 128 * sum(q) once per query.
#ifndef ATENDE_CVECTORKERNELS_H
#define ATENDE_CVECTORKERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What the CPU can do AND the OS has enabled (XSAVE state checked with xgetbv).
typedef struct {
    bool is_x86_64;
    bool os_saves_avx;     // XCR0 has SSE+AVX state
    bool os_saves_avx512;  // XCR0 has opmask + ZMM state
    bool avx2;
    bool fma;
    bool f16c;
    bool avx512f;
    bool avx512bw;
    bool avx512vl;
    bool avx512vnni;
    bool avx_vnni;
} atende_vk_cpu;

/// Reads CPUID and XCR0. Always safe to call; on non-x86 hosts all fields are false.
void atende_vk_detect(atende_vk_cpu *out);

// ---- AVX2 + FMA (x86-64-v3) ---------------------------------------------------
float atende_vk_avx2_dot_f32(const float *a, const float *b, size_t n);
int32_t atende_vk_avx2_dot_u8s8(const uint8_t *a, const int8_t *b, size_t n);
/// Scores rows [0, nrows) (each `stride` floats apart, `dim` used) against q into out;
/// returns the largest score (or -INFINITY when nrows == 0).
float atende_vk_avx2_block_f32(const float *rows, size_t stride, size_t nrows,
                               const float *q, size_t dim, float *out);
/// out[r] = (sum(u8 * q) - correction) * scales[r]; returns the largest. Domain: codes
/// u8 in 1...255 (int8 -127...127 biased), q in -127...127, as Quantizer produces; the
/// AVX2 block kernel uses vpmaddubsw and relies on it.
float atende_vk_avx2_block_u8s8(const uint8_t *codes, size_t stride, size_t nrows,
                                const int8_t *q, size_t dim, int32_t correction,
                                const float *scales, float *out);

// ---- AVX-512 F/BW/VL (madd path) and AVX-512 VNNI --------------------------------
float atende_vk_avx512_dot_f32(const float *a, const float *b, size_t n);
int32_t atende_vk_avx512_dot_u8s8(const uint8_t *a, const int8_t *b, size_t n);
int32_t atende_vk_avx512vnni_dot_u8s8(const uint8_t *a, const int8_t *b, size_t n);
float atende_vk_avx512_block_f32(const float *rows, size_t stride, size_t nrows,
                                 const float *q, size_t dim, float *out);
float atende_vk_avx512_block_u8s8(const uint8_t *codes, size_t stride, size_t nrows,
                                  const int8_t *q, size_t dim, int32_t correction,
                                  const float *scales, float *out);
float atende_vk_avx512vnni_block_u8s8(const uint8_t *codes, size_t stride, size_t nrows,
                                      const int8_t *q, size_t dim, int32_t correction,
                                      const float *scales, float *out);

/// Scores the int8 rows listed in `rows` (scattered; prefetched a few ahead):
/// out[i] = (sum(u8 * q) - correction) * scales[rows[i]]. `stream`: the codes are far larger
/// than the cache, so the rows are prefetched non-temporally (AVX2 kernel; the AVX-512 ones,
/// tuned on Intel, prefetch into L2 either way).
void atende_vk_avx2_gather_u8s8(const uint8_t *codes, size_t stride, const uint32_t *rows, size_t count,
                                const int8_t *q, size_t dim, int32_t correction,
                                const float *scales, bool stream, float *out);
void atende_vk_avx512_gather_u8s8(const uint8_t *codes, size_t stride, const uint32_t *rows, size_t count,
                                  const int8_t *q, size_t dim, int32_t correction,
                                  const float *scales, float *out);
void atende_vk_avx512vnni_gather_u8s8(const uint8_t *codes, size_t stride, const uint32_t *rows, size_t count,
                                      const int8_t *q, size_t dim, int32_t correction,
                                      const float *scales, float *out);

// ---- 1-bit first pass (kernels_bits.c explains the layout) ---------------------------
/// The per-query terms that turn the exact table sum S of a row into
/// out = (a * S + c * ones[r] + b) * inv_l1[r] + z * sigma[r]:
/// an upper estimate of the row's cosine with the query (estimate + z standard errors).
typedef struct {
    float a;  // 2 * step of the query's 4-bit grid
    float b;  // -(sum of the dequantised query)
    float c;  // 2 * the grid's minimum
    float z;  // standard errors of slack
} atende_vk_bits_affine;

/// Scores `nrows` rows (starting at a block boundary) into out[0..nrows); returns the largest.
/// `luts` holds 2 * pairs tables of 32 bytes (each 16-entry table twice).
float atende_vk_scalar_scan_bits(const uint8_t *blocks, size_t pairs, size_t nrows, const uint8_t *luts,
                                 const atende_vk_bits_affine *f, const float *ones, const float *inv_l1,
                                 const float *sigma, float *out);
float atende_vk_avx2_scan_bits(const uint8_t *blocks, size_t pairs, size_t nrows, const uint8_t *luts,
                               const atende_vk_bits_affine *f, const float *ones, const float *inv_l1,
                               const float *sigma, float *out);
/// The exact table sums S of `nrows` rows (the reference the SIMD kernels are tested against).
void atende_vk_bits_sums_scalar(const uint8_t *blocks, size_t pairs, size_t nrows,
                                const uint8_t *luts, uint16_t *sums);
/// Most bands atende_vk_select_bands sorts into.
#define ATENDE_VK_MAX_BANDS 64
/// The indices i with low <= values[i] < high, grouped by band of value, highest band first:
/// band b holds the values in (high - (b + 1) * width, high - b * width] (computed as
/// (high - v) * (1 / width) rounded down), the last band
/// (of `bands`, at most ATENDE_VK_MAX_BANDS) every lower one too; indices ascend within a
/// band. Band b is out[ends[b - 1] ..< ends[b]] (from 0 for b = 0). `tmp` and `out` have
/// room for n. Returns how many were selected.
size_t atende_vk_select_bands(const float *values, size_t n, float low, float high, float width, size_t bands,
                              uint32_t *tmp, uint32_t *out, size_t *ends);
size_t atende_vk_avx2_select_bands(const float *values, size_t n, float low, float high, float width, size_t bands,
                                   uint32_t *tmp, uint32_t *out, size_t *ends);

// ---- Utilities -------------------------------------------------------------------
/// A 64-bit non-cryptographic checksum of `n` bytes (integrity of index files).
uint64_t atende_vk_checksum64(const void *data, size_t n, uint64_t seed);
/// Streams `n` floats once and returns their sum: the memory-bandwidth probe of the
/// benchmark (AVX2 loads when `use_avx2`, else plain C).
float atende_vk_stream_read(const float *data, size_t n, bool use_avx2);

#ifdef __cplusplus
}
#endif
#endif
