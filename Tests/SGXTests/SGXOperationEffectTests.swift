import SGX
import XCTest

/// The effect column of the operations table in the shared facts' sgx.md, one test per row.
final class SGXOperationEffectTests: XCTestCase {
    func testEENTEREntersAtOENTRYWithRAXEqualToCSSA() throws {
        var state = thread()
        let effect = try state.perform(.eenter)
        XCTAssertEqual(effect, .entered(cssa: 0))
        XCTAssertTrue(state.isInEnclaveMode)
        XCTAssertEqual(state.tcs.state, .active)
        XCTAssertEqual(state.processor.currentTCS, state.tcs.address)
        XCTAssertEqual(state.processor.rax, 0)
        XCTAssertEqual(state.processor.rcx, ThreadLayout.enterSite + 3, "RCX = address after ENCLU")
        XCTAssertEqual(state.processor.rip, ThreadLayout.enclaveBase + ThreadLayout.oentry)
        XCTAssertEqual(state.tcs.aep, ThreadLayout.aep)
        XCTAssertEqual(state.frames[0].gprsgx.ursp, ThreadLayout.untrustedStack)
        XCTAssertEqual(state.cssa, 0, "EENTER does not change CSSA")
    }

    func testAEXSavesIntoCurrentFrameAndLoadsSyntheticState() throws {
        var state = thread({ _ in }, [.eenter, .writeAEXNotify(frame: 0, value: 1)])
        let interruptedRIP = state.processor.rip
        let effect = try state.perform(.aex(.exception(vector: 14)))
        XCTAssertEqual(effect, .asynchronousExit(frame: 0))
        XCTAssertEqual(state.cssa, 1)
        XCTAssertFalse(state.isInEnclaveMode)
        XCTAssertEqual(state.tcs.state, .inactive)
        XCTAssertEqual(state.processor.rax, 3, "RAX = ERESUME's leaf number")
        XCTAssertEqual(state.processor.rbx, state.tcs.address)
        XCTAssertEqual(state.processor.rcx, ThreadLayout.aep)
        XCTAssertEqual(state.processor.rip, ThreadLayout.aep)
        XCTAssertEqual(state.processor.rsp, ThreadLayout.untrustedStack, "RSP restored from URSP")
        let saved = state.frames[0].gprsgx
        XCTAssertEqual(saved.rip, interruptedRIP)
        XCTAssertTrue(saved.exitInfo.isValid)
        XCTAssertEqual(saved.exitInfo.vector, 14)
        XCTAssertEqual(saved.exitInfo.type, 3)
        XCTAssertEqual(saved.aexNotify, 1, "[inferred] AEX keeps the AEXNOTIFY byte")
        XCTAssertEqual(ExitInfo(vector: 3).type, 6, "#BP is a software exception")
    }

    func testInterruptOutsideTheEnclaveIsNoAEX() throws {
        var state = thread()
        let before = state
        XCTAssertEqual(try state.perform(.aex(.interrupt)), .deliveredOutsideEnclave)
        XCTAssertEqual(state, before)
    }

    func testPlainERESUMERestoresAndPops() throws {
        var state = thread({ $0.attributeAEXNotify = false; $0.tcsAEXNotify = false }, [.eenter])
        let inside = state.processor
        try state.perform(.aex(.interrupt))
        XCTAssertFalse(state.eresumeWouldNotify)
        XCTAssertEqual(try state.perform(.eresume), .resumed(cssa: 0))
        XCTAssertEqual(state.cssa, 0)
        XCTAssertEqual(state.tcs.state, .active)
        XCTAssertEqual(state.processor.rax, inside.rax)
        XCTAssertEqual(state.processor.rip, inside.rip)
        XCTAssertEqual(state.processor.rcx, inside.rcx)
    }

    func testNotifyingERESUMEEntersLikeEENTERWithoutPopping() throws {
        var state = thread({ _ in }, [.eenter, .writeAEXNotify(frame: 0, value: 1), .aex(.interrupt)])
        XCTAssertTrue(state.eresumeWouldNotify)
        XCTAssertEqual(try state.perform(.eresume), .notified(cssa: 1))
        XCTAssertEqual(state.cssa, 1, "CSSA is not decremented")
        XCTAssertEqual(state.processor.rax, 1, "RAX = CSSA")
        XCTAssertEqual(state.processor.rip, ThreadLayout.enclaveBase + ThreadLayout.oentry)
        XCTAssertEqual(state.processor.rcx, ThreadLayout.aep + 3, "[inferred] RCX = address after ENCLU")
        XCTAssertEqual(state.tcs.state, .active)
        XCTAssertEqual(state.frames[1].gprsgx.ursp, ThreadLayout.untrustedStack)
    }

    func testNotificationNeedsTheTCSFlagAndTheFrameByte() throws {
        // TCS.FLAGS.AEXNOTIFY = 0 (with DBGOPTIN so that entry is allowed): the byte alone does not notify.
        var state = thread({ $0.tcsAEXNotify = false; $0.tcsDebugOptIn = true },
                           [.eenter, .writeAEXNotify(frame: 0, value: 1), .aex(.interrupt)])
        XCTAssertEqual(try state.perform(.eresume), .resumed(cssa: 0))
        // The flag without the byte does not notify either.
        var unarmed = thread({ _ in }, [.eenter, .aex(.interrupt)])
        XCTAssertEqual(try unarmed.perform(.eresume), .resumed(cssa: 0))
    }

    func testEDECCSSALowersCSSAAndStaysInside() throws {
        var state = thread({ _ in }, [.eenter, .writeAEXNotify(frame: 0, value: 1), .aex(.interrupt), .eresume])
        let rip = state.processor.rip
        XCTAssertEqual(try state.perform(.edeccssa), .decremented(cssa: 0))
        XCTAssertEqual(state.cssa, 0)
        XCTAssertTrue(state.isInEnclaveMode)
        XCTAssertEqual(state.tcs.state, .active)
        XCTAssertEqual(state.processor.rip, rip, "no control transfer")
        XCTAssertEqual(state.processor.rax, 1, "no register changes: RAX still holds the CSSA of the notification")
    }

    func testEEXITLeavesWithCSSAUnchanged() throws {
        var state = thread({ $0.attributeAEXNotify = false; $0.tcsAEXNotify = false },
                           [.eenter, .aex(.exception(vector: 14)), .eenter])
        XCTAssertEqual(state.cssa, 1)
        XCTAssertEqual(try state.perform(.eexit), .exited)
        XCTAssertFalse(state.isInEnclaveMode)
        XCTAssertEqual(state.tcs.state, .inactive)
        XCTAssertEqual(state.cssa, 1)
        XCTAssertEqual(state.processor.rip, ThreadLayout.returnAddress, "RIP = RBX")
        XCTAssertEqual(state.processor.rcx, ThreadLayout.aep, "RCX = AEP")
        XCTAssertNil(state.processor.currentTCS)
        XCTAssertEqual(state.processor.rax, 1, "EEXIT does not write RAX")
    }

    func testAEXNotifyWritesOnlyFromInside() throws {
        var outside = thread()
        let before = outside
        XCTAssertEqual(try outside.perform(.writeAEXNotify(frame: 0, value: 1)), .writeDropped(frame: 0))
        XCTAssertEqual(outside, before)
        var inside = thread({ _ in }, [.eenter])
        XCTAssertEqual(try inside.perform(.writeAEXNotify(frame: 1, value: 1)), .wroteAEXNotify(frame: 1, value: 1))
        XCTAssertEqual(inside.frames[1].gprsgx.aexNotify, 1)
    }

    func testCSSAReachesNSSAOnlyThroughAEXAndThenPlainERESUMEStillWorks() throws {
        var state = thread({ $0.attributeAEXNotify = false; $0.tcsAEXNotify = false },
                           [.eenter, .aex(.interrupt), .eenter, .aex(.interrupt)])
        XCTAssertEqual(state.cssa, state.nssa)
        assertFault(state, .eenter, .eenterNoFreeFrame)
        XCTAssertEqual(try state.perform(.eresume), .resumed(cssa: 1))
    }

    func testEveryInferredRuleIsDocumented() {
        for rule in InferredRule.allCases {
            XCTAssertFalse(rule.statement.rule.isEmpty)
            XCTAssertFalse(rule.statement.basis.isEmpty)
        }
        XCTAssertTrue(SGXFaultRule.allCases.filter(\.isInferred).allSatisfy { !$0.source.isEmpty })
    }
}
