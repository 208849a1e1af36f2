import CPUID
import X86Features

/// A host-kernel view whose bug flags come from the running kernel's own /proc/cpuinfo `bugs` line, so the
/// live model asks exactly what boot_cpu_has_bug() answers on this machine; everything else from `base`.
public struct ProcBugsKernelView: KVMHostKernelView {
    public var base: any KVMHostKernelView
    /// Bug macro suffixes (`CPU_MELTDOWN`) the running kernel reports.
    public var bugs: Set<String>

    /// `procBugs` as /proc/cpuinfo prints them, mapped to macros through `kernel`'s bug rows.
    public init(base: any KVMHostKernelView, procBugs: [String], kernel: KernelProfile) {
        self.base = base
        var macros: Set<String> = []
        for name in procBugs {
            if let row = kernel.bugs.first(where: { kernel.procName(of: $0) == name }) { macros.insert(row.name) }
            else { macros.insert(name.uppercased()) }
        }
        self.bugs = macros
    }

    /// `base` with this machine's bug flags, from the first processor of /proc/cpuinfo; nil when unreadable.
    public static func running(base: any KVMHostKernelView, kernel: KernelProfile,
                               path: String = "/proc/cpuinfo") -> ProcBugsKernelView? {
        guard let text = SystemFile.text(path), let info = try? ProcCPUInfo.parse(text, name: path),
              let first = info.processors.first else { return nil }
        return ProcBugsKernelView(base: base, procBugs: first.bugs, kernel: kernel)
    }

    public func capabilityWord(_ word: Int) -> UInt32 { base.capabilityWord(word) }
    public func hasFeature(_ macro: String) -> Bool? { base.hasFeature(macro) }
    public func hasBug(_ name: String) -> Bool? { bugs.contains(name) }
    public func undecidedBug(_ name: String) -> String? { nil }
}
