/// Reads vcpuid's JSON dump (schema in docs/formats.md): `{"format": "vcpuid-dump", "version": 1,
/// "cpus": [{"cpu": 0, "entries": [{"leaf": "0x00000007", "subleaf": "0x00", "eax": "0x...", ...}]}]}`.
/// Numbers may be written as hex strings ("0x1f") or JSON integers.
enum JSONDumpReader {
    static let formatName = "vcpuid-dump"
    static let version = 1
    static let entryKeys: Set<String> = ["leaf", "subleaf", "eax", "ebx", "ecx", "edx", "indexed"]

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(DumpError) -> [LogicalCPU] {
        if let cpus = JSONDumpFastPath.parse(bytes, file: file) { return cpus }
        return try parseGeneral(bytes, file: file)
    }

    /// Any JSON layout, through the positioned parser: the reference the fast path must agree with.
    static func parseGeneral(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(DumpError) -> [LogicalCPU] {
        let document: PositionedJSON
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw DumpError(file: file, line: error.position.line, column: error.position.column,
                            kind: .syntax(expected: error.found.map { "\(error.expected), found \($0)" } ?? error.expected))
        }
        func fail(_ expected: String, at position: JSONPosition) -> DumpError {
            DumpError(file: file, line: position.line, column: position.column, kind: .syntax(expected: expected))
        }
        func fail(_ expected: String, _ value: PositionedJSON) -> DumpError { fail(expected, at: value.position) }
        guard case let .object(members) = document.content else { throw fail("a JSON object at the top", document) }
        var cpusValue: PositionedJSON?
        for member in members {
            switch member.key {
            case "format":
                guard case let .string(name) = member.value.content, name == formatName else {
                    throw fail("\"format\": \"\(formatName)\"", member.value)
                }
            case "version":
                guard case let .number(text) = member.value.content, Double(text) == Double(version) else {
                    throw fail("\"version\": \(version) (the only version this reader knows)", member.value)
                }
            case "cpus": cpusValue = member.value
            default: continue
            }
        }
        guard let cpusValue else { throw fail("a \"cpus\" member", document) }
        guard case let .array(cpuValues) = cpusValue.content else { throw fail("an array of CPUs for \"cpus\"", cpusValue) }
        var collector = CPUCollector(file: file)
        for cpuValue in cpuValues {
            guard case let .object(cpuMembers) = cpuValue.content else { throw fail("a CPU object", cpuValue) }
            var number: Int?
            var entriesValue: PositionedJSON?
            var msrsValue: PositionedJSON?
            for member in cpuMembers {
                switch member.key {
                case "cpu":
                    let n = try integer(member.value, "the CPU number", fail)
                    guard n <= UInt32(Int32.max) else { throw fail("a CPU number below 2^31", member.value) }
                    number = Int(n)
                case "entries": entriesValue = member.value
                case "msrs": msrsValue = member.value
                default: throw fail("only \"cpu\", \"entries\" and \"msrs\" in a CPU object (found \"\(member.key)\")", at: member.keyPosition)
                }
            }
            guard let number else { throw fail("a \"cpu\" number in each CPU object", cpuValue) }
            guard let entriesValue, case let .array(entryValues) = entriesValue.content else {
                throw fail("an \"entries\" array in each CPU object", entriesValue ?? cpuValue)
            }
            try collector.begin(cpu: number, line: cpuValue.position.line)
            for entryValue in entryValues {
                guard case let .object(fields) = entryValue.content else { throw fail("an entry object", entryValue) }
                var values: [String: UInt32] = [:]
                var indexed: Bool?
                // The parser has refused duplicate member names, so each field is seen once.
                for field in fields {
                    guard entryKeys.contains(field.key) else {
                        throw fail("only leaf, subleaf, eax, ebx, ecx, edx, indexed in an entry (found \"\(field.key)\")", at: field.keyPosition)
                    }
                    if field.key == "indexed" {
                        guard case let .bool(flag) = field.value.content else { throw fail("true or false for \"indexed\"", field.value) }
                        indexed = flag
                    } else {
                        values[field.key] = try integer(field.value, field.key, fail)
                    }
                }
                for required in ["leaf", "eax", "ebx", "ecx", "edx"] where values[required] == nil {
                    throw fail("\"\(required)\" in each entry", entryValue)
                }
                let leaf = values["leaf"] ?? 0
                let entry = CPUIDEntry(key: LeafKey(leaf, values["subleaf"] ?? 0),
                                       registers: Registers(eax: values["eax"] ?? 0, ebx: values["ebx"] ?? 0,
                                                            ecx: values["ecx"] ?? 0, edx: values["edx"] ?? 0),
                                       significantIndex: indexed ?? SubleafRules.hasSubleaves(leaf))
                try collector.add(entry, line: entryValue.position.line)
            }
            if let msrsValue {
                guard case let .array(msrValues) = msrsValue.content else { throw fail("an array of MSRs for \"msrs\"", msrsValue) }
                for msrValue in msrValues { try collector.add(try msr(msrValue, fail), line: msrValue.position.line) }
            }
        }
        return try collector.finish()
    }

    /// `{"index": "0x0000010a", "value": "0x000000000c0a0ceb"}`; `"value": null` is a read that faulted.
    private static func msr(_ node: PositionedJSON, _ fail: (String, PositionedJSON) -> DumpError) throws(DumpError) -> MSR {
        guard case let .object(fields) = node.content else { throw fail("an MSR object {\"index\": ..., \"value\": ...}", node) }
        var index: UInt32?
        var value: MSRValue?
        for field in fields {
            switch field.key {
            case "index": index = try integer(field.value, "the MSR index", fail)
            case "value":
                switch field.value.content {
                case .null: value = .faulted
                case let .string(text):
                    guard text.hasPrefix("0x"), text.count > 2, text.count <= 18, let v = UInt64(text.dropFirst(2), radix: 16) else {
                        throw fail("a hex string such as \"0x000000000c0a0ceb\" (or null for a read that faulted) for the MSR value", field.value)
                    }
                    value = .value(v)
                case let .number(text):
                    guard let v = UInt64(text) else { throw fail("an integer from 0 to 2^64-1 for the MSR value", field.value) }
                    value = .value(v)
                default:
                    throw fail("a hex string or null for the MSR value, not \(field.value.kindDescription)", field.value)
                }
            default:
                throw fail("only \"index\" and \"value\" in an MSR (found \"\(field.key)\")", field.value)
            }
        }
        guard let index else { throw fail("\"index\" in each MSR", node) }
        guard let value else { throw fail("\"value\" in each MSR (null for a read that faulted)", node) }
        return MSR(index, value)
    }

    private static func integer(_ value: PositionedJSON, _ what: String,
                                _ fail: (String, PositionedJSON) -> DumpError) throws(DumpError) -> UInt32 {
        switch value.content {
        case let .string(text):
            guard text.hasPrefix("0x"), text.count > 2, text.count <= 10, let v = UInt32(text.dropFirst(2), radix: 16) else {
                throw fail("a hex string such as \"0x0000001f\" for \(what)", value)
            }
            return v
        case let .number(text):
            guard let v = UInt32(text) else { throw fail("an integer from 0 to 4294967295 for \(what)", value) }
            return v
        default:
            throw fail("a hex string or an integer for \(what), not \(value.kindDescription)", value)
        }
    }
}
