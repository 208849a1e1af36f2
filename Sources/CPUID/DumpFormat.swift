/// The dump formats vcpuid reads and writes.
public enum DumpFormat: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Todd Allen's `cpuid -r`: `   0x00000007 0x00: eax=0x... ebx=0x... ecx=0x... edx=0x...` under `CPU:` / `CPU N:`.
    case cpuidRaw = "raw"
    /// AIDA64 / InstLatx64: `CPUID 00000007: EAX-EBX-ECX-EDX [SL 00]` under per-CPU headers.
    case aida
    /// libcpuid's raw data: `basic_cpuid[1]=eax ebx ecx edx`, `intel_fn4[0]=...`, ...
    case libcpuid
    /// libvirt's test cpudata XML: `<cpuid eax_in='0x..' ecx_in='0x..' eax='0x..' .../>` (one CPU).
    case libvirt
    /// vcpuid's own JSON (schema in docs/formats.md).
    case json
    /// A Firecracker CPU configuration: a custom CPU template, `cpu-template-helper template dump` output,
    /// or a fingerprint's `guest_cpu_config` (one CPU). Read only: `vcpuid guest export` writes templates.
    case firecracker

    public var description: String { rawValue }

    /// Whether the written format has a place for MSRs (libvirt's `<msr>` for read values only).
    public var carriesMSRs: Bool {
        switch self {
        case .json, .aida, .libvirt: true
        case .cpuidRaw, .libcpuid, .firecracker: false
        }
    }

    /// Formats vcpuid can write.
    public static let writable: [DumpFormat] = [.cpuidRaw, .json, .aida, .libvirt]

    /// A human name for messages.
    public var displayName: String {
        switch self {
        case .cpuidRaw: "cpuid -r text"
        case .aida: "AIDA64/InstLatx64 text"
        case .libcpuid: "libcpuid raw data"
        case .libvirt: "libvirt cpudata XML"
        case .json: "vcpuid JSON"
        case .firecracker: "Firecracker CPU template"
        }
    }
}
