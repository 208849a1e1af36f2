/// Everything `vcpuid explain` says about one feature for one CPU under one kernel: its definition, its
/// history across the carried releases, its dependency chains and the verdict with its reasons. A value,
/// so that a library user gets the answer the command prints; encoding it is the command's JSON.
public struct FeatureExplanation: Sendable {
    public var feature: Feature
    /// The release whose view gave the verdict.
    public var kernel: KernelVersion
    /// Where the feature comes from, read in the chosen release, or in the newest one that has the macro.
    public var origin: FeatureOrigin?
    /// One entry per carried release.
    public var history: [FeatureInRelease]
    /// Chains of what the feature needs (`AVX512F -> AVX -> XSAVE`), and of what needs it.
    public var dependsOn: [[String]]
    public var neededBy: [[String]]
    public var verdict: FeatureVerdict

    /// Only the view's profile, and the newest release with the macro when the view's lacks it, are built.
    public init(_ feature: Feature, in view: LinuxView, catalogue: FeatureCatalogue = .shared) {
        let profile = view.kernel
        self.feature = feature
        kernel = profile.version
        history = catalogue.history(of: feature)
        let newest = history.last(where: \.exists).flatMap { KernelProfile.release($0.release) } ?? profile
        let defining = feature.exists(in: profile) ? profile : newest
        origin = feature.origin(in: defining)
        dependsOn = defining.dependencyGraph.dependencyChains(of: feature.name)
        neededBy = defining.dependencyGraph.dependentChains(of: feature.name)
        verdict = view.reason(for: feature)
    }

    /// Consecutive releases that agree on number and /proc name, one run each (`5.10–6.1`).
    public struct ReleaseRun: Hashable, Sendable {
        public var first: KernelVersion
        public var last: KernelVersion
        /// `11*32+18`; nil where the macro is not defined.
        public var number: String?
        /// The /proc/cpuinfo name; nil where hidden or undefined.
        public var procName: String?
        public var exists: Bool

        public var releases: String { first == last ? "\(first)" : "\(first)–\(last)" }
    }

    public var releaseRuns: [ReleaseRun] {
        var runs: [ReleaseRun] = []
        for entry in history {
            if let last = runs.last, last.number == entry.number, last.procName == entry.procName, last.exists == entry.exists {
                runs[runs.count - 1].last = entry.release
            } else {
                runs.append(ReleaseRun(first: entry.release, last: entry.release, number: entry.number,
                                       procName: entry.procName, exists: entry.exists))
            }
        }
        return runs
    }
}

extension FeatureExplanation: Encodable {
    private enum Key: String, CodingKey {
        case macro, kind, source, qemu, addedIn, removedIn, kernels, dependsOn, neededBy, cpu
    }

    private struct Release: Encodable {
        var kernel: String
        var exists: Bool
        var number: String?
        var proc: String?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kernel, forKey: .kernel)
            try c.encode(exists, forKey: .exists)
            try c.encode(number, forKey: .number)
            try c.encode(proc, forKey: .proc)
        }

        private enum CodingKeys: String, CodingKey { case kernel, exists, number, proc }
    }

    private struct CPU: Encodable {
        var kernel: String
        var set: Bool
        var stage: String
        var why: [String]
    }

    /// The schema of `vcpuid explain --json`; absent values are `null`, not missing keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(feature.macro, forKey: .macro)
        try c.encode(feature.kind.rawValue, forKey: .kind)
        try c.encode(origin?.description, forKey: .source)
        try c.encode(feature.qemuName, forKey: .qemu)
        try c.encode(feature.addedIn.description, forKey: .addedIn)
        try c.encode(feature.removedIn?.description, forKey: .removedIn)
        try c.encode(history.map { Release(kernel: $0.release.description, exists: $0.exists, number: $0.number, proc: $0.procName) },
                     forKey: .kernels)
        try c.encode(dependsOn, forKey: .dependsOn)
        try c.encode(neededBy, forKey: .neededBy)
        try c.encode(CPU(kernel: kernel.description, set: verdict.isSet, stage: verdict.stage.rawValue, why: verdict.lines), forKey: .cpu)
    }
}
