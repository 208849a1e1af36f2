/// The dependency rows of one kernel (cpuid-deps.c) as a graph: who depends on whom, directly and
/// transitively, and what clearing a set of features clears in the end.
public struct FeatureDependencies: Hashable, Sendable {
    public let rows: [KernelProfile.DependencyRow]
    private let dependsOn: [String: [String]]
    private let dependents: [String: [String]]

    public init(rows: [KernelProfile.DependencyRow]) {
        self.rows = rows
        var up: [String: [String]] = [:]
        var down: [String: [String]] = [:]
        for row in rows {
            up[row.name, default: []].append(row.dependsOn)
            down[row.dependsOn, default: []].append(row.name)
        }
        dependsOn = up
        dependents = down
    }

    /// The features this one needs directly.
    public func directDependencies(of name: String) -> [String] { dependsOn[name] ?? [] }

    /// The features that need this one directly.
    public func directDependents(of name: String) -> [String] { dependents[name] ?? [] }

    /// Everything this feature needs, nearest first (breadth-first, each once).
    public func allDependencies(of name: String) -> [String] { walk(from: name, edges: dependsOn) }

    /// Everything that is cleared when this feature is cleared, nearest first.
    public func allDependents(of name: String) -> [String] { walk(from: name, edges: dependents) }

    /// Every chain from `name` down to a feature with no further dependency, e.g.
    /// `[SGX_EDECCSSA, SGX1, SGX]`.
    public func dependencyChains(of name: String) -> [[String]] { chains(from: name, edges: dependsOn) }

    /// Every chain from `name` up to a dependent nothing else depends on, e.g. `[SGX, SGX1, SGX2]`.
    public func dependentChains(of name: String) -> [[String]] { chains(from: name, edges: dependents) }

    /// What clearing `cleared` clears, to a fixpoint: every cleared feature with the feature whose
    /// clearing caused it (nil for the ones given). Mirrors do_clear_cpu_cap()'s loop over the table.
    public func closure(clearing cleared: [String]) -> [String: String?] {
        var result: [String: String?] = [:]
        var queue: [String] = []
        for name in cleared where result[name] == nil {
            result[name] = .some(nil)
            queue.append(name)
        }
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            for dependent in dependents[current] ?? [] where result[dependent] == nil {
                result[dependent] = .some(current)
                queue.append(dependent)
            }
        }
        return result
    }

    private func walk(from start: String, edges: [String: [String]]) -> [String] {
        var seen: Set<String> = [start]
        var order: [String] = []
        var queue = [start]
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            for next in edges[current] ?? [] where !seen.contains(next) {
                seen.insert(next)
                order.append(next)
                queue.append(next)
            }
        }
        return order
    }

    private func chains(from start: String, edges: [String: [String]]) -> [[String]] {
        var result: [[String]] = []
        func extend(_ path: [String]) {
            guard let last = path.last else { return }
            let next = (edges[last] ?? []).filter { !path.contains($0) }
            if next.isEmpty {
                if path.count > 1 { result.append(path) }
                return
            }
            for step in next { extend(path + [step]) }
        }
        extend([start])
        return result
    }
}
