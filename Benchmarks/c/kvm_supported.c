/*
 * kvm_supported: the minimal C reference for `vcpuid kvm supported --format raw`.
 * Opens /dev/kvm, asks KVM_GET_SUPPORTED_CPUID (or, with -e, KVM_GET_EMULATED_CPUID) starting from
 * nent = 1 and doubling on E2BIG, and prints the entries in `cpuid -r` line format in KVM's order.
 * With -f, each line ends with " flags=0x..." (KVM_CPUID_FLAG_*).
 * Build: Benchmarks/c/build.sh
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv) {
    unsigned long request = KVM_GET_SUPPORTED_CPUID;
    int show_flags = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-e") == 0) request = KVM_GET_EMULATED_CPUID;
        else if (strcmp(argv[i], "-f") == 0) show_flags = 1;
        else { fprintf(stderr, "usage: %s [-e] [-f]\n", argv[0]); return 2; }
    }
    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) { perror("open /dev/kvm"); return 1; }
    if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) { fprintf(stderr, "KVM API version is not 12\n"); return 1; }
    unsigned nent = 1;
    struct kvm_cpuid2 *cpuid = NULL;
    for (;;) {
        cpuid = calloc(1, sizeof *cpuid + nent * sizeof cpuid->entries[0]);
        if (!cpuid) { perror("calloc"); return 1; }
        cpuid->nent = nent;
        if (ioctl(kvm, request, cpuid) == 0) break;
        int e = errno;
        free(cpuid);
        if (e == E2BIG) { nent *= 2; continue; }
        if (e == EINTR) continue;
        fprintf(stderr, "KVM_GET_%s_CPUID: %s\n", request == KVM_GET_SUPPORTED_CPUID ? "SUPPORTED" : "EMULATED", strerror(e));
        return 1;
    }
    printf("CPU:\n");
    for (unsigned i = 0; i < cpuid->nent; i++) {
        struct kvm_cpuid_entry2 *e = &cpuid->entries[i];
        printf("   0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x", e->function, e->index, e->eax,
               e->ebx, e->ecx, e->edx);
        if (show_flags) printf(" flags=0x%x", e->flags);
        printf("\n");
    }
    free(cpuid);
    close(kvm);
    return 0;
}
