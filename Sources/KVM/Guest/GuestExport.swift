import CPUID

/// Turns a composed guest table into what other VMMs take: QEMU's `-cpu` string and a libvirt `<cpu>` element.
///
/// Both express the table as feature changes against the base: QEMU's `host` model and libvirt's
/// `host-passthrough` start from KVM's supported CPUID, which is vcpuid's default base. Changes no feature
/// name covers are listed as notes rather than dropped silently.
public enum GuestExport {
    /// A feature whose bit differs between the base and the table.
    public struct FeatureChange: Hashable, Sendable {
        public var feature: GuestFeature
        public var enabled: Bool
    }

    /// Feature changes, and the differing bits no feature covers (as `0x00000012.0x00 EDX bits 0x00003824`).
    public static func featureChanges(from base: Snapshot, to table: Snapshot,
                                      directory: any GuestFeatureDirectory) -> (changes: [FeatureChange], unnamed: [String]) {
        var changes: [FeatureChange] = []
        var covered: [LeafKey: Registers] = [:]
        var seenFields: Set<CPUIDField> = []
        for feature in directory.features {
            guard let field = feature.field, seenFields.insert(field).inserted else { continue }
            var mask = covered[LeafKey(field.leaf, field.subleaf)] ?? .zero
            mask[field.register] |= field.mask
            covered[LeafKey(field.leaf, field.subleaf)] = mask
            let before = base.isSet(field)
            let after = table.isSet(field)
            if before != after { changes.append(FeatureChange(feature: feature, enabled: after)) }
        }
        changes.sort { lhs, rhs in
            guard let l = lhs.feature.field, let r = rhs.feature.field else { return false }
            return (l.leaf, l.subleaf, l.register.rawValue, l.low) < (r.leaf, r.subleaf, r.register.rawValue, r.low)
        }
        var unnamed: [String] = []
        for key in Set(base.keys).union(table.keys).sorted() {
            let before = base.entry(key.leaf, key.subleaf)?.registers ?? .zero
            let after = table.entry(key.leaf, key.subleaf)?.registers ?? .zero
            for register in Register.allCases {
                let bits = (before[register] ^ after[register]) & ~(covered[key]?[register] ?? 0)
                if bits != 0 {
                    unnamed.append("\(key) \(register) bits \(Hex.word(bits)) (\(Hex.word(before[register])) → \(Hex.word(after[register])))")
                }
            }
        }
        return (changes, unnamed)
    }

    /// A QEMU `-cpu` option and what it cannot say.
    public struct QEMUArguments: Hashable, Sendable {
        /// `host,+sgx,+sgx1,-avx512f`
        public var cpu: String
        public var notes: [String]
        /// The whole option as typed: `-cpu host,+sgx,...`
        public var commandLine: String { "-cpu \(cpu)" }
    }

    /// QEMU's `-cpu host` plus `+name`/`-name` for each change, and `level=`/`xlevel=` when the maximum leaves changed.
    public static func qemu(_ composition: GuestComposition, directory: any GuestFeatureDirectory) -> QEMUArguments {
        let (changes, unnamed) = featureChanges(from: composition.base.snapshot, to: composition.table, directory: directory)
        var parts = ["host"]
        var notes: [String] = []
        for change in changes {
            if let name = change.feature.qemuName {
                parts.append((change.enabled ? "+" : "-") + name)
            } else {
                notes.append("\(change.feature) has no QEMU property; QEMU cannot \(change.enabled ? "add" : "remove") it")
            }
        }
        let base = composition.base.snapshot
        if composition.table.maxBasicLeaf != base.maxBasicLeaf {
            parts.append("level=\(composition.table.maxBasicLeaf)")
        }
        if composition.table.maxExtendedLeaf != base.maxExtendedLeaf {
            parts.append("xlevel=\(composition.table.maxExtendedLeaf)")
        }
        notes += unnamed.filter { !$0.hasPrefix(LeafKey(0, 0).description + " EAX") && !$0.hasPrefix(LeafKey(0x8000_0000, 0).description + " EAX") }
            .map { "no QEMU property for \($0)" }
        if composition.table.isSet(StructuralRules.sgx1.field) {
            notes.append("an SGX guest also needs a virtual EPC: -object memory-backend-epc,id=epc0,size=64M,prealloc=on "
                + "-M sgx-epc.0.memdev=epc0,sgx-epc.0.node=0")
        }
        if composition.base.kind != .live {
            notes.append("QEMU's host model starts from KVM's supported CPUID, but this policy's base is \(composition.base.name)")
        }
        return QEMUArguments(cpu: parts.joined(separator: ","), notes: notes)
    }

    /// Libvirt's names where they differ from QEMU's (libvirt src/cpu_map/x86_features.xml aliases).
    public static let libvirtNames: [String: String] = [
        "sse3": "pni", "pclmulqdq": "pclmuldq", "ds-cpl": "ds_cpl", "sse4.1": "sse4.1", "sse4-1": "sse4.1",
        "sse4.2": "sse4.2", "sse4-2": "sse4.2", "tsc-adjust": "tsc_adjust", "xd": "nx", "ffxsr": "fxsr_opt",
        "fxsr-opt": "fxsr_opt", "i64": "lm", "lahf-lm": "lahf_lm", "cmp-legacy": "cmp_legacy",
    ]

    /// A libvirt `<cpu>` element: `host-passthrough` (or a custom `model`) with a `<feature>` per change.
    public static func libvirt(_ composition: GuestComposition, directory: any GuestFeatureDirectory,
                               model: String? = nil) -> String {
        let (changes, unnamed) = featureChanges(from: composition.base.snapshot, to: composition.table, directory: directory)
        var lines: [String] = []
        if let model {
            lines.append("<cpu mode='custom' match='exact' check='full'>")
            lines.append("  <model fallback='forbid'>\(xmlEscaped(model))</model>")
        } else {
            lines.append("<cpu mode='host-passthrough' check='full' migratable='on'>")
        }
        for change in changes {
            guard let qemu = change.feature.qemuName else {
                lines.append("  <!-- \(xmlEscaped(change.feature.description)) has no libvirt name -->")
                continue
            }
            let name = libvirtNames[qemu] ?? qemu
            lines.append("  <feature policy='\(change.enabled ? "require" : "disable")' name='\(xmlEscaped(name))'/>")
        }
        for bits in unnamed {
            lines.append("  <!-- no libvirt feature for \(xmlEscaped(bits)) -->")
        }
        lines.append("</cpu>")
        if composition.table.isSet(StructuralRules.sgx1.field) {
            lines.append("<!-- an SGX guest also needs <devices><memory model='sgx-epc'><target><size unit='KiB'>65536</size></target></memory></devices> -->")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&apos;"
            case "\"": out += "&quot;"
            case "-" where out.hasSuffix("-"): out += " -"
            default: out.append(character)
            }
        }
        return out
    }
}
