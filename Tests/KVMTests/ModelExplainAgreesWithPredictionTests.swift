import CPUID
import KVM
import X86Features
import Foundation
import XCTest

/// for every catalogue feature, `explain` says "offered" exactly when the predicted table has its bit.
final class ModelExplainAgreesWithPredictionTests: XCTestCase {
    func testExplainAgreesWithThePredictedTableForEveryFeature() throws {
        var disagreements: [String] = []
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/decoders")
        let amd = try DumpReader.read(path: fixtures.appendingPathComponent("amd-epyc-genoa-kvm.raw").path).first
        let intel = try DumpReader.read(path: fixtures.appendingPathComponent("intel-core-i3-1220p.raw").path).first
        let cases: [(Snapshot, [KVMModuleOptions])] = [
            (ModelHosts.intelSGX, [.intel(), .intel(sgx: false)]),
            (intel, [.intel()]),
            (amd, [KVMModuleOptions(module: .kvmAMD, sgx: false, enclsExiting: false, nested: true, enablePMU: true),
                   KVMModuleOptions(module: .kvmPVM, sgx: false, enclsExiting: false, nested: false, enablePMU: true)]),
        ]
        for (host, modules) in cases {
            for profile in KVMKernelProfile.all {
                for module in modules {
                    let prediction = KVMSupportedModel.predict(host: host, linux: KernelProfile.for(profile.version),
                                                               kvm: profile, module: module)
                    for feature in FeatureCatalogue.shared.features where feature.kind == .feature {
                        guard let verdict = prediction.explain(feature.name), let field = verdict.field else { continue }
                        if verdict.offered != prediction.snapshot.isSet(field) {
                            disagreements.append("\(profile.version) \(module.module) \(feature.name) \(field): \(verdict.summary)")
                        }
                    }
                }
            }
        }
        XCTAssertEqual(disagreements, [], disagreements.joined(separator: "\n"))
    }
}
