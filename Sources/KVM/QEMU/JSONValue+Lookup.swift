import CPUID

/// Member and scalar access for reading QMP replies and the model cache.
extension JSONValue {
    subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    var stringValue: String? {
        if case let .string(text) = self { return text }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case let .array(items) = self { return items }
        return nil
    }

    var boolValue: Bool? {
        if case let .bool(flag) = self { return flag }
        return nil
    }

    /// Integers as QMP writes them (decimal, possibly negative).
    var integerValue: Int64? {
        if case let .number(text) = self { return Int64(text) ?? UInt64(text).map { Int64(bitPattern: $0) } }
        return nil
    }
}
