import CPUID

/// The typed view of SGX enumeration: CPUID.(EAX=07H,ECX=0) SGX/SGX_LC and every field of leaf 0x12
/// (ENCLU/ENCLS/ENCLV capabilities, MISCSELECT, maximum enclave sizes, allowed SECS attributes, EPC sections).
public struct SGXEnumeration: Hashable, Sendable {
    /// One named bit of a capability or attribute register, with what it enables.
    public struct Bit: Hashable, Sendable {
        public var bit: Int
        public var name: String
        public var meaning: String
    }

    /// One EPC section from CPUID.(EAX=12H,ECX=n), n >= 2.
    public struct EPCSection: Hashable, Sendable {
        public var subleaf: UInt32
        /// EAX[3:0]: 0 = no more sections, 1 = EPC section, others reserved.
        public var type: UInt32
        public var base: UInt64
        public var size: UInt64
        /// ECX[3:0]: 1 = confidentiality, integrity and replay protection (older SDMs: confidentiality and
        /// integrity); 2 = confidentiality only; 3 = confidentiality and integrity without replay protection.
        public var property: UInt32

        public var propertyMeaning: String {
            switch property {
            case 0: "no property enumerated"
            case 1: "confidentiality, integrity and replay protection"
            case 2: "confidentiality protection only"
            case 3: "confidentiality and integrity protection"
            default: "reserved property \(property)"
            }
        }
    }

    public static let sgxField = LinuxFeatureField.field("SGX")
    public static let launchControlField = LinuxFeatureField.field("SGX_LC")

    /// CPUID.(EAX=12H,ECX=0):EAX, one row per defined bit.
    public static let capabilityBits: [Bit] = [
        Bit(bit: 0, name: "SGX1", meaning: "SGX1 leaf functions (ECREATE, EENTER, ERESUME, EEXIT, ...)"),
        Bit(bit: 1, name: "SGX2", meaning: "SGX2 leaf functions (EAUG, EMODPR, EMODT, EACCEPT, EMODPE)"),
        Bit(bit: 5, name: "ENCLV", meaning: "ENCLV leaves EINCVIRTCHILD, EDECVIRTCHILD, ESETCONTEXT (oversubscription)"),
        Bit(bit: 6, name: "ENCLS-C", meaning: "ENCLS leaves ETRACKC, ERDINFO, ELDBC, ELDUC"),
        Bit(bit: 7, name: "EVERIFYREPORT2", meaning: "ENCLU leaf EVERIFYREPORT2"),
        Bit(bit: 10, name: "EUPDATESVN", meaning: "ENCLS leaf EUPDATESVN (SVN update without reboot)"),
        Bit(bit: 11, name: "EDECCSSA", meaning: "ENCLU leaf EDECCSSA (decrement TCS.CSSA; needed by AEX-Notify handlers)"),
    ]

    /// CPUID.(EAX=12H,ECX=0):EBX = MISCSELECT bits that may be set.
    public static let miscSelectBits: [Bit] = [
        Bit(bit: 0, name: "EXINFO", meaning: "#PF and #GP details saved in the SSA MISC area"),
        Bit(bit: 1, name: "CPINFO", meaning: "#CP (control-protection) details saved in the SSA MISC area"),
    ]

    /// SECS.ATTRIBUTES.FLAGS bits (CPUID.(EAX=12H,ECX=1):EAX for bits 31:0).
    public static let attributeBits: [Bit] = [
        Bit(bit: 0, name: "INIT", meaning: "enclave initialized by EINIT"),
        Bit(bit: 1, name: "DEBUG", meaning: "debug enclave (EDBGRD/EDBGWR allowed)"),
        Bit(bit: 2, name: "MODE64BIT", meaning: "64-bit enclave"),
        Bit(bit: 4, name: "PROVISIONKEY", meaning: "may derive the provisioning key"),
        Bit(bit: 5, name: "EINITTOKENKEY", meaning: "may derive the EINIT token key (launch enclave)"),
        Bit(bit: 6, name: "CET", meaning: "CET shadow stacks/IBT inside the enclave"),
        Bit(bit: 7, name: "KSS", meaning: "key separation and sharing (CONFIGID, ISVFAMILYID, ISVEXTPRODID)"),
        Bit(bit: 10, name: "AEXNOTIFY", meaning: "AEX notifications delivered by ERESUME (Linux SGX_ATTR_ASYNC_EXIT_NOTIFY)"),
    ]

    public var sgx: Bool
    public var launchControl: Bool
    /// Whether leaf 0x12 lies within the basic range (leaf 0 EAX >= 0x12).
    public var leafInRange: Bool
    /// CPUID.(EAX=12H,ECX=0):EAX.
    public var capabilities: UInt32
    /// CPUID.(EAX=12H,ECX=0):EBX.
    public var miscSelect: UInt32
    /// CPUID.(EAX=12H,ECX=0):EDX[7:0] and [15:8]: log2 of the largest enclave outside / inside 64-bit mode.
    public var maxEnclaveSizeNot64Log2: UInt32
    public var maxEnclaveSize64Log2: UInt32
    /// CPUID.(EAX=12H,ECX=1):EBX:EAX, the SECS.ATTRIBUTES.FLAGS bits that may be set.
    public var attributes: UInt64
    /// CPUID.(EAX=12H,ECX=1):EDX:ECX, the SECS.ATTRIBUTES.XFRM bits that may be set.
    public var xfrm: UInt64
    /// The EPC sections, in subleaf order, up to the first invalid (type 0) subleaf.
    public var epcSections: [EPCSection]

    /// Reads the view. Leaf 0x12 values are taken as they are; `isEnumerated` says whether they count.
    public init(_ snapshot: Snapshot) {
        sgx = snapshot.isSet(Self.sgxField)
        launchControl = snapshot.isSet(Self.launchControlField)
        leafInRange = snapshot.maxBasicLeaf >= 0x12
        let zero = snapshot.registers(0x12, 0) ?? .zero
        let one = snapshot.entry(0x12, 1)?.registers ?? .zero
        capabilities = zero.eax
        miscSelect = zero.ebx
        maxEnclaveSizeNot64Log2 = zero.edx & 0xff
        maxEnclaveSize64Log2 = (zero.edx >> 8) & 0xff
        attributes = UInt64(one.ebx) << 32 | UInt64(one.eax)
        xfrm = UInt64(one.edx) << 32 | UInt64(one.ecx)
        var sections: [EPCSection] = []
        for entry in snapshot.subleaves(of: 0x12) where entry.subleaf >= 2 {
            guard let section = Self.section(entry) else { break }
            sections.append(section)
        }
        epcSections = sections
    }

    /// Decodes one EPC subleaf; nil for type 0 (no more sections).
    public static func section(_ entry: CPUIDEntry) -> EPCSection? {
        let r = entry.registers
        let type = r.eax & 0xf
        guard type != 0 else { return nil }
        let base = UInt64(r.ebx & 0xf_ffff) << 32 | UInt64(r.eax & 0xffff_f000)
        let size = UInt64(r.edx & 0xf_ffff) << 32 | UInt64(r.ecx & 0xffff_f000)
        return EPCSection(subleaf: entry.subleaf, type: type, base: base, size: size, property: r.ecx & 0xf)
    }

    /// SGX is usable at all: 7.0 EBX[2] set and leaf 0x12 in range.
    public var isEnumerated: Bool { sgx && leafInRange }

    public func hasCapability(_ name: String) -> Bool {
        guard isEnumerated, let bit = Self.capabilityBits.first(where: { $0.name == name })?.bit else { return false }
        return capabilities & (1 << UInt32(bit)) != 0
    }

    public var sgx1: Bool { hasCapability("SGX1") }
    public var sgx2: Bool { hasCapability("SGX2") }
    public var edeccssa: Bool { hasCapability("EDECCSSA") }

    public func allowsAttribute(_ name: String) -> Bool {
        guard isEnumerated, let bit = Self.attributeBits.first(where: { $0.name == name })?.bit else { return false }
        return attributes & (1 << UInt64(bit)) != 0
    }

    public var aexNotifyAttribute: Bool { allowsAttribute("AEXNOTIFY") }

    /// Capability bits set that no row of `capabilityBits` names (a newer CPU than this table).
    public var unknownCapabilities: UInt32 {
        capabilities & ~Self.capabilityBits.reduce(0) { $0 | 1 << UInt32($1.bit) }
    }

    /// Attribute bits allowed that no row of `attributeBits` names.
    public var unknownAttributes: UInt64 {
        attributes & ~Self.attributeBits.reduce(UInt64(0)) { $0 | 1 << UInt64($1.bit) }
    }

    /// Sum of the sizes of all EPC sections.
    public var totalEPC: UInt64 { epcSections.filter { $0.type == 1 }.reduce(0) { $0 + $1.size } }

    /// `96 MiB`, `64 GiB`, `4 KiB`: sizes as people read them.
    public static func formatBytes(_ value: UInt64) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var scaled = Double(value)
        var unit = 0
        while scaled >= 1024, unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        if unit == 0 { return "\(value) bytes" }
        let rounded = (scaled * 100).rounded() / 100
        let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        return "\(text) \(units[unit])"
    }

    /// `2^36 bytes (64 GiB)` for a log2 size field, as the decoders read one; 0 means SGX reports no size.
    public static func formatLog2Size(_ log2: UInt32) -> String {
        log2 == 0 ? "0 (not enumerated)" : FieldReading.log2Bytes.describe(log2)
    }
}
