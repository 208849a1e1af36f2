/// Reads a Firecracker CPU configuration as a one-CPU dump: a custom CPU template, the output of
/// `cpu-template-helper template dump` (a template deciding every bit), or a fingerprint (`fingerprint dump`),
/// whose `guest_cpu_config` is such a template. CPUID modifiers become entries and MSR modifiers MSRs.
///
/// A bitmap with `x` bits, or a register or MSR the template does not name, is not a full value: without a
/// base to take the rest from it is refused, naming the modifier, rather than guessed as zero.
enum FirecrackerDumpReader {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String, base: Snapshot?) throws(DumpError) -> [LogicalCPU] {
        let document: PositionedJSON
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw DumpError(file: file, line: error.position.line, column: error.position.column, kind: .syntax(expected: error.message))
        }
        // A fingerprint wraps the guest configuration with the host's versions.
        let root = document.member("guest_cpu_config") ?? document
        let template: FirecrackerTemplate
        do {
            template = try FirecrackerTemplate.parse(root, file: file)
        } catch {
            throw DumpError(file: file, line: error.line, column: error.column, kind: .invalid(error.message))
        }
        var snapshot = try cpuid(template, root: root, file: file, base: base)
        for (i, modifier) in template.msrModifiers.enumerated() {
            let full = TemplateBitmap.exactly(.max, width: 64).filter
            if modifier.bitmap.filter == full {
                snapshot.setMSR(MSR(modifier.address, .value(modifier.bitmap.value)))
            } else if case let .value(old)? = base?.msr(modifier.address) {
                snapshot.setMSR(MSR(modifier.address, .value(modifier.bitmap.applied(to: old))))
            } else {
                let place = position(of: root, .member("msr_modifiers"), .item(i), .member("bitmap"))
                throw DumpError(file: file, line: place?.line, column: place?.column, kind: .invalid(
                    "the MSR modifier for \(Hex.word(modifier.address)) leaves bits unspecified (x), and "
                        + (base == nil ? "no --base dump supplies them" : "the --base dump has no value for that MSR")))
            }
        }
        return [LogicalCPU(number: 0, snapshot: snapshot)]
    }

    /// The table the CPUID modifiers describe: applied to `base` when there is one; otherwise every register
    /// of every modified entry must be decided whole.
    private static func cpuid(_ template: FirecrackerTemplate, root: PositionedJSON, file: String,
                              base: Snapshot?) throws(DumpError) -> Snapshot {
        if let base { return template.apply(to: base) }
        for (i, modifier) in template.cpuidModifiers.enumerated() {
            for register in Register.allCases {
                let bitmap = template.netBitmap(for: modifier.key, register: register)
                guard bitmap.filter != 0xffff_ffff else { continue }
                let named = modifier.modifiers.firstIndex { $0.register == register }
                let place = named.flatMap { position(of: root, .member("cpuid_modifiers"), .item(i), .member("modifiers"), .item($0), .member("bitmap")) }
                    ?? position(of: root, .member("cpuid_modifiers"), .item(i))
                let undecided = bitmap.filter == 0 ? "is not given" : "leaves bits unspecified (x)"
                throw DumpError(file: file, line: place?.line, column: place?.column, kind: .invalid(
                    "\(register) of leaf \(modifier.key) \(undecided): a template is not a full CPUID value; "
                        + "give --base FILE (a dump of the CPU it applies to) to supply the rest"))
            }
        }
        return Snapshot(template.cpuidModifiers.map { modifier in
            let registers = Registers(eax: UInt32(template.netBitmap(for: modifier.key, register: .eax).value),
                                      ebx: UInt32(template.netBitmap(for: modifier.key, register: .ebx).value),
                                      ecx: UInt32(template.netBitmap(for: modifier.key, register: .ecx).value),
                                      edx: UInt32(template.netBitmap(for: modifier.key, register: .edx).value))
            return CPUIDEntry(key: modifier.key, registers: registers,
                              significantIndex: modifier.flags & FirecrackerTemplate.significantIndexFlag != 0)
        })
    }

    /// One step down into a JSON document.
    private enum Step {
        case member(String)
        case item(Int)
    }

    /// The position of a value inside the document, for errors that point at the modifier at fault.
    private static func position(of root: PositionedJSON, _ path: Step...) -> JSONPosition? {
        var node = root
        for step in path {
            switch step {
            case let .member(key):
                guard let child = node.member(key) else { return nil }
                node = child
            case let .item(index):
                guard case let .array(items) = node.content, items.indices.contains(index) else { return nil }
                node = items[index]
            }
        }
        return node.position
    }
}
