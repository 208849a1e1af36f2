/// The architectural exceptions an ENCLU leaf can raise in this model.
public enum ArchitecturalFault: String, Hashable, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// Invalid opcode: ENCLU on a CPU that does not enumerate SGX1.
    case invalidOpcode = "#UD"
    /// General protection with error code 0: every SGX consistency check.
    case generalProtection = "#GP(0)"
    /// Page fault: a TCS or SSA page that is not a valid EPC page.
    case pageFault = "#PF"

    public var description: String { rawValue }

    /// Accepts `#GP`, `#GP(0)`, `gp`, `#ud`, `PF` and the like, as people write them.
    public init?(lenient text: String) {
        var name = text.uppercased().filter { !$0.isWhitespace }
        if name.hasPrefix("#") { name.removeFirst() }
        if let open = name.firstIndex(of: "(") {
            guard name.hasSuffix(")") else { return nil }
            let code = name[name.index(after: open)..<name.index(before: name.endIndex)]
            guard code == "0" else { return nil }
            name = String(name[..<open])
        }
        switch name {
        case "UD": self = .invalidOpcode
        case "GP": self = .generalProtection
        case "PF": self = .pageFault
        default: return nil
        }
    }
}

/// A fault raised by one operation of the model, with the rule that raised it.
/// A faulting operation leaves the thread state exactly as it was.
public struct SGXFault: Error, Hashable, Sendable, CustomStringConvertible {
    public var rule: SGXFaultRule

    public init(_ rule: SGXFaultRule) { self.rule = rule }

    public var kind: ArchitecturalFault { rule.fault }

    public var description: String { "\(kind): \(rule.statement)" }
}
