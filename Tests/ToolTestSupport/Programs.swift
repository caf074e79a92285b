// Test support shared by the test targets that run programs: our built tools
// (stun-probe, ice-check, dtls-handshake, the fuzz replayers) and the system peers
// they are checked against (coturn, openssl, tshark, stun, python). Programs that run
// to completion go through LabKit's ChildProcess (own process group, time limit,
// stdout and stderr captured apart); long-lived peers are BackgroundProgram.
// A missing program fails the test with MissingExecutable: interop tests never skip.
import Foundation
import LabKit
import SocketDriver
import Testing
import Wire

/// A program a test needs is missing (not built, or not installed): the test fails, it never skips.
public struct MissingExecutable: Error, CustomStringConvertible {
    /// What is missing and how to get it (scripts/setup.sh, `swift build`).
    public let description: String

    /// A failure saying `description`.
    public init(_ description: String) { self.description = description }
}

/// What one finished run of a program did.
public struct ToolRun: Sendable {
    /// The exit status; 128 + the signal number if a signal ended it, as a shell reports it
    /// (the bare signal number would pass for an exit code: SIGTRAP, a Swift trap, is 5).
    public let status: Int32
    /// Everything it printed on standard output.
    public let stdout: String
    /// Everything it printed on standard error.
    public let stderr: String
    /// Wall time from launch to exit.
    public let elapsed: Duration

    /// The non-empty lines of standard error.
    public var errorLines: [String] { stderr.split(separator: "\n").map(String.init).filter { !$0.isEmpty } }

    /// Standard output parsed as one JSON object (a tool's --json report).
    public func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try #require(object as? [String: Any], "--json did not print one object: \(stdout.prefix(200))")
    }
}

/// Finding and running programs.
public enum Programs {
    /// The repository root, found from this file's path (Tests/ToolTestSupport/<file>).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// One of our executables: built next to the test bundle whatever --scratch-path was used
    /// (`<scratch>/<triple>/debug/webrtc-labPackageTests.xctest` and `.../debug/<name>`).
    /// Missing means `swift build` was not run first: the test fails, it does not skip.
    public static func product(_ name: String) throws -> String {
        var directories: [URL] = []
        if let first = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        directories.append(Bundle.main.bundleURL)
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw MissingExecutable("\(name) was not built next to the test bundle (looked in "
            + directories.map(\.path).joined(separator: ", ") + "): run `swift build` before `swift test`")
    }

    /// A system program (turnserver, openssl, tshark, stun). Missing means set-up was not run: fail loudly.
    /// - Parameter package: the Debian package that installs it, named in the failure.
    public static func system(_ name: String, package: String? = nil) throws -> String {
        let path = ["/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin", "/usr/local/sbin"]
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else {
            throw MissingExecutable("\(name) is not installed: run scripts/setup.sh (apt-get install \(package ?? name))")
        }
        return path
    }

    /// Runs `path` to completion, capturing stdout and stderr apart; killed (with a recorded
    /// issue) after `timeout`. Standard input is the file `stdinFile`, else `input`, else empty.
    public static func run(_ path: String, _ arguments: [String], stdinFile: String? = nil, input: String? = nil,
                           timeout: Duration = .seconds(60)) throws -> ToolRun {
        var inputFile = stdinFile ?? "/dev/null"
        if stdinFile == nil, let input {
            inputFile = try temporaryFile(input, prefix: "program-input")
        }
        defer { if stdinFile == nil && input != nil { try? FileManager.default.removeItem(atPath: inputFile) } }
        let outcome = try ChildProcess.run([path] + arguments, environment: ProcessInfo.processInfo.environment,
                                           timeout: timeout, outputLimit: 64 << 20, standardInput: inputFile)
        let status: Int32
        switch outcome.termination {
        case .exited(let code): status = code
        case .signalled(let signal): status = 128 + signal
        case .timedOut:
            Issue.record("\(([path] + arguments).joined(separator: " ")) did not finish within \(timeout)")
            status = 128 + SIGKILL
        }
        return ToolRun(status: status, stdout: outcome.stdout, stderr: outcome.stderr, elapsed: outcome.duration)
    }

    /// Runs our executable `name` (see `product`) to completion.
    public static func runProduct(_ name: String, _ arguments: [String], stdinFile: String? = nil,
                                  timeout: Duration = .seconds(60)) throws -> ToolRun {
        try run(try product(name), arguments, stdinFile: stdinFile, timeout: timeout)
    }

    /// A fresh temporary path (not created): `<tmp>/<prefix>-<uuid><suffix>`.
    public static func temporaryPath(_ prefix: String, _ suffix: String = "") -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)\(suffix)").path
    }

    /// Writes `text` to a fresh temporary file and returns its path.
    public static func temporaryFile(_ text: String, prefix: String, suffix: String = "") throws -> String {
        let path = temporaryPath(prefix, suffix)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A UDP port on 127.0.0.1 that was free a moment ago (bind port 0, read it, close).
    public static func freeUDPPort() throws -> UInt16 {
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        defer { socket.close() }
        return socket.localAddress.port
    }
}

/// Writes `text` to `path` as an executable (mode 0755) script. Opened with O_CLOEXEC:
/// a child another test spawns meanwhile must not keep a descriptor open for writing
/// on the script, or executing it fails with ETXTBSY for as long as that child lives.
public func writeExecutableScript(_ text: String, to path: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    guard descriptor >= 0 else { throw MissingExecutable("cannot create \(path): \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    let bytes = Array(text.utf8)
    var written = 0
    while written < bytes.count {
        let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { throw MissingExecutable("cannot write \(path): \(String(cString: strerror(errno)))") }
        written += count
    }
    guard fchmod(descriptor, 0o755) == 0 else { throw MissingExecutable("cannot chmod \(path): \(String(cString: strerror(errno)))") }
}
