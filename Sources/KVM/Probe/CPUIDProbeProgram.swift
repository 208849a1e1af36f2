import CPUID

/// The guest program of the probe: for each (leaf, subleaf), run CPUID and send EAX, EBX, ECX, EDX to
/// an I/O port with four 32-bit OUTs, then HLT. Real mode, no stack, no memory accesses.
public enum CPUIDProbeProgram {
    /// The port the guest reports on (the conventional debug-console port); the probe VM has no devices.
    public static let reportPort: UInt16 = 0x00E9
    /// Where the code is loaded (guest-physical and IP, with CS = 0): above the real-mode IVT and BDA.
    public static let origin: UInt16 = 0x1000
    /// Bytes of code per probed (leaf, subleaf).
    public static let bytesPerProbe = 37

    /// The machine code for these probes, ending in HLT.
    public static func assemble(_ probes: [LeafKey], port: UInt16 = reportPort,
                                origin: UInt16 = origin) throws(RealModeAssemblerError) -> [UInt8] {
        var code = RealModeAssembler(origin: origin)
        emit(probes, into: &code, port: port)
        code.hlt()
        return try code.assemble()
    }

    /// The CPUID probes without the final HLT, for programs that go on (the RDMSR probes).
    static func emit(_ probes: [LeafKey], into code: inout RealModeAssembler, port: UInt16) {
        for key in probes {
            code.mov(.eax, key.leaf)
            code.mov(.ecx, key.subleaf)
            code.cpuid()
            code.mov(.esi, .edx)        // DX is about to hold the port number
            code.mov(.dx, port)
            code.outDXEAX()
            code.mov(.eax, .ebx)
            code.outDXEAX()
            code.mov(.eax, .ecx)
            code.outDXEAX()
            code.mov(.eax, .esi)
            code.outDXEAX()
        }
    }

    /// A guest that never halts (`jmp $`), for testing the timeout.
    public static func spinForever(origin: UInt16 = origin) throws(RealModeAssemblerError) -> [UInt8] {
        var code = RealModeAssembler(origin: origin)
        try code.jmpShort(to: 0)
        return try code.assemble()
    }
}
