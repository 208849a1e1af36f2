import CPUID

/// The guest's RDMSR probes, appended to the CPUID probes: for each MSR, RDMSR and send EAX then EDX to the
/// report port. A #GP (the MSR is not readable) runs a real-mode handler that signals on `faultPort`,
/// zeroes EAX/EDX and resumes after the 2-byte RDMSR, so one faulting MSR does not end the run.
public enum MSRProbeProgram {
    /// The port the #GP handler signals on (one byte, before that MSR's two reports).
    public static let faultPort: UInt8 = 0xEB
    /// Real-mode interrupt vector of #GP, whose IVT entry (offset, segment) is at 4 × 13.
    static let generalProtectionVector = 13
    /// The stack the handler's IRET frame lives on: below the code, above the IVT and BIOS data area.
    public static let stackTop: UInt16 = 0x0F00

    /// Appends the RDMSR probes and HLT, then the #GP handler; returns the handler's offset from `origin`.
    static func append(_ msrs: [UInt32], to code: inout RealModeAssembler, port: UInt16) -> Int {
        for index in msrs {
            code.mov(.ecx, index)
            code.rdmsr()
            code.mov(.esi, .edx)
            code.mov(.dx, port)
            code.outDXEAX()
            code.mov(.eax, .esi)
            code.outDXEAX()
        }
        code.hlt()
        let handler = code.position
        code.skipFaultingInstruction(length: 2)
        code.movAL(1)
        code.out(port: faultPort)
        code.zero(.eax)
        code.zero(.edx)
        code.iret()
        return handler
    }

    /// Writes the IVT entry for #GP into guest memory at physical 0 (CS = 0, so the offset is the address).
    static func installHandler(at address: UInt16, memory: UnsafeMutableRawPointer) {
        let entry = memory.advanced(by: 4 * generalProtectionVector)
        entry.storeBytes(of: address.littleEndian, toByteOffset: 0, as: UInt16.self)
        entry.storeBytes(of: UInt16(0), toByteOffset: 2, as: UInt16.self)
    }
}
