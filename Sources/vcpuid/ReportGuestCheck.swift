import CPUID
import Dispatch
import KVM
import Synchronization

/// The report's guest check, started on another thread as soon as KVM's supported table is read: the guest
/// run is mostly time in KVM, so the report's other sections are built meanwhile instead of after it.
final class ReportGuestCheck: Sendable {
    private let line = Mutex("")
    private let done = DispatchGroup()

    init(supported: Snapshot, moduleName: String?) {
        done.enter()
        DispatchQueue.global().async { [self] in
            let text = GuestVerification.reportLine(supported: supported, moduleName: moduleName)
            line.withLock { $0 = text }
            done.leave()
        }
    }

    /// `guest verified: ...`, waiting for the guest when it has not finished yet.
    var result: String {
        done.wait()
        return line.withLock { $0 }
    }
}
