/// The leaf ranges a snapshot implements, judged by the same rules the live walk uses.
extension Snapshot {
    /// One implemented range: its first and last leaf, and for hypervisor windows the vendor signature.
    public struct ImplementedRange: Hashable, Sendable {
        public var name: String
        public var leaves: ClosedRange<UInt32>
        public var signature: String?
    }

    /// The implemented ranges, in leaf order; a range whose probe answers garbage is not listed.
    public var implementedRanges: [ImplementedRange] {
        var result: [ImplementedRange] = []
        for range in LeafRange.all {
            if range.isHypervisorWindow {
                var base = range.base
                while base < LeafRange.hypervisorWindowEnd, let probe = registers(base) {
                    let window = LeafRange(name: range.name, base: base, span: range.span)
                    let signature = Self.ascii([probe.ebx, probe.ecx, probe.edx])
                    var maximum = probe.eax
                    if maximum == 0, signature == "KVMKVMKVM" { maximum = base + 1 }
                    guard window.accepts(maximum: maximum) else { break }
                    result.append(ImplementedRange(name: range.name, leaves: base...maximum, signature: signature))
                    base += LeafRange.hypervisorWindowStride
                }
                continue
            }
            guard let probe = registers(range.base) else { continue }
            if range.base == 0 {
                result.append(ImplementedRange(name: range.name, leaves: 0...(range.accepts(maximum: probe.eax) ? probe.eax : 0), signature: vendor))
                continue
            }
            guard range.accepts(maximum: probe.eax) else { continue }
            result.append(ImplementedRange(name: range.name, leaves: range.base...probe.eax, signature: nil))
        }
        return result
    }
}
