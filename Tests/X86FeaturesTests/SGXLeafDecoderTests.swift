import CPUID
import X86Features
import XCTest

final class SGXLeafDecoderTests: XCTestCase {
    func testDecodesEverySubleaf() {
        let snapshot = Snapshot([
            CPUIDEntry(leaf: 0, eax: 0x20, ebx: 0, ecx: 0, edx: 0),
            CPUIDEntry(leaf: 0x12, subleaf: 0, eax: 0x803, ebx: 0x1, ecx: 0, edx: 0x381f),
            CPUIDEntry(leaf: 0x12, subleaf: 1, eax: 0x4f6, ebx: 0, ecx: 0xe7, edx: 0),
            CPUIDEntry(leaf: 0x12, subleaf: 2, eax: 0x00c0_0001, ebx: 0, ecx: 0x7f00_0001, edx: 0),
            CPUIDEntry(leaf: 0x12, subleaf: 3, eax: 0, ebx: 0, ecx: 0, edx: 0),
        ])
        let decoder = SGXLeafDecoder()
        XCTAssertEqual(decoder.leaves, [0x12])
        let fields = decoder.decode(snapshot)
        func field(_ name: String, subleaf: UInt32) -> DecodedField? {
            fields.first { $0.name == name && $0.field.subleaf == subleaf }
        }
        XCTAssertEqual(field("EDECCSSA", subleaf: 0)?.value, 1)
        XCTAssertEqual(field("EDECCSSA", subleaf: 0)?.field.description, "CPUID.(EAX=12H,ECX=0):EAX[11]")
        XCTAssertEqual(field("SGX2", subleaf: 0)?.value, 1, "0x803 = SGX1, SGX2, EDECCSSA")
        XCTAssertEqual(field("ENCLV", subleaf: 0)?.value, 0)
        XCTAssertEqual(field("EXINFO", subleaf: 0)?.value, 1)
        XCTAssertEqual(field("CPINFO", subleaf: 0)?.value, 0)
        XCTAssertEqual(field("max_enclave_size_64", subleaf: 0)?.value, 56)
        XCTAssertEqual(field("max_enclave_size_not64", subleaf: 0)?.meaning.hasPrefix("2^31 bytes (2 GiB)"), true)
        XCTAssertEqual(field("AEXNOTIFY", subleaf: 1)?.value, 1)
        XCTAssertEqual(field("AEXNOTIFY", subleaf: 1)?.field.description, "CPUID.(EAX=12H,ECX=1):EAX[10]")
        XCTAssertEqual(field("INIT", subleaf: 1)?.value, 0)
        XCTAssertEqual(field("XFRM[31:0]", subleaf: 1)?.value, 0xe7)
        XCTAssertEqual(field("epc_type", subleaf: 2)?.meaning, "EPC section")
        XCTAssertEqual(field("epc_base[31:12]", subleaf: 2)?.meaning, "base 0xc00000")
        XCTAssertEqual(field("epc_size[31:12]", subleaf: 2)?.value, 0x7f000)
        XCTAssertEqual(field("epc_type", subleaf: 3)?.meaning, "invalid: no more EPC sections")
        XCTAssertNil(field("epc_size[31:12]", subleaf: 3))
    }

    func testNoLeaf12NoFields() {
        XCTAssertTrue(SGXLeafDecoder().decode(Snapshot([CPUIDEntry(leaf: 0, eax: 0x10, ebx: 0, ecx: 0, edx: 0)])).isEmpty)
    }
}
