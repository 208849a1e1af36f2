extension Baseline {
    /// The human summary of `baseline` and `fleet baseline`: level, identity source, features in QEMU
    /// names (Linux where QEMU has none), and every lost feature with its reason.
    public func report(title: String) -> String {
        var lines = [title, "vendor: \(vendor)"]
        let reached = level.map(\.description) ?? "below x86-64-v1"
        if let next = MicroarchitectureLevel.missingForNext(in: table) {
            lines.append("level: \(reached) (\(next.level) needs \(next.missing.joined(separator: ", ")))")
        } else {
            lines.append("level: \(reached)")
        }
        lines.append("identity, caches and topology from: \(representative) (\(table.signature))")
        let offered = features
        lines.append("features (\(offered.count)): " + offered.map { $0.qemuName ?? $0.linuxName }.joined(separator: " "))
        lines.append("lost (\(lost.count)):")
        let rows = lost.map { item in
            [item.qemu.map { $0 == item.linux ? item.linux : "\(item.linux) (QEMU \($0))" } ?? item.linux,
             item.explanation(inputs: inputCount)]
        }
        if !rows.isEmpty { lines.append(TextColumns.render(rows, indent: "  ")) }
        return lines.joined(separator: "\n") + "\n"
    }
}
