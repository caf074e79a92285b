// A long-lived peer beside a tool run (coturn, an aiortc or Chromium echo server).
//
// Why not ChildProcess: that one waits for its child to finish; a peer runs until the
// tool run is over. Like ChildProcess, the peer gets its own process group, so stopping
// it also stops what it started (Chromium's helpers), and its output goes to a file, never
// a pipe, so a chatty peer can never block on a full pipe nor keep us waiting on an EOF.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A program started in the background, stopped by `stop()` or when dropped.
public final class PeerProcess: @unchecked Sendable {
    // @unchecked: `pid` and `reaped` are only touched under `lock`.
    private let lock = NSLock()
    private let pid: pid_t
    private var reaped = false
    /// The file its stdout and stderr go to (removed on `stop`).
    public let logPath: String
    /// The command as a shell would show it.
    public let commandLine: String

    /// Starts `arguments[0]` (an absolute path, or a name looked up in PATH) in its own
    /// process group, stdin from /dev/null, stdout and stderr appended to a fresh log file.
    public init(_ arguments: [String], environment: [String: String]) throws {
        precondition(!arguments.isEmpty, "PeerProcess needs a program")
        commandLine = arguments.joined(separator: " ")
        let name = (arguments[0] as NSString).lastPathComponent
        logPath = FileManager.default.temporaryDirectory.path + "/lab-peer-\(name)-\(UUID().uuidString).log"
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
            throw LabError(.io, "cannot create the log file \(logPath)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_APPEND, 0)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Default SIGPIPE and SIGTERM, an empty mask: the parent (a test host) may block or ignore them.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGTERM)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var child: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        let status = posix_spawnp(&child, arguments[0], &actions, &attributes, argv, envp)
        guard status == 0 else {
            try? FileManager.default.removeItem(atPath: logPath)
            throw LabError(.cannotRun, "cannot start \(arguments[0]): \(String(cString: strerror(status)))")
        }
        pid = child
    }

    deinit { stop() }

    /// Everything it printed so far.
    public var output: String {
        String(decoding: FileManager.default.contents(atPath: logPath) ?? Data(), as: UTF8.self)
    }

    /// Whether it has not exited yet.
    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !reaped else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { reaped = true }
        return !reaped
    }

    /// Waits until `found` returns a value for the output so far, the peer exits, or `timeout`
    /// passes (nil then). Polls: the output is a file.
    public func waitFor<T>(timeout: Duration, _ found: (String) -> T?) -> T? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let value = found(output) { return value }
            guard isRunning, clock.now < deadline else { return found(output) }
            usleep(20_000)
        }
    }

    /// Stops the process group (SIGTERM, SIGKILL after `grace`) and returns what it printed.
    @discardableResult
    public func stop(grace: Duration = .seconds(3)) -> String {
        lock.lock()
        if !reaped {
            kill(-pid, SIGTERM)
            let clock = ContinuousClock()
            let deadline = clock.now + grace
            var status: Int32 = 0
            while waitpid(pid, &status, WNOHANG) != pid {
                if clock.now >= deadline {
                    kill(-pid, SIGKILL)
                    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                    break
                }
                usleep(10_000)
            }
            reaped = true
        }
        // Helpers that outlived their leader (a browser's) go too.
        kill(-pid, SIGKILL)
        lock.unlock()
        let text = output
        try? FileManager.default.removeItem(atPath: logPath)
        return text
    }
}

/// Small socket facts the peers need, without the lab's networking libraries (LabKit
/// depends on nothing but Foundation and the checks).
enum LoopbackPorts {
    /// A UDP port on 127.0.0.1 that was free a moment ago (bind port 0, read it, close).
    static func freeUDPPort() throws -> UInt16 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { throw LabError(.cannotRun, "cannot open a UDP socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw LabError(.cannotRun, "cannot bind a UDP socket on 127.0.0.1: \(String(cString: strerror(errno)))") }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Whether some socket is bound to UDP 127.0.0.1:`port` (from /proc/net/udp; Linux).
    static func udpBound(_ port: UInt16) -> Bool {
        let wanted = String(format: "0100007F:%04X", port)
        guard let table = try? String(contentsOfFile: "/proc/net/udp", encoding: .utf8) else { return false }
        return table.split(separator: "\n").contains { line in
            line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map { $0 == wanted } ?? false
        }
    }
}
