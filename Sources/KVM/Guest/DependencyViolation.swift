import CPUID

/// A feature set in a table while a feature it depends on (a Linux cpuid-deps row) is clear.
public struct DependencyViolation: Hashable, Sendable, CustomStringConvertible {
    public var feature: GuestFeature
    public var dependency: GuestFeature

    public init(feature: GuestFeature, dependency: GuestFeature) {
        self.feature = feature
        self.dependency = dependency
    }

    /// `[cpuid-deps] AVX2 CPUID.(EAX=07H,ECX=0):EBX[5] is set but AVX CPUID.(EAX=01H):ECX[28] is clear`
    public var description: String {
        let source = feature.dependencySource == "Linux" ? "cpuid-deps" : feature.dependencySource
        return "[\(source)] \(feature) is set but \(dependency) is clear"
    }
}

extension GuestTableChecker {
    /// Every feature of `directory` set in `table` whose dependency row names a feature that is clear:
    /// what Linux in the guest would clear at boot, so what a VMM should not offer.
    public static func dependencyViolations(in table: Snapshot, directory: any GuestFeatureDirectory) -> [DependencyViolation] {
        var found: [DependencyViolation] = []
        for feature in directory.features {
            guard let field = feature.field, table.isSet(field) else { continue }
            for macro in feature.dependsOn {
                guard let dependency = directory.feature(named: macro), let dependencyField = dependency.field,
                      !table.isSet(dependencyField) else { continue }
                found.append(DependencyViolation(feature: feature, dependency: dependency))
            }
        }
        return found
    }
}
