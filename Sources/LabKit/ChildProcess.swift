// Runs a program with a time limit, capturing stdout and stderr separately.
//
// Why posix_spawn rather than Foundation's Process: the child gets its own process group,
// so a time-out kills everything it started (`swift build` runs compilers, a student's
// code may loop forever) with one kill(-pgid); the pipes (socket pairs) are close-on-exec from birth, so
// a process spawned at the same moment by another thread (tests run in parallel) never
// inherits our write ends and keeps us waiting for an EOF that never comes. We stop
// reading when the child exits, never waiting on EOF alone.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How a child process ended.
public enum ChildTermination: Sendable, Equatable, CustomStringConvertible {
    /// It exited with this status.
    case exited(Int32)
    /// A signal it did not handle ended it (a Swift trap is SIGILL or SIGTRAP).
    case signalled(Int32)
    /// It ran past its time limit and was killed.
    case timedOut(Duration)

    public var description: String {
        switch self {
        case .exited(let status): return "exit status \(status)"
        case .signalled(let signal): return "killed by signal \(signal) (\(ChildProcess.signalName(signal)))"
        case .timedOut(let limit): return "still running after \(Format.seconds(limit)), killed"
        }
    }
}

/// What a finished child produced.
public struct ChildOutcome: Sendable {
    /// Captured standard output (truncated to the output limit).
    public var stdout: String
    /// Captured standard error (truncated to the output limit).
    public var stderr: String
    /// How it ended.
    public var termination: ChildTermination
    /// Wall time from spawn to reaping.
    public var duration: Duration
    /// True when a stream went past the output limit and `stopAtOutputLimit` killed the child.
    public var stoppedAtOutputLimit = false
    /// On a time-out: how many processes the child and its descendants were when it was
    /// killed (a fork bomb shows as many); nil otherwise.
    public var processesAtTimeout: Int?
}

/// Spawns programs in their own process group and waits for them with a deadline.
public enum ChildProcess {
    /// Runs `arguments[0]` (looked up in PATH) with `arguments`, stdin from `standardInput`.
    /// - Parameters:
    ///   - environment: the complete environment of the child.
    ///   - timeout: after this the whole process group gets SIGKILL.
    ///   - outputLimit: leading bytes kept per stream (plus the last 16 KiB); the rest is read
    ///     and dropped so the child never blocks on a full pipe.
    ///   - standardInput: the file the child reads as stdin (a file, not a pipe: nothing to block on).
    ///   - stopAtOutputLimit: kill the process group as soon as a stream passes `outputLimit`
    ///     (endless output is then stopped at once rather than at the time-out).
    public static func run(_ arguments: [String], environment: [String: String], timeout: Duration,
                           outputLimit: Int = 1 << 20, standardInput: String = "/dev/null",
                           stopAtOutputLimit: Bool = false) throws -> ChildOutcome {
        precondition(!arguments.isEmpty, "ChildProcess.run needs a program name")
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard makePipe(&outPipe), makePipe(&errPipe) else {
            throw LabError(.cannotRun, "cannot create a pipe: \(String(cString: strerror(errno)))")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, standardInput, O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Default SIGPIPE and an empty mask: the parent (a test host) may ignore or block them.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var pid: pid_t = 0
        let environmentLines = environment.map { "\($0.key)=\($0.value)" }
        var spawned = ETXTBSY
        // ETXTBSY: the program file is still open for writing somewhere, typically a
        // script or binary just written while another thread of this process spawned a
        // child, which holds the writer's descriptor until it execs. It clears within
        // milliseconds; give it up to a second before calling the program unstartable.
        for attempt in 0..<100 where spawned == ETXTBSY {
            if attempt > 0 { usleep(10_000) }
            spawned = withCStringArray(arguments) { argv in
                withCStringArray(environmentLines) { envp in
                    posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
                }
            }
        }
        close(outPipe[1])
        close(errPipe[1])
        defer { close(outPipe[0]); close(errPipe[0]) }
        guard spawned == 0 else {
            throw LabError(.cannotRun, "cannot start \(arguments[0]): \(String(cString: strerror(spawned)))")
        }

        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started.advanced(by: timeout)
        var streams = [Capture(fd: outPipe[0], limit: outputLimit), Capture(fd: errPipe[0], limit: outputLimit)]
        var timedOut = false
        var overflowed = false
        var processesAtTimeout: Int?
        var status: Int32 = 0
        var reaped = false

        while !reaped {
            var fds = streams.filter { !$0.eof }.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            if fds.isEmpty {
                usleep(2_000)
            } else if poll(&fds, nfds_t(fds.count), 10) > 0 {
                for index in streams.indices where fds.contains(where: { $0.fd == streams[index].fd && $0.revents != 0 }) {
                    streams[index].readOnce()
                }
            }
            if stopAtOutputLimit, !overflowed, streams.contains(where: \.overflowed) {
                kill(-pid, SIGKILL)
                overflowed = true
            }
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                reaped = true
            } else if result < 0, errno != EINTR {
                throw LabError(.cannotRun, "lost track of \(arguments[0]): \(String(cString: strerror(errno)))")
            } else if clock.now >= deadline {
                processesAtTimeout = descendantCount(of: pid)
                kill(-pid, SIGKILL)
                timedOut = true
                while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                reaped = true
            }
        }
        // The child is gone; whatever it wrote is in the pipes. Take it without waiting for an
        // EOF that a leftover grandchild could withhold.
        kill(-pid, SIGKILL)
        for index in streams.indices { streams[index].drain() }

        let termination: ChildTermination
        if timedOut && !overflowed {
            termination = .timedOut(timeout)
        } else if status & 0x7f == 0 {
            termination = .exited((status >> 8) & 0xff)
        } else {
            termination = .signalled(status & 0x7f)
        }
        return ChildOutcome(stdout: streams[0].text, stderr: streams[1].text, termination: termination,
                            duration: started.duration(to: clock.now), stoppedAtOutputLimit: overflowed,
                            processesAtTimeout: timedOut ? processesAtTimeout : nil)
    }

    /// `pid` plus every live process descending from it, from /proc's parent links (0 where
    /// there is no /proc). Processes in a pid namespace the child made are counted too: the
    /// host's /proc shows them with host pids and parents.
    static func descendantCount(of pid: pid_t) -> Int {
        guard let directory = opendir("/proc") else { return 0 }
        defer { closedir(directory) }
        var parents: [pid_t: pid_t] = [:]
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let child = pid_t(name), let file = fopen("/proc/\(name)/stat", "r") else { continue }
            var buffer = [CChar](repeating: 0, count: 512)
            let line = fgets(&buffer, Int32(buffer.count), file).map { _ in String(cString: buffer) } ?? ""
            fclose(file)
            // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")".
            guard let close = line.lastIndex(of: ")") else { continue }
            let fields = line[line.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = pid_t(fields[1]) { parents[child] = parent }
        }
        var count = 0
        for var process in parents.keys {
            var steps = 0
            while process != pid, let parent = parents[process], parent > 1, steps < 4096 {
                process = parent
                steps += 1
            }
            if process == pid { count += 1 }
        }
        return count
    }

    /// "SIGILL"-style name for the signals a crashing Swift program dies of.
    public static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGILL: return "SIGILL: a Swift runtime trap such as fatalError, a force-unwrapped nil, an index out of range or an overflow"
        case SIGTRAP: return "SIGTRAP: a Swift runtime trap"
        case SIGSEGV: return "SIGSEGV: invalid memory access, often endless recursion"
        case SIGBUS: return "SIGBUS: invalid memory access"
        case SIGABRT: return "SIGABRT: aborted"
        case SIGKILL: return "SIGKILL"
        case SIGFPE: return "SIGFPE: arithmetic error"
        case SIGXFSZ: return "SIGXFSZ: a file grew past the file size limit"
        default: return "signal \(signal)"
        }
    }

    /// One output stream being collected: the first `limit` bytes and the last 16 KiB, so
    /// a flood of output neither fills memory nor hides the final line (where the runner
    /// puts its result).
    private struct Capture {
        static let tailLimit = 16 * 1024
        let fd: Int32
        let limit: Int
        var head: [UInt8] = []
        var tail: [UInt8] = []
        var dropped = 0
        var eof = false
        /// True once more than `limit` bytes came.
        var overflowed: Bool { dropped > 0 || !tail.isEmpty }

        init(fd: Int32, limit: Int) {
            self.fd = fd
            self.limit = limit
        }

        /// Reads one chunk; returns false when nothing was read.
        @discardableResult
        mutating func readOnce() -> Bool {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else {
                if count == 0 || (errno != EINTR && errno != EAGAIN) { eof = true }
                return false
            }
            let room = max(0, limit - head.count)
            head.append(contentsOf: buffer.prefix(min(count, room)))
            if count > room {
                tail.append(contentsOf: buffer[room..<count])
                if tail.count > Self.tailLimit {
                    dropped += tail.count - Self.tailLimit
                    tail.removeFirst(tail.count - Self.tailLimit)
                }
            }
            return true
        }

        /// Reads what is already buffered in the pipe, without blocking.
        mutating func drain() {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            while !eof, readOnce() {}
        }

        var text: String {
            let middle = dropped > 0 ? "\n[… \(dropped) bytes not kept]\n" : ""
            return String(decoding: head, as: UTF8.self) + middle + String(decoding: tail, as: UTF8.self)
        }
    }
}

/// A one-way channel whose ends are close-on-exec from creation, so no other spawn inherits
/// them. A socket pair, because Glibc's Swift overlay does not expose pipe2(O_CLOEXEC);
/// fds[0] is read, fds[1] is given to the child.
private func makePipe(_ fds: inout [Int32]) -> Bool {
    #if canImport(Glibc)
    let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { return false }
    #else
    guard socketpair(AF_UNIX, SOCK_STREAM, 0, &fds) == 0 else { return false }
    _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    #endif
    shutdown(fds[0], Int32(SHUT_WR))
    return true
}

/// Calls `body` with a NULL-terminated array of C strings.
private func withCStringArray<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
