import CCPUID

/// Stops a vCPU's KVM_RUN after a timeout, so that a guest that never halts cannot hang its caller.
///
/// A POSIX timer signals the thread that started it (SIGEV_THREAD_ID) with a real-time signal whose
/// handler, installed without SA_RESTART, sets kvm_run.immediate_exit: KVM_RUN then fails with EINTR,
/// whether the thread was inside the guest or between two KVM_RUN calls. No helper thread, no fd, no
/// mapping. Non-copyable: the timer is deleted exactly once, when the value goes away or on `cancel()`.
/// Start it on the thread that calls `run()`; one per thread at a time.
public struct KVMRunTimer: ~Copyable {
    public let timeout: Duration
    private var deadline: ccpuid_kvm_deadline
    private let run: UnsafeMutablePointer<kvm_run>

    init(run: UnsafeMutablePointer<kvm_run>, timeout: Duration) throws(KVMError) {
        self.run = run
        self.timeout = timeout
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let total = nanoseconds.overflow ? Int64.max : nanoseconds.partialValue &+ attoseconds / 1_000_000_000
        var deadline = ccpuid_kvm_deadline()
        let error = ccpuid_kvm_deadline_start(&deadline, run, max(1, total))
        guard error == 0 else { throw .ioctlFailed(ioctl: "timer_create/timer_settime", errno: error) }
        self.deadline = deadline
    }

    deinit {
        var deadline = deadline
        _ = ccpuid_kvm_deadline_stop(&deadline, run)
    }

    /// Whether the timeout has expired (and KVM_RUN was or will be interrupted).
    public var hasFired: Bool { ccpuid_kvm_deadline_fired() != 0 }

    /// Disarms the timer now; returns whether it had fired. Clears immediate_exit so the vCPU can run again.
    @discardableResult
    public consuming func cancel() -> Bool {
        let fired = hasFired
        _ = consume self
        return fired
    }
}
