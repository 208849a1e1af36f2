import CPUID

/// Leaf 4 (Intel) and leaf 0x8000001D (AMD): one subleaf per cache, until a subleaf of type 0.
/// Sizes and counts are stored minus one; the cache size is ways × partitions × line size × sets.
public struct DeterministicCacheDecoder: FieldTableDecoder {
    public let leaves: [UInt32]

    /// `leaf` is 4 or 0x8000001D.
    public init(leaf: UInt32) { leaves = [leaf] }

    public func table(for entry: CPUIDEntry, in snapshot: Snapshot) -> FieldTable? {
        let leaf = leaves[0]
        // The first cache of type 0 ends the list; it is shown, what follows it is not.
        guard !snapshot.enumerationEnded(before: entry.subleaf, of: leaf, isEnd: { $0.eax & 0x1f == 0 }) else {
            return nil
        }
        return leaf == 4 ? Self.intel : Self.amd
    }

    static let cacheType = Choices(["no more caches", "data cache", "instruction cache", "unified cache"])

    static let common: [FieldSpec] = [
        .bits(.eax, 4, 0, "cache_type", .choice(cacheType)),
        .bits(.eax, 7, 5, "cache_level"),
        .flag(.eax, 8, "self_initializing"),
        .flag(.eax, 9, "fully_associative"),
        .bits(.eax, 25, 14, "max_sharing_ids", .countPlusOne),
    ]

    static let geometry: [FieldSpec] = [
        .bits(.ebx, 11, 0, "line_size", .bytesPlusOne),
        .bits(.ebx, 21, 12, "line_partitions", .countPlusOne),
        .bits(.ebx, 31, 22, "ways", .countPlusOne),
        .bits(.ecx, 31, 0, "sets", .countPlusOne),
        // Set means WBINVD/INVD is NOT guaranteed to act on lower-level caches of other threads sharing this one.
        .flag(.edx, 0, "wbinvd_no_lower_guarantee"),
        .flag(.edx, 1, "inclusive"),
    ]

    static let intel = FieldTable(common + [.bits(.eax, 31, 26, "max_core_ids", .countPlusOne)]
                                  + geometry + [.flag(.edx, 2, "complex_indexing")])
    static let amd = FieldTable(common + geometry)
}
