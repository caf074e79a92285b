import Foundation
import Testing
import ToolTestSupport

/// tshark's verdict on a capture of our TURN conversation.
enum TsharkTURN {
    /// Runs tshark with the server port decoded as STUN/TURN (ChannelData is only
    /// recognised on a port tshark treats as TURN) and returns its stdout.
    static func run(_ path: String, serverPort: UInt16, _ arguments: [String]) throws -> String {
        try Tshark.run(["-r", path, "-d", "udp.port==\(serverPort),stun", "-o", "udp.check_checksum:TRUE"] + arguments).stdout
    }

    /// tshark decodes the whole conversation, in order, as STUN/TURN (ChannelData
    /// included, on `channel`), with good UDP checksums and no malformed or expert warnings.
    static func check(_ path: String, serverPort: UInt16, channel: UInt16) throws {
        let expected = [
            "Allocate Request", "Allocate Error Response error-code: 401", "Allocate Request UDP user: lab realm: webrtc-lab",
            "Allocate Success Response XOR-RELAYED-ADDRESS", "CreatePermission Request", "CreatePermission Success Response",
            "Send Indication", "Data Indication", "Channel-Bind Request", "Channel-Bind Success Response",
            "ChannelData TURN Message", "ChannelData TURN Message", "Refresh Request lifetime: 0", "Refresh Success Response",
        ]
        let summary = try run(path, serverPort: serverPort, [])
        let lines = summary.split(separator: "\n").map(String.init)
        #expect(lines.count == expected.count, "tshark saw: \(summary)")
        for (line, text) in zip(lines, expected) { #expect(line.contains(text), "expected \"\(text)\" in: \(line)") }
        let fields = try run(path, serverPort: serverPort, ["-T", "fields", "-E", "separator=|", "-e", "frame.protocols",
                                                            "-e", "udp.checksum.status", "-e", "stun.channel"])
        let rows = fields.split(separator: "\n").map(String.init)
        let channelText = "0x" + String(channel, radix: 16)
        #expect(rows.filter { $0 == "raw:ip:udp:stun:data|1|\(channelText)" }.count == 2, "fields: \(fields)")
        #expect(rows.allSatisfy { $0.hasPrefix("raw:ip:udp:stun") && $0.contains("|1|") }, "fields: \(fields)")
        let flagged = try run(path, serverPort: serverPort, ["-Y", "_ws.malformed || _ws.expert.severity >= warning"])
        #expect(flagged.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "malformed or flagged: \(flagged)")
    }
}
