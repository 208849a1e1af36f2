import Glibc
import XCTest
@testable import KVM

/// KVM_SET_CPUID2's EPERM is KVM refusing dynamic XSAVE state, not a missing permission on /dev/kvm.
final class KVMSetCPUID2PermissionErrorTests: XCTestCase {
    func testSetCPUIDEPERMPointsAtDynamicXSAVEStateNotTheKVMGroup() throws {
        let advice = try XCTUnwrap(KVMError.ioctlFailed(ioctl: "KVM_SET_CPUID2", errno: EPERM).advice)
        XCTAssertTrue(advice.contains("XTILEDATA"), advice)
        XCTAssertFalse(advice.contains("kvm group"), advice)
        let other = try XCTUnwrap(KVMError.ioctlFailed(ioctl: "KVM_CREATE_VM", errno: EPERM).advice)
        XCTAssertTrue(other.contains("kvm group"), other)
    }
}
