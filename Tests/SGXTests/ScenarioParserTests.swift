import SGX
import XCTest

final class ScenarioParserTests: XCTestCase {
    func parse(_ text: String) throws -> SGXScenario { try ScenarioParser.parse(text, name: "t.sgx") }

    func parseError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ScenarioError? {
        do {
            _ = try ScenarioParser.parse(text, name: "t.sgx")
            XCTFail("expected a parse error", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    func testTheIssueFormatParses() throws {
        let scenario = try parse("""
            # comment
            config nssa=2 attr.aexnotify=1 tcs.aexnotify=1 tcs.dbgoptin=0 cpu.edeccssa=1 cpu.aexnotify=1 cpu.sgx1=1
            eenter
            set ssa[0].aexnotify=1      # enclave software writes frame 0's AEXNOTIFY byte (only inside the enclave)
            aex
            eresume
            edeccssa
            eexit
            repeat 1000 { aex; eresume; edeccssa }
            expect fault=#GP  # about the step just before
            expect cssa=1 mode=enclave rax=2 state=active
            """)
        XCTAssertEqual(scenario.configuration.nssa, 2)
        XCTAssertEqual(scenario.steps.count, 9)
        XCTAssertEqual(scenario.steps[1].kind, .operation(.writeAEXNotify(frame: 0, value: 1)))
        XCTAssertEqual(scenario.steps[1].line, 4)
        guard case let .repeatBlock(count, body) = scenario.steps[6].kind else { return XCTFail("not a repeat") }
        XCTAssertEqual(count, 1000)
        XCTAssertEqual(body.map(\.kind), [.operation(.aex(.interrupt)), .operation(.eresume), .operation(.edeccssa)])
        XCTAssertEqual(scenario.steps[7].kind, .expect([.fault(.generalProtection)]))
        XCTAssertEqual(scenario.steps[8].kind, .expect([.cssa(1), .enclaveMode(true), .rax(2), .state(.active)]))
    }

    func testDefaults() throws {
        let configuration = try parse("eenter").configuration
        XCTAssertEqual(configuration.nssa, 2)
        XCTAssertTrue(configuration.attributeAEXNotify && configuration.tcsAEXNotify && configuration.cpuEDECCSSA
                      && configuration.cpuAEXNotify && configuration.cpuSGX1)
        XCTAssertFalse(configuration.tcsDebugOptIn)
    }

    func testLenientSpellings() throws {
        let scenario = try parse("""
            CONFIG NSSA = 3, Attr.AEXNotify=0 tcs_aexnotify=no
            EENTER
            Set SSA[1].AEXNOTIFY = 1
            repeat 2 {aex;eresume;}
            repeat 2 {
              aex exception #PF
              eresume
            }
            aex exception 14; aex vector=13; aex #UD; aex cause=exception vector=3; aex cause=interrupt
            expect fault = #GP(0), CSSA = 2 mode=inside state=Inactive rax=0x3
            expect fault=gp
            expect fault=none
            """)
        XCTAssertEqual(scenario.configuration.nssa, 3)
        XCTAssertFalse(scenario.configuration.attributeAEXNotify)
        XCTAssertFalse(scenario.configuration.tcsAEXNotify)
        XCTAssertEqual(scenario.steps[1].kind, .operation(.writeAEXNotify(frame: 1, value: 1)))
        guard case let .repeatBlock(_, multiLine) = scenario.steps[3].kind else { return XCTFail("not a repeat") }
        XCTAssertEqual(multiLine.map(\.kind), [.operation(.aex(.exception(vector: 14))), .operation(.eresume)])
        XCTAssertEqual(scenario.steps[4].kind, .operation(.aex(.exception(vector: 14))))
        XCTAssertEqual(scenario.steps[5].kind, .operation(.aex(.exception(vector: 13))))
        XCTAssertEqual(scenario.steps[6].kind, .operation(.aex(.exception(vector: 6))))
        XCTAssertEqual(scenario.steps[7].kind, .operation(.aex(.exception(vector: 3))))
        XCTAssertEqual(scenario.steps[8].kind, .operation(.aex(.interrupt)))
        XCTAssertEqual(scenario.steps[9].kind,
                       .expect([.fault(.generalProtection), .cssa(2), .enclaveMode(true), .state(.inactive), .rax(3)]))
        XCTAssertEqual(scenario.steps[10].kind, .expect([.fault(.generalProtection)]))
        XCTAssertEqual(scenario.steps[11].kind, .expect([.fault(nil)]))
    }

    func testCommentsAfterStepsAndFaultMnemonics() throws {
        let scenario = try parse("eenter # enter\nexpect fault=#UD # not a comment before, a comment here\naex #PF # page fault")
        XCTAssertEqual(scenario.steps[1].kind, .expect([.fault(.invalidOpcode)]))
        XCTAssertEqual(scenario.steps[2].kind, .operation(.aex(.exception(vector: 14))))
    }

    func testErrorsNameLineAndColumn() {
        let unknown = parseError("eenter\n\n  jump")
        XCTAssertEqual(unknown?.line, 3)
        XCTAssertEqual(unknown?.column, 3)
        XCTAssertEqual(unknown?.description.hasPrefix("t.sgx:3:3: error: unknown step `jump`"), true)

        XCTAssertEqual(parseError("config nssa=2 foo=1")?.column, 15)
        XCTAssertEqual(parseError("config nssa=99999")?.line, 1)
        XCTAssertEqual(parseError("config cpu.edeccssa=2")?.message.contains("0 or 1"), true)
        XCTAssertEqual(parseError("eenter\nset ssa[2].aexnotify=1")?.line, 2, "nssa=2 has frames 0 and 1")
        XCTAssertEqual(parseError("eenter\nconfig nssa=3")?.message.contains("before the first step"), true)
        XCTAssertEqual(parseError("expect fault=none")?.message.contains("there is none"), true)
        XCTAssertEqual(parseError("eenter\nexpect cssa")?.line, 2)
        XCTAssertEqual(parseError("eenter\nexpect color=red")?.message.contains("unknown expectation"), true)
        XCTAssertEqual(parseError("eenter\nexpect fault=#XX")?.line, 2)
        XCTAssertEqual(parseError("eenter\nexpect mode=sideways")?.line, 2)
        XCTAssertEqual(parseError("repeat 3 { aex; eresume")?.message.contains("missing `}`"), true)
        XCTAssertEqual(parseError("repeat many { aex }")?.line, 1)
        XCTAssertEqual(parseError("eenter now")?.column, 8)
        XCTAssertEqual(parseError("aex exception")?.line, 1)
        XCTAssertEqual(parseError("aex exception 40")?.line, 1)
        XCTAssertEqual(parseError("aex #PF #GP")?.column, 9)
        XCTAssertEqual(parseError("aex exception interrupt")?.line, 1)
        XCTAssertEqual(parseError("}")?.line, 1)
        XCTAssertEqual(parseError("eenter\nrepeat 2 { config nssa=1 }")?.line, 2)
    }

    func testAScenarioWithoutStepsIsRefused() {
        for text in ["", "\n\n", "# only a comment\n", "config nssa=2\n"] {
            let error = parseError(text)
            XCTAssertNotNil(error, "\(text.debugDescription) has no step and must not pass with 0 of 0 expectations")
            XCTAssertTrue(error?.message.hasPrefix("no steps") ?? false)
        }
    }
}
