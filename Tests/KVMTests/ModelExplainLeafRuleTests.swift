import CPUID
import KVM
import X86Features
import XCTest

/// `kvm explain` agrees with the predicted table when a leaf rule, not a capability row,
/// sets the bit (6.1 and 6.2 offer 0x80000007 EDX[8], invariant TSC, from __do_cpuid_func).
final class ModelExplainLeafRuleTests: XCTestCase {
    func testInvariantTSCBeforeItsCapabilityRowIsExplainedAsTheTableSaysIt() throws {
        var host = ModelHosts.intelSGX
        host.set(0x8000_0007, 0, .edx, to: 1 << 8)
        for minor in [1, 2, 18] {
            let prediction = KVMSupportedModel.predict(host: host, kernel: KernelProfile.for(KernelVersion(6, minor)),
                                                       module: .intel())
            let field = CPUIDField(0x8000_0007, 0, .edx, bit: 8)
            let verdict = try XCTUnwrap(prediction.explain("constant_tsc"))
            XCTAssertEqual(verdict.offered, prediction.snapshot.isSet(field), "6.\(minor): \(verdict.summary)")
            XCTAssertTrue(verdict.offered, "6.\(minor): \(verdict.summary)")
        }
    }
}
