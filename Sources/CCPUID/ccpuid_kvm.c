// The one compilation unit of the KVM-run deadline: its per-thread state and signal handler must exist
// once per process, which a header's static inline functions cannot promise.
#include "ccpuid_kvm.h"

#if CCPUID_HAVE_KVM
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>

static __thread struct kvm_run *volatile deadline_run;
static __thread volatile sig_atomic_t deadline_fired;
static pthread_once_t handler_once = PTHREAD_ONCE_INIT;
static int handler_error;

/// The real-time signal vcpuid uses; SIGRTMIN+3 stays clear of SIGUSR1/2 and of glibc's own RT signals.
static int deadline_signal(void) { return SIGRTMIN + 3; }

static void deadline_handler(int signal) {
    (void)signal;
    struct kvm_run *run = deadline_run;
    if (run) __atomic_store_n(&run->immediate_exit, 1, __ATOMIC_SEQ_CST);
    deadline_fired = 1;
}

static void install_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = deadline_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; // no SA_RESTART: KVM_RUN must return EINTR
    handler_error = sigaction(deadline_signal(), &action, NULL) == 0 ? 0 : errno;
}

int ccpuid_kvm_deadline_start(ccpuid_kvm_deadline *deadline, struct kvm_run *run, int64_t nanoseconds) {
    deadline->armed = 0;
    pthread_once(&handler_once, install_handler);
    if (handler_error) return handler_error;
    deadline_fired = 0;
    deadline_run = run;
    struct sigevent event;
    memset(&event, 0, sizeof event);
    event.sigev_notify = SIGEV_THREAD_ID;
    event.sigev_signo = deadline_signal();
    event._sigev_un._tid = (pid_t)syscall(SYS_gettid);
    timer_t timer;
    if (timer_create(CLOCK_MONOTONIC, &event, &timer) != 0) {
        int error = errno;
        deadline_run = NULL;
        return error;
    }
    if (nanoseconds < 1) nanoseconds = 1;
    struct itimerspec when;
    memset(&when, 0, sizeof when);
    when.it_value.tv_sec = nanoseconds / 1000000000;
    when.it_value.tv_nsec = nanoseconds % 1000000000;
    // Signal again every 10 ms until stopped: one signal can arrive while KVM is not yet looking at
    // immediate_exit (seen with kvm_pvm under load); repeating it bounds the wait instead of hanging.
    when.it_interval.tv_nsec = 10000000;
    if (timer_settime(timer, 0, &when, NULL) != 0) {
        int error = errno;
        timer_delete(timer);
        deadline_run = NULL;
        return error;
    }
    deadline->timer = timer;
    deadline->armed = 1;
    return 0;
}

int ccpuid_kvm_deadline_fired(void) { return deadline_fired; }

int ccpuid_kvm_deadline_stop(ccpuid_kvm_deadline *deadline, struct kvm_run *run) {
    if (deadline->armed) {
        timer_delete((timer_t)deadline->timer);
        deadline->armed = 0;
    }
    deadline_run = NULL;
    int fired = deadline_fired;
    if (fired && run) __atomic_store_n(&run->immediate_exit, 0, __ATOMIC_SEQ_CST);
    return fired;
}
#endif
