import CCPUID
import CPUID
import Glibc

/// One virtual CPU: its fd (from KVM_CREATE_VCPU) and its mmapped kvm_run area.
///
/// Non-copyable: the fd and the mapping belong to exactly one value and are released together, once,
/// when it goes away. No copy can outlive the mapping and read freed memory.
public struct KVMVCPU: ~Copyable {
    public let fileDescriptor: Int32
    public let id: UInt32
    let runArea: UnsafeMutablePointer<kvm_run>
    let runSize: Int

    init(adopting fd: Int32, id: UInt32, run: UnsafeMutableRawPointer, runSize: Int) {
        fileDescriptor = fd
        self.id = id
        self.runArea = run.bindMemory(to: kvm_run.self, capacity: 1)
        self.runSize = runSize
    }

    deinit {
        munmap(UnsafeMutableRawPointer(runArea), runSize)
        Glibc.close(fileDescriptor)
    }

    /// Unmaps kvm_run and closes the vCPU now.
    public consuming func close() {}

    // MARK: CPUID

    /// KVM_SET_CPUID2: gives the guest this CPUID table. KVM may refuse it (EINVAL, E2BIG) or, on
    /// KVM_GET_CPUID2, show fields it fills in itself; `KVMCPUIDApplication` reports both.
    public func setCPUID(_ table: Snapshot) throws(KVMError) {
        let buffer = KVMCPUIDBuffer(table)
        _ = try KVMRequest.setCPUID2.call(fileDescriptor, buffer.rawPointer)
    }

    /// KVM_GET_CPUID2: the table KVM holds for this vCPU, grown on E2BIG like the system queries.
    public func cpuid(initialCapacity: UInt32 = KVMSystem.defaultCPUIDCapacity) throws(KVMError) -> KVMCPUIDQuery {
        try KVMCPUIDQuery.asking(.getCPUID2, on: fileDescriptor, initialCapacity: initialCapacity)
    }

    // MARK: registers

    /// KVM_GET_REGS.
    public func registers() throws(KVMError) -> KVMRegisters {
        var raw = kvm_regs()
        _ = try KVMRequest.getRegs.call(fileDescriptor, &raw)
        return KVMRegisters(raw)
    }

    /// KVM_SET_REGS.
    public func setRegisters(_ registers: KVMRegisters) throws(KVMError) {
        var raw = registers.raw
        _ = try KVMRequest.setRegs.call(fileDescriptor, &raw)
    }

    /// KVM_GET_SREGS.
    public func specialRegisters() throws(KVMError) -> KVMSpecialRegisters {
        var raw = kvm_sregs()
        _ = try KVMRequest.getSregs.call(fileDescriptor, &raw)
        return KVMSpecialRegisters(raw)
    }

    /// KVM_SET_SREGS.
    public func setSpecialRegisters(_ registers: KVMSpecialRegisters) throws(KVMError) {
        var raw = registers.raw
        _ = try KVMRequest.setSregs.call(fileDescriptor, &raw)
    }

    // MARK: running

    /// KVM_RUN once, and why it came back. EINTR is not retried: it is how `KVMRunTimer` stops a guest
    /// (the error is `.ioctlFailed("KVM_RUN", EINTR)`).
    public func run() throws(KVMError) -> KVMExit {
        _ = try KVMRequest.run.call(fileDescriptor, nil, retryOnEINTR: false)
        return exit()
    }

    /// Decodes the exit KVM left in kvm_run.
    func exit() -> KVMExit {
        let reason = ccpuid_kvm_run_exit_reason(runArea)
        switch reason {
        case ccpuid_KVM_EXIT_IO():
            let size = ccpuid_kvm_run_io_size(runArea)
            let count = ccpuid_kvm_run_io_count(runArea)
            let isOut = ccpuid_kvm_run_io_direction(runArea) == ccpuid_KVM_EXIT_IO_OUT()
            var data: [UInt8] = []
            let length = Int(size) * Int(count)
            let offset = Int(ccpuid_kvm_run_io_data_offset(runArea))
            if isOut, offset >= 0, length > 0, offset + length <= runSize {
                let bytes = UnsafeRawPointer(runArea).advanced(by: offset)
                data = Array(UnsafeRawBufferPointer(start: bytes, count: length))
            }
            return .io(KVMIOExit(direction: isOut ? .out : .in, port: ccpuid_kvm_run_io_port(runArea),
                                 size: size, count: count, data: data))
        case ccpuid_KVM_EXIT_HLT():
            return .halt
        case ccpuid_KVM_EXIT_MMIO():
            return .mmio(KVMMMIOExit(address: ccpuid_kvm_run_mmio_phys_addr(runArea), length: ccpuid_kvm_run_mmio_len(runArea),
                                     isWrite: ccpuid_kvm_run_mmio_is_write(runArea) != 0,
                                     data: ccpuid_kvm_run_mmio_data(runArea)))
        case ccpuid_KVM_EXIT_SHUTDOWN():
            return .shutdown
        case ccpuid_KVM_EXIT_FAIL_ENTRY():
            return .failEntry(hardwareReason: ccpuid_kvm_run_fail_entry_reason(runArea),
                              cpu: ccpuid_kvm_run_fail_entry_cpu(runArea))
        case ccpuid_KVM_EXIT_INTERNAL_ERROR():
            let n = min(ccpuid_kvm_run_internal_ndata(runArea), 16)
            return .internalError(suberror: ccpuid_kvm_run_internal_suberror(runArea),
                                  data: (0..<n).map { ccpuid_kvm_run_internal_data(runArea, $0) })
        case ccpuid_KVM_EXIT_SYSTEM_EVENT():
            return .systemEvent(type: ccpuid_kvm_run_system_event_type(runArea))
        case ccpuid_KVM_EXIT_EXCEPTION():
            return .exception(number: ccpuid_kvm_run_exception(runArea))
        case ccpuid_KVM_EXIT_INTR():
            return .interrupted
        case ccpuid_KVM_EXIT_UNKNOWN():
            return .unknown(hardwareReason: ccpuid_kvm_run_hw_exit_reason(runArea))
        default:
            return .other(reason: reason)
        }
    }

    /// Writes the value an IN instruction reads; call after an `.io` exit with direction `.in`.
    public func setIOInput(_ bytes: [UInt8]) {
        let offset = Int(ccpuid_kvm_run_io_data_offset(runArea))
        guard !bytes.isEmpty, offset >= 0, offset + bytes.count <= runSize else { return }
        let target = UnsafeMutableRawPointer(runArea).advanced(by: offset)
        bytes.withUnsafeBytes { target.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    /// Starts a timer that stops this vCPU's KVM_RUN (on the calling thread) after `timeout`.
    /// The timer is deleted when the returned value goes away; keep it alive while the guest runs.
    public func startTimer(timeout: Duration) throws(KVMError) -> KVMRunTimer {
        try KVMRunTimer(run: runArea, timeout: timeout)
    }
}
