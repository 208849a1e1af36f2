import ArgumentParser
import CPUID
import KVM
import SGX
import X86Features

/// `vcpuid sgx [FILE] [--kvm | --guest POLICY]`: the SGX capability report for a CPUID view, with the AEX-Notify verdict.
struct SGXReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "What a CPUID view enumerates about SGX, and whether enclaves can use AEX-Notify.",
        discussion: """
            Reads this machine's CPU by default, a dump when FILE is given, KVM's supported table with --kvm, or \
            with --guest the guest table that the guest policy options compose (see `vcpuid sgx guest --help`). \
            AEX-Notify needs ENCLU[EDECCSSA] (CPUID.(EAX=12H,ECX=0):EAX[11]) and the AEXNOTIFY attribute \
            (CPUID.(EAX=12H,ECX=1):EAX[10]); Linux lets enclaves use it from 6.2 on, and KVM reports both bits to \
            guests from 6.2 on.

            Examples:
              vcpuid sgx                          this CPU's SGX and the AEX-Notify verdict
              vcpuid sgx report --kvm             what KVM offers its guests
              vcpuid sgx report host.txt --json   a saved dump, as JSON
            """
    )

    @OptionGroup var input: SnapshotOptions

    @Flag(help: "Report on KVM's supported CPUID table (KVM_GET_SUPPORTED_CPUID) instead of the CPU.")
    var kvm = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        if kvm, input.file != nil { throw ValidationError("--kvm reads /dev/kvm; do not give a dump file as well") }
        if input.allCPUs { throw ValidationError("the SGX report looks at one CPU; use --cpu N") }
    }

    func run() throws {
        let snapshot: Snapshot
        let source: SGXViewSource
        let origin: String
        if kvm {
            do {
                snapshot = try KVMSystem.supportedCPUID()
            } catch {
                throw ValidationError("cannot read KVM's supported CPUID: \(error)")
            }
            source = .kvmSupported(kernel: KernelVersion.running())
            origin = "KVM_GET_SUPPORTED_CPUID (/dev/kvm, \(KVMModuleInfo.detect().name ?? "unknown module"))"
        } else {
            snapshot = try input.loadSnapshot()
            source = input.file == nil ? .liveCPU(kernel: KernelVersion.running()) : .dump
            origin = input.sourceDescription
        }
        let report = SGXCapabilityReport(snapshot, source: source)
        if json {
            print(try SGXTable.json(SGXReportDocument(report, origin: origin)))
        } else {
            print(Self.render(report, origin: origin))
        }
    }

    static func yesNo(_ value: Bool) -> String { value ? "yes" : "no" }

    static func mark(_ status: VerdictReason.Status) -> String {
        switch status {
        case .holds: "[ok]"
        case .fails: "[NO]"
        case .unknown: "[??]"
        }
    }

    static func render(_ report: SGXCapabilityReport, origin: String) -> String {
        let view = report.enumeration
        var out: [String] = []
        out.append("SGX capability report for \(origin)")
        out.append("vendor \(report.vendor.isEmpty ? "(unknown)" : report.vendor)"
                   + (report.hypervisor.map { ", running under hypervisor \($0)" } ?? ""))
        out.append("")
        out.append("SGX: \(report.sgxAvailable ? "present" : "absent")")
        for reason in report.sgxReasons {
            out.append("  \(mark(reason.status)) \(reason.requirement): \(reason.evidence)")
        }
        out.append("")
        var rows: [[String]] = [
            ["SGX", yesNo(view.sgx), SGXEnumeration.sgxField.description, "Software Guard Extensions"],
            ["SGX_LC", yesNo(view.launchControl), SGXEnumeration.launchControlField.description, "flexible launch control (writable IA32_SGXLEPUBKEYHASH)"],
        ]
        for bit in SGXEnumeration.capabilityBits {
            rows.append([bit.name, yesNo(view.isEnumerated && view.capabilities & (1 << UInt32(bit.bit)) != 0),
                         CPUIDField(0x12, 0, .eax, bit: bit.bit).description, bit.meaning])
        }
        for bit in SGXEnumeration.miscSelectBits {
            rows.append([bit.name, yesNo(view.isEnumerated && view.miscSelect & (1 << UInt32(bit.bit)) != 0),
                         CPUIDField(0x12, 0, .ebx, bit: bit.bit).description, "MISCSELECT: " + bit.meaning])
        }
        rows.append(["max enclave size", view.isEnumerated ? SGXEnumeration.formatLog2Size(view.maxEnclaveSizeNot64Log2) : "-",
                     CPUIDField(0x12, 0, .edx, bits: 7, 0).description, "outside 64-bit mode"])
        rows.append(["max enclave size", view.isEnumerated ? SGXEnumeration.formatLog2Size(view.maxEnclaveSize64Log2) : "-",
                     CPUIDField(0x12, 0, .edx, bits: 15, 8).description, "in 64-bit mode"])
        out.append(SGXTable.render(["feature", "value", "where", "meaning"], rows))
        if view.isEnumerated, view.unknownCapabilities != 0 {
            out.append("  CPUID.(EAX=12H,ECX=0):EAX also sets bits not in this table: \(Hex.word(view.unknownCapabilities))")
        }
        out.append("")
        out.append("SECS attributes an enclave may set (CPUID.(EAX=12H,ECX=1)):")
        let attributeRows = SGXEnumeration.attributeBits.map { bit in
            [bit.name, yesNo(view.allowsAttribute(bit.name)), "FLAGS[\(bit.bit)]", bit.meaning]
        }
        out.append(SGXTable.render(["attribute", "allowed", "bit", "meaning"], attributeRows))
        if view.isEnumerated {
            if view.unknownAttributes != 0 {
                out.append("  other FLAGS bits allowed: 0x\(String(view.unknownAttributes, radix: 16))")
            }
            out.append("  XFRM allowed: 0x\(String(view.xfrm, radix: 16)) (XCR0 features an enclave may enable)")
        }
        out.append("")
        if view.isEnumerated, !view.epcSections.isEmpty {
            out.append("EPC sections:")
            let epcRows = view.epcSections.map { s in
                ["\(s.subleaf)", "0x\(String(s.base, radix: 16))", "0x\(String(s.size, radix: 16)) (\(SGXEnumeration.formatBytes(s.size)))",
                 s.type == 1 ? s.propertyMeaning : "reserved type \(s.type)"]
            }
            out.append(SGXTable.render(["subleaf", "base", "size", "property"], epcRows))
            out.append("total EPC: \(SGXEnumeration.formatBytes(view.totalEPC))")
        } else {
            out.append("EPC sections: none enumerated")
        }
        out.append("")
        out.append("AEX-Notify usable: \(report.aexNotify.usable ? "yes" : "no")")
        for reason in report.aexNotify.reasons {
            out.append("  \(mark(reason.status)) \(reason.requirement): \(reason.evidence)")
        }
        if report.aexNotify.usable, !report.aexNotify.unknown.isEmpty {
            out.append("  (yes as far as this view can tell; the [??] conditions must hold too)")
        }
        return out.joined(separator: "\n")
    }
}

/// The report as JSON: every enumeration field and both verdicts with their reasons.
struct SGXReportDocument: Encodable {
    struct Flag: Encodable {
        var name: String
        var bit: Int
        var set: Bool
        var field: String
    }

    struct Section: Encodable {
        var subleaf: UInt32
        var type: UInt32
        var base: UInt64
        var size: UInt64
        var property: String
    }

    var source: String
    var vendor: String
    var hypervisor: String?
    var sgx: Bool
    var sgxLC: Bool
    var sgxAvailable: Bool
    var sgxReasons: [VerdictReason]
    var capabilities: [Flag]
    var miscSelect: [Flag]
    var maxEnclaveSizeNot64Log2: UInt32
    var maxEnclaveSize64Log2: UInt32
    var attributes: [Flag]
    var attributesRaw: UInt64
    var xfrm: UInt64
    var epcSections: [Section]
    var totalEPC: UInt64
    var aexNotifyUsable: Bool
    var aexNotifyReasons: [VerdictReason]
    /// For a composed guest table: the policy's edits and the composer's notes.
    var guestEdits: [String]?
    var guestNotes: [String]?

    init(_ report: SGXCapabilityReport, origin: String) {
        let view = report.enumeration
        source = origin
        vendor = report.vendor
        hypervisor = report.hypervisor
        sgx = view.sgx
        sgxLC = view.launchControl
        sgxAvailable = report.sgxAvailable
        sgxReasons = report.sgxReasons
        capabilities = SGXEnumeration.capabilityBits.map {
            Flag(name: $0.name, bit: $0.bit, set: view.isEnumerated && view.capabilities & (1 << UInt32($0.bit)) != 0,
                 field: CPUIDField(0x12, 0, .eax, bit: $0.bit).description)
        }
        miscSelect = SGXEnumeration.miscSelectBits.map {
            Flag(name: $0.name, bit: $0.bit, set: view.isEnumerated && view.miscSelect & (1 << UInt32($0.bit)) != 0,
                 field: CPUIDField(0x12, 0, .ebx, bit: $0.bit).description)
        }
        maxEnclaveSizeNot64Log2 = view.maxEnclaveSizeNot64Log2
        maxEnclaveSize64Log2 = view.maxEnclaveSize64Log2
        attributes = SGXEnumeration.attributeBits.map {
            Flag(name: $0.name, bit: $0.bit, set: view.allowsAttribute($0.name),
                 field: CPUIDField(0x12, 1, .eax, bit: $0.bit).description)
        }
        attributesRaw = view.attributes
        xfrm = view.xfrm
        epcSections = view.epcSections.map {
            Section(subleaf: $0.subleaf, type: $0.type, base: $0.base, size: $0.size, property: $0.propertyMeaning)
        }
        totalEPC = view.totalEPC
        aexNotifyUsable = report.aexNotify.usable
        aexNotifyReasons = report.aexNotify.reasons
    }
}
