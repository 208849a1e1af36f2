/// One range of CPUID leaves: its base leaf answers the highest leaf of the range in EAX.
///
/// A range whose base answers a maximum outside `base...base|span` is garbage (a CPU without the
/// range returns some other leaf's data), so only the probe itself is kept, as Linux does for 0x80000000.
public struct LeafRange: Hashable, Sendable {
    public var name: String
    public var base: UInt32
    /// The largest distance from base a sane maximum may have (0xffff, or 0xff for hypervisor windows).
    public var span: UInt32
    /// Hypervisor windows: probed only when CPUID.1:ECX[31] says a hypervisor is present, then every
    /// 0x100 leaves from the base while each window answers a sane maximum.
    public var isHypervisorWindow: Bool

    public init(name: String, base: UInt32, span: UInt32 = 0xffff, isHypervisorWindow: Bool = false) {
        self.name = name
        self.base = base
        self.span = span
        self.isHypervisorWindow = isHypervisorWindow
    }

    /// Whether `maximum` (the base leaf's EAX) names a real range.
    public func accepts(maximum: UInt32) -> Bool { maximum >= base && maximum <= base | span }

    /// The ranges CPUID defines, in leaf order.
    public static let all: [LeafRange] = [
        LeafRange(name: "basic", base: 0x0000_0000),
        LeafRange(name: "Xeon Phi", base: 0x2000_0000),
        LeafRange(name: "hypervisor", base: 0x4000_0000, span: 0xff, isHypervisorWindow: true),
        LeafRange(name: "extended", base: 0x8000_0000),
        LeafRange(name: "Transmeta", base: 0x8086_0000),
        LeafRange(name: "Centaur/Zhaoxin", base: 0xC000_0000),
    ]

    /// Hypervisor windows sit every 0x100 leaves from 0x40000000 up to 0x4000ff00.
    public static let hypervisorWindowStride: UInt32 = 0x100
    public static let hypervisorWindowEnd: UInt32 = 0x4001_0000
}
