import CPUID

/// One of QEMU's x86 feature words (target/i386/cpu.c `feature_word_info`): a CPUID register or a feature MSR
/// whose bits QEMU names as `-cpu` properties. QEMU filters, warns and exports features word by word.
public struct QEMUFeatureWord: Hashable, Sendable {
    public enum Location: Hashable, Sendable {
        /// A CPUID register; `subleaf` is nil where QEMU does not pass ECX (`needs_ecx` false).
        case cpuid(leaf: UInt32, subleaf: UInt32?, register: Register)
        /// A feature MSR, read by KVM_GET_MSRS on /dev/kvm and written by QEMU into every vCPU.
        case msr(UInt32)
    }

    public var location: Location
    /// Property names by bit; a bit without a name cannot be asked for on the command line.
    public var names: [Int: String]

    public static func cpuid(_ leaf: UInt32, _ subleaf: UInt32?, _ register: Register, _ names: [Int: String]) -> Self {
        QEMUFeatureWord(location: .cpuid(leaf: leaf, subleaf: subleaf, register: register), names: names)
    }

    public static func msr(_ index: UInt32, _ names: [Int: String]) -> Self {
        QEMUFeatureWord(location: .msr(index), names: names)
    }

    /// The two spellings of QEMU's warnings: before 10.1 `CPUID.07H:EBX`, from 10.1 `CPUID[eax=07h,ecx=00h].EBX`.
    public enum Spelling: String, Hashable, Sendable, CaseIterable {
        case classic
        case bracketed

        /// The spelling a QEMU release prints (the bracketed form came with QEMU 10.1).
        public static func of(version: QEMUVersion) -> Spelling {
            version >= QEMUVersion(10, 1, 0) ? .bracketed : .classic
        }
    }

    /// QEMU's `feature_word_description`: the word's name in warnings.
    public func description(_ spelling: Spelling) -> String {
        switch (location, spelling) {
        case let (.cpuid(leaf, _, register), .classic):
            "CPUID.\(Self.hex(leaf))H:\(register.description)"
        case let (.cpuid(leaf, subleaf?, register), .bracketed):
            "CPUID[eax=\(Self.hex(leaf))h,ecx=\(Self.hex(subleaf))h].\(register.description)"
        case let (.cpuid(leaf, nil, register), .bracketed):
            "CPUID[eax=\(Self.hex(leaf))h].\(register.description)"
        case let (.msr(index), .classic): "MSR(\(Self.hex(index))H)"
        case let (.msr(index), .bracketed): "MSR(\(Self.hex(index))h)"
        }
    }

    /// `%02X`: upper-case hex, at least two digits.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return digits.count < 2 ? "0" + digits : digits
    }

    /// The CPUID field of one bit, for CPUID words.
    public func field(bit: Int) -> CPUIDField? {
        guard case let .cpuid(leaf, subleaf, register) = location else { return nil }
        return CPUIDField(leaf, subleaf ?? 0, register, bit: bit)
    }
}

/// One named bit of one feature word.
public struct QEMUFeatureBit: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Index into `QEMUFeatureWords.all`.
    public var word: Int
    public var bit: Int

    public init(word: Int, bit: Int) {
        self.word = word
        self.bit = bit
    }

    public var featureWord: QEMUFeatureWord { QEMUFeatureWords.all[word] }
    /// QEMU's canonical property name; empty for bits QEMU sets itself (the XSAVE component words).
    public var name: String { featureWord.names[bit] ?? "" }
    public var description: String { name.isEmpty ? "\(featureWord.description(.classic)) bit \(bit)" : name }

    /// `CPUID.07H:EBX.hle [bit 4]`: how QEMU's warnings name the bit.
    public func warningText(_ spelling: QEMUFeatureWord.Spelling) -> String {
        name.isEmpty ? "\(featureWord.description(spelling)) [bit \(bit)]" : "\(featureWord.description(spelling)).\(name) [bit \(bit)]"
    }

    public static func < (lhs: QEMUFeatureBit, rhs: QEMUFeatureBit) -> Bool { (lhs.word, lhs.bit) < (rhs.word, rhs.bit) }
}
