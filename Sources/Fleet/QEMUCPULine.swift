import CPUID

/// A QEMU `-cpu` argument as a guest's CPUID: `host` or `max` (what the host offers) with `+feature`,
/// `-feature`, `feature=on|off` edits by QEMU name. QEMU's named models (Skylake-Server, EPYC, ...) are judged
/// by `vcpuid qemu check` (KVM/QEMU), which `vcpuid compare "-cpu MODEL"` hands them to.
public struct QEMUCPULine: Hashable, Sendable {
    public var model: String
    /// QEMU names turned on and off, in order; `property` marks the `name=on|off` spelling, which QEMU also
    /// uses for properties that are not CPUID bits (migratable, pmu, check, ...).
    public var edits: [(name: String, on: Bool, property: Bool)]

    public static func == (lhs: QEMUCPULine, rhs: QEMUCPULine) -> Bool {
        lhs.model == rhs.model && lhs.edits.map(\.name) == rhs.edits.map(\.name) && lhs.edits.map(\.on) == rhs.edits.map(\.on)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(model)
        for edit in edits { hasher.combine(edit.name); hasher.combine(edit.on) }
    }

    public enum ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        case namedModel(String)
        case unknownFeature(String)
        case malformed(String)

        public var description: String {
            switch self {
            case let .namedModel(model):
                "-cpu \(model): a named QEMU model; give it as \"-cpu \(model)\" (vcpuid compare hands it to vcpuid qemu check)"
            case let .unknownFeature(name): "-cpu: no CPUID feature is named '\(name)' (QEMU, Linux or macro names)"
            case let .malformed(text): "-cpu: cannot read '\(text)' (expected MODEL[,+feature|,-feature|,feature=on|off]...)"
            }
        }
    }

    /// Whether a text looks like a `-cpu` argument rather than a dump or a file name: one line, `-cpu X`,
    /// or `host`/`max` with or without edits.
    public static func looksLikeCPUArgument(_ text: String) -> Bool {
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
        guard lines.count == 1, let line = lines.first?.trimmingCharacters() else { return false }
        if line.hasPrefix("-cpu ") { return true }
        return ["host", "max"].contains { line == $0 || line.hasPrefix($0 + ",") }
    }

    public init(parsing text: String) throws(ParseError) {
        var argument = Substring(text.split(whereSeparator: \.isNewline).first ?? "")
        argument = argument.drop { $0 == " " }
        if argument.hasPrefix("-cpu ") { argument = argument.dropFirst(5).drop { $0 == " " } }
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        guard let first = parts.first, !first.isEmpty else { throw .malformed(text) }
        guard ["host", "max"].contains(first) else { throw .namedModel(first) }
        model = first
        var edits: [(name: String, on: Bool, property: Bool)] = []
        for part in parts.dropFirst() {
            if part.hasPrefix("+") || part.hasPrefix("-") {
                edits.append((String(part.dropFirst()), part.hasPrefix("+"), false))
            } else if let equals = part.firstIndex(of: "=") {
                let value = part[part.index(after: equals)...]
                let name = String(part[..<equals])
                switch value {
                case "on", "true", "yes": edits.append((name, true, true))
                case "off", "false", "no": edits.append((name, false, true))
                default: continue  // properties such as migratable=, hv-*=, level= do not edit CPUID bits here
                }
            } else {
                throw .malformed(part)
            }
        }
        self.edits = edits
    }

    /// The guest CPUID: `offered` (the host's CPUID or what its KVM offers) with the edits applied.
    public func table(offered: Snapshot, bits: FeatureBits = .shared) throws(ParseError) -> Snapshot {
        var table = offered
        for edit in edits {
            guard let bit = bits.bit(named: edit.name) else {
                if edit.property || edit.name.hasPrefix("hv-") || edit.name.hasPrefix("kvm-") { continue }
                throw .unknownFeature(edit.name)
            }
            let f = bit.field
            let value = table.value(f.leaf, f.subleaf, f.register)
            table.set(f.leaf, f.subleaf, f.register, to: edit.on ? value | f.mask : value & ~f.mask)
        }
        return table
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    func trimmingCharacters() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
