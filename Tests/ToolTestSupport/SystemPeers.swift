import Foundation
import SocketDriver
import Wire

/// tshark (Wireshark's dissectors): an independent reader of our captures.
public enum Tshark {
    /// Runs tshark with `arguments` to completion (killed after `timeout`); stderr is kept
    /// apart (tshark warns there when run as root).
    public static func run(_ arguments: [String], timeout: Duration = .seconds(60)) throws -> ToolRun {
        try Programs.run(try Programs.system("tshark"), arguments, timeout: timeout)
    }
}

/// The openssl command line: an implementation of TLS and X.509 independent of our code.
public enum OpenSSL {
    /// Runs `openssl` with `arguments` to completion, `input` on its stdin.
    public static func run(_ arguments: [String], input: String? = nil, timeout: Duration = .seconds(60)) throws -> ToolRun {
        try Programs.run(try path(), arguments, input: input, timeout: timeout)
    }

    /// The installed openssl command.
    public static func path() throws -> String { try Programs.system("openssl") }

    /// The SHA-256 fingerprint of a PEM certificate (`pem`, or the file at `file`) as
    /// `openssl x509` computes it, in SDP form ("sha-256 AB:CD:...").
    public static func fingerprint(ofPEM pem: String? = nil, file: String? = nil) throws -> String {
        let source = file.map { ["-in", $0] } ?? []
        let result = try run(["x509"] + source + ["-noout", "-fingerprint", "-sha256"], input: pem)
        // "sha256 Fingerprint=AB:CD:..." (OpenSSL 3) or "SHA256 Fingerprint=..." (1.1).
        guard result.status == 0, let equals = result.stdout.firstIndex(of: "=") else {
            throw MissingExecutable("openssl x509 could not read the certificate: \(result.stdout)\(result.stderr)")
        }
        let hex = result.stdout[result.stdout.index(after: equals)...].trimmingCharacters(in: .whitespacesAndNewlines)
        return "sha-256 " + hex.uppercased()
    }
}

/// A running `openssl s_server` or `s_client`: its stdin is a pipe the test writes
/// application data into, and its stdout and stderr go to one log the test reads
/// while the event loop runs (OpenSSL flushes its connection report and writes
/// received data unbuffered, so the log is current).
public final class OpenSSLPeer {
    private let program: BackgroundProgram
    /// The command as a shell would show it (for the report and failure messages).
    public var commandLine: String { program.commandLine }

    /// Starts `openssl` with `arguments` (no readiness check; see `startServer`).
    public init(_ arguments: [String]) throws {
        program = try BackgroundProgram(try OpenSSL.path(), arguments, input: true, output: .log)
    }

    /// Whether openssl has not exited.
    public var isRunning: Bool { program.isRunning }

    /// Starts `openssl s_server` on a UDP port of 127.0.0.1 that was free a moment
    /// ago. `arguments` must contain "127.0.0.1:PORT", replaced by that address.
    /// Another test can grab the port between our probe and s_server's bind,
    /// so a server that exits instead of printing ACCEPT is retried on a new port.
    public static func startServer(_ arguments: [String]) throws -> (peer: OpenSSLPeer, port: UInt16) {
        var lastOutput = ""
        for _ in 0..<5 {
            let port = try Programs.freeUDPPort()
            let peer = try OpenSSLPeer(arguments.map { $0 == "127.0.0.1:PORT" ? "127.0.0.1:\(port)" : $0 })
            let deadline = SystemClock.now() + .seconds(3)
            while peer.isRunning && !peer.output.contains("ACCEPT") && SystemClock.now() < deadline {
                usleep(2_000)
            }
            if peer.isRunning && peer.output.contains("ACCEPT") { return (peer, port) }
            lastOutput = peer.stop()
        }
        throw MissingExecutable("openssl s_server did not start on 127.0.0.1; its output:\n\(lastOutput.suffix(2000))")
    }

    /// Everything the process printed so far.
    public var output: String { program.log }

    /// Writes `text` to the process's stdin (s_server and s_client send each line
    /// they read as one application-data record).
    public func send(_ text: String) throws {
        try program.send(Data(text.utf8))
    }

    /// Stops the process (SIGTERM, SIGKILL after 500 ms) and returns its output.
    @discardableResult
    public func stop() -> String {
        program.stop(grace: .milliseconds(500))
    }

    /// The PEM block that follows `heading` ("Client certificate" in s_server's
    /// report, "Server certificate" in s_client's), or nil if not printed (yet).
    public func printedCertificate(after heading: String) -> String? {
        let text = output
        guard let headingRange = text.range(of: heading + "\n-----BEGIN CERTIFICATE-----"),
              let end = text.range(of: "-----END CERTIFICATE-----", range: headingRange.upperBound..<text.endIndex) else {
            return nil
        }
        let start = text.index(headingRange.lowerBound, offsetBy: heading.count + 1)
        return String(text[start..<end.upperBound]) + "\n"
    }
}
