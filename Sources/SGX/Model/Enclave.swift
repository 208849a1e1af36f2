/// Why an enclave is, or is not, initialized: the model derives it from the platform at creation.
public enum EnclaveInitialization: Hashable, Sendable {
    case initialized
    /// EINIT has not run (or the scenario says so).
    case notInitialized
    /// ECREATE refused SECS.ATTRIBUTES.AEXNOTIFY because CPUID.(EAX=12H,ECX=1):EAX[10] = 0.
    case aexNotifyAttributeNotAllowed
}

/// The enclave (its SECS): where it lives, its attributes, and whether EINIT succeeded.
public struct Enclave: Hashable, Sendable {
    public var baseAddress: UInt64
    public var attributes: SECSAttributes
    public var initialization: EnclaveInitialization

    public init(baseAddress: UInt64, attributes: SECSAttributes, initialization: EnclaveInitialization) {
        self.baseAddress = baseAddress
        self.attributes = attributes
        self.initialization = initialization
    }

    public var isInitialized: Bool { initialization == .initialized }
    public var requestsAEXNotify: Bool { attributes.flags.contains(.aexNotify) }
    public var isDebug: Bool { attributes.flags.contains(.debug) }
}
