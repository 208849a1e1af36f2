/// The kernel command-line options that clear CPU features, as the kernel parses them.
public struct BootOptions: Hashable, Sendable {
    /// An option that clears one fixed feature.
    public enum Switch: String, CaseIterable, Hashable, Sendable {
        case nosgx, noxsave, noxsaveopt, noxsaves, nopku, nofxsr, nousershstk, noinvpcid, nopcid, nofsgsbase

        /// The feature macro the option clears (common.c, feat_ctl.c; dependents follow via cpuid-deps).
        public var clears: String {
            switch self {
            case .nosgx: "SGX"
            case .noxsave: "XSAVE"
            case .noxsaveopt: "XSAVEOPT"
            case .noxsaves: "XSAVES"
            case .nopku: "PKU"
            case .nofxsr: "FXSR"
            case .nousershstk: "USER_SHSTK"
            case .noinvpcid: "INVPCID"
            case .nopcid: "PCID"
            case .nofsgsbase: "FSGSBASE"
            }
        }
    }

    /// Switches given, in command-line order.
    public var switches: [Switch]
    /// `clearcpuid=` items: /proc names (features or bugs) or decimal feature numbers.
    public var clearCPUID: [String]
    /// Feature macros (without prefix) to clear as setup_clear_cpu_cap() would, including hidden ones;
    /// vcpuid's way to ask "what if this were off" beyond what the command line can name.
    public var clearFeatures: [String]

    public init(switches: [Switch] = [], clearCPUID: [String] = [], clearFeatures: [String] = []) {
        self.switches = switches
        self.clearCPUID = clearCPUID
        self.clearFeatures = clearFeatures
    }

    public static let none = BootOptions()

    /// Parses a kernel command line such as `quiet nosgx clearcpuid=avx512f,154`; words that do not
    /// clear features are ignored, as the kernel ignores options meant for others.
    public init(commandLine: String) {
        var switches: [Switch] = []
        var items: [String] = []
        for word in commandLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            if let option = Switch(rawValue: String(word)) {
                switches.append(option)
            } else if word.hasPrefix("clearcpuid=") {
                items += word.dropFirst("clearcpuid=".count).split(separator: ",").map(String.init)
            }
        }
        self.init(switches: switches, clearCPUID: items)
    }

    public var isEmpty: Bool { switches.isEmpty && clearCPUID.isEmpty && clearFeatures.isEmpty }
}
