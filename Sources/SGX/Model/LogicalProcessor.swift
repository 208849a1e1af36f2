/// The logical processor running the thread: enclave mode, the current TCS, and the registers the model follows.
public struct LogicalProcessor: Hashable, Sendable {
    public var isInEnclaveMode = false
    /// Linear address of the TCS in use while in enclave mode.
    public var currentTCS: UInt64?
    public var rax: UInt64 = 0
    public var rbx: UInt64 = 0
    public var rcx: UInt64 = 0
    public var rsp: UInt64 = 0
    public var rbp: UInt64 = 0
    public var rip: UInt64 = 0

    public init() {}
}
