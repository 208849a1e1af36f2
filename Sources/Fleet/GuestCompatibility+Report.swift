extension GuestCompatibility {
    /// The human verdict of `compare` and `fleet can-run`: start, then migrate, each missing feature with
    /// its reason.
    public func report(guest: String, host: String, startOnly: Bool) -> String {
        var lines = ["guest: \(guest)", "host: \(host) (\(hostView))"]
        lines.append("start: " + (canStart ? "yes" : "no — \(missing.count) feature\(missing.count == 1 ? "" : "s") missing"))
        let rows = missing.map { item in
            [item.qemu.map { $0 == item.linux ? item.linux : "\(item.linux) (QEMU \($0))" } ?? item.linux,
             item.reason.rawValue + (item.detail.map { ": \($0)" } ?? "")]
        }
        if !rows.isEmpty { lines.append(TextColumns.render(rows, indent: "  ")) }
        if !startOnly {
            lines.append("migrate: " + (canMigrate ? "yes" : "no"))
            if !canStart { lines.append("  the guest cannot start there") }
            for blocker in migrationBlockers { lines.append("  \(blocker)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
