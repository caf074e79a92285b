import Foundation
import Testing
import ToolTestSupport

@Suite("dtls-handshake: --pcap and --keylog, checked by tshark")
struct CaptureTests {
    /// tshark, which the project's setup installs; missing, the test fails loudly.
    /// Heuristics first: the kernel picks the ports, and a port registered to another
    /// protocol (54328 is Elasticsearch's) would otherwise win over DTLS.
    static func tshark(_ arguments: [String]) throws -> ToolRun {
        try Tshark.run(["-o", "udp.try_heuristic_first:TRUE"] + arguments)
    }

    @Test("the pcap decodes as DTLS with nothing malformed, and the key log lets tshark decrypt the echoed message")
    func pcapAndKeylog() throws {
        let pcap = DtlsHandshake.temporaryPath(".pcap"), keylog = DtlsHandshake.temporaryPath(".keys")
        defer {
            try? FileManager.default.removeItem(atPath: pcap)
            try? FileManager.default.removeItem(atPath: keylog)
        }
        let message = "decrypt me, tshark"
        // A world-readable file already there must not receive the secrets as it is.
        FileManager.default.createFile(atPath: keylog, contents: Data("old\n".utf8), attributes: [.posixPermissions: 0o644])
        let run = try DtlsHandshake.run(["--pcap", pcap, "--keylog", keylog, "--message", message])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let keyMode = try FileManager.default.attributesOfItem(atPath: keylog)[.posixPermissions] as? Int
        #expect(keyMode == 0o600, "the key log holds the session's secrets: mode \(String(keyMode ?? 0, radix: 8))")
        let keys = try String(contentsOfFile: keylog, encoding: .utf8)
        #expect(keys.split(separator: "\n").filter { $0.hasPrefix("CLIENT_RANDOM ") }.count == 1)

        let frames = try Self.tshark(["-r", pcap, "-Y", "dtls"])
        #expect(frames.status == 0, "tshark: \(frames.stderr)")
        let frameLines = frames.stdout.split(separator: "\n")
        // 4 handshake datagrams, message, echo, two close_notify: one capture record per datagram.
        #expect(frameLines.count == 8, "\(frames.stdout)")
        #expect(frames.stdout.contains("Client Hello"))
        #expect(frames.stdout.contains("Server Hello, Certificate, Server Key Exchange, Certificate Request, Server Hello Done"))
        let malformed = try Self.tshark(["-r", pcap, "-Y", "_ws.malformed || _ws.expert.severity == error"])
        #expect(malformed.status == 0 && malformed.stdout.isEmpty, "malformed frames: \(malformed.stdout)")

        let decrypted = try Self.tshark(["-o", "tls.keylog_file:\(keylog)", "-r", pcap, "-Y", "dtls.app_data",
                                         "-T", "fields", "-e", "data.data"])
        #expect(decrypted.status == 0, "tshark: \(decrypted.stderr)")
        let hex = message.utf8.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
        let payloads = decrypted.stdout.split(separator: "\n").map(String.init)
        // The message and its echo, both decrypted.
        #expect(payloads == [hex, hex], "decrypted: \(decrypted.stdout)")
    }
}
