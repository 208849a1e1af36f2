/// The knobs a scenario's `config` line sets: the platform, the enclave's attributes and the thread's TCS.
///
/// Defaults: NSSA = 2, every flag 1, except TCS.FLAGS.DBGOPTIN = 0 and SECS.ATTRIBUTES.DEBUG = 0
/// (a production enclave on a platform with AEX-Notify).
public struct EnclaveConfiguration: Hashable, Sendable {
    public var nssa: UInt32 = 2
    public var attributeAEXNotify = true
    public var attributeDebug = false
    public var tcsAEXNotify = true
    public var tcsDebugOptIn = false
    public var cpuSGX1 = true
    public var cpuEDECCSSA = true
    public var cpuAEXNotify = true
    /// Whether EINIT ran; false models entering an enclave that was never initialized.
    public var initialized = true

    public init() {}

    /// Largest NSSA the model accepts; real runtimes use 2 to a handful.
    public static let maximumNSSA: UInt32 = 4096

    /// The configuration keys, as scenarios spell them, with what each sets.
    public enum Key: String, CaseIterable, Sendable {
        case nssa
        case attrAEXNotify = "attr.aexnotify"
        case attrDebug = "attr.debug"
        case tcsAEXNotify = "tcs.aexnotify"
        case tcsDebugOptIn = "tcs.dbgoptin"
        case cpuSGX1 = "cpu.sgx1"
        case cpuEDECCSSA = "cpu.edeccssa"
        case cpuAEXNotify = "cpu.aexnotify"
        case initialized = "enclave.initialized"

        public var meaning: String {
            switch self {
            case .nssa: "TCS.NSSA, the number of SSA frames (default 2)"
            case .attrAEXNotify: "SECS.ATTRIBUTES.AEXNOTIFY (bit 10) requested by the enclave (default 1)"
            case .attrDebug: "SECS.ATTRIBUTES.DEBUG (bit 1) (default 0)"
            case .tcsAEXNotify: "TCS.FLAGS.AEXNOTIFY (bit 1) (default 1)"
            case .tcsDebugOptIn: "TCS.FLAGS.DBGOPTIN (bit 0) (default 0)"
            case .cpuSGX1: "CPUID.(EAX=12H,ECX=0):EAX[0] SGX1 (default 1)"
            case .cpuEDECCSSA: "CPUID.(EAX=12H,ECX=0):EAX[11] EDECCSSA (default 1)"
            case .cpuAEXNotify: "CPUID.(EAX=12H,ECX=1):EAX[10] AEXNOTIFY attribute allowed (default 1)"
            case .initialized: "EINIT succeeded (default 1)"
            }
        }
    }

    /// Accepts `attr.aexnotify`, `ATTR.AEXNotify`, `attr_aexnotify` and `attr-aexnotify`.
    public static func key(named name: String) -> Key? {
        let normalized = String(name.lowercased().map { $0 == "_" || $0 == "-" ? "." : $0 })
        if normalized == "initialized" || normalized == "enclave.init" { return .initialized }
        return Key(rawValue: normalized)
    }

    public mutating func set(_ key: Key, to value: UInt32) {
        let flag = value != 0
        switch key {
        case .nssa: nssa = value
        case .attrAEXNotify: attributeAEXNotify = flag
        case .attrDebug: attributeDebug = flag
        case .tcsAEXNotify: tcsAEXNotify = flag
        case .tcsDebugOptIn: tcsDebugOptIn = flag
        case .cpuSGX1: cpuSGX1 = flag
        case .cpuEDECCSSA: cpuEDECCSSA = flag
        case .cpuAEXNotify: cpuAEXNotify = flag
        case .initialized: initialized = flag
        }
    }

    public func value(of key: Key) -> UInt32 {
        switch key {
        case .nssa: nssa
        case .attrAEXNotify: attributeAEXNotify ? 1 : 0
        case .attrDebug: attributeDebug ? 1 : 0
        case .tcsAEXNotify: tcsAEXNotify ? 1 : 0
        case .tcsDebugOptIn: tcsDebugOptIn ? 1 : 0
        case .cpuSGX1: cpuSGX1 ? 1 : 0
        case .cpuEDECCSSA: cpuEDECCSSA ? 1 : 0
        case .cpuAEXNotify: cpuAEXNotify ? 1 : 0
        case .initialized: initialized ? 1 : 0
        }
    }

    /// `nssa=2 attr.aexnotify=1 ...`: every key, for traces and reports.
    public var summary: String {
        Key.allCases.map { "\($0.rawValue)=\(value(of: $0))" }.joined(separator: " ")
    }

    public var platform: SGXPlatform {
        SGXPlatform(sgx1: cpuSGX1, edeccssa: cpuEDECCSSA, aexNotifyAttribute: cpuAEXNotify)
    }
}
