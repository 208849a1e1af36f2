#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The kernel's cpuid driver: reading 16 bytes at offset `leaf | subleaf << 32` of /dev/cpu/N/cpuid
/// runs CPUID on CPU N and returns EAX, EBX, ECX, EDX.
struct DevCPUFile: ~Copyable {
    let path: String
    private let descriptor: Int32

    init(cpu: Int) throws(LiveSourceError) {
        path = "/dev/cpu/\(cpu)/cpuid"
        descriptor = try CPUDeviceNode.cpuid.open(path)
    }

    deinit { close(descriptor) }

    func read(_ key: LeafKey) throws(LiveSourceError) -> Registers {
        var words: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
        let offset = off_t(Int64(bitPattern: UInt64(key.leaf) | UInt64(key.subleaf) << 32))
        let count = withUnsafeMutableBytes(of: &words) { pread(descriptor, $0.baseAddress, 16, offset) }
        guard count == 16 else { throw .devCPURead(path: path, key: key, errno: count < 0 ? errno : EIO) }
        return Registers(eax: words.0, ebx: words.1, ecx: words.2, edx: words.3)
    }
}
