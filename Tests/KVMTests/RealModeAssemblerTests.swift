import KVM
import XCTest

/// One test per encoding, checked against the Intel SDM Vol. 2 opcode tables.
final class RealModeAssemblerTests: XCTestCase {
    private func encode(_ build: (inout RealModeAssembler) throws -> Void) rethrows -> [UInt8] {
        var code = RealModeAssembler()
        try build(&code)
        return code.bytes
    }

    func testMovRegister32Immediate() {
        XCTAssertEqual(encode { $0.mov(.eax, 0x1234_5678) }, [0x66, 0xB8, 0x78, 0x56, 0x34, 0x12])
        XCTAssertEqual(encode { $0.mov(.ecx, 0x0000_0007) }, [0x66, 0xB9, 0x07, 0x00, 0x00, 0x00])
        XCTAssertEqual(encode { $0.mov(.edi, 0xFFFF_FFFF) }, [0x66, 0xBF, 0xFF, 0xFF, 0xFF, 0xFF])
    }

    func testMovRegister16Immediate() {
        XCTAssertEqual(encode { $0.mov(.dx, 0x00E9) }, [0xBA, 0xE9, 0x00])
        XCTAssertEqual(encode { $0.mov(.ax, 0xBEEF) }, [0xB8, 0xEF, 0xBE])
    }

    func testMovRegister32Register32() {
        // mov eax, ebx = 66 89 D8 (ModRM 11 011 000)
        XCTAssertEqual(encode { $0.mov(.eax, .ebx) }, [0x66, 0x89, 0xD8])
        // mov esi, edx = 66 89 D6 (ModRM 11 010 110)
        XCTAssertEqual(encode { $0.mov(.esi, .edx) }, [0x66, 0x89, 0xD6])
        XCTAssertEqual(encode { $0.mov(.eax, .ecx) }, [0x66, 0x89, 0xC8])
    }

    func testCPUID() {
        XCTAssertEqual(encode { $0.cpuid() }, [0x0F, 0xA2])
    }

    func testOut() {
        XCTAssertEqual(encode { $0.outDXEAX() }, [0x66, 0xEF])
        XCTAssertEqual(encode { $0.outDXAL() }, [0xEE])
        XCTAssertEqual(encode { $0.out(port: 0x80) }, [0xE6, 0x80])
    }

    func testHLT() {
        XCTAssertEqual(encode { $0.hlt() }, [0xF4])
    }

    func testShortJumps() throws {
        XCTAssertEqual(try encode { try $0.jmpShort(to: 0) }, [0xEB, 0xFE])
        XCTAssertEqual(try encode { $0.hlt(); try $0.jmpShort(to: 3 + 127) }, [0xF4, 0xEB, 0x7F])
        var code = RealModeAssembler()
        XCTAssertThrowsError(try code.jmpShort(to: 200)) { error in
            XCTAssertEqual(error as? RealModeAssemblerError, .jumpOutOfRange(from: 0, to: 200))
        }
    }

    func testSegmentOverflowIsAnError() {
        var code = RealModeAssembler(origin: 0xFFFF)
        code.hlt()
        code.hlt()
        XCTAssertThrowsError(try code.assemble()) { error in
            XCTAssertEqual(error as? RealModeAssemblerError, .segmentOverflow(origin: 0xFFFF, size: 2))
        }
    }

    func testProbeProgramLayout() throws {
        let code = try CPUIDProbeProgram.assemble([.init(0x12, 0), .init(7, 1)])
        XCTAssertEqual(code.count, 2 * CPUIDProbeProgram.bytesPerProbe + 1)
        XCTAssertEqual(code.last, 0xF4)
        XCTAssertEqual(Array(code.prefix(14)), [0x66, 0xB8, 0x12, 0, 0, 0, 0x66, 0xB9, 0, 0, 0, 0, 0x0F, 0xA2])
    }
}
