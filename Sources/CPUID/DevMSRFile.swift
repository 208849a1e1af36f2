#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The kernel's msr driver, /dev/cpu/N/msr: a pread of 8 bytes at offset = index runs RDMSR on CPU N.
/// A read the CPU refuses (#GP: the MSR is not implemented) fails with EIO; that is a fact about the CPU,
/// kept as `.faulted`, while a missing device or permission is an error saying what to do.
public enum DevMSRFile {
    public static func path(cpu: Int) -> String { "/dev/cpu/\(cpu)/msr" }

    /// Whether the msr driver is loaded for this CPU (the device node exists).
    public static func isPresent(cpu: Int) -> Bool { access(path(cpu: cpu), F_OK) == 0 }

    /// Each MSR's value, in the order given; `.faulted` where RDMSR faulted.
    public static func read(cpu: Int, indices: [UInt32]) throws(LiveSourceError) -> [MSR] {
        try read(path: path(cpu: cpu), indices: indices)
    }

    /// The same from any file laid out like the device (tests use a sparse file).
    static func read(path: String, indices: [UInt32]) throws(LiveSourceError) -> [MSR] {
        let fd = try CPUDeviceNode.msr.open(path)
        defer { close(fd) }
        var msrs: [MSR] = []
        msrs.reserveCapacity(indices.count)
        for index in indices {
            var value: UInt64 = 0
            while true {
                let count = withUnsafeMutableBytes(of: &value) { pread(fd, $0.baseAddress, 8, off_t(index)) }
                if count == 8 {
                    msrs.append(MSR(index, .value(value)))
                } else if count < 0, errno == EINTR {
                    continue
                } else if count < 0, errno == EIO {
                    msrs.append(MSR(index, .faulted))
                } else {
                    throw .msrRead(path: path, index: index, errno: count < 0 ? errno : EIO)
                }
                break
            }
        }
        return msrs
    }
}
