import SGX
import XCTest

/// One test per fault rule of the shared facts' sgx.md (one per `SGXFaultRule` case).
final class SGXFaultRuleTests: XCTestCase {
    func testEveryRuleHasItsOwnTest() {
        let tested: Set<SGXFaultRule> = [
            .sgx1NotEnumerated, .leafNotEnumerated, .entryInsideEnclave, .leafOutsideEnclave, .tcsPageInvalid,
            .tcsNotInactive, .tcsReservedFlags, .enclaveNotInitialized, .aexNotifyMismatch, .eenterNoFreeFrame,
            .eenterFramePageInvalid, .eresumeNoSavedFrame, .eresumeSavedFramePageInvalid, .eresumeNotifyNoFreeFrame,
            .eresumeNotifyFramePageInvalid, .eresumeXRSTORFailure, .edeccssaAtFrameZero, .edeccssaFramePageInvalid,
        ]
        XCTAssertEqual(tested, Set(SGXFaultRule.allCases))
    }

    func testENCLUWithoutSGX1IsInvalidOpcodeForEveryLeaf() {
        let state = thread { $0.cpuSGX1 = false }
        for operation in [SGXOperation.eenter, .eresume, .eexit, .edeccssa] {
            assertFault(state, operation, .sgx1NotEnumerated)
        }
        XCTAssertEqual(SGXFaultRule.sgx1NotEnumerated.fault, .invalidOpcode)
    }

    func testEDECCSSAWithoutItsCPUIDBitIsGP() {
        assertFault(thread({ $0.cpuEDECCSSA = false }, [.eenter]), .edeccssa, .leafNotEnumerated)
        // Checked before the enclave-mode check: outside the enclave the same rule answers.
        assertFault(thread { $0.cpuEDECCSSA = false }, .edeccssa, .leafNotEnumerated)
    }

    func testEENTERAndERESUMEInsideTheEnclaveAreGP() {
        let inside = thread({ _ in }, [.eenter])
        assertFault(inside, .eenter, .entryInsideEnclave)
        assertFault(inside, .eresume, .entryInsideEnclave)
    }

    func testEEXITAndEDECCSSAOutsideTheEnclaveAreGP() {
        let outside = thread()
        assertFault(outside, .eexit, .leafOutsideEnclave)
        assertFault(outside, .edeccssa, .leafOutsideEnclave)
        // Also after leaving with CSSA > 0.
        assertFault(thread({ _ in }, [.eenter, .aex(.interrupt)]), .edeccssa, .leafOutsideEnclave)
    }

    func testEvictedTCSPageIsPageFault() {
        let state = thread({ _ in }, [.evict(.tcs)])
        assertFault(state, .eenter, .tcsPageInvalid)
        assertFault(thread({ _ in }, [.eenter, .aex(.interrupt), .evict(.tcs)]), .eresume, .tcsPageInvalid)
    }

    func testTCSInUseByAnotherProcessorIsGP() {
        var state = thread()
        state.tcs.state = .active  // another logical processor entered with this TCS
        assertFault(state, .eenter, .tcsNotInactive)
        assertFault(state, .eresume, .tcsNotInactive)
    }

    func testReservedTCSFlagsAreGP() {
        var state = thread()
        state.tcs.flags = TCSFlags(rawValue: state.tcs.flags.rawValue | 1 << 5)
        assertFault(state, .eenter, .tcsReservedFlags)
        // [inferred] TCS.FLAGS.AEXNOTIFY is reserved on a CPU without AEX-Notify.
        let noSupport = thread { $0.cpuAEXNotify = false; $0.attributeAEXNotify = false; $0.tcsAEXNotify = true }
        assertFault(noSupport, .eenter, .tcsReservedFlags)
    }

    func testUninitializedEnclaveIsGP() {
        assertFault(thread { $0.initialized = false }, .eenter, .enclaveNotInitialized)
        // ECREATE refuses AEXNOTIFY when CPUID.(EAX=12H,ECX=1):EAX[10] = 0: the enclave never initializes.
        let refused = thread { $0.cpuAEXNotify = false; $0.tcsAEXNotify = false }
        XCTAssertEqual(refused.enclave.initialization, .aexNotifyAttributeNotAllowed)
        assertFault(refused, .eenter, .enclaveNotInitialized)
    }

    func testAEXNotifyMismatchIsGPUnlessDebugOptIn() {
        assertFault(thread { $0.attributeAEXNotify = true; $0.tcsAEXNotify = false }, .eenter, .aexNotifyMismatch)
        assertFault(thread { $0.attributeAEXNotify = false; $0.tcsAEXNotify = true }, .eenter, .aexNotifyMismatch)
        var optIn = thread { $0.attributeAEXNotify = true; $0.tcsAEXNotify = false; $0.tcsDebugOptIn = true }
        XCTAssertNoThrow(try optIn.perform(.eenter))
        XCTAssertTrue(optIn.isInEnclaveMode)
    }

    func testEENTERWithoutFreeFrameIsGP() {
        let state = thread({ $0.nssa = 1 }, [.eenter, .aex(.interrupt)])
        XCTAssertEqual(state.cssa, 1)
        assertFault(state, .eenter, .eenterNoFreeFrame)
        assertFault(thread { $0.nssa = 0 }, .eenter, .eenterNoFreeFrame)
    }

    func testEENTERWithEvictedFrameIsPageFault() {
        assertFault(thread({ _ in }, [.evict(.ssa(frame: 0))]), .eenter, .eenterFramePageInvalid)
        var reloaded = thread({ _ in }, [.evict(.ssa(frame: 0)), .reload(.ssa(frame: 0))])
        XCTAssertNoThrow(try reloaded.perform(.eenter))
    }

    func testERESUMEAtFrameZeroIsGP() {
        assertFault(thread(), .eresume, .eresumeNoSavedFrame)
        assertFault(thread({ _ in }, [.eenter, .eexit]), .eresume, .eresumeNoSavedFrame)
    }

    func testERESUMEWithEvictedSavedFrameIsPageFault() {
        assertFault(thread({ _ in }, [.eenter, .aex(.interrupt), .evict(.ssa(frame: 0))]), .eresume,
                    .eresumeSavedFramePageInvalid)
    }

    func testNotifyingERESUMEWithoutFreeFrameIsGP() {
        let state = thread({ $0.nssa = 1 }, [.eenter, .writeAEXNotify(frame: 0, value: 1), .aex(.interrupt)])
        XCTAssertTrue(state.eresumeWouldNotify)
        assertFault(state, .eresume, .eresumeNotifyNoFreeFrame)
    }

    func testNotifyingERESUMEWithEvictedHandlerFrameIsPageFault() {
        let state = thread({ _ in }, [.eenter, .writeAEXNotify(frame: 0, value: 1), .aex(.interrupt),
                                     .evict(.ssa(frame: 1))])
        assertFault(state, .eresume, .eresumeNotifyFramePageInvalid)
        XCTAssertTrue(SGXFaultRule.eresumeNotifyFramePageInvalid.isInferred)
    }

    func testPlainERESUMEWithCorruptXSAVEAreaIsGPAndLeavesTheTCSInactive() {
        let state = thread({ $0.attributeAEXNotify = false; $0.tcsAEXNotify = false },
                           [.eenter, .setXSAVEAreaValid(frame: 0, valid: false), .aex(.interrupt)])
        assertFault(state, .eresume, .eresumeXRSTORFailure)
        XCTAssertEqual(state.tcs.state, .inactive)
    }

    func testEDECCSSAAtFrameZeroIsGP() {
        assertFault(thread({ _ in }, [.eenter]), .edeccssa, .edeccssaAtFrameZero)
    }

    func testEDECCSSAWithEvictedFrameIsPageFault() {
        let state = thread({ _ in }, [.eenter, .writeAEXNotify(frame: 0, value: 1), .aex(.interrupt), .eresume,
                                     .evict(.ssa(frame: 0))])
        XCTAssertEqual(state.cssa, 1)
        assertFault(state, .edeccssa, .edeccssaFramePageInvalid)
    }

    func testFaultsParseLeniently() {
        XCTAssertEqual(ArchitecturalFault(lenient: "#GP(0)"), .generalProtection)
        XCTAssertEqual(ArchitecturalFault(lenient: "gp"), .generalProtection)
        XCTAssertEqual(ArchitecturalFault(lenient: "#ud"), .invalidOpcode)
        XCTAssertEqual(ArchitecturalFault(lenient: "#PF"), .pageFault)
        XCTAssertNil(ArchitecturalFault(lenient: "#GP(1)"))
        XCTAssertNil(ArchitecturalFault(lenient: "#XX"))
    }
}
