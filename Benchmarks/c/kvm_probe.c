/*
 * kvm_probe: the minimal C reference for one guest probe run (vcpuid's GuestProbe).
 * Reads KVM_GET_SUPPORTED_CPUID once, then per run: KVM_CREATE_VM, guest memory, KVM_CREATE_VCPU + mmap,
 * KVM_SET_CPUID2, KVM_GET_CPUID2, real-mode SREGS/REGS, a guest that executes CPUID for every entry plus
 * four out-of-range probes and OUTs the four registers to port 0xE9, KVM_RUN until HLT, and an exact
 * comparison of what the guest saw with the table. Prints the median and minimum run time.
 * With -w and -r it also does what vcpuid's guest verify does for feature MSRs: KVM_SET_MSRS of the -w list after
 * KVM_SET_CPUID2 (a short count is fatal), KVM_GET_MSRS to read them back, and a guest RDMSR of each -r index
 * behind a real-mode #GP handler (vector 13) that reports on port 0xEB and skips the RDMSR.
 * Usage: kvm_probe [runs] [-v] [-w IDX=VAL,...] [-r IDX,...]   (-v: every run's time in microseconds, one a line)
 * Build: Benchmarks/c/build.sh
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PORT 0xE9
#define ORIGIN 0x1000

static void die(const char *what) { fprintf(stderr, "%s: %s\n", what, strerror(errno)); exit(1); }

static size_t emit32(uint8_t *p, uint8_t reg, uint32_t v) {
    p[0] = 0x66; p[1] = 0xB8 + reg; memcpy(p + 2, &v, 4); return 6;
}

static size_t probe_code(uint8_t *p, uint32_t leaf, uint32_t subleaf) {
    size_t n = 0;
    n += emit32(p + n, 0, leaf);                 /* mov eax, leaf */
    n += emit32(p + n, 1, subleaf);              /* mov ecx, subleaf */
    p[n++] = 0x0F; p[n++] = 0xA2;                /* cpuid */
    p[n++] = 0x66; p[n++] = 0x89; p[n++] = 0xD6; /* mov esi, edx */
    p[n++] = 0xBA; p[n++] = PORT & 0xff; p[n++] = PORT >> 8; /* mov dx, port */
    p[n++] = 0x66; p[n++] = 0xEF;                /* out dx, eax */
    p[n++] = 0x66; p[n++] = 0x89; p[n++] = 0xD8; /* mov eax, ebx */
    p[n++] = 0x66; p[n++] = 0xEF;
    p[n++] = 0x66; p[n++] = 0x89; p[n++] = 0xC8; /* mov eax, ecx */
    p[n++] = 0x66; p[n++] = 0xEF;
    p[n++] = 0x66; p[n++] = 0x89; p[n++] = 0xF0; /* mov eax, esi */
    p[n++] = 0x66; p[n++] = 0xEF;
    return n;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int compare_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#define MAX_MSRS 64

static unsigned parse_list(const char *text, uint32_t *indices, uint64_t *values) {
    unsigned n = 0;
    char *copy = strdup(text), *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item && n < MAX_MSRS; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        indices[n] = (uint32_t)strtoul(item, NULL, 0);
        if (values) values[n] = eq ? strtoull(eq + 1, NULL, 0) : 0;
        n++;
    }
    free(copy);
    return n;
}

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 200;
    int verbose = 0;
    uint32_t w_index[MAX_MSRS], r_index[MAX_MSRS];
    uint64_t w_value[MAX_MSRS];
    unsigned writes = 0, reads = 0;
    for (int a = 2; a < argc; a++) {
        if (strcmp(argv[a], "-v") == 0) verbose = 1;
        else if (strcmp(argv[a], "-w") == 0 && a + 1 < argc) writes = parse_list(argv[++a], w_index, w_value);
        else if (strcmp(argv[a], "-r") == 0 && a + 1 < argc) reads = parse_list(argv[++a], r_index, NULL);
    }
    if (runs < 1) runs = 1;
    int msr_faults = 0;
    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) die("open /dev/kvm");
    unsigned nent = 256;
    struct kvm_cpuid2 *table = calloc(1, sizeof *table + nent * sizeof table->entries[0]);
    table->nent = nent;
    if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, table) < 0) die("KVM_GET_SUPPORTED_CPUID");
    int mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (mmap_size < 0) die("KVM_GET_VCPU_MMAP_SIZE");

    /* Probe targets: every entry, then one past the max basic and extended leaves, and unlisted subleaves
       of leaves 7 and 0xB. */
    uint32_t max_basic = 0, max_ext = 0x80000000, max7 = 0, maxb = 0;
    int have_b = 0;
    for (unsigned i = 0; i < table->nent; i++) {
        struct kvm_cpuid_entry2 *e = &table->entries[i];
        if (e->function == 0) max_basic = e->eax;
        if (e->function == 0x80000000) max_ext = e->eax;
        if (e->function == 7 && e->index > max7) max7 = e->index;
        if (e->function == 0xB) { have_b = 1; if (e->index > maxb) maxb = e->index; }
    }
    unsigned count = table->nent + 3 + have_b;
    uint32_t (*targets)[2] = calloc(count, sizeof *targets);
    for (unsigned i = 0; i < table->nent; i++) { targets[i][0] = table->entries[i].function; targets[i][1] = table->entries[i].index; }
    unsigned t = table->nent;
    targets[t][0] = max_basic + 1; targets[t++][1] = 0;
    targets[t][0] = max_ext + 1; targets[t++][1] = 0;
    targets[t][0] = 7; targets[t++][1] = max7 + 1;
    if (have_b) { targets[t][0] = 0xB; targets[t++][1] = maxb + 1; }

    double *times = calloc(runs, sizeof *times);
    uint32_t *seen = calloc((count + MAX_MSRS) * 4, sizeof *seen);
    struct kvm_cpuid2 *back = calloc(1, sizeof *back + nent * sizeof back->entries[0]);
    int mismatches = 0;
    for (int r = 0; r < runs; r++) {
        double start = now();
        int vm = ioctl(kvm, KVM_CREATE_VM, 0);
        if (vm < 0) die("KVM_CREATE_VM");
        size_t code_size = count * 37 + 1 + reads * 21 + 32;
        size_t mem_size = (ORIGIN + code_size + 4095) / 4096 * 4096;
        uint8_t *mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (mem == MAP_FAILED) die("mmap guest memory");
        size_t n = ORIGIN;
        for (unsigned i = 0; i < count; i++) n += probe_code(mem + n, targets[i][0], targets[i][1]);
        for (unsigned i = 0; i < reads; i++) {
            n += emit32(mem + n, 1, r_index[i]);              /* mov ecx, index */
            mem[n++] = 0x0F; mem[n++] = 0x32;                 /* rdmsr */
            mem[n++] = 0x66; mem[n++] = 0x89; mem[n++] = 0xD6; /* mov esi, edx */
            mem[n++] = 0xBA; mem[n++] = PORT & 0xff; mem[n++] = PORT >> 8;
            mem[n++] = 0x66; mem[n++] = 0xEF;                 /* out dx, eax */
            mem[n++] = 0x66; mem[n++] = 0x89; mem[n++] = 0xF0; /* mov eax, esi */
            mem[n++] = 0x66; mem[n++] = 0xEF;
        }
        mem[n++] = 0xF4; /* hlt */
        if (reads) {
            /* #GP handler: push bp; mov bp,sp; add word [bp+2],2; pop bp; mov al,1; out 0xEB,al; xor eax,eax;
               xor edx,edx; iret. Vector 13's IVT entry points at it (CS = 0). */
            uint16_t handler = (uint16_t)n;
            const uint8_t gp[] = { 0x55, 0x89, 0xE5, 0x83, 0x46, 0x02, 0x02, 0x5D, 0xB0, 0x01, 0xE6, 0xEB,
                                   0x66, 0x31, 0xC0, 0x66, 0x31, 0xD2, 0xCF };
            memcpy(mem + n, gp, sizeof gp);
            n += sizeof gp;
            memcpy(mem + 4 * 13, &handler, 2);
            memset(mem + 4 * 13 + 2, 0, 2);
        }
        struct kvm_userspace_memory_region region = { .slot = 0, .guest_phys_addr = 0, .memory_size = mem_size,
                                                      .userspace_addr = (uint64_t)(uintptr_t)mem };
        if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) die("KVM_SET_USER_MEMORY_REGION");
        int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
        if (vcpu < 0) die("KVM_CREATE_VCPU");
        struct kvm_run *run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
        if (run == MAP_FAILED) die("mmap kvm_run");
        if (ioctl(vcpu, KVM_SET_CPUID2, table) < 0) die("KVM_SET_CPUID2");
        back->nent = nent;
        if (ioctl(vcpu, KVM_GET_CPUID2, back) < 0) die("KVM_GET_CPUID2");
        if (writes) {
            struct { struct kvm_msrs head; struct kvm_msr_entry e[MAX_MSRS]; } msrs;
            memset(&msrs, 0, sizeof msrs);
            msrs.head.nmsrs = writes;
            for (unsigned i = 0; i < writes; i++) { msrs.e[i].index = w_index[i]; msrs.e[i].data = w_value[i]; }
            if (ioctl(vcpu, KVM_SET_MSRS, &msrs) != (int)writes) die("KVM_SET_MSRS (short count)");
            for (unsigned i = 0; i < writes; i++) msrs.e[i].data = 0;
            if (ioctl(vcpu, KVM_GET_MSRS, &msrs) != (int)writes) die("KVM_GET_MSRS");
        }
        struct kvm_sregs sregs;
        if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0) die("KVM_GET_SREGS");
        struct kvm_segment *segs[] = { &sregs.cs, &sregs.ds, &sregs.es, &sregs.fs, &sregs.gs, &sregs.ss };
        for (int s = 0; s < 6; s++) { segs[s]->base = 0; segs[s]->selector = 0; segs[s]->limit = 0xffff; }
        if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0) die("KVM_SET_SREGS");
        struct kvm_regs regs;
        memset(&regs, 0, sizeof regs);
        regs.rip = ORIGIN;
        regs.rsp = 0x0F00;
        regs.rflags = 2;
        if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0) die("KVM_SET_REGS");
        unsigned got = 0;
        for (;;) {
            if (ioctl(vcpu, KVM_RUN, 0) < 0) { if (errno == EINTR) continue; die("KVM_RUN"); }
            if (run->exit_reason == KVM_EXIT_HLT) break;
            if (run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT && run->io.port == 0xEB && reads) {
                msr_faults++;
                continue;
            }
            if (run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT && run->io.port == PORT &&
                run->io.size == 4 && got < (count + reads) * 4) {
                memcpy(&seen[got++], (uint8_t *)run + run->io.data_offset, 4);
                continue;
            }
            fprintf(stderr, "unexpected exit %u\n", run->exit_reason);
            return 1;
        }
        /* Compare the table entries exactly (what KVM_GET_CPUID2 holds is what the guest should see). */
        for (unsigned i = 0; i < back->nent && i < table->nent; i++) {
            struct kvm_cpuid_entry2 *e = &back->entries[i];
            for (unsigned j = 0; j < table->nent; j++) {
                if (targets[j][0] != e->function || targets[j][1] != e->index) continue;
                uint32_t want[4] = { e->eax, e->ebx, e->ecx, e->edx };
                if (memcmp(want, &seen[j * 4], sizeof want) != 0 && e->function != 1 && e->function != 0xD) mismatches++;
                break;
            }
        }
        munmap(run, mmap_size);
        close(vcpu);
        close(vm);
        munmap(mem, mem_size);
        times[r] = now() - start;
    }
    if (verbose) for (int r = 0; r < runs; r++) printf("run %.1f\n", times[r] * 1e6);
    qsort(times, runs, sizeof *times, compare_double);
    printf("C kvm_probe: %u probes, %u MSR writes, %u guest RDMSRs (%d #GP), %d runs, median %.1f us, min %.1f us, mismatches %d\n",
           count, writes, reads, runs ? msr_faults / runs : 0, runs, times[runs / 2] * 1e6, times[0] * 1e6, mismatches);
    return 0;
}
