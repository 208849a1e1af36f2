extension FirecrackerTemplate {
    /// Reads a template file; every error names the file and, where it can, line and column.
    public static func read(path: String) throws(FirecrackerTemplateError) -> FirecrackerTemplate {
        let bytes: [UInt8]
        do {
            bytes = try DumpReader.readBytes(path: path)
        } catch {
            throw FirecrackerTemplateError(file: path, message: error.message)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FirecrackerTemplateError(file: path, message: "the file is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses template text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(FirecrackerTemplateError) -> FirecrackerTemplate {
        let root: PositionedJSON
        do {
            root = try JSONParser.parse(text)
        } catch {
            throw FirecrackerTemplateError(file: file, line: error.position.line, column: error.position.column,
                                           message: error.message)
        }
        return try parse(root, file: file)
    }

    /// Reads a template from parsed JSON (a whole file, or a fingerprint's `guest_cpu_config`).
    static func parse(_ root: PositionedJSON, file: String) throws(FirecrackerTemplateError) -> FirecrackerTemplate {
        try TemplateReader(file: file).template(root)
    }
}

/// Turns positioned JSON into a template, checking the schema as it goes.
private struct TemplateReader {
    let file: String

    func fail(_ node: PositionedJSON, _ message: String, columnOffset: Int = 0) -> FirecrackerTemplateError {
        FirecrackerTemplateError(file: file, line: node.position.line, column: node.position.column + columnOffset,
                                 message: message)
    }

    func template(_ root: PositionedJSON) throws(FirecrackerTemplateError) -> FirecrackerTemplate {
        guard case let .object(members) = root.content else {
            throw fail(root, "expected the template to be an object, found \(root.kindDescription)")
        }
        var cpuid: [FirecrackerTemplate.CPUIDModifier] = []
        var msrs: [FirecrackerTemplate.MSRModifier] = []
        var others: [JSONValue.Member] = []
        for member in members {
            let node = member.value
            switch member.key {
            case "cpuid_modifiers":
                for item in try array(node, "cpuid_modifiers") { cpuid.append(try cpuidModifier(item)) }
            case "msr_modifiers":
                for item in try array(node, "msr_modifiers") { msrs.append(try msrModifier(item)) }
            case _ where FirecrackerTemplate.knownMembers.contains(member.key):
                others.append(JSONValue.Member(member.key, node.value))
            default:
                let known = FirecrackerTemplate.knownMembers.sorted().joined(separator: ", ")
                throw fail(node, "unknown member \"\(member.key)\"; a custom CPU template has \(known)")
            }
        }
        var result = FirecrackerTemplate(cpuidModifiers: cpuid, msrModifiers: msrs, otherMembers: others)
        result.memberOrder = members.map(\.key)
        return result
    }

    func array(_ node: PositionedJSON, _ what: String) throws(FirecrackerTemplateError) -> [PositionedJSON] {
        guard case let .array(items) = node.content else { throw fail(node, "expected \(what) to be an array, found \(node.kindDescription)") }
        return items
    }

    func object(_ node: PositionedJSON, _ what: String, allowed: [String]) throws(FirecrackerTemplateError) -> [String: PositionedJSON] {
        guard case let .object(members) = node.content else {
            throw fail(node, "expected \(what) to be an object, found \(node.kindDescription)")
        }
        var result: [String: PositionedJSON] = [:]
        for member in members {
            let child = member.value
            guard allowed.contains(member.key) else {
                throw fail(child, "unknown member \"\(member.key)\" in \(what); expected \(allowed.joined(separator: ", "))")
            }
            result[member.key] = child
        }
        for key in allowed where result[key] == nil {
            throw fail(node, "\(what) lacks \"\(key)\"")
        }
        return result
    }

    /// A member `object` has already checked is present.
    func member(_ fields: [String: PositionedJSON], _ key: String, of node: PositionedJSON) throws(FirecrackerTemplateError) -> PositionedJSON {
        guard let value = fields[key] else { throw fail(node, "lacks \"\(key)\"") }
        return value
    }

    /// Firecracker's integers-in-strings: `0x1f` or decimal `31`.
    func integerString(_ node: PositionedJSON, _ what: String) throws(FirecrackerTemplateError) -> UInt32 {
        guard case let .string(text) = node.content else {
            throw fail(node, "expected \(what) as a string such as \"0x12\", found \(node.kindDescription)")
        }
        let parsed: UInt32? = text.hasPrefix("0x") || text.hasPrefix("0X")
            ? UInt32(text.dropFirst(2), radix: 16) : UInt32(text, radix: 10)
        guard let value = parsed, !text.isEmpty else {
            throw fail(node, "\(what) \"\(text)\" is not a 32-bit integer (write hex as 0x12 or decimal as 18)")
        }
        return value
    }

    func cpuidModifier(_ node: PositionedJSON) throws(FirecrackerTemplateError) -> FirecrackerTemplate.CPUIDModifier {
        let fields = try object(node, "a CPUID modifier", allowed: ["leaf", "subleaf", "flags", "modifiers"])
        let leaf = try integerString(try member(fields, "leaf", of: node), "leaf")
        let subleaf = try integerString(try member(fields, "subleaf", of: node), "subleaf")
        let flagsNode = try member(fields, "flags", of: node)
        guard case let .number(flagsText) = flagsNode.content, let flags = UInt32(flagsText) else {
            throw fail(flagsNode, "expected flags as a non-negative integer such as 0 or 1")
        }
        var registerModifiers: [FirecrackerTemplate.RegisterModifier] = []
        for item in try array(try member(fields, "modifiers", of: node), "modifiers") {
            let parts = try object(item, "a register modifier", allowed: ["register", "bitmap"])
            let registerNode = try member(parts, "register", of: item)
            guard case let .string(name) = registerNode.content, ["eax", "ebx", "ecx", "edx"].contains(name),
                  let register = Register(name: name) else {
                throw fail(registerNode, "expected register to be \"eax\", \"ebx\", \"ecx\" or \"edx\"")
            }
            registerModifiers.append(.init(register: register, bitmap: try bitmap(try member(parts, "bitmap", of: item), width: 32)))
        }
        return .init(leaf: leaf, subleaf: subleaf, flags: flags, modifiers: registerModifiers)
    }

    func msrModifier(_ node: PositionedJSON) throws(FirecrackerTemplateError) -> FirecrackerTemplate.MSRModifier {
        let fields = try object(node, "an MSR modifier", allowed: ["addr", "bitmap"])
        return .init(address: try integerString(try member(fields, "addr", of: node), "addr"), bitmap: try bitmap(try member(fields, "bitmap", of: node), width: 64))
    }

    func bitmap(_ node: PositionedJSON, width: Int) throws(FirecrackerTemplateError) -> TemplateBitmap {
        guard case let .string(text) = node.content else {
            throw fail(node, "expected bitmap as a string such as \"0bxxxx1x0x\", found \(node.kindDescription)")
        }
        do {
            return try TemplateBitmap(parsing: text, width: width)
        } catch {
            // The column points into the string: one past the opening quote, then the character offset.
            throw fail(node, error.message, columnOffset: 1 + error.offset)
        }
    }
}
