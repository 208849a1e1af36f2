/// A QEMU `-cpu` argument as QEMU's x86_cpu_parse_featurestr reads it: a model, then comma-separated
/// `+feature`/`-feature` (legacy; applied after everything else, `-` winning) and `name=value` or bare `name`
/// (= `name=on`) properties, applied in order.
public struct QEMUCPUSpec: Hashable, Sendable, CustomStringConvertible {
    public struct Property: Hashable, Sendable {
        public var name: String
        public var value: String
    }

    public var model: String
    public var plus: [String]
    public var minus: [String]
    public var properties: [Property]

    public init(model: String, plus: [String] = [], minus: [String] = [], properties: [Property] = []) {
        self.model = model
        self.plus = plus
        self.minus = minus
        self.properties = properties
    }

    public enum ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        case empty
        case malformed(String)

        public var description: String {
            switch self {
            case .empty: "-cpu: no CPU model given"
            case let .malformed(part): "-cpu: cannot read '\(part)' (expected MODEL[,+feature|,-feature|,name=value|,name]...)"
            }
        }
    }

    /// Reads `EPYC,+avx2,-hle,level=13` with or without the leading `-cpu `.
    public init(parsing text: String) throws(ParseError) {
        var argument = Substring(text.split(whereSeparator: \.isNewline).first ?? "")
        argument = argument.drop { $0 == " " }
        if argument.hasPrefix("-cpu ") || argument.hasPrefix("-cpu=") { argument = argument.dropFirst(5).drop { $0 == " " } }
        while argument.last == " " { argument = argument.dropLast() }
        let parts = Self.split(argument)
        guard let first = parts.first, !first.isEmpty else { throw .empty }
        self.init(model: first)
        for part in parts.dropFirst() {
            guard !part.isEmpty, part.contains("=") || !part.contains(" ") else { throw .malformed(part) }
            if part.hasPrefix("+") {
                plus.append(String(part.dropFirst()))
            } else if part.hasPrefix("-") {
                minus.append(String(part.dropFirst()))
            } else if let equals = part.firstIndex(of: "=") {
                properties.append(Property(name: String(part[..<equals]), value: String(part[part.index(after: equals)...])))
            } else {
                properties.append(Property(name: part, value: "on"))
            }
        }
    }

    /// QEMU 7.2's x86_cpu_parse_featurestr: the model, then parts split at every comma (strtok: empty parts
    /// vanish, and a value cannot contain a comma).
    static func split(_ text: Substring) -> [String] {
        let model = text.prefix { $0 != "," }
        return [String(model)] + text.dropFirst(model.count).split(separator: ",").map(String.init)
    }

    /// The argument as typed after `-cpu`.
    public var description: String {
        ([model] + properties.map { $0.value == "on" ? $0.name : "\($0.name)=\($0.value)" }
            + plus.map { "+" + $0 } + minus.map { "-" + $0 }).joined(separator: ",")
    }

    /// QEMU's boolean spellings (qapi_bool_parse).
    public static func bool(_ text: String) -> Bool? {
        switch text {
        case "on", "yes", "true", "y": true
        case "off", "no", "false", "n": false
        default: nil
        }
    }

    /// Whether the model is `host` or `max`: every feature the accelerator offers (under KVM the same).
    public var isHostModel: Bool { model == "host" || model == "max" }
}
