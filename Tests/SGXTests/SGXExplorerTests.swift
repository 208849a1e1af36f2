@testable import SGX
import XCTest

final class SGXExplorerTests: XCTestCase {
    func testDefaultConfigurationHoldsEveryInvariantToDepth12() {
        let result = SGXExplorer(depth: 12, nssa: 2).explore(EnclaveConfiguration())
        XCTAssertTrue(result.counterexamples.isEmpty, "\(result.counterexamples)")
        XCTAssertGreaterThan(result.states, 100)
        XCTAssertEqual(result.transitions % SGXExplorer.alphabet(nssa: 2).count, 0)
        XCTAssertGreaterThan(result.faults, 0)
    }

    func testEveryConfigurationHoldsEveryInvariant() {
        for nssa: UInt32 in [1, 2] {
            for configuration in SGXExplorer.allConfigurations(nssa: nssa) {
                let result = SGXExplorer(depth: 8, nssa: nssa).explore(configuration)
                XCTAssertTrue(result.counterexamples.isEmpty, "\(configuration.summary): \(result.counterexamples)")
            }
        }
        XCTAssertEqual(SGXExplorer.allConfigurations(nssa: 2).count, 16)
    }

    func testShortestSSAExhaustionSequences() {
        let result = SGXExplorer(depth: 10, nssa: 2).explore(EnclaveConfiguration())
        XCTAssertEqual(result.exhaustion[.eenter], [.eenter, .aex(.interrupt), .eenter, .aex(.interrupt), .eenter])
        XCTAssertEqual(result.exhaustion[.notifyingEResume]?.count, 6)
        XCTAssertEqual(result.exhaustion[.notifyingEResume]?.last, .eresume)

        let notifyOnly = SGXExplorer(depth: 10, nssa: 2, allowsNestedEENTER: false).explore(EnclaveConfiguration())
        XCTAssertNil(notifyOnly.exhaustion[.eenter], "EENTER at CSSA 0 always finds a frame")
        XCTAssertEqual(notifyOnly.exhaustion[.notifyingEResume],
                       [.eenter, .writeAEXNotify(frame: 0, value: 1), .aex(.interrupt), .eresume,
                        .writeAEXNotify(frame: 1, value: 1), .aex(.interrupt), .eresume])
        XCTAssertTrue(notifyOnly.counterexamples.isEmpty)

        var plain = EnclaveConfiguration()
        plain.attributeAEXNotify = false
        plain.tcsAEXNotify = false
        let withoutNotify = SGXExplorer(depth: 10, nssa: 2).explore(plain)
        XCTAssertNil(withoutNotify.exhaustion[.notifyingEResume], "no notification without TCS.FLAGS.AEXNOTIFY")
        XCTAssertNotNil(withoutNotify.exhaustion[.eenter])
    }

    func testInvariantChecksCatchBrokenTransitions() {
        let before = thread({ _ in }, [.eenter, .writeAEXNotify(frame: 0, value: 1), .aex(.interrupt)])
        var popped = before
        popped.tcs.cssa = 0
        popped.processor.isInEnclaveMode = true
        popped.tcs.state = .active
        XCTAssertEqual(Invariant.violations(before: before, after: popped, operation: .eresume,
                                            effect: .notified(cssa: 0)), [.notifyingEResumeKeepsCSSA])
        XCTAssertEqual(Invariant.violations(before: before, after: before, operation: .eresume,
                                            effect: .resumed(cssa: 1)), [.plainEResumePopsOneFrame])
        XCTAssertEqual(Invariant.violations(before: before, after: popped, operation: .eresume, effect: nil),
                       [.faultChangesNothing])
        var over = before
        over.tcs.cssa = 3
        XCTAssertEqual(Invariant.violations(before: before, after: over, operation: .aex(.interrupt),
                                            effect: .asynchronousExit(frame: 2)), [.cssaWithinBounds])
        var mismatch = before
        mismatch.tcs.state = .active
        XCTAssertEqual(Invariant.violations(before: before, after: mismatch, operation: .edeccssa,
                                            effect: .decremented(cssa: 0)),
                       [.modeMatchesTCSState, .edeccssaOnlyInsideAboveZero])
    }
}
