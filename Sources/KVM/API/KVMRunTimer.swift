import CCPUID
import Dispatch
import Glibc
import Synchronization

/// Stops a vCPU's KVM_RUN after a timeout, so that a guest that never halts cannot hang its caller.
///
/// On expiry it sets kvm_run.immediate_exit (covers the thread being between two KVM_RUN calls) and sends
/// a real-time signal, whose handler is installed without SA_RESTART, to the thread that started the timer
/// (covers the thread being inside the guest): KVM_RUN then fails with EINTR. `cancel()` and the expiry
/// take one lock, so after `cancel()` returns no signal is sent and kvm_run is not touched again.
public final class KVMRunTimer: Sendable {
    private struct State: Sendable {
        var armed = true
        var fired = false
    }

    private let state = Mutex(State())
    private let runAddress: UInt
    private let thread: pthread_t
    public let timeout: Duration

    /// The handler is process-wide and installed once, on first use.
    private static let handlerInstalled: Int32 = ccpuid_kvm_install_kick_handler(ccpuid_kvm_kick_signal())

    init(run: UnsafeMutableRawPointer, timeout: Duration) {
        _ = Self.handlerInstalled
        runAddress = UInt(bitPattern: run)
        thread = pthread_self()
        self.timeout = timeout
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(max(0, nanoseconds)))) { [self] in
            expire()
        }
    }

    private func expire() {
        state.withLock { state in
            guard state.armed else { return }
            state.fired = true
            if let run = UnsafeMutablePointer<kvm_run>(bitPattern: runAddress) {
                ccpuid_kvm_run_set_immediate_exit(run, 1)
            }
            pthread_kill(thread, ccpuid_kvm_kick_signal())
        }
    }

    /// Whether the timeout has expired (and KVM_RUN was or will be interrupted).
    public var hasFired: Bool { state.withLock { $0.fired } }

    /// Disarms the timer; returns whether it had fired. Clears immediate_exit so the vCPU can run again.
    @discardableResult
    public func cancel() -> Bool {
        state.withLock { state in
            let fired = state.fired
            if state.armed, fired, let run = UnsafeMutablePointer<kvm_run>(bitPattern: runAddress) {
                ccpuid_kvm_run_set_immediate_exit(run, 0)
            }
            state.armed = false
            return fired
        }
    }
}
