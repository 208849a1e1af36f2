/// The kernel's CPU list notation (`0-3,8,10-11`), as in /sys/devices/system/cpu/online.
public enum CPUList {
    /// Parses a CPU list; nil when the text is not one.
    public static func parse(_ text: String) -> [Int]? {
        var cpus: [Int] = []
        let trimmed = text.trimmingSpaces().filter { $0 != "\n" }
        if trimmed.isEmpty { return [] }
        for part in trimmed.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 1 || bounds.count == 2,
                  let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]),
                  low >= 0, low <= high, high - low < 1 << 20 else { return nil }
            cpus.append(contentsOf: low...high)
        }
        return cpus.sorted()
    }

    /// Formats CPU numbers compactly, joining runs: [0,1,2,5] → `0-2,5`.
    public static func format(_ cpus: [Int]) -> String {
        let sorted = cpus.sorted()
        var parts: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return parts.isEmpty ? "none" : parts.joined(separator: ",")
    }
}
