/// The catalogue of named feature-MSR bits: one place that turns `arch_capabilities.mds_no`, `MDS_NO` or
/// QEMU's `mds-no` into MSR 0x10A bit 5, and lists what a release of Linux names in each MSR.
public enum FeatureMSRBits {
    public static let archCapabilities: UInt32 = 0x10A
    public static let coreCapabilities: UInt32 = 0xCF
    public static let perfCapabilities: UInt32 = 0x345
    public static let platformInfo: UInt32 = 0xCE
    public static let tsxControl: UInt32 = 0x122
    public static let microcodeRevision: UInt32 = 0x8B

    /// Every row, all MSRs, in table order.
    public static var all: [FeatureMSRBit] { rows }

    /// The MSRs the catalogue decodes, with their short names.
    public static let registers: [(msr: UInt32, name: String)] = [
        (0x8B, "UCODE_REV"), (0xCE, "PLATFORM_INFO"), (0xCF, "CORE_CAPS"), (0x10A, "ARCH_CAPABILITIES"),
        (0x122, "TSX_CTRL"), (0x345, "PERF_CAPABILITIES"),
    ]

    /// The short name of a decoded MSR (`ARCH_CAPABILITIES`), nil for others.
    public static func registerName(of msr: UInt32) -> String? { registers.first { $0.msr == msr }?.name }

    /// The MSR's rows, lowest bit first; with `kernel`, only those that release's msr-index.h names.
    public static func bits(of msr: UInt32, in kernel: KernelVersion? = nil) -> [FeatureMSRBit] {
        rows.filter { $0.msr == msr && (kernel.map($0.isNamed(by:)) ?? true) }.sorted { $0.low < $1.low }
    }

    /// The row whose bits cover bit `n` of `msr` (a flag, or a field such as PEBS_FORMAT), nil where no one names it.
    public static func bit(_ msr: UInt32, covering n: Int) -> FeatureMSRBit? {
        rows.first { $0.msr == msr && $0.low <= n && n < $0.low + $0.width }
    }

    /// The row named `name` (`MDS_NO`, case-insensitive) in one MSR.
    public static func bit(_ msr: UInt32, named name: String) -> FeatureMSRBit? {
        let key = normalize(name)
        return rows.first { $0.msr == msr && normalize($0.name) == key }
    }

    /// Resolves a user's spelling: `arch_capabilities.mds_no`, `ARCH_CAPABILITIES.MDS_NO`, `mds_no`, `mds-no`
    /// (QEMU), `0x10a.5`. A bare name must be unique across the catalogue.
    public static func lookup(_ text: String) -> FeatureMSRBit? {
        let trimmed = String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        if let dot = trimmed.firstIndex(of: ".") {
            let head = String(trimmed[..<dot]), tail = String(trimmed[trimmed.index(after: dot)...])
            let msr: UInt32? = parseIndex(head) ?? registers.first { normalize($0.name) == normalize(head) }?.msr
                ?? (normalize(head) == "arch_caps" ? archCapabilities : nil)
            guard let msr else { return nil }
            if let bitNumber = Int(tail) { return rows.first { $0.msr == msr && $0.low == bitNumber } }
            return bit(msr, named: tail)
        }
        let key = normalize(trimmed)
        if let byQEMU = rows.first(where: { $0.qemuName == trimmed.lowercased() }) { return byQEMU }
        let matches = rows.filter { normalize($0.name) == key }
        return matches.count == 1 ? matches[0] : nil
    }

    /// The QEMU-named rows, for exports and `-cpu` parsing.
    public static var qemuNamed: [FeatureMSRBit] { rows.filter { $0.qemuName != nil } }

    private static func normalize(_ name: String) -> String {
        String(name.lowercased().map { $0 == "-" ? "_" : $0 })
    }

    private static func parseIndex(_ text: String) -> UInt32? {
        let lower = text.lowercased()
        return lower.hasPrefix("0x") ? UInt32(lower.dropFirst(2), radix: 16) : nil
    }
}
