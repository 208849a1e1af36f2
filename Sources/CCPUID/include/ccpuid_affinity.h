#ifndef CCPUID_AFFINITY_H
#define CCPUID_AFFINITY_H

// Thread CPU affinity through the raw system calls: glibc's cpu_set_t and CPU_SET macros
// need _GNU_SOURCE and are macros, which Swift cannot import.

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/// Enough bits for the largest CPU count Linux is configured for (CONFIG_NR_CPUS <= 8192).
#define CCPUID_MAX_CPUS 8192

typedef struct {
    uint64_t words[CCPUID_MAX_CPUS / 64];
} ccpuid_cpu_mask;

static inline void ccpuid_mask_clear(ccpuid_cpu_mask *mask) { memset(mask, 0, sizeof(*mask)); }

/// Sets one CPU's bit; returns 0, or -EINVAL for a CPU number the mask cannot hold.
static inline int ccpuid_mask_set(ccpuid_cpu_mask *mask, int cpu) {
    if (cpu < 0 || cpu >= CCPUID_MAX_CPUS) return -EINVAL;
    mask->words[cpu / 64] |= (uint64_t)1 << (cpu % 64);
    return 0;
}

static inline int ccpuid_mask_isset(const ccpuid_cpu_mask *mask, int cpu) {
    if (cpu < 0 || cpu >= CCPUID_MAX_CPUS) return 0;
    return (int)((mask->words[cpu / 64] >> (cpu % 64)) & 1);
}

/// The calling thread's affinity mask; 0 on success, -errno on failure.
static inline int ccpuid_get_affinity(ccpuid_cpu_mask *mask) {
#ifdef SYS_sched_getaffinity
    ccpuid_mask_clear(mask);
    long r = syscall(SYS_sched_getaffinity, 0, sizeof(*mask), mask);
    return r < 0 ? -errno : 0;
#else
    (void)mask;
    return -ENOSYS;
#endif
}

/// Restricts the calling thread to the CPUs in the mask; 0 on success, -errno on failure.
static inline int ccpuid_set_affinity(const ccpuid_cpu_mask *mask) {
#ifdef SYS_sched_setaffinity
    long r = syscall(SYS_sched_setaffinity, 0, sizeof(*mask), mask);
    return r < 0 ? -errno : 0;
#else
    (void)mask;
    return -ENOSYS;
#endif
}

/// The CPU the calling thread runs on now, or -errno.
static inline int ccpuid_current_cpu(void) {
#ifdef SYS_getcpu
    unsigned cpu = 0;
    long r = syscall(SYS_getcpu, &cpu, NULL, NULL);
    return r < 0 ? -errno : (int)cpu;
#else
    return -ENOSYS;
#endif
}

#endif
