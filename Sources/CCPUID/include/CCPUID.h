#ifndef CCPUID_H
#define CCPUID_H

#include <stdint.h>
#include "ccpuid_affinity.h"
#include "ccpuid_kvm.h"

/// Executes the CPUID instruction on the calling thread's current logical CPU.
/// Swift has no inline assembly, so this is the one place the instruction lives.
static inline void ccpuid_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]) {
#if defined(__x86_64__) || defined(__i386__)
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(leaf), "c"(subleaf));
    out[0] = a; out[1] = b; out[2] = c; out[3] = d;
#else
    out[0] = out[1] = out[2] = out[3] = 0;
#endif
}

/// Nonzero when this build can execute CPUID (x86 only).
static inline int ccpuid_has_instruction(void) {
#if defined(__x86_64__) || defined(__i386__)
    return 1;
#else
    return 0;
#endif
}

#endif
