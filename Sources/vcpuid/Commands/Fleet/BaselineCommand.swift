import ArgumentParser
import Dispatch
import CPUID
import Fleet
import KVM
import X86Features

extension BaselineView: ExpressibleByArgument {}

/// `vcpuid baseline FILES...`: the guest CPU every input can run, streamed over any number of dumps.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "The guest CPU every input can run: the common features, with the reason for every one lost.",
        discussion: """
            Feature registers are ANDed, maximum leaves are the minimum, then Linux's dependency table \
            clears what depends on a lost feature (losing AVX512F loses AVX512VL ...), and leaf 0xD is \
            recomputed for the common XSAVE components. Family/model/stepping, brand, cache and topology \
            leaves come from the input with the lowest (family, model, stepping); hypervisor leaves are \
            dropped. Vendors must agree. Inputs are read one at a time: directories are walked, and \
            --files-from reads a list, so hundreds of thousands of dumps need no more memory than one.

            --view raw intersects raw CPUID; linux what the kernel enables on each input; kvm what that \
            kernel's KVM offers a guest on each input (vcpuid's model, --kernel V); --live adds this machine \
            (with --view kvm, what its own KVM offers). --format writes the \
            guest table as `vcpuid dump` does; give it to `guest show|verify|export --base FILE`.

            Examples:
              vcpuid baseline hosts/                      a summary: level, features, what was lost and who lacks it
              vcpuid baseline a.cpuid b.cpuid --view kvm --kernel 6.1 --migratable --format json > guest.json
            """
    )

    @Argument(help: "Dump files or directories of dumps.")
    var files: [String] = []

    @Option(name: .customLong("files-from"), help: "Read more dump paths from this file, one a line ('-': standard input).")
    var filesFrom: String?

    @Option(help: "Which CPUID of each input to intersect: raw, linux or kvm.")
    var view: BaselineView = .raw

    @OptionGroup var kernelOptions: KernelOptions

    @Flag(help: "Drop what libvirt marks not migratable (invtsc, xsaves).")
    var migratable = false

    @Flag(help: "Add this machine as an input: with --view kvm, what its KVM really offers (KVM_GET_SUPPORTED_CPUID, needs /dev/kvm); otherwise its CPUID through the view.")
    var live = false

    @Option(help: "Write the guest table in this dump format (raw, json, aida, libvirt) instead of the summary.")
    var format: OutputDumpFormat?

    @Option(help: "With --format, write to this file instead of standard output.")
    var output: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Also write a self-contained HTML heat map of hosts × lost features (reads the inputs twice).",
                               valueName: "out.html"))
    var html: String?

    func validate() throws {
        if files.isEmpty, filesFrom == nil, !live { throw ValidationError("give dump files or directories, --files-from or --live") }
        if let format { try format.checkWritable() }
        if json, format != nil { throw ValidationError("--json prints the summary and --format the table; give one of them") }
        if html != nil, filesFrom == "-" { throw ValidationError("--html reads the inputs twice: give --files-from a file, not standard input") }
    }

    func run() throws {
        let resolution = kernelOptions.resolve(live: false)
        KernelOptions.announce(resolution)
        let profile = resolution.profile
        var accumulator = try Self.fold(DumpPathStream(arguments: files, listFile: filesFrom),
                                        total: filesFrom.flatMap(DumpPathStream.count(listFile:)).map { $0 + files.count },
                                        view: view, kernel: profile)
        if live {
            let name = "this machine"
            if view == .kvm {
                accumulator.add(try GuestBase.live().snapshot, name: name + " (KVM_GET_SUPPORTED_CPUID)")
            } else {
                accumulator.add(view.apply(to: try LiveCPU.snapshot(cpu: 0, source: .instruction), kernel: profile), name: name)
            }
        }
        let baseline = try accumulator.result(kernel: profile, migratable: migratable)
        let title = "baseline of \(baseline.inputCount) input\(baseline.inputCount == 1 ? "" : "s") (\(view.rawValue) view, Linux \(profile.version))"
        if let html { try writeHeatMap(baseline, title: title + (migratable ? ", migratable" : ""), kernel: profile, to: html) }
        if let format {
            try OutputDestination.emit(try format.render(baseline.dump(origin: title)), to: output)
        } else if json {
            print(try prettyJSON(BaselineDocument(baseline, view: view, kernel: profile, migratable: migratable)))
        } else {
            print(baseline.report(title: title + (migratable ? ", migratable" : "")), terminator: "")
        }
    }

    /// How many dumps one worker folds before the rounds merge; small enough that memory stays flat.
    static let batchSize = 256

    /// Folds every path, `workers` batches at a time on as many threads, merging each round's
    /// accumulators in path order: the result, and which inputs each lost feature names, are those of a
    /// sequential fold.
    static func fold(_ stream: DumpPathStream, total: Int?, view: BaselineView, kernel: KernelProfile,
                     workers: Int = FleetInputs.workerCount()) throws -> BaselineAccumulator {
        var stream = stream
        var accumulator = BaselineAccumulator()
        var progress = ProgressLine(total: total, noun: "dumps")
        while true {
            var batches: [[String]] = []
            for _ in 0..<workers {
                var batch: [String] = []
                while batch.count < batchSize, let path = try stream.next() { batch.append(path) }
                if batch.isEmpty { break }
                batches.append(batch)
            }
            if batches.isEmpty { break }
            let results = RoundResults(count: batches.count)
            let shards = batches
            DispatchQueue.concurrentPerform(iterations: shards.count) { index in
                var shard = BaselineAccumulator()
                do {
                    for path in shards[index] {
                        shard.add(view.apply(to: try DumpReader.read(path: path).first, kernel: kernel), name: path)
                    }
                    results.store(.success(shard), at: index)
                } catch {
                    results.store(.failure(error), at: index)
                }
            }
            for result in results.values {
                switch result {
                case let .success(shard)?: accumulator.merge(shard)
                case let .failure(error)?: throw error
                case nil: break
                }
            }
            progress.update(accumulator.count)
        }
        progress.finish()
        return accumulator
    }
}

/// `baseline --json`.
struct BaselineDocument: Encodable {
    struct Named: Encodable {
        var linux: String
        var qemu: String?
    }

    var inputs: Int
    var vendor: String
    var view: String
    var kernel: String
    var migratable: Bool
    var level: String?
    var representative: String
    var features: [Named]
    /// The same feature set in libvirt's cpu_map names, as `virsh cpu-baseline --features` lists it.
    var libvirt: [String]
    var lost: [LostFeature]

    init(_ baseline: Baseline, view: BaselineView, kernel: KernelProfile, migratable: Bool) {
        inputs = baseline.inputCount
        vendor = baseline.vendor
        self.view = view.rawValue
        self.kernel = kernel.version.description
        self.migratable = migratable
        level = baseline.level?.description
        representative = baseline.representative
        features = baseline.features.map { Named(linux: $0.linuxName, qemu: $0.qemuName) }
        libvirt = LibvirtCPUMap.names(in: baseline.table)
        lost = baseline.lost
    }
}

/// One round's per-worker results, each slot written by one worker before `concurrentPerform` returns.
final class RoundResults: @unchecked Sendable {
    private(set) var values: [Result<BaselineAccumulator, any Error>?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func store(_ result: Result<BaselineAccumulator, any Error>, at index: Int) { values[index] = result }
}
