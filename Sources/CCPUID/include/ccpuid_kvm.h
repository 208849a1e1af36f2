#ifndef CCPUID_KVM_H
#define CCPUID_KVM_H

// The KVM ABI as the kernel headers define it. Swift cannot expand the _IO* macros, call the variadic
// ioctl/open, or reach into kvm_run's anonymous union, so this header hands every ioctl number, flag and
// field to Swift through tiny static inline functions. No number here is computed by hand.

#include <stdint.h>
#include <stddef.h>

#if defined(__linux__)
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>
#define CCPUID_HAVE_KVM 1
#else
#define CCPUID_HAVE_KVM 0
#endif

/// Nonzero when this build was compiled against <linux/kvm.h>.
static inline int ccpuid_kvm_available(void) { return CCPUID_HAVE_KVM; }

#if CCPUID_HAVE_KVM

// MARK: ioctl numbers (system, VM, vCPU)
static inline unsigned long ccpuid_KVM_GET_API_VERSION(void) { return KVM_GET_API_VERSION; }
static inline unsigned long ccpuid_KVM_CHECK_EXTENSION(void) { return KVM_CHECK_EXTENSION; }
static inline unsigned long ccpuid_KVM_GET_SUPPORTED_CPUID(void) { return KVM_GET_SUPPORTED_CPUID; }
static inline unsigned long ccpuid_KVM_GET_EMULATED_CPUID(void) { return KVM_GET_EMULATED_CPUID; }
static inline unsigned long ccpuid_KVM_CREATE_VM(void) { return KVM_CREATE_VM; }
static inline unsigned long ccpuid_KVM_GET_VCPU_MMAP_SIZE(void) { return KVM_GET_VCPU_MMAP_SIZE; }
static inline unsigned long ccpuid_KVM_SET_USER_MEMORY_REGION(void) { return KVM_SET_USER_MEMORY_REGION; }
static inline unsigned long ccpuid_KVM_CREATE_VCPU(void) { return KVM_CREATE_VCPU; }
static inline unsigned long ccpuid_KVM_SET_CPUID2(void) { return KVM_SET_CPUID2; }
static inline unsigned long ccpuid_KVM_GET_CPUID2(void) { return KVM_GET_CPUID2; }
static inline unsigned long ccpuid_KVM_GET_REGS(void) { return KVM_GET_REGS; }
static inline unsigned long ccpuid_KVM_SET_REGS(void) { return KVM_SET_REGS; }
static inline unsigned long ccpuid_KVM_GET_SREGS(void) { return KVM_GET_SREGS; }
static inline unsigned long ccpuid_KVM_SET_SREGS(void) { return KVM_SET_SREGS; }
static inline unsigned long ccpuid_KVM_RUN(void) { return KVM_RUN; }
static inline unsigned long ccpuid_KVM_GET_MSR_FEATURE_INDEX_LIST(void) { return KVM_GET_MSR_FEATURE_INDEX_LIST; }
static inline unsigned long ccpuid_KVM_GET_MSRS(void) { return KVM_GET_MSRS; }
static inline unsigned long ccpuid_KVM_SET_MSRS(void) { return KVM_SET_MSRS; }

// MARK: constants
static inline int ccpuid_KVM_API_VERSION(void) { return KVM_API_VERSION; }
static inline uint32_t ccpuid_KVM_CPUID_FLAG_SIGNIFCANT_INDEX(void) { return KVM_CPUID_FLAG_SIGNIFCANT_INDEX; }
static inline int ccpuid_KVM_CAP_EXT_CPUID(void) { return KVM_CAP_EXT_CPUID; }
static inline int ccpuid_KVM_CAP_EXT_EMUL_CPUID(void) { return KVM_CAP_EXT_EMUL_CPUID; }
static inline int ccpuid_KVM_CAP_NR_VCPUS(void) { return KVM_CAP_NR_VCPUS; }
static inline int ccpuid_KVM_CAP_MAX_VCPUS(void) { return KVM_CAP_MAX_VCPUS; }
static inline int ccpuid_KVM_CAP_NR_MEMSLOTS(void) { return KVM_CAP_NR_MEMSLOTS; }
static inline int ccpuid_KVM_CAP_IMMEDIATE_EXIT(void) { return KVM_CAP_IMMEDIATE_EXIT; }
static inline int ccpuid_KVM_CAP_USER_MEMORY(void) { return KVM_CAP_USER_MEMORY; }
static inline int ccpuid_KVM_CAP_INTERNAL_ERROR_DATA(void) { return KVM_CAP_INTERNAL_ERROR_DATA; }
static inline int ccpuid_KVM_CAP_GET_MSR_FEATURES(void) { return KVM_CAP_GET_MSR_FEATURES; }

static inline uint32_t ccpuid_KVM_EXIT_UNKNOWN(void) { return KVM_EXIT_UNKNOWN; }
static inline uint32_t ccpuid_KVM_EXIT_EXCEPTION(void) { return KVM_EXIT_EXCEPTION; }
static inline uint32_t ccpuid_KVM_EXIT_IO(void) { return KVM_EXIT_IO; }
static inline uint32_t ccpuid_KVM_EXIT_HYPERCALL(void) { return KVM_EXIT_HYPERCALL; }
static inline uint32_t ccpuid_KVM_EXIT_DEBUG(void) { return KVM_EXIT_DEBUG; }
static inline uint32_t ccpuid_KVM_EXIT_HLT(void) { return KVM_EXIT_HLT; }
static inline uint32_t ccpuid_KVM_EXIT_MMIO(void) { return KVM_EXIT_MMIO; }
static inline uint32_t ccpuid_KVM_EXIT_IRQ_WINDOW_OPEN(void) { return KVM_EXIT_IRQ_WINDOW_OPEN; }
static inline uint32_t ccpuid_KVM_EXIT_SHUTDOWN(void) { return KVM_EXIT_SHUTDOWN; }
static inline uint32_t ccpuid_KVM_EXIT_FAIL_ENTRY(void) { return KVM_EXIT_FAIL_ENTRY; }
static inline uint32_t ccpuid_KVM_EXIT_INTR(void) { return KVM_EXIT_INTR; }
static inline uint32_t ccpuid_KVM_EXIT_INTERNAL_ERROR(void) { return KVM_EXIT_INTERNAL_ERROR; }
static inline uint32_t ccpuid_KVM_EXIT_SYSTEM_EVENT(void) { return KVM_EXIT_SYSTEM_EVENT; }
static inline uint8_t ccpuid_KVM_EXIT_IO_IN(void) { return KVM_EXIT_IO_IN; }
static inline uint8_t ccpuid_KVM_EXIT_IO_OUT(void) { return KVM_EXIT_IO_OUT; }

// MARK: system calls Swift cannot call directly (variadic in C)
static inline int ccpuid_kvm_open(const char *path) { return open(path, O_RDWR | O_CLOEXEC); }
static inline int ccpuid_kvm_ioctl_ptr(int fd, unsigned long request, void *arg) { return ioctl(fd, request, arg); }
static inline int ccpuid_kvm_ioctl_value(int fd, unsigned long request, unsigned long arg) { return ioctl(fd, request, arg); }
static inline void *ccpuid_kvm_mmap_shared(int fd, size_t length) {
    return mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
}
static inline void *ccpuid_kvm_mmap_anonymous(size_t length) {
    return mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
}
static inline int ccpuid_kvm_map_failed(const void *address) { return address == MAP_FAILED; }

// MARK: struct kvm_cpuid2 (a flexible array, so its size and entries are computed here)
// MARK: MSR lists (flexible arrays)
static inline size_t ccpuid_kvm_msr_list_size(uint32_t count) { return sizeof(struct kvm_msr_list) + count * sizeof(__u32); }
static inline __u32 *ccpuid_kvm_msr_list_indices(struct kvm_msr_list *list) { return list->indices; }
static inline size_t ccpuid_kvm_msrs_size(uint32_t count) { return sizeof(struct kvm_msrs) + count * sizeof(struct kvm_msr_entry); }
static inline struct kvm_msr_entry *ccpuid_kvm_msrs_entries(struct kvm_msrs *msrs) { return msrs->entries; }

static inline size_t ccpuid_kvm_cpuid2_size(uint32_t nent) {
    return sizeof(struct kvm_cpuid2) + (size_t)nent * sizeof(struct kvm_cpuid_entry2);
}
static inline struct kvm_cpuid_entry2 *ccpuid_kvm_cpuid2_entries(struct kvm_cpuid2 *cpuid) { return cpuid->entries; }

// MARK: struct kvm_run (fields inside its anonymous union)
static inline uint8_t ccpuid_kvm_run_immediate_exit(const struct kvm_run *run) {
    return __atomic_load_n(&run->immediate_exit, __ATOMIC_SEQ_CST);
}
static inline void ccpuid_kvm_run_set_immediate_exit(struct kvm_run *run, uint8_t value) {
    __atomic_store_n(&run->immediate_exit, value, __ATOMIC_SEQ_CST);
}
static inline uint32_t ccpuid_kvm_run_exit_reason(const struct kvm_run *run) { return run->exit_reason; }
static inline uint8_t ccpuid_kvm_run_io_direction(const struct kvm_run *run) { return run->io.direction; }
static inline uint8_t ccpuid_kvm_run_io_size(const struct kvm_run *run) { return run->io.size; }
static inline uint16_t ccpuid_kvm_run_io_port(const struct kvm_run *run) { return run->io.port; }
static inline uint32_t ccpuid_kvm_run_io_count(const struct kvm_run *run) { return run->io.count; }
static inline uint64_t ccpuid_kvm_run_io_data_offset(const struct kvm_run *run) { return run->io.data_offset; }
static inline uint64_t ccpuid_kvm_run_mmio_phys_addr(const struct kvm_run *run) { return run->mmio.phys_addr; }
static inline uint32_t ccpuid_kvm_run_mmio_len(const struct kvm_run *run) { return run->mmio.len; }
static inline uint8_t ccpuid_kvm_run_mmio_is_write(const struct kvm_run *run) { return run->mmio.is_write; }
static inline uint64_t ccpuid_kvm_run_mmio_data(const struct kvm_run *run) {
    uint64_t value; memcpy(&value, run->mmio.data, sizeof value); return value;
}
static inline uint64_t ccpuid_kvm_run_fail_entry_reason(const struct kvm_run *run) {
    return run->fail_entry.hardware_entry_failure_reason;
}
static inline uint32_t ccpuid_kvm_run_fail_entry_cpu(const struct kvm_run *run) { return run->fail_entry.cpu; }
static inline uint32_t ccpuid_kvm_run_internal_suberror(const struct kvm_run *run) { return run->internal.suberror; }
static inline uint32_t ccpuid_kvm_run_internal_ndata(const struct kvm_run *run) { return run->internal.ndata; }
static inline uint64_t ccpuid_kvm_run_internal_data(const struct kvm_run *run, uint32_t i) {
    return i < 16 ? run->internal.data[i] : 0;
}
static inline uint64_t ccpuid_kvm_run_hw_exit_reason(const struct kvm_run *run) { return run->hw.hardware_exit_reason; }
static inline uint32_t ccpuid_kvm_run_exception(const struct kvm_run *run) { return run->ex.exception; }
static inline uint32_t ccpuid_kvm_run_system_event_type(const struct kvm_run *run) { return run->system_event.type; }

// MARK: interrupting KVM_RUN (state and handler live in ccpuid_kvm.c: one copy per process)

/// A per-thread deadline for KVM_RUN: a POSIX timer that signals the creating thread (SIGEV_THREAD_ID).
typedef struct {
    void *timer;
    int armed;
} ccpuid_kvm_deadline;

/// Arms a deadline `nanoseconds` from now for the calling thread and its vCPU's kvm_run. On expiry the
/// signal handler (installed once, without SA_RESTART) sets run->immediate_exit, so KVM_RUN returns EINTR
/// whether the thread is inside the guest or between two KVM_RUN calls. One deadline per thread at a time.
/// Returns 0 or an errno.
int ccpuid_kvm_deadline_start(ccpuid_kvm_deadline *deadline, struct kvm_run *run, int64_t nanoseconds);

/// Whether the calling thread's deadline has expired.
int ccpuid_kvm_deadline_fired(void);

/// Deletes the timer, forgets kvm_run and clears immediate_exit if the deadline had fired.
/// Returns whether it had fired.
int ccpuid_kvm_deadline_stop(ccpuid_kvm_deadline *deadline, struct kvm_run *run);

#endif // CCPUID_HAVE_KVM

#endif
