import ArgumentParser
import CPUID
import Fleet
import KVM
import Pictures
import X86Features

/// `vcpuid baseline FILES... --html OUT.html`: the baseline streams its inputs and keeps a few names per
/// lost feature; the heat map reads them once more, through the same view, to mark every host.
extension BaselineCommand {
    func writeHeatMap(_ baseline: Baseline, title: String, kernel: KernelProfile, to path: String) throws {
        var map = FleetHeatMap(baseline: baseline)
        var stream = try DumpPathStream(arguments: files, listFile: filesFrom)
        while let file = try stream.next() {
            map.add(view.apply(to: try DumpReader.read(path: file).first, kernel: kernel), name: file)
        }
        if live {
            let name = "this machine"
            if view == .kvm {
                map.add(try GuestBase.live().snapshot, name: name + " (KVM_GET_SUPPORTED_CPUID)")
            } else {
                map.add(view.apply(to: try LiveCPU.snapshot(cpu: 0, source: .instruction), kernel: kernel), name: name)
            }
        }
        let read = (files + (filesFrom.map { ["--files-from \($0)"] } ?? [])).joined(separator: " ")
        let header = ReportHeader.standard(read: read.isEmpty ? "this machine" : read, kernel: "Linux \(kernel.version)",
                                           extra: [("baseline", title)])
        try HTMLFile.write(map.html(header: header), to: path)
    }
}
