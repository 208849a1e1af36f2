import CPUID
import KVM
import XCTest

final class KVMSystemTests: XCTestCase {
    func testAPIVersionIsTwelve() throws {
        let kvm = try KVMTestSupport.system()
        XCTAssertEqual(try kvm.apiVersion(), 12)
        XCTAssertEqual(KVMSystem.requiredAPIVersion, 12)
    }

    func testSupportedCPUIDGrowsFromOneEntryOnE2BIG() throws {
        let kvm = try KVMTestSupport.system()
        let query = try kvm.supportedCPUIDQuery(initialCapacity: 1)
        XCTAssertGreaterThan(query.entries.count, 1, "KVM offers more than one CPUID entry")
        XCTAssertEqual(query.attempts.first, 1)
        XCTAssertGreaterThan(query.attempts.count, 1, "nent = 1 must have failed with E2BIG first")
        for (previous, next) in zip(query.attempts, query.attempts.dropFirst()) {
            XCTAssertEqual(next, previous * 2)
        }
        XCTAssertLessThanOrEqual(UInt32(query.entries.count), query.attempts.last ?? 0)
        // The same entries whatever the starting size. (Registers may differ in per-CPU fields such as the
        // APIC ID in 1.EBX[31:24], which KVM passes through from whichever CPU ran the ioctl.)
        let again = try kvm.supportedCPUID()
        XCTAssertEqual(query.snapshot.keys, again.keys)
        XCTAssertEqual(query.snapshot.registers(0), again.registers(0))
    }

    func testSupportedLeafZeroVendorIsTheHosts() throws {
        let kvm = try KVMTestSupport.system()
        let supported = try kvm.supportedCPUID()
        let host = CPUIDInstruction.execute(0)
        let hostVendor = Snapshot([CPUIDEntry(leaf: 0, eax: host.eax, ebx: host.ebx, ecx: host.ecx, edx: host.edx)]).vendor
        XCTAssertFalse(hostVendor.isEmpty)
        XCTAssertEqual(supported.vendor, hostVendor)
    }

    func testSignificantIndexFlagsComeFromKVM() throws {
        let kvm = try KVMTestSupport.system()
        let query = try kvm.supportedCPUIDQuery()
        XCTAssertEqual(query.flags.count, query.entries.count)
        for (entry, flags) in zip(query.entries, query.flags) {
            XCTAssertEqual(entry.significantIndex, flags & 1 != 0, "\(entry.key)")
        }
        // Leaf 7 has subleaves in every KVM; it must be flagged.
        let leaf7 = try XCTUnwrap(query.snapshot.entry(7, 0))
        XCTAssertTrue(leaf7.significantIndex)
    }

    func testEmulatedCPUIDIsReadable() throws {
        let kvm = try KVMTestSupport.system()
        guard try kvm.checkExtension(.emulatedCPUID) != 0 else {
            throw XCTSkip("this KVM lacks KVM_CAP_EXT_EMUL_CPUID")
        }
        let query = try kvm.emulatedCPUIDQuery(initialCapacity: 1)
        XCTAssertEqual(query.attempts.first, 1)
        XCTAssertEqual(query.flags.count, query.entries.count)
    }

    func testMissingDeviceErrorSaysToLoadTheModule() {
        do {
            _ = try KVMSystem(path: "/nonexistent/kvm")
            XCTFail("opening a missing device must fail")
        } catch {
            guard case let .cannotOpen(path, code) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(path, "/nonexistent/kvm")
            XCTAssertEqual(code, ENOENT)
            XCTAssertTrue(error.description.contains("load the KVM module"), error.description)
        }
    }

    func testIoctlErrorNamesTheIoctlAndErrno() {
        let error = KVMError.ioctlFailed(ioctl: "KVM_SET_CPUID2", errno: EINVAL)
        XCTAssertTrue(error.description.hasPrefix("KVM_SET_CPUID2 failed: EINVAL"), error.description)
        XCTAssertEqual(error.ioctl, "KVM_SET_CPUID2")
        XCTAssertEqual(error.errno, EINVAL)
        let denied = KVMError.cannotOpen(path: "/dev/kvm", errno: EACCES)
        XCTAssertTrue(denied.description.contains("kvm group"), denied.description)
    }

    func testClosingVirtualMachinesReleasesDescriptors() throws {
        let kvm = try KVMTestSupport.system()
        let before = try ResourceCounts.now()
        for _ in 0..<1000 {
            var vm = try kvm.createVirtualMachine()
            _ = try vm.addMemory(slot: 0, guestPhysicalAddress: 0, size: 4096)
            let vcpu = try vm.createVCPU()
            vcpu.close()
            vm.close()
        }
        try KVMTestSupport.assertNoLeak(since: before, runs: 1000)
    }

    func testHaltingGuestExitsWithHLT() throws {
        let kvm = try KVMTestSupport.system()
        var vm = try kvm.createVirtualMachine()
        let memory = try vm.addMemory(slot: 0, guestPhysicalAddress: 0, size: 0x1000)
        // mov al, 0x2a; out 0x10, al; hlt
        let code: [UInt8] = [0xB0, 0x2A, 0xE6, 0x10, 0xF4]
        for (i, byte) in code.enumerated() { memory[0x100 + i] = byte }
        let vcpu = try vm.createVCPU()
        var sregs = try vcpu.specialRegisters()
        sregs.makeRealMode()
        try vcpu.setSpecialRegisters(sregs)
        var regs = KVMRegisters()
        regs.rip = 0x100
        try vcpu.setRegisters(regs)
        guard case let .io(io) = try vcpu.run() else { return XCTFail("expected an OUT") }
        XCTAssertEqual(io.direction, .out)
        XCTAssertEqual(io.port, 0x10)
        XCTAssertEqual(io.value, 0x2A)
        XCTAssertEqual(try vcpu.run(), .halt)
        XCTAssertEqual(try vcpu.registers().rip, 0x105)
    }
}

extension KVMSystemTests {
    func testPinnedQueriesAreReproducibleAndCarryTheCPUsAPICID() throws {
        let kvm = try KVMTestSupport.system()
        let first = try kvm.cpuidQuery(onCPU: 0).snapshot
        XCTAssertEqual(try kvm.cpuidQuery(onCPU: 0).snapshot, first)
        let cpus = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        guard cpus > 1 else { throw XCTSkip("one online CPU: nothing to compare CPU 0 with") }
        let other = try kvm.cpuidQuery(onCPU: 1).snapshot
        XCTAssertEqual(other.keys, first.keys)
        // Leaf 1 EBX[31:24] is the initial APIC ID of the CPU that ran the ioctl; CPU 0 and 1 differ.
        XCTAssertNotEqual(first.value(1, 0, .ebx) >> 24, other.value(1, 0, .ebx) >> 24)
        XCTAssertEqual(first.value(1, 0, .ebx) & 0x00FF_FFFF, other.value(1, 0, .ebx) & 0x00FF_FFFF)
    }

    func testPinningToAMissingCPUIsAClearError() throws {
        let kvm = try KVMTestSupport.system()
        do {
            _ = try kvm.cpuidQuery(onCPU: 4000)
            XCTFail("CPU 4000 does not exist here")
        } catch {
            guard case let .affinity(operation, cpu, _) = error else { return XCTFail("an affinity error, not \(error)") }
            XCTAssertEqual(operation, "sched_setaffinity")
            XCTAssertEqual(cpu, 4000)
            XCTAssertNil(error.ioctl, "pinning is no ioctl")
            XCTAssertTrue(error.description.contains("sched_setaffinity to CPU 4000 failed: EINVAL"), error.description)
        }
    }
}

extension KVMSystemTests {
    func testCheckExtensionAnswersForCapabilitiesEveryKVMHas() throws {
        let kvm = try KVMTestSupport.system()
        // KVM_CAP_EXT_CPUID (KVM_GET_SUPPORTED_CPUID) and KVM_CAP_USER_MEMORY exist in every x86 KVM since 2.6.x.
        XCTAssertNotEqual(try kvm.checkExtension(.extendedCPUID), 0)
        XCTAssertNotEqual(try kvm.checkExtension(.userMemory), 0)
        XCTAssertGreaterThan(try kvm.checkExtension(.maximumVCPUs), 0)
        XCTAssertEqual(try kvm.checkExtension(KVMCapability(rawValue: 0x7FFF_0000)), 0, "an unknown capability is absent")
        XCTAssertGreaterThanOrEqual(try kvm.vcpuMmapSize(), 4096)
    }
}

extension KVMSystemTests {
    func testVCPUTableGrowsFromOneEntryOnE2BIG() throws {
        let kvm = try KVMTestSupport.system()
        let supported = try kvm.supportedCPUID()
        var vm = try kvm.createVirtualMachine()
        _ = try vm.addMemory(slot: 0, guestPhysicalAddress: 0, size: 4096)
        let vcpu = try vm.createVCPU()
        try vcpu.setCPUID(supported)
        let held = try vcpu.cpuid(initialCapacity: 1)
        XCTAssertEqual(held.attempts.first, 1)
        XCTAssertGreaterThan(held.attempts.count, 1, "nent = 1 must have failed with E2BIG first")
        XCTAssertEqual(held.snapshot.keys, supported.keys)
        XCTAssertEqual(held.flags.count, held.entries.count)
    }
}
