import CPUID

/// Renders the decoded fields of CPUs as aligned text or JSON, straight into one byte buffer:
/// no string is built per field, which keeps decoding thousands of CPUs cheap.
public enum DecodeRenderer {
    /// One CPU as text: a header line, then for every implemented leaf and subleaf (or only `leaf`)
    /// its raw registers followed by its fields, one per line: location, name, meaning.
    public static func appendText(cpu: Int, snapshot: Snapshot, leaf: UInt32? = nil, into out: inout [UInt8]) {
        let fields = LeafDecoders.decode(snapshot, leaf: leaf)
        appendHeader(cpu: cpu, snapshot: snapshot, into: &out)
        var index = 0
        for entry in snapshot.entries where leaf == nil || entry.leaf == leaf {
            guard ImplementedLeaves.contains(entry.leaf, in: snapshot) else { continue }
            while index < fields.count, LeafKey(fields[index].field.leaf, fields[index].field.subleaf) < entry.key {
                index += 1
            }
            var end = index
            var width = 0
            while end < fields.count, fields[end].field.leaf == entry.leaf, fields[end].field.subleaf == entry.subleaf {
                width = max(width, fields[end].name.utf8.count)
                end += 1
            }
            appendRegisters(entry, into: &out)
            if index == end {
                out.append(text: "  (no named fields)\n")
            }
            for field in fields[index..<end] {
                out.append(text: "  ")
                let start = out.count
                appendLocation(field.field, into: &out)
                pad(&out, to: start + 12)
                let nameStart = out.count
                out.append(text: field.name)
                pad(&out, to: nameStart + width + 2)
                field.reading.render(field.value, into: &out)
                out.append(10)
            }
            index = end
        }
    }

    /// One CPU as a JSON object: `{"cpu": n, "vendor": ..., "leaves": [{"leaf", "subleaf", registers, "fields"}]}`.
    public static func appendJSON(cpu: Int, snapshot: Snapshot, leaf: UInt32? = nil, into out: inout [UInt8]) {
        let fields = LeafDecoders.decode(snapshot, leaf: leaf)
        out.append(text: "{\"cpu\": ")
        out.append(decimal: UInt64(max(cpu, 0)))
        out.append(text: ", \"vendor\": ")
        appendJSONString(snapshot.vendor, into: &out)
        out.append(text: ", \"leaves\": [")
        var index = 0
        var firstLeaf = true
        for entry in snapshot.entries where leaf == nil || entry.leaf == leaf {
            guard ImplementedLeaves.contains(entry.leaf, in: snapshot) else { continue }
            while index < fields.count, LeafKey(fields[index].field.leaf, fields[index].field.subleaf) < entry.key {
                index += 1
            }
            out.append(text: firstLeaf ? "\n  {" : ",\n  {")
            firstLeaf = false
            out.append(text: "\"leaf\": \"")
            out.append(word: entry.leaf)
            out.append(text: "\", \"subleaf\": \"")
            out.append(word: entry.subleaf)
            for register in Register.allCases {
                out.append(text: "\", \"")
                out.append(text: Self.registerKeys[register.rawValue])
                out.append(text: "\": \"")
                out.append(word: entry.registers[register])
            }
            out.append(text: "\", \"fields\": [")
            var firstField = true
            while index < fields.count, fields[index].field.leaf == entry.leaf,
                  fields[index].field.subleaf == entry.subleaf {
                let field = fields[index]
                out.append(text: firstField ? "\n    {\"name\": " : ",\n    {\"name\": ")
                firstField = false
                appendJSONString(field.name, into: &out)
                out.append(text: ", \"register\": \"")
                out.append(text: Self.registerKeys[field.field.register.rawValue])
                out.append(text: "\", \"high\": ")
                out.append(decimal: UInt64(field.field.high))
                out.append(text: ", \"low\": ")
                out.append(decimal: UInt64(field.field.low))
                out.append(text: ", \"value\": ")
                out.append(decimal: UInt64(field.value))
                out.append(text: ", \"meaning\": ")
                var meaning: [UInt8] = []
                field.reading.render(field.value, into: &meaning)
                appendJSONString(bytes: meaning, into: &out)
                out.append(UInt8(ascii: "}"))
                index += 1
            }
            out.append(text: firstField ? "]}" : "\n  ]}")
        }
        out.append(text: "\n]}")
    }

    private static let registerKeys = ["eax", "ebx", "ecx", "edx"]
    private static let registerNames = ["EAX", "EBX", "ECX", "EDX"]

    private static func appendHeader(cpu: Int, snapshot: Snapshot, into out: inout [UInt8]) {
        out.append(text: "CPU ")
        out.append(decimal: UInt64(max(cpu, 0)))
        out.append(text: "  ")
        out.append(text: snapshot.vendor.isEmpty ? "(no vendor)" : snapshot.vendor)
        if let brand = snapshot.brand {
            out.append(text: "  ")
            out.append(text: brand)
        }
        let signature = snapshot.signature
        out.append(text: "  family ")
        out.append(hex: UInt64(signature.family))
        out.append(text: " model ")
        out.append(hex: UInt64(signature.model))
        out.append(text: " stepping ")
        out.append(decimal: UInt64(signature.stepping))
        out.append(10)
    }

    private static func appendRegisters(_ entry: CPUIDEntry, into out: inout [UInt8]) {
        out.append(text: "leaf ")
        out.append(word: entry.leaf)
        out.append(UInt8(ascii: "."))
        if entry.subleaf > 0xff {
            out.append(hex: UInt64(entry.subleaf))
        } else {
            let digits = [UInt8].hexDigits
            out.append(contentsOf: [48, 120, digits[Int(entry.subleaf >> 4)], digits[Int(entry.subleaf & 0xf)]])
        }
        for register in Register.allCases {
            out.append(text: "  ")
            out.append(text: registerKeys[register.rawValue])
            out.append(UInt8(ascii: "="))
            out.append(word: entry.registers[register])
        }
        out.append(10)
    }

    /// `EDX[31:16]` or `ECX[5]`.
    private static func appendLocation(_ field: CPUIDField, into out: inout [UInt8]) {
        out.append(text: registerNames[field.register.rawValue])
        out.append(UInt8(ascii: "["))
        out.append(decimal: UInt64(field.high))
        if field.high != field.low {
            out.append(UInt8(ascii: ":"))
            out.append(decimal: UInt64(field.low))
        }
        out.append(UInt8(ascii: "]"))
    }

    private static func pad(_ out: inout [UInt8], to column: Int) {
        let spaces = column - out.count
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: spaces > 0 ? spaces : 1))
    }

    private static func appendJSONString(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendJSONString(bytes: $0, into: &out) }
    }

    private static func appendJSONString<C: Collection>(bytes: C, into out: inout [UInt8]) where C.Element == UInt8 {
        out.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0..<0x20:
                out.append(text: "\\u00")
                out.append([UInt8].hexDigits[Int(byte >> 4)])
                out.append([UInt8].hexDigits[Int(byte & 0xf)])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
