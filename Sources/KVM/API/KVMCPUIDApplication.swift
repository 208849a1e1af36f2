import CPUID
import Glibc

/// One difference between the table given with KVM_SET_CPUID2 and what KVM_GET_CPUID2 returned.
public struct KVMCPUIDChange: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// KVM holds a different value in one register; the run-time fields that explain it, if any.
        case changed(register: Register, from: UInt32, to: UInt32, runTimeFields: [KVMRuntimeField])
        /// The index-significant flag differs.
        case flagChanged(from: Bool, to: Bool)
        /// KVM holds an entry the table did not have.
        case added(Registers)
        /// KVM dropped an entry of the table.
        case dropped(Registers)
    }

    public var key: LeafKey
    public var kind: Kind

    public var description: String {
        switch kind {
        case let .changed(register, from, to, fields):
            "\(key) \(register): \(Hex.word(from)) -> \(Hex.word(to))"
                + (fields.isEmpty ? "" : " (" + fields.map(\.name).joined(separator: ", ") + ")")
        case let .flagChanged(from, to):
            "\(key) significant-index flag: \(from) -> \(to)"
        case .added:
            "\(key) added by KVM"
        case .dropped:
            "\(key) dropped by KVM"
        }
    }

    /// Whether every changed bit is a documented run-time field.
    public var isRunTimeField: Bool {
        guard case let .changed(_, from, to, fields) = kind else { return false }
        let covered = fields.reduce(UInt32(0)) { $0 | $1.mask }
        return (from ^ to) & ~covered == 0
    }
}

/// KVM_SET_CPUID2 succeeded: the table asked for, the table KVM holds, and every difference.
public struct KVMCPUIDApplication: Hashable, Sendable {
    public var requested: Snapshot
    public var readBack: Snapshot
    public var changes: [KVMCPUIDChange]

    /// Differences between two tables, entry by entry, register by register.
    public static func changes(from requested: Snapshot, to readBack: Snapshot) -> [KVMCPUIDChange] {
        var changes: [KVMCPUIDChange] = []
        for entry in requested.entries {
            guard let held = readBack.entry(entry.leaf, entry.subleaf) else {
                changes.append(KVMCPUIDChange(key: entry.key, kind: .dropped(entry.registers)))
                continue
            }
            if held.significantIndex != entry.significantIndex {
                changes.append(KVMCPUIDChange(key: entry.key, kind: .flagChanged(from: entry.significantIndex,
                                                                                 to: held.significantIndex)))
            }
            for register in Register.allCases where entry.registers[register] != held.registers[register] {
                let differing = entry.registers[register] ^ held.registers[register]
                let fields = KVMRuntimeField.fields(for: entry.key, register).filter { $0.mask & differing != 0 }
                changes.append(KVMCPUIDChange(key: entry.key, kind: .changed(register: register,
                                                                             from: entry.registers[register],
                                                                             to: held.registers[register],
                                                                             runTimeFields: fields)))
            }
        }
        for entry in readBack.entries where requested.entry(entry.leaf, entry.subleaf) == nil {
            changes.append(KVMCPUIDChange(key: entry.key, kind: .added(entry.registers)))
        }
        return changes
    }
}

/// KVM_SET_CPUID2 refused the table: the errno, and the entries without which KVM accepts it.
public struct KVMCPUIDRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    public var errno: Int32
    public var entryCount: Int
    /// Entries whose removal alone makes KVM accept the table; empty when no single entry is to blame
    /// (e.g. E2BIG: too many entries).
    public var culprits: [CPUIDEntry]

    public var description: String {
        var text = KVMError.ioctlFailed(ioctl: "KVM_SET_CPUID2", errno: errno).description
        text += " (table of \(entryCount) entries)"
        if !culprits.isEmpty {
            text += "; KVM accepts the table without "
                + culprits.map { "\($0.key) [\(Hex.word($0.registers.eax)) \(Hex.word($0.registers.ebx)) "
                    + "\(Hex.word($0.registers.ecx)) \(Hex.word($0.registers.edx))]" }.joined(separator: ", ")
        }
        return text
    }
}

/// Why applying a table failed.
public enum KVMCPUIDApplyError: Error, Hashable, Sendable, CustomStringConvertible {
    case refused(KVMCPUIDRefusal)
    case kvm(KVMError)

    public var description: String {
        switch self {
        case let .refused(refusal): refusal.description
        case let .kvm(error): error.description
        }
    }
}

extension KVMVCPU {
    /// KVM_SET_CPUID2 then KVM_GET_CPUID2: applies the table and reports what KVM changed. When KVM
    /// refuses it, finds the entries to blame by retrying without each one (allowed before the first KVM_RUN).
    public func apply(_ table: Snapshot) throws(KVMCPUIDApplyError) -> KVMCPUIDApplication {
        do {
            try setCPUID(table)
        } catch {
            guard case let .ioctlFailed(_, code) = error, code == EINVAL || code == E2BIG || code == EPERM else {
                throw .kvm(error)
            }
            var culprits: [CPUIDEntry] = []
            if code == EINVAL {
                for entry in table.entries {
                    var without = table
                    without.remove(entry.leaf, entry.subleaf)
                    if (try? setCPUID(without)) != nil { culprits.append(entry) }
                }
            }
            throw .refused(KVMCPUIDRefusal(errno: code, entryCount: table.count, culprits: culprits))
        }
        let readBack: Snapshot
        do {
            readBack = try cpuid(initialCapacity: UInt32(max(1, table.count))).snapshot
        } catch {
            throw .kvm(error)
        }
        return KVMCPUIDApplication(requested: table, readBack: readBack,
                                   changes: KVMCPUIDApplication.changes(from: table, to: readBack))
    }
}
