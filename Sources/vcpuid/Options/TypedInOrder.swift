import Synchronization

/// An option value with the position the parser met it at. ArgumentParser keeps each option's values
/// apart; the positions put `--enable`, `--disable`, `--set` and `--template` back in the order typed.
struct TypedInOrder: Sendable {
    let position: Int
    let text: String

    /// Values are made as the parser walks the command line, so a rising counter records its order.
    private static let counter = Atomic<Int>(0)

    init(_ text: String) {
        position = Self.counter.add(1, ordering: .relaxed).newValue
        self.text = text
    }
}
