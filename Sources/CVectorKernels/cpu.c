// CPU feature detection: CPUID says what the core implements, XCR0 (xgetbv) says which
// register state the OS saves on a context switch. AVX-512 is usable only when both agree;
// a hypervisor or kernel may hide ZMM state even on a CPU that has it.
#include "CVectorKernels.h"
#include <string.h>

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>

static uint64_t read_xcr0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

void atende_vk_detect(atende_vk_cpu *out) {
    memset(out, 0, sizeof *out);
    out->is_x86_64 = true;
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    unsigned int max_leaf = __get_cpuid_max(0, NULL);
    if (max_leaf < 1 || !__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return;
    bool osxsave = (ecx >> 27) & 1;
    bool avx = (ecx >> 28) & 1;
    out->fma = (ecx >> 12) & 1;
    out->f16c = (ecx >> 29) & 1;
    if (!osxsave || !avx) { out->fma = out->f16c = false; return; }
    uint64_t xcr0 = read_xcr0();
    out->os_saves_avx = (xcr0 & 0x6) == 0x6;             // XMM + YMM
    out->os_saves_avx512 = out->os_saves_avx && (xcr0 & 0xE0) == 0xE0;  // opmask, ZMM_Hi256, Hi16_ZMM
    if (!out->os_saves_avx) { out->fma = out->f16c = false; return; }
    if (max_leaf < 7) return;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    unsigned int max_sub = eax;
    out->avx2 = (ebx >> 5) & 1;
    if (out->os_saves_avx512) {
        out->avx512f = (ebx >> 16) & 1;
        out->avx512bw = (ebx >> 30) & 1;
        out->avx512vl = (ebx >> 31) & 1;
        out->avx512vnni = (ecx >> 11) & 1;
    }
    if (max_sub >= 1) {
        __cpuid_count(7, 1, eax, ebx, ecx, edx);
        out->avx_vnni = (eax >> 4) & 1;
    }
}
#else
void atende_vk_detect(atende_vk_cpu *out) { memset(out, 0, sizeof *out); }
#endif

// ---- checksum ----------------------------------------------------------------------
// Four independent multiply-xor lanes over 8-byte words, so it runs near memory speed;
// guards index files against truncation and bit rot, not against an attacker.
static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
static const uint64_t K1 = 0x9E3779B185EBCA87ULL, K2 = 0xC2B2AE3D27D4EB4FULL;

static inline uint64_t mix_lane(uint64_t h, uint64_t w) {
    h ^= w * K2;
    h = rotl64(h, 31) * K1;
    return h;
}

uint64_t atende_vk_checksum64(const void *data, size_t n, uint64_t seed) {
    const unsigned char *p = (const unsigned char *)data;
    uint64_t h[4] = { seed ^ K1, seed ^ K2, seed + K1, seed - K2 };
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t w[4];
        memcpy(w, p + i, 32);
        h[0] = mix_lane(h[0], w[0]);
        h[1] = mix_lane(h[1], w[1]);
        h[2] = mix_lane(h[2], w[2]);
        h[3] = mix_lane(h[3], w[3]);
    }
    uint64_t acc = rotl64(h[0], 1) + rotl64(h[1], 7) + rotl64(h[2], 12) + rotl64(h[3], 18);
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        acc = mix_lane(acc, w);
    }
    for (; i < n; i++) acc = mix_lane(acc, (uint64_t)p[i] + 0x100);
    acc ^= (uint64_t)n * K1;
    acc ^= acc >> 33; acc *= K2; acc ^= acc >> 29; acc *= K1; acc ^= acc >> 32;
    return acc;
}
