import ArgumentParser
import X86Features

/// `--kernel` takes any release string: `5.15`, `v6.8`, `6.8.12`, `6.18.44-fc-v1045` (what `uname -r` prints).
extension KernelVersion: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }

    public var defaultValueDescription: String { description }
}
