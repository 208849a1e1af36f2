import CPUID

/// Renders the decoded fields of CPUs as aligned text or JSON, straight into one byte buffer:
/// no string is built per field, which keeps decoding thousands of CPUs cheap.
public enum DecodeRenderer {
    /// One CPU as text: a header line, then for every implemented leaf and subleaf (or only `leaf`)
    /// its raw registers followed by its fields, one per line: location, name, meaning.
    public static func appendText(cpu: Int, snapshot: Snapshot, leaf: UInt32? = nil, into out: inout TextOutput) {
        var fields: [DecodedField] = []
        appendText(cpu: cpu, snapshot: snapshot, leaf: leaf, into: &out, scratch: &fields)
    }

    /// As above, with a caller's array that is reused from CPU to CPU. Answers of `FieldTableDecoder`s
    /// print straight from their tables; only the other decoders' fields (vendor and brand strings, ...)
    /// and answers with unnamed bits go through `DecodedField`s. The text is the same either way.
    static func appendText(cpu: Int, snapshot: Snapshot, leaf: UInt32?, into out: inout TextOutput,
                           scratch fields: inout [DecodedField]) {
        fields.removeAll(keepingCapacity: true)
        LeafDecoders.decode(snapshot, leaf: leaf, decoders: LeafDecoders.fieldDecoders, into: &fields)
        appendHeader(cpu: cpu, snapshot: snapshot, into: &out)
        let implemented = ImplementedLeaves(snapshot)
        var groupFields: [DecodedField] = []
        var index = 0
        for entry in snapshot.entries where leaf == nil || entry.leaf == leaf {
            guard implemented.contains(entry.leaf) else { continue }
            appendRegisters(entry, into: &out)
            if let decoder = LeafDecoders.tableDecoders[entry.leaf] {
                guard let table = decoder.table(for: entry, in: snapshot) else {
                    out.append("  (no named fields)\n")
                    continue
                }
                if table.hasUnnamedBits(entry.registers) {
                    groupFields.removeAll(keepingCapacity: true)
                    table.decode(leaf: entry.leaf, subleaf: entry.subleaf, entry.registers, into: &groupFields)
                    groupFields.withUnsafeBufferPointer { appendGroup($0[...], into: &out) }
                } else if table.rows.isEmpty {
                    out.append("  (no named fields)\n")
                } else {
                    table.render(entry.registers, into: &out)
                }
                continue
            }
            while index < fields.count, LeafKey(fields[index].field.leaf, fields[index].field.subleaf) < entry.key {
                index += 1
            }
            var end = index
            while end < fields.count, fields[end].field.leaf == entry.leaf, fields[end].field.subleaf == entry.subleaf {
                end += 1
            }
            fields.withUnsafeBufferPointer { appendGroup($0[index..<end], into: &out) }
            index = end
        }
        if leaf == nil { appendMSRText(snapshot, into: &out) }
    }

    /// The feature MSRs the snapshot carries, each with its decoded fields.
    public static func appendMSRText(_ snapshot: Snapshot, into out: inout TextOutput) {
        guard !snapshot.msrs.isEmpty else { return }
        let vendor = CPUVendor(snapshot)
        for msr in snapshot.msrs {
            out.append("MSR ")
            out.append(hex: msr.index, digits: 8)
            out.append("  ")
            out.append(FeatureMSRNames.name(of: msr.index))
            out.append(" = ")
            out.append(msr.value.description)
            out.append(10)
            let fields = FeatureMSRDecoder.decode(msr, vendor: vendor)
            if fields.isEmpty { out.append("  (not decoded: a VMX or model-specific capability vcpuid does not name)\n") }
            for field in fields {
                let start = out.count
                out.append("  ")
                out.append(field.location)
                out.pad(from: start, to: 2 + locationWidth)
                out.append(field.name)
                out.pad(from: start, to: 2 + locationWidth + 24)
                out.append(field.meaning)
                out.append(10)
            }
        }
    }

    /// The same text built only from decoded fields: the reference the table path must match.
    static func appendTextFromFields(cpu: Int, snapshot: Snapshot, leaf: UInt32?, into out: inout TextOutput) {
        let fields = LeafDecoders.decode(snapshot, leaf: leaf)
        appendHeader(cpu: cpu, snapshot: snapshot, into: &out)
        let implemented = ImplementedLeaves(snapshot)
        var index = 0
        for entry in snapshot.entries where leaf == nil || entry.leaf == leaf {
            guard implemented.contains(entry.leaf) else { continue }
            appendRegisters(entry, into: &out)
            while index < fields.count, LeafKey(fields[index].field.leaf, fields[index].field.subleaf) < entry.key {
                index += 1
            }
            var end = index
            while end < fields.count, fields[end].field.leaf == entry.leaf, fields[end].field.subleaf == entry.subleaf {
                end += 1
            }
            fields.withUnsafeBufferPointer { appendGroup($0[index..<end], into: &out) }
            index = end
        }
        if leaf == nil { appendMSRText(snapshot, into: &out) }
    }

    /// One answer's fields, one line each, the names padded to the longest name of the group.
    private static func appendGroup(_ group: Slice<UnsafeBufferPointer<DecodedField>>, into out: inout TextOutput) {
        guard !group.isEmpty else {
            out.append("  (no named fields)\n")
            return
        }
        var width = 0
        for field in group.indices { width = max(width, group[field].name.utf8.count) }
        locations.withUnsafeBytes { locations in
            for position in group.indices {
                let field = group[position].field
                let column = ((field.register.rawValue * 32 + field.high) * 32 + field.low) * locationWidth
                out.append(bytes: UnsafeRawBufferPointer(rebasing: locations[column..<column + locationWidth]))
                let nameStart = out.count
                out.append(group[position].name)
                out.pad(from: nameStart, to: width + 2)
                group[position].reading.render(group[position].value, into: &out)
                out.append(10)
            }
        }
    }

    /// One CPU as a JSON object: `{"cpu": n, "vendor": ..., "leaves": [{"leaf", "subleaf", registers, "fields"}]}`.
    public static func appendJSON(cpu: Int, snapshot: Snapshot, leaf: UInt32? = nil, into out: inout TextOutput) {
        var fields: [DecodedField] = []
        appendJSON(cpu: cpu, snapshot: snapshot, leaf: leaf, into: &out, scratch: &fields)
    }

    static func appendJSON(cpu: Int, snapshot: Snapshot, leaf: UInt32?, into out: inout TextOutput,
                           scratch fields: inout [DecodedField]) {
        fields.removeAll(keepingCapacity: true)
        LeafDecoders.decode(snapshot, leaf: leaf, into: &fields)
        out.append("{\"cpu\": ")
        out.append(decimal: UInt64(max(cpu, 0)))
        out.append(", \"vendor\": ")
        appendJSONString(snapshot.vendor, into: &out)
        out.append(", \"leaves\": [")
        let implemented = ImplementedLeaves(snapshot)
        var index = 0
        var firstLeaf = true
        var scratch = TextOutput(capacity: 256)
        for entry in snapshot.entries where leaf == nil || entry.leaf == leaf {
            guard implemented.contains(entry.leaf) else { continue }
            while index < fields.count, LeafKey(fields[index].field.leaf, fields[index].field.subleaf) < entry.key {
                index += 1
            }
            out.append(firstLeaf ? "\n  {" : ",\n  {")
            firstLeaf = false
            out.append("\"leaf\": \"")
            out.append(hex: entry.leaf, digits: 8)
            out.append("\", \"subleaf\": \"")
            out.append(hex: entry.subleaf, digits: 8)
            for register in allRegisters {
                out.append("\", \"")
                out.append(Self.registerKeys[register.rawValue])
                out.append("\": \"")
                out.append(hex: entry.registers[register], digits: 8)
            }
            out.append("\", \"fields\": [")
            var firstField = true
            while index < fields.count, fields[index].field.leaf == entry.leaf,
                  fields[index].field.subleaf == entry.subleaf {
                let field = fields[index]
                out.append(firstField ? "\n    {\"name\": " : ",\n    {\"name\": ")
                firstField = false
                appendJSONString(field.name, into: &out)
                out.append(", \"register\": \"")
                out.append(Self.registerKeys[field.field.register.rawValue])
                out.append("\", \"high\": ")
                out.append(decimal: UInt64(field.field.high))
                out.append(", \"low\": ")
                out.append(decimal: UInt64(field.field.low))
                out.append(", \"value\": ")
                out.append(decimal: UInt64(field.value))
                out.append(", \"meaning\": ")
                field.reading.render(field.value, into: &scratch)
                appendJSONString(bytes: scratch.bytes, into: &out)
                scratch.removeAll()
                out.append(UInt8(ascii: "}"))
                index += 1
            }
            out.append(firstField ? "]}" : "\n  ]}")
        }
        out.append("\n]")
        if leaf == nil, !snapshot.msrs.isEmpty { appendMSRJSON(snapshot, into: &out) }
        out.append("}")
    }

    /// `, "msrs": [{"index": ..., "name": ..., "value": ..., "fields": [...]}]`
    public static func appendMSRJSON(_ snapshot: Snapshot, into out: inout TextOutput) {
        let vendor = CPUVendor(snapshot)
        out.append(", \"msrs\": [")
        for (i, msr) in snapshot.msrs.enumerated() {
            out.append(i == 0 ? "\n  {\"index\": \"" : ",\n  {\"index\": \"")
            out.append(hex: msr.index, digits: 8)
            out.append("\", \"name\": ")
            appendJSONString(FeatureMSRNames.name(of: msr.index), into: &out)
            out.append(", \"value\": ")
            appendJSONString(msr.value.bits.map { Hex.quad($0) } ?? "faulted", into: &out)
            out.append(", \"fields\": [")
            for (k, field) in FeatureMSRDecoder.decode(msr, vendor: vendor).enumerated() {
                out.append(k == 0 ? "{\"name\": " : ", {\"name\": ")
                appendJSONString(field.name, into: &out)
                out.append(", \"high\": ")
                out.append(decimal: UInt64(field.low + field.width - 1))
                out.append(", \"low\": ")
                out.append(decimal: UInt64(field.low))
                out.append(", \"value\": ")
                out.append(decimal: field.value)
                out.append(", \"meaning\": ")
                appendJSONString(field.meaning, into: &out)
                out.append("}")
            }
            out.append("]}")
        }
        out.append("\n]")
    }

    private static let allRegisters: [Register] = [.eax, .ebx, .ecx, .edx]
    private static let registerKeys = ["eax", "ebx", "ecx", "edx"]
    private static let registerNames = ["EAX", "EBX", "ECX", "EDX"]

    private static func appendHeader(cpu: Int, snapshot: Snapshot, into out: inout TextOutput) {
        out.append("CPU ")
        out.append(decimal: UInt64(max(cpu, 0)))
        out.append("  ")
        out.append(snapshot.vendor.isEmpty ? "(no vendor)" : snapshot.vendor)
        if let brand = snapshot.brand {
            out.append("  ")
            out.append(brand)
        }
        let signature = snapshot.signature
        out.append("  family ")
        out.append(hex: UInt64(signature.family))
        out.append(" model ")
        out.append(hex: UInt64(signature.model))
        out.append(" stepping ")
        out.append(decimal: UInt64(signature.stepping))
        out.append(10)
    }

    private static func appendRegisters(_ entry: CPUIDEntry, into out: inout TextOutput) {
        out.append("leaf ")
        out.append(hex: entry.leaf, digits: 8)
        out.append(UInt8(ascii: "."))
        if entry.subleaf > 0xff {
            out.append(hex: UInt64(entry.subleaf))
        } else {
            out.append(hex: entry.subleaf, digits: 2)
        }
        for register in allRegisters {
            out.append("  ")
            out.append(registerKeys[register.rawValue])
            out.append(UInt8(ascii: "="))
            out.append(hex: entry.registers[register], digits: 8)
        }
        out.append(10)
    }

    /// Width of the location column with its indent: `  EDX[31:16]  `.
    static let locationWidth = 14

    /// The location column of one bit range, `  EDX[31:16]  `.
    static func location(register: Register, high: Int, low: Int) -> ArraySlice<UInt8> {
        let column = ((register.rawValue * 32 + high) * 32 + low) * locationWidth
        return locations[column..<column + locationWidth]
    }

    /// Every possible location column (`  EDX[31:16]  `, `  ECX[5]      `), rendered once, indexed by
    /// register, high bit and low bit: printing a field's location is then one 14-byte copy.
    private static let locations: [UInt8] = {
        var table = [UInt8](repeating: UInt8(ascii: " "), count: 4 * 32 * 32 * locationWidth)
        for register in 0..<4 {
            for high in 0..<32 {
                for low in 0...high {
                    let text = high == low ? "\(registerNames[register])[\(high)]" : "\(registerNames[register])[\(high):\(low)]"
                    let start = ((register * 32 + high) * 32 + low) * locationWidth + 2
                    for (offset, byte) in text.utf8.enumerated() { table[start + offset] = byte }
                }
            }
        }
        return table
    }()

    private static func appendJSONString(_ text: String, into out: inout TextOutput) {
        var text = text
        text.withUTF8 { appendJSONString(bytes: $0, into: &out) }
    }

    private static func appendJSONString(bytes: UnsafeBufferPointer<UInt8>, into out: inout TextOutput) {
        out.append(UInt8(ascii: "\""))
        let escapes = JSONEscaping.escapes
        for byte in bytes {
            if let escape = escapes[Int(byte)] {
                for b in escape { out.append(b) }
            } else {
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
