import CPUID
import Glibc

/// Why talking to QEMU failed.
public enum QEMUProbeError: Error, Hashable, Sendable, CustomStringConvertible {
    case notFound(String)
    case spawnFailed(path: String, errno: Int32)
    case exited(path: String, status: Int32, stderr: String)
    case timedOut(path: String, seconds: Int)
    case malformedReply(String)
    case commandFailed(command: String, message: String)

    public var description: String {
        switch self {
        case let .notFound(path): "no QEMU at \(path) (install qemu-system-x86, or give --qemu PATH)"
        case let .spawnFailed(path, code): "cannot start \(path): \(Errno(code))"
        case let .exited(path, status, stderr):
            "\(path) exited with status \(status) before answering" + (stderr.isEmpty ? "" : ": \(stderr)")
        case let .timedOut(path, seconds): "\(path) did not answer within \(seconds) s"
        case let .malformedReply(line): "QMP: cannot read QEMU's reply: \(line.prefix(200))"
        case let .commandFailed(command, message): "QMP \(command): \(message)"
        }
    }
}

/// One QEMU process driven over QMP on its standard input and output (`-qmp stdio`), the way libvirt probes
/// capabilities: no guest runs, and every command is one JSON line answered by one `return` or `error` line.
final class QMPProcess {
    private let pid: pid_t
    private let input: Int32
    private let output: Int32
    private let errors: Int32
    private var buffer: [UInt8] = []
    private let path: String
    private let deadline: timespec

    /// Starts `path args...`; `timeout` bounds the whole conversation.
    init(path: String, arguments: [String], timeout seconds: Int = 30) throws(QEMUProbeError) {
        guard access(path, X_OK) == 0 else { throw .notFound(path) }
        self.path = path
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0], errChild: [Int32] = [0, 0]
        guard Self.pipe(&toChild), Self.pipe(&fromChild), Self.pipe(&errChild) else {
            throw .spawnFailed(path: path, errno: errno)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errChild[1], 2)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, path, &actions, nil, argv, environ)
        close(toChild[0]); close(fromChild[1]); close(errChild[1])
        guard status == 0 else {
            close(toChild[1]); close(fromChild[0]); close(errChild[0])
            throw .spawnFailed(path: path, errno: status)
        }
        pid = child
        input = toChild[1]
        output = fromChild[0]
        errors = errChild[0]
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        deadline = timespec(tv_sec: now.tv_sec + seconds, tv_nsec: now.tv_nsec)
        signal(SIGPIPE, SIG_IGN)
    }

    /// A pipe whose ends close on exec (the child gets them only through dup2).
    private static func pipe(_ ends: inout [Int32]) -> Bool {
        guard Glibc.pipe(&ends) == 0 else { return false }
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }

    deinit {
        close(input)
        close(output)
        close(errors)
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// Sends command lines without waiting (QEMU answers them in order).
    func send(_ lines: [String]) throws(QEMUProbeError) {
        let text = lines.joined(separator: "\n") + "\n"
        let failed = Array(text.utf8).withUnsafeBytes { raw -> Bool in
            do throws(Errno) {
                try SystemFile.writeAll(raw, to: input)
                return false
            } catch {
                return true
            }
        }
        if failed { throw failure() }
    }

    /// The next reply line that is not an event (`{"event": ...}`), parsed.
    func reply() throws(QEMUProbeError) -> JSONValue {
        while true {
            let line = try nextLine()
            let value: JSONValue
            do { value = try JSONParser.parse(line).value } catch { throw .malformedReply(line) }
            guard case let .object(members) = value else { throw .malformedReply(line) }
            if members.contains(where: { $0.key == "event" }) { continue }
            return value
        }
    }

    /// The `return` member of the next reply, or the QMP error it carries.
    func result(of command: String) throws(QEMUProbeError) -> JSONValue {
        let value = try reply()
        if let error = value["error"] {
            throw .commandFailed(command: command, message: error["desc"]?.stringValue ?? error.rendered())
        }
        guard let result = value["return"] else { throw .malformedReply(value.rendered()) }
        return result
    }

    private func nextLine() throws(QEMUProbeError) -> String {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                if getenv("VCPUID_QMP_TRACE") != nil { let t = "<- \(line.prefix(120))\n"; _ = t.withCString { write(2, $0, strlen($0)) } }
                buffer.removeSubrange(...newline)
                return line
            }
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let left = Int(deadline.tv_sec - now.tv_sec) * 1000 + Int(deadline.tv_nsec - now.tv_nsec) / 1_000_000
            guard left > 0 else { throw .timedOut(path: path, seconds: 30) }
            var poller = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(left, Int(Int32.max))))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { throw .timedOut(path: path, seconds: 30) }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let count = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw failure() }
            buffer += chunk[..<count]
        }
    }

    /// QEMU went away: its exit status and what it said on stderr.
    private func failure() -> QEMUProbeError {
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(errors, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            text += chunk[..<count]
            if text.count > 4096 { break }
        }
        let message = String(decoding: text, as: UTF8.self).split(separator: "\n").prefix(3).joined(separator: "; ")
        return .exited(path: path, status: (status >> 8) & 0xFF, stderr: message)
    }
}
