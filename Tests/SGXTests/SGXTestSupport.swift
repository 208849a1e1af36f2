import SGX
import XCTest

/// Builds a thread state from configuration changes and a list of operations that must not fault.
func thread(_ configure: (inout EnclaveConfiguration) -> Void = { _ in }, _ operations: [SGXOperation] = [],
            file: StaticString = #filePath, line: UInt = #line) -> EnclaveThreadState {
    var configuration = EnclaveConfiguration()
    configure(&configuration)
    var state = EnclaveThreadState(configuration: configuration)
    for operation in operations {
        do {
            try state.perform(operation)
        } catch {
            XCTFail("setup step \(operation) faulted: \(error)", file: file, line: line)
        }
    }
    return state
}

/// Asserts that `operation` faults with `rule` and leaves the state unchanged.
func assertFault(_ state: EnclaveThreadState, _ operation: SGXOperation, _ rule: SGXFaultRule,
                 file: StaticString = #filePath, line: UInt = #line) {
    var copy = state
    do {
        let effect = try copy.perform(operation)
        XCTFail("\(operation) should fault with \(rule) but did: \(effect)", file: file, line: line)
    } catch {
        XCTAssertEqual(error.rule, rule, file: file, line: line)
        XCTAssertEqual(error.kind, rule.fault, file: file, line: line)
        XCTAssertEqual(copy, state, "a faulting operation must leave the state unchanged", file: file, line: line)
    }
}

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
