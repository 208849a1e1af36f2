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

    /// As above, decoding into a caller's array that is reused from CPU to CPU.
    static func appendText(cpu: Int, snapshot: Snapshot, leaf: UInt32?, into out: inout TextOutput,
                           scratch fields: inout [DecodedField]) {
        fields.removeAll(keepingCapacity: true)
        LeafDecoders.decode(snapshot, leaf: leaf, into: &fields)
        appendHeader(cpu: cpu, snapshot: snapshot, into: &out)
        let implemented = ImplementedLeaves(snapshot)
        fields.withUnsafeBufferPointer { fields in
            locations.withUnsafeBytes { locations in
                var index = 0
                for entry in snapshot.entries where leaf == nil || entry.leaf == leaf {
                    guard implemented.contains(entry.leaf) else { continue }
                    while index < fields.count,
                          LeafKey(fields[index].field.leaf, fields[index].field.subleaf) < entry.key {
                        index += 1
                    }
                    var end = index
                    var width = 0
                    while end < fields.count, fields[end].field.leaf == entry.leaf,
                          fields[end].field.subleaf == entry.subleaf {
                        width = max(width, fields[end].name.utf8.count)
                        end += 1
                    }
                    appendRegisters(entry, into: &out)
                    if index == end {
                        out.append("  (no named fields)\n")
                    }
                    for position in index..<end {
                        let field = fields[position].field
                        let column = ((field.register.rawValue * 32 + field.high) * 32 + field.low) * locationWidth
                        out.append(bytes: UnsafeRawBufferPointer(rebasing: locations[column..<column + locationWidth]))
                        let nameStart = out.count
                        out.append(fields[position].name)
                        out.pad(from: nameStart, to: width + 2)
                        fields[position].reading.render(fields[position].value, into: &out)
                        out.append(10)
                    }
                    index = end
                }
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
        out.append("\n]}")
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
    private static let locationWidth = 14

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
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0..<0x20:
                out.append("\\u00")
                out.append(TextOutput.hexDigit(UInt32(byte >> 4)))
                out.append(TextOutput.hexDigit(UInt32(byte & 0xf)))
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
