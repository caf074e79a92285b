import Foundation
import SocketDriver
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// A running `openssl s_server` or `s_client`: its stdin is a pipe the test writes
/// application data into, and its stdout and stderr go to one file the test reads
/// while the event loop runs (OpenSSL flushes its connection report and writes
/// received data unbuffered, so the file is current).
final class OpenSSLPeer {
    let process = Process()
    /// The command as a shell would show it (for the report and failure messages).
    let commandLine: String
    private let input = Pipe()
    private let outputFile: URL
    private let outputHandle: FileHandle

    /// Starts `openssl` with `arguments` (no readiness check; see `startServer`).
    init(_ arguments: [String]) throws {
        let openssl = try SystemTool.path(of: "openssl")
        commandLine = ([openssl] + arguments).joined(separator: " ")
        outputFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("dtls-interop-openssl-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        outputHandle = try FileHandle(forWritingTo: outputFile)
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = arguments
        process.standardInput = input
        // One handle for both streams: two handles would each write from offset 0
        // and overwrite each other's lines.
        process.standardOutput = outputHandle
        process.standardError = outputHandle
        SystemTool.ignoreBrokenPipes()
        try process.run()
    }

    deinit {
        stop()
        try? outputHandle.close()
        try? FileManager.default.removeItem(at: outputFile)
    }

    /// Starts `openssl s_server` on a UDP port of 127.0.0.1 that was free a moment
    /// ago. `arguments` must contain `-accept` followed by "PORT", replaced by the
    /// port. Another test can grab the port between our probe and s_server's bind,
    /// so a server that exits instead of printing ACCEPT is retried on a new port.
    static func startServer(_ arguments: [String]) throws -> (peer: OpenSSLPeer, port: UInt16) {
        var lastOutput = ""
        for _ in 0..<5 {
            let probe = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
            let port = probe.localAddress.port
            probe.close()
            let peer = try OpenSSLPeer(arguments.map { $0 == "127.0.0.1:PORT" ? "127.0.0.1:\(port)" : $0 })
            let deadline = SystemClock.now() + .seconds(3)
            while peer.process.isRunning && !peer.output.contains("ACCEPT") && SystemClock.now() < deadline {
                usleep(2_000)
            }
            if peer.process.isRunning && peer.output.contains("ACCEPT") { return (peer, port) }
            lastOutput = peer.stop()
        }
        throw InteropPeerUnavailable(description: "openssl s_server did not start on 127.0.0.1; its output:\n\(lastOutput.suffix(2000))")
    }

    /// Everything the process printed so far.
    var output: String {
        String(decoding: (try? Data(contentsOf: outputFile)) ?? Data(), as: UTF8.self)
    }

    /// Writes `text` to the process's stdin (s_server and s_client send each line
    /// they read as one application-data record).
    func send(_ text: String) throws {
        try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    /// Stops the process and returns its output. SIGTERM first, then SIGKILL: the
    /// test runner's blocked-signal mask is inherited, so SIGTERM may be ignored.
    @discardableResult
    func stop() -> String {
        if process.isRunning {
            process.terminate()
            let deadline = SystemClock.now() + .milliseconds(500)
            while process.isRunning && SystemClock.now() < deadline { usleep(2_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? input.fileHandleForWriting.close()
        return output
    }

    /// The PEM block that follows `heading` ("Client certificate" in s_server's
    /// report, "Server certificate" in s_client's), or nil if not printed (yet).
    func printedCertificate(after heading: String) -> String? {
        let text = output
        guard let headingRange = text.range(of: heading + "\n-----BEGIN CERTIFICATE-----"),
              let end = text.range(of: "-----END CERTIFICATE-----", range: headingRange.upperBound..<text.endIndex) else {
            return nil
        }
        let start = text.index(headingRange.lowerBound, offsetBy: heading.count + 1)
        return String(text[start..<end.upperBound]) + "\n"
    }
}

/// The SHA-256 fingerprint of a PEM certificate as `openssl x509` computes it,
/// in SDP form ("sha-256 AB:CD:..."): an independent check of the hash our
/// endpoint and `DTLSCertificate.fingerprint()` compute.
func opensslFingerprint(ofPEM pem: String) throws -> String {
    let result = try SystemTool.run("openssl", ["x509", "-noout", "-fingerprint", "-sha256"], input: pem)
    // "sha256 Fingerprint=AB:CD:..." (OpenSSL 3) or "SHA256 Fingerprint=..." (1.1).
    guard result.status == 0, let equals = result.output.firstIndex(of: "=") else {
        throw InteropPeerUnavailable(description: "openssl x509 could not read the printed certificate: \(result.output)\(result.errors)")
    }
    let hex = result.output[result.output.index(after: equals)...].trimmingCharacters(in: .whitespacesAndNewlines)
    return "sha-256 " + hex.uppercased()
}
