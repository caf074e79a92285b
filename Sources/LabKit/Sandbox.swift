// The jail each graded check runs in: bubblewrap (Debian's `bubblewrap`, the `bwrap` that
// Flatpak uses) plus rlimits set by util-linux's `prlimit` inside it.
//
// Why bwrap: it is a small, audited, widely packaged setuid-free tool that builds a
// throw-away mount, pid, net, ipc and uts namespace from a list of arguments; no daemon,
// no image, no root needed on machines with user namespaces. cgroups would bound memory
// and processes more precisely, but need a delegated cgroup tree that an instructor's
// laptop or a Gradescope container rarely has; rlimits work everywhere.
//
// Why the limits are set INSIDE the jail (prlimit after bwrap, not on bwrap itself):
// RLIMIT_NPROC counts processes per user; set inside a fresh user namespace (or for a
// fresh uid, below) it counts only the jail's processes, not the instructor's whole session.
//
// Why a fresh uid when grading as root: the kernel exempts the root user from RLIMIT_NPROC
// even inside a user namespace (the check is on the global user, not the namespace), so a
// fork bomb would not be bounded. As root, bwrap runs without a user namespace and
// `setpriv` drops the check to a random unprivileged uid with no capabilities, whose
// process count starts at zero. (Gradescope's autograder runs as root.)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The resource limits of one sandboxed check.
public struct SandboxLimits: Sendable, Equatable {
    /// RLIMIT_AS: address space in bytes (a Swift runner needs well under 100 MiB).
    public var addressSpace: Int = 1 << 30
    /// RLIMIT_NPROC: processes and threads of the check (the runner uses one or two).
    public var processes: Int = 64
    /// RLIMIT_FSIZE: the largest file the check may write (SIGXFSZ past it).
    public var fileSize: Int = 64 << 20
    /// Size of the private /tmp (a tmpfs in memory), so many files cannot fill memory either;
    /// above `fileSize`, so one big file meets the file size limit (SIGXFSZ) first.
    public var temporarySpace: Int = 128 << 20

    /// The limits above.
    public init() {}
}

/// Why grading cannot be sandboxed on this machine; `lab grade` stops with this message
/// rather than running students' code unsandboxed.
public struct SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: Sendable, Equatable {
        /// `bwrap` is not in PATH.
        case bubblewrapMissing
        /// A helper the sandbox runs inside the jail (`prlimit`, `setpriv`) is not in PATH.
        case helperMissing(String)
        /// `bwrap` is there but could not build the jail (no user namespaces, seccomp, …).
        case cannotCreateNamespaces
    }
    /// What is wrong.
    public let kind: Kind
    /// The whole message for the instructor.
    public let description: String

    static let advice = "Install it (Debian/Ubuntu: apt-get install bubblewrap util-linux), or, only for code you trust, "
        + "pass --no-sandbox to run the checks unsandboxed."

    static func missingBubblewrap() -> SandboxError {
        SandboxError(kind: .bubblewrapMissing,
                     description: "cannot sandbox the checks: bubblewrap (bwrap) is not installed or not in PATH. " + advice)
    }

    static func missingHelper(_ name: String) -> SandboxError {
        SandboxError(kind: .helperMissing(name),
                     description: "cannot sandbox the checks: \(name) (util-linux) is not in PATH. " + advice)
    }

    static func cannotCreate(_ detail: String) -> SandboxError {
        SandboxError(kind: .cannotCreateNamespaces,
                     description: "cannot sandbox the checks: bwrap could not create its namespaces (\(detail)). "
                        + "Enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or "
                        + "kernel.apparmor_restrict_unprivileged_userns=0 on Ubuntu), run in a container that allows them, or, "
                        + "only for code you trust, pass --no-sandbox.")
    }
}

/// Runs one program in a bubblewrap jail that exposes only what a check runner needs.
///
/// What the jail sees, all read-only: /usr (and the host's /bin, /lib… links or folders),
/// /etc/ld.so.cache, the Swift runtime libraries of the toolchain, and the program itself
/// at /grading/<name>. Private: /proc (its own pid namespace), a minimal read-only /dev,
/// and a /tmp tmpfs of `limits.temporarySpace` (also the working directory). No network
/// (a new net namespace holds only loopback), no other submission, no class folder, no
/// repository, no home directory, an empty environment.
public struct Sandbox: Sendable {
    /// Absolute path of `bwrap`.
    public let bubblewrap: String
    /// Absolute path of `prlimit` (run inside the jail).
    public let prlimit: String
    /// Absolute path of `setpriv` when grading as root (run inside the jail), else nil.
    public let setpriv: String?
    /// Host folders exposed read-only at the same path, beyond /usr (the Swift runtime).
    public let runtimeDirectories: [String]
    /// The rlimits of every sandboxed process.
    public var limits: SandboxLimits

    /// Finds bwrap and its helpers in `environment`'s PATH and proves they can build a jail
    /// here by running `true` in one.
    public static func prepare(limits: SandboxLimits = SandboxLimits(),
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws(SandboxError) -> Sandbox {
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        guard let bubblewrap = which("bwrap", path: path) else { throw .missingBubblewrap() }
        guard let prlimit = which("prlimit", path: path) else { throw .missingHelper("prlimit") }
        var setpriv: String?
        if geteuid() == 0 {
            guard let found = which("setpriv", path: path) else { throw .missingHelper("setpriv") }
            setpriv = found
        }
        let sandbox = Sandbox(bubblewrap: bubblewrap, prlimit: prlimit, setpriv: setpriv,
                              runtimeDirectories: swiftRuntimeDirectories(path: path), limits: limits)
        guard let truePath = which("true", path: path) else { throw .missingHelper("true") }
        let probe: ChildOutcome
        do {
            probe = try ChildProcess.run(sandbox.command(program: truePath, arguments: []), environment: [:],
                                         timeout: .seconds(30), outputLimit: 16 * 1024)
        } catch {
            throw .cannotCreate("\(error)")
        }
        guard probe.termination == .exited(0) else {
            let said = probe.stderr.split(separator: "\n").first.map(String.init) ?? "\(probe.termination)"
            throw .cannotCreate(said)
        }
        return sandbox
    }

    /// The command line that runs `program` (a host path, exposed read-only at
    /// /grading/<its name>) with `arguments` inside the jail.
    public func command(program: String, arguments: [String]) -> [String] {
        let name = (program as NSString).lastPathComponent
        var line = [bubblewrap]
        // As root there is no user namespace: root has the rights to build the others, and
        // setpriv (below) drops to an unprivileged uid. Otherwise a user namespace gives those
        // rights, and all capabilities are dropped in it.
        line += setpriv == nil ? ["--unshare-user", "--cap-drop", "ALL"] : []
        line += ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                 "--die-with-parent", "--new-session", "--clearenv",
                 "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp", "--setenv", "SWIFT_BACKTRACE", "enable=no",
                 "--ro-bind", "/usr", "/usr"]
        for top in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: top) {
                line += ["--symlink", target, top]
            } else if FileManager.default.fileExists(atPath: top) {
                line += ["--ro-bind", top, top]
            }
        }
        // bwrap makes missing parent folders 0700, which a dropped uid cannot cross: make
        // them 0755 first.
        line += Self.folders(above: "/etc/ld.so.cache") + ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
        for directory in runtimeDirectories { line += Self.folders(above: directory) + ["--ro-bind", directory, directory] }
        line += ["--perms", "0755", "--dir", "/grading", "--ro-bind", program, "/grading/" + name, "--ro-bind", prlimit, "/grading/.prlimit"]
        if let setpriv { line += ["--ro-bind", setpriv, "/grading/.setpriv"] }
        line += ["--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev",
                 "--size", String(limits.temporarySpace), "--perms", "1777", "--tmpfs", "/tmp",
                 "--chdir", "/tmp", "--remount-ro", "/", "--"]
        if setpriv != nil {
            // A fresh uid per check: its process count starts at zero and it owns nothing.
            let uid = String(UInt32.random(in: 200_000...1_999_999_999))
            line += ["/grading/.setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                     "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
        }
        line += ["/grading/.prlimit", "--as=\(limits.addressSpace)", "--nproc=\(limits.processes)",
                 "--fsize=\(limits.fileSize)", "--core=0", "--", "/grading/" + name] + arguments
        return line
    }

    /// `--perms 0755 --dir` for each folder above `path` ("/opt", "/opt/swift", … for a path in /opt/swift).
    static func folders(above path: String) -> [String] {
        var folders: [String] = []
        var current = ""
        for component in path.split(separator: "/").dropLast() {
            current += "/" + component
            folders += ["--perms", "0755", "--dir", current]
        }
        return folders
    }

    /// The toolchain's Swift runtime (<prefix>/usr/lib/swift/linux), which the runner's
    /// RUNPATH names, when it lies outside /usr.
    static func swiftRuntimeDirectories(path: String) -> [String] {
        guard let swift = which("swift", path: path) else { return [] }
        let binary = (swift as NSString).resolvingSymlinksInPath
        let prefix = ((binary as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        let runtime = prefix + "/lib/swift/linux"
        guard FileManager.default.fileExists(atPath: runtime), !runtime.hasPrefix("/usr/") else { return [] }
        return [runtime]
    }

    /// The first executable called `name` in the colon-separated `path`.
    static func which(_ name: String, path: String) -> String? {
        for directory in path.split(separator: ":") where directory.hasPrefix("/") {
            let candidate = directory + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
