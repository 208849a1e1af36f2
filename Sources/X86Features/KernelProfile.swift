import CPUID

/// One kernel version's feature tables, exactly as that kernel's sources have them: which features
/// and bugs exist, their numbers, their /proc/cpuinfo names, the scattered rows and the dependency rows.
public struct KernelProfile: Hashable, Sendable, CustomStringConvertible {
    /// One `#define X86_FEATURE_*` or `#define X86_BUG_*` line, reduced to its facts.
    public struct Row: Hashable, Sendable {
        /// Macro name without the `X86_FEATURE_` / `X86_BUG_` prefix, e.g. `SGX_EDECCSSA`.
        public var name: String
        /// Word and bit; for bugs the word counts from the first bug word (`X86_BUG(1*32 + 0)` is word 1).
        public var word: Int
        public var bit: Int
        /// The quoted string at the start of the header comment, if any (`""` hides the flag).
        public var quotedName: String?

        public init(_ name: String, _ word: Int, _ bit: Int, _ quotedName: String? = nil) {
            self.name = name
            self.word = word
            self.bit = bit
            self.quotedName = quotedName
        }
    }

    /// One row of scattered.c: the feature is set when this CPUID bit is set (after the max-leaf guard).
    public struct ScatteredRow: Hashable, Sendable {
        public var name: String
        public var register: Register
        public var bit: Int
        public var leaf: UInt32
        public var subleaf: UInt32

        public init(_ name: String, _ register: Register, _ bit: Int, _ leaf: UInt32, _ subleaf: UInt32) {
            self.name = name
            self.register = register
            self.bit = bit
            self.leaf = leaf
            self.subleaf = subleaf
        }

        public var field: CPUIDField { CPUIDField(leaf, subleaf, register, bit: bit) }
    }

    /// One row of cpuid-deps.c: `name` is cleared whenever `dependsOn` is cleared.
    public struct DependencyRow: Hashable, Sendable {
        public var name: String
        public var dependsOn: String

        public init(_ name: String, _ dependsOn: String) {
            self.name = name
            self.dependsOn = dependsOn
        }
    }

    /// How mkcapflags.sh turns a header line into a /proc/cpuinfo name.
    public enum ProcNaming: String, Hashable, Sendable {
        /// Up to v6.10: the lower-cased macro name unless the comment starts with a quoted name; `""` hides.
        case macroUnlessQuoted
        /// From v6.11: only features whose comment starts with a (non-empty) quoted name are shown.
        case quotedOnly

        /// The rule of this kernel version (mkcapflags.sh changed in v6.11).
        public init(for version: KernelVersion) {
            self = version >= KernelVersion(6, 11) ? .quotedOnly : .macroUnlessQuoted
        }
    }

    public var version: KernelVersion
    /// NCAPINTS.
    public private(set) var capabilityWords: Int
    /// NBUGINTS.
    public var bugWords: Int
    public private(set) var features: [Row]
    public private(set) var bugs: [Row]
    public var scattered: [ScatteredRow]
    public var dependencies: [DependencyRow]
    /// Name and number lookups, built once when the profile is made.
    let index: Index
    /// The dependency rows as a graph.
    public let dependencyGraph: FeatureDependencies
    /// /proc/cpuinfo name per capability-array bit (features, then bugs); nil when hidden or undefined.
    let procNames: [String?]
    /// The feature number of each scattered row, parallel to `scattered`.
    let scatteredNumbers: [FeatureNumber?]

    public init(version: KernelVersion, capabilityWords: Int, bugWords: Int, features: [Row], bugs: [Row],
                scattered: [ScatteredRow], dependencies: [DependencyRow]) {
        self.version = version
        self.capabilityWords = capabilityWords
        self.bugWords = bugWords
        self.features = features
        self.bugs = bugs
        self.scattered = scattered
        self.dependencies = dependencies
        let index = Index(features: features, bugs: bugs, capabilityWords: capabilityWords)
        self.index = index
        self.dependencyGraph = FeatureDependencies(rows: dependencies)
        var names = [String?](repeating: nil, count: (capabilityWords + bugWords) * 32)
        let naming = ProcNaming(for: version)
        for row in features { names[row.word * 32 + row.bit] = Self.procName(of: row, naming: naming) }
        for row in bugs { names[(capabilityWords + row.word) * 32 + row.bit] = Self.procName(of: row, naming: naming) }
        self.procNames = names
        self.scatteredNumbers = scattered.map { index.features[$0.name] }
    }

    public static func == (lhs: KernelProfile, rhs: KernelProfile) -> Bool {
        lhs.version == rhs.version && lhs.capabilityWords == rhs.capabilityWords && lhs.bugWords == rhs.bugWords
            && lhs.features == rhs.features && lhs.bugs == rhs.bugs && lhs.scattered == rhs.scattered
            && lhs.dependencies == rhs.dependencies
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(version)
        hasher.combine(features.count)
        hasher.combine(bugs.count)
    }

    public var procNaming: ProcNaming { ProcNaming(for: version) }

    /// Total number of capability words including the bug words, as in `x86_capability[NCAPINTS + NBUGINTS]`.
    public var totalWords: Int { capabilityWords + bugWords }

    public var description: String { "Linux \(version)" }

    /// The number of a feature macro (without prefix), e.g. `SGX_EDECCSSA` → 11*32+18.
    public func number(ofFeature name: String) -> FeatureNumber? { index.features[name] }

    /// The number of a bug macro (without prefix) in the capability array (`NCAPINTS*32 + n`).
    public func number(ofBug name: String) -> FeatureNumber? { index.bugs[name] }

    /// What /proc/cpuinfo prints for this row under this kernel's naming rule; nil when hidden.
    public func procName(of row: Row) -> String? { Self.procName(of: row, naming: procNaming) }

    /// /proc/cpuinfo name of the bit at this capability-array position, nil when hidden or undefined.
    public func procName(at number: FeatureNumber) -> String? {
        procNames.indices.contains(number.value) ? procNames[number.value] : nil
    }

    static func procName(of row: Row, naming: ProcNaming) -> String? {
        switch naming {
        case .macroUnlessQuoted:
            if let quoted = row.quotedName { return quoted.isEmpty ? nil : quoted }
            return row.name.lowercased()
        case .quotedOnly:
            guard let quoted = row.quotedName, !quoted.isEmpty else { return nil }
            return quoted
        }
    }

    /// The feature row with this number (features only).
    public func featureRow(at number: FeatureNumber) -> Row? { index.featureByNumber[number] }

    /// The bug row with this capability-array number.
    public func bugRow(at number: FeatureNumber) -> Row? { index.bugByNumber[number] }

    public func featureRow(named name: String) -> Row? {
        index.features[name].flatMap { index.featureByNumber[$0] }
    }

    public func bugRow(named name: String) -> Row? {
        index.bugs[name].flatMap { index.bugByNumber[$0] }
    }
}

extension KernelProfile {
    /// Name and number lookups for one profile.
    struct Index: Sendable {
        var features: [String: FeatureNumber] = [:]
        var bugs: [String: FeatureNumber] = [:]
        var featureByNumber: [FeatureNumber: Row] = [:]
        var bugByNumber: [FeatureNumber: Row] = [:]

        init(features rows: [Row], bugs bugRows: [Row], capabilityWords: Int) {
            for row in rows {
                let number = FeatureNumber(word: row.word, bit: row.bit)
                features[row.name] = number
                featureByNumber[number] = row
            }
            for row in bugRows {
                let number = FeatureNumber(word: capabilityWords + row.word, bit: row.bit)
                bugs[row.name] = number
                bugByNumber[number] = row
            }
        }
    }
}
