import CPUID

extension GuestBase {
    /// KVM_GET_SUPPORTED_CPUID of this machine: the default base, since it is what KVM can really give.
    public static func live(path: String = "/dev/kvm", module: KVMModuleInfo = .detect()) throws(KVMError) -> GuestBase {
        let system = try KVMSystem(path: path)
        // Asked on CPU 0 so that the APIC IDs KVM copies from the calling CPU (1.EBX[31:24], 0xB/0x1F EDX)
        // do not change from run to run; unpinned where this process may not run on CPU 0.
        var snapshot: Snapshot
        if let pinned = try? system.cpuidQuery(onCPU: 0) {
            snapshot = pinned.snapshot
        } else {
            snapshot = try system.supportedCPUID()
        }
        // KVM's feature MSRs are part of what it offers: a VMM gives a guest their values (QEMU does).
        for msr in try system.offeredFeatureMSRs() where msr.value.bits != nil { snapshot.setMSR(msr) }
        let provider = module.name.map { ", \($0)" } ?? ""
        return GuestBase(kind: .live, snapshot: snapshot, name: "KVM_GET_SUPPORTED_CPUID (live\(provider))")
    }

    /// The host's own CPUID on one logical CPU: what a passthrough would ask for, not what KVM grants.
    public static func host(cpu: Int = 0, source: LiveSource = .instruction) throws(LiveSourceError) -> GuestBase {
        GuestBase(kind: .host, snapshot: try LiveCPU.snapshot(cpu: cpu, source: source), name: "the host CPUID (CPU \(cpu))")
    }

    /// One CPU of a dump file (the first, unless `cpu` names another).
    public static func file(path: String, format: DumpFormat? = nil, cpu: Int? = nil) throws(DumpError) -> GuestBase {
        let dump = try DumpReader.read(path: path, format: format)
        let snapshot = try cpu.map { number throws(DumpError) in try dump.requireCPU(number, file: path) } ?? dump.first
        return GuestBase(kind: .file, snapshot: snapshot, name: path)
    }
}
