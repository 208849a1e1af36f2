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
        /// The whole option as typed: `-cpu host,+sgx,...` (single-quoted when a shell would split it).
        public var commandLine: String {
            let plain = cpu.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || ",+-=._".unicodeScalars.contains($0) }
            return plain ? "-cpu \(cpu)" : "-cpu '" + cpu.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
        }
    }

    /// The `-cpu` option for a composed table. A table built on this machine's live KVM offer is `-cpu host`
    /// plus `+name`/`-name` for each change and `level=`/`xlevel=` (QEMU's host model is that offer); any other
    /// table (another host's dump, a baseline, a prediction) is a named model plus exact edits
    /// (`QEMUExactCPU`), because `host` would hand the guest whatever the target host has.
    public static func qemu(_ composition: GuestComposition, directory: any GuestFeatureDirectory,
                            models: QEMUModelTable? = nil) -> QEMUArguments {
        if composition.base.kind != .live, let models {
            return exactQEMU(composition, directory: directory, models: models)
        }
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

    /// A named model plus exact edits (`QEMUExactCPU`), with notes on what QEMU cannot express.
    static func exactQEMU(_ composition: GuestComposition, directory: any GuestFeatureDirectory,
                          models: QEMUModelTable) -> QEMUArguments {
        let table = composition.table
        let exact = QEMUExactCPU(table: table, models: models)
        var notes = ["base model \(exact.base.name) (\(models.versionLine)): the closest of QEMU's \(exact.base.vendor) models, "
            + "\(exact.enable.count) feature(s) added, \(exact.disable.count) removed; QEMU still filters what the target "
            + "host's KVM lacks (vcpuid qemu check / vcpuid compare \"-cpu ...\" HOST --kernel V)"]
        if exact.hasLostCommas {
            notes.append("QEMU's -cpu option cannot carry a comma (it splits at every one): model-id is written without its commas")
        }
        let unnamed = unnamedBits(of: table, directory: directory)
        if !unnamed.isEmpty {
            notes.append("\(unnamed.count) feature(s) of the table have no property in \(models.versionLine), so QEMU's guest "
                + "will not have them: \(unnamed.joined(separator: ", "))")
        }
        if table.isSet(StructuralRules.sgx1.field) {
            notes.append("an SGX guest also needs a virtual EPC: -object memory-backend-epc,id=epc0,size=64M,prealloc=on "
                + "-M sgx-epc.0.memdev=epc0,sgx-epc.0.node=0")
        }
        return QEMUArguments(cpu: exact.argument, notes: notes)
    }

    /// Features the table has that QEMU's feature words do not name (by the catalogue's names).
    static func unnamedBits(of table: Snapshot, directory: any GuestFeatureDirectory) -> [String] {
        var names: [String] = []
        var seen: Set<CPUIDField> = []
        for feature in directory.features {
            guard let field = feature.field, field.isSingleBit, seen.insert(field).inserted, table.isSet(field) else { continue }
            let maximum = field.leaf >= 0x8000_0000 ? table.maxExtendedLeaf : table.maxBasicLeaf
            guard field.leaf <= maximum, field.leaf < 0x4000_0000 || field.leaf >= 0x5000_0000 else { continue }
            // OSXSAVE mirrors the guest's CR4.OSXSAVE: no VMM sets it.
            if QEMUFeatureWords.bit(at: field) == nil, field != CPUIDField(1, 0, .ecx, bit: 27) { names.append("\(feature)") }
        }
        return names
    }

    /// A libvirt `<cpu mode='custom' match='exact'>` element for a table that is not this host's KVM offer:
    /// the closest model libvirt and QEMU both know, `<vendor>`, and a `<feature>` per differing bit, named as
    /// libvirt's cpu_map names it (bits cpu_map does not name become comments).
    public static func exactLibvirt(_ table: Snapshot, models: QEMUModelTable, model forced: String? = nil) -> (xml: String, notes: [String]) {
        var exact = QEMUExactCPU(table: table, models: models, libvirtOnly: true)
        if let forced, let model = models.model(named: forced) {
            let (target, msrWords) = QEMUExactCPU.bits(of: table)
            let has = model.featureBits.filter { QEMUExactCPU.isCompared($0) && ({ if case .msr = $0.featureWord.location { msrWords.contains($0.word) } else { true } })($0) }
            exact.base = model
            exact.enable = target.subtracting(has).sorted()
            exact.disable = has.subtracting(target).sorted()
        }
        var lines = ["<cpu mode='custom' match='exact' check='full'>"]
        lines.append("  <model fallback='forbid'>\(xmlEscaped(forced ?? exact.base.name))</model>")
        let vendorString = QEMUExactCPU.vendorString(table)
        if let vendor = LibvirtCPUMap.vendors[vendorString] { lines.append("  <vendor>\(vendor)</vendor>") }
        var notes: [String] = []
        for (bits, policy) in [(exact.enable, "require"), (exact.disable, "disable")] {
            for bit in bits {
                if let name = LibvirtCPUMap.name(of: bit) {
                    lines.append("  <feature policy='\(policy)' name='\(xmlEscaped(name))'/>")
                } else {
                    lines.append("  <!-- \(xmlEscaped(bit.name)): not in \(xmlEscaped(LibvirtCPUMap.source)), cannot \(policy == "require" ? "require" : "disable") it -->")
                    notes.append("\(bit.name) is not in \(LibvirtCPUMap.source); libvirt cannot \(policy) it")
                }
            }
        }
        lines.append("</cpu>")
        notes.insert("model \(forced ?? exact.base.name): the closest model both libvirt (\(LibvirtCPUMap.source)) and \(models.versionLine) know; "
            + "\(exact.enable.count) feature(s) required, \(exact.disable.count) disabled against QEMU's definition", at: 0)
        return (lines.joined(separator: "\n") + "\n", notes)
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
