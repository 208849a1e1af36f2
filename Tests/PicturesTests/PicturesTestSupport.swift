import CPUID
import Fleet
import Foundation
import KVM
import Pictures
import SGX
import X86Features
import XCTest

/// Fixtures and the stage results the pictures are drawn from, computed the way the commands compute them.
enum PicturesFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func snapshot(_ relative: String) throws -> Snapshot {
        try DumpReader.read(path: path(relative)).first
    }

    /// The chain of a dump as `report --html DUMP --kernel V [edits]` builds it (no live KVM, no guest run).
    static func chainInputs(_ relative: String, kernel version: String, edits: [GuestPolicy.Edit] = [],
                            allowUnsupported: Bool = false) throws -> ChainInputs {
        let host = try snapshot(relative)
        let kernel = KernelResolution(KernelVersion(version)!).profile
        let module = KVMModuleOptions.guess(for: host)
        let model = KVMSupportedModel.predict(host: host, kernel: kernel, module: module)
        let base = GuestBase.predicted(host: host, hostName: relative, kernel: kernel, module: module)
        let composition = try GuestTableComposer(directory: GuestFeatureTable(kernel: kernel))
            .compose(GuestPolicy(edits: edits, allowUnsupported: allowUnsupported), on: base)
        return ChainInputs(cpu: host, cpuName: relative, linux: LinuxDerivation.derive(host, kernel: kernel),
                           kvmModel: model, guest: composition, guestSeen: .notRun("a dump: no guest runs it"))
    }

    /// Every `http://` or `https://` in a page: a self-contained page has none.
    static func externalURLs(_ html: String) -> Int {
        html.components(separatedBy: "http://").count - 1 + html.components(separatedBy: "https://").count - 1
    }
}
