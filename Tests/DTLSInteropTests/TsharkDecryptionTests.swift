import DTLS
import Foundation
import PacketCapture
import SDP
import SocketDriver
import Testing
import ToolTestSupport
import Wire

/// Our client against our server over loopback UDP, captured by the event loop's
/// tap into a pcap, with the client's NSS key-log lines in a file: tshark must
/// decrypt the conversation with that key log, and must not without it.
@Suite("tshark decrypts our DTLS capture with our key log")
struct TsharkDecryptionTests {
    /// A captured conversation and the files tshark reads.
    struct Capture {
        let pcapPath: String
        let keyLogPath: String
        let serverPort: UInt16
        let keyLogLines: [String]
        let connection: DTLSConnectionInfo
    }

    static let clientMessage = "webrtc-lab secret from the client"
    static let serverMessage = "webrtc-lab secret from the server"

    /// Runs a handshake, one message each way and close_notify both ways.
    static func capture(in workspace: Workspace) throws -> Capture {
        let loop = EventLoop()
        let clientSocket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        let serverSocket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        defer { clientSocket.close(); serverSocket.close() }
        let clientCertificate = try DTLSCertificate.generateSelfSigned(commonName: "capture client")
        let serverCertificate = try DTLSCertificate.generateSelfSigned(commonName: "capture server")
        let client = try DTLSEndpoint(configuration: Interop.configuration(
            role: .client, certificate: clientCertificate, expecting: serverCertificate.fingerprint(),
            local: clientSocket.localAddress, remote: serverSocket.localAddress, keyLogging: true))
        let server = try DTLSEndpoint(configuration: Interop.configuration(
            role: .server, certificate: serverCertificate, expecting: clientCertificate.fingerprint(),
            local: serverSocket.localAddress, remote: clientSocket.localAddress))

        // Both ends live in this loop, so every datagram is tapped twice (sent and
        // received): keep the sent copy only.
        let pcapPath = workspace.path("dtls.pcap")
        let pcap = try PcapFile(path: pcapPath, unixNanosecondsAtInstantZero: SystemClock.unixOffsetOfMonotonicZero())
        loop.tap = { tapped in
            if tapped.direction == .sent { try? pcap.write(tapped.datagram, at: tapped.at) }
        }
        let clientLog = EventLog()
        let serverLog = EventLog()
        let serverHandle = loop.attach(server, sockets: [serverSocket]) { serverLog.record($0, $1) }
        server.start(at: loop.clock())
        client.start(at: loop.clock())
        let clientHandle = loop.attach(client, sockets: [clientSocket]) { clientLog.record($0, $1) }

        try Interop.run(loop) { (clientLog.isFinished && serverLog.isFinished) || clientLog.failure != nil || serverLog.failure != nil }
        let connection = try #require(clientLog.connection, "client: \(clientLog.summary)\nserver: \(serverLog.summary)")
        #expect(serverLog.connection != nil)
        try loop.withEndpoint(clientHandle) { try $0.send(Array(clientMessage.utf8)) }
        try loop.withEndpoint(serverHandle) { try $0.send(Array(serverMessage.utf8)) }
        try Interop.run(loop) { serverLog.receivedText == clientMessage && clientLog.receivedText == serverMessage }
        #expect(serverLog.receivedText == clientMessage)
        #expect(clientLog.receivedText == serverMessage)
        loop.withEndpoint(clientHandle) { $0.close() }
        try Interop.run(loop) { serverLog.closed }
        #expect(serverLog.closed)
        pcap.close()

        let keyLogPath = workspace.path("keylog.txt")
        let lines = clientLog.keyLogLines
        try lines.map { $0 + "\n" }.joined().write(toFile: keyLogPath, atomically: true, encoding: .utf8)
        return Capture(pcapPath: pcapPath, keyLogPath: keyLogPath, serverPort: serverSocket.localAddress.port,
                       keyLogLines: lines, connection: connection)
    }

    /// tshark over the capture, the server port decoded as DTLS, with or without the key log.
    static func tshark(_ capture: Capture, keyLog: Bool, _ arguments: [String]) throws -> String {
        var options = ["-r", capture.pcapPath, "-d", "udp.port==\(capture.serverPort),dtls"]
        // An empty key log file name turns decryption off even if a user profile sets one.
        options += ["-o", "tls.keylog_file:" + (keyLog ? capture.keyLogPath : "")]
        let result = try Tshark.run(options + arguments)
        #expect(result.status == 0, "tshark failed: \(result.stdout)\(result.stderr)")
        return result.stdout
    }

    /// One row of `-T fields` per frame, split on "|".
    static func rows(_ capture: Capture, keyLog: Bool, fields: [String]) throws -> [[String]] {
        let output = try tshark(capture, keyLog: keyLog, ["-T", "fields", "-E", "separator=|"] + fields.flatMap { ["-e", $0] })
        return output.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Hex (as tshark prints `data.data`) to text.
    static func text(fromHex hex: String) -> String {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex), index < hex.endIndex {
            if let byte = UInt8(hex[index..<next], radix: 16) { bytes.append(byte) }
            index = next
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("shows every handshake message and the application data with the key log, and no plaintext without it")
    func decryptsWithKeyLog() throws {
        let workspace = try Workspace()
        let capture = try Self.capture(in: workspace)
        let fields = ["frame.number", "dtls.handshake.type", "dtls.alert_message.desc", "data.data", "dtls.handshake.random"]

        // The key log: one CLIENT_RANDOM line whose random is the ClientHello's.
        #expect(capture.keyLogLines.count == 1, "\(capture.keyLogLines)")
        let keyLogParts = capture.keyLogLines.first?.split(separator: " ").map(String.init) ?? []
        #expect(keyLogParts.count == 3 && keyLogParts.first == "CLIENT_RANDOM" && keyLogParts.last?.count == 96)

        // With the key log: the plaintext flights (ClientHello; ServerHello,
        // Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone;
        // Certificate, ClientKeyExchange, CertificateVerify), both encrypted Finished
        // messages, both messages and both close_notify alerts.
        let decrypted = try Self.rows(capture, keyLog: true, fields: fields)
        let summary = decrypted.map { $0.joined(separator: "|") }.joined(separator: "\n")
        #expect(decrypted.count == 8, "tshark saw:\n\(summary)")
        #expect(decrypted.map { $0.count > 1 ? $0[1] : "" } == ["1", "2,11,12,13,14", "11,16,15,20", "20", "", "", "", ""],
                "tshark saw:\n\(summary)")
        #expect(decrypted.map { $0.count > 2 ? $0[2] : "" } == ["", "", "", "", "", "", "0", "0"], "tshark saw:\n\(summary)")
        let plaintexts = decrypted.compactMap { $0.count > 3 && !$0[3].isEmpty ? Self.text(fromHex: $0[3]) : nil }
        #expect(plaintexts == [Self.clientMessage, Self.serverMessage], "tshark saw:\n\(summary)")
        let clientRandom = decrypted.first.map { $0.count > 4 ? $0[4] : "" } ?? ""
        #expect(keyLogParts.count == 3 && clientRandom.lowercased() == keyLogParts[1].lowercased(),
                "ClientHello random \(clientRandom) vs key log \(keyLogParts)")
        let flagged = try Self.tshark(capture, keyLog: true, ["-Y", "_ws.malformed || _ws.expert.severity >= warning"])
        #expect(flagged.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "malformed or flagged:\n\(flagged)")
        let dtlsFrames = try Self.tshark(capture, keyLog: true, ["-Y", "dtls"])
        #expect(dtlsFrames.split(separator: "\n").count == 8, "frames tshark calls DTLS:\n\(dtlsFrames)")

        // Without it: the same plaintext handshake, but no Finished, no alert
        // description and no application data, and the text appears nowhere in
        // tshark's full dump (so the key log is what decrypts).
        let encrypted = try Self.rows(capture, keyLog: false, fields: fields)
        let encryptedSummary = encrypted.map { $0.joined(separator: "|") }.joined(separator: "\n")
        #expect(encrypted.map { $0.count > 1 ? $0[1] : "" } == ["1", "2,11,12,13,14", "11,16,15", "", "", "", "", ""],
                "tshark saw:\n\(encryptedSummary)")
        #expect(encrypted.allSatisfy { $0.count > 3 && $0[2].isEmpty && $0[3].isEmpty }, "tshark saw:\n\(encryptedSummary)")
        let dump = try Self.tshark(capture, keyLog: false, ["-V", "-x"])
        #expect(dump.contains("Encrypted Application Data"))
        #expect(!dump.contains("webrtc-lab secre") && !dump.contains("Decrypted DTLS"), "plaintext visible without the key log")

        let lines = try Self.tshark(capture, keyLog: true, [])
        print("interop: our client vs our server, \(capture.connection.protocolVersion) \(capture.connection.cipherSuite), "
              + "handshake \(OpenSSLServerInteropTests.milliseconds(capture.connection.handshakeDuration)) ms; tshark with the key log:\n\(lines)")
    }
}
