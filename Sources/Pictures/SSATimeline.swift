import SGX

/// A scenario run as a timeline: one column per step, repeats compressed to their first and last
/// iterations and a count, so that a 10,000-iteration repeat draws in a few columns and the file stays small.
public struct SSATimeline: Sendable {
    /// One column: a traced step, or the iterations left out between a repeat's first and last.
    public enum Column: Hashable, Sendable {
        case step(TraceRecord)
        case compressed(iterations: String, records: Int, operations: Int)
    }

    public var run: ScenarioRun
    public var passed: Bool
    public var columns: [Column]

    /// Faults and failed expectations inside the compressed part are still drawn, up to this many.
    public static let keptInsideRepeats = 20

    /// `run` should come from `ScenarioRunner(traceEveryStep: true)`, so that the first and last iterations
    /// are there to draw; a run without them draws the repeats' summaries only.
    public init(_ run: ScenarioRun, passed: Bool) {
        self.run = run
        self.passed = passed
        columns = Self.compress(run.trace)
    }

    /// Keeps a record when each level of its iteration label is the first or the last of its repeat (or it
    /// faulted or failed); runs of records left out become one `.compressed` column.
    static func compress(_ trace: [TraceRecord]) -> [Column] {
        // The highest index seen per (top-level run, label prefix): a top-level repeat's records are
        // contiguous, ending at its summary record (which has no label).
        var runOf: [Int] = []
        var runIndex = 0
        var previousHadLabel = false
        for record in trace {
            let labelled = record.iteration != nil
            if labelled, !previousHadLabel { runIndex += 1 }
            runOf.append(runIndex)
            previousHadLabel = labelled
        }
        var highest: [String: Int] = [:]
        for (i, record) in trace.enumerated() {
            guard let label = record.iteration else { continue }
            var prefix = "\(runOf[i])"
            for part in label.split(separator: ".") {
                let n = Int(part) ?? 0
                highest[prefix] = max(highest[prefix] ?? 0, n)
                prefix += ".\(part)"
            }
        }
        var columns: [Column] = []
        var skippedRecords = 0
        var skippedOperations = 0
        var firstSkipped: String?
        var lastSkipped: String?
        var keptInside = 0
        func flush() {
            guard skippedRecords > 0 else { return }
            let span = firstSkipped == lastSkipped ? firstSkipped ?? "" : "\(firstSkipped ?? "")–\(lastSkipped ?? "")"
            columns.append(.compressed(iterations: span, records: skippedRecords, operations: skippedOperations))
            skippedRecords = 0
            skippedOperations = 0
            firstSkipped = nil
        }
        for (i, record) in trace.enumerated() {
            var keep = true
            if let label = record.iteration {
                var prefix = "\(runOf[i])"
                for part in label.split(separator: ".") {
                    let n = Int(part) ?? 0
                    if n != 1, n != highest[prefix] { keep = false }
                    prefix += ".\(part)"
                }
                let notable = record.fault != nil || record.result.hasPrefix("FAILED")
                if !keep, notable, keptInside < keptInsideRepeats {
                    keep = true
                    keptInside += 1
                }
            }
            if keep {
                flush()
                columns.append(.step(record))
            } else {
                skippedRecords += 1
                if record.kind == .operation { skippedOperations += 1 }
                // The span names operations' iterations (a nested repeat's summary carries its parent's).
                if record.kind == .operation || firstSkipped == nil {
                    if firstSkipped == nil || skippedOperations == 1 { firstSkipped = record.iteration }
                    lastSkipped = record.iteration
                }
            }
        }
        flush()
        return columns
    }
}
