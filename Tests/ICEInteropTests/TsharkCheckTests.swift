import Foundation
import ICE
import PacketCapture
import SocketDriver
import Testing
import ToolTestSupport
import Wire

/// tshark (Wireshark's dissector, an independent reader) decodes a pcap of our
/// agent's connectivity checks against aioice: every Binding request we sent
/// carries the ICE attributes in RFC 8445 §7.1 order, and nothing is malformed.
@Suite("ICE checks decoded by tshark")
struct TsharkCheckTests {
    // RFC 8445 §16.1 / RFC 8489 §18.3 attribute code points, as tshark prints them.
    static let username = "0x0006", messageIntegrity = "0x0008", priority = "0x0024", useCandidate = "0x0025"
    static let fingerprint = "0x8028", iceControlled = "0x8029", iceControlling = "0x802a"

    /// tshark's stdout for `arguments`.
    static func tshark(_ arguments: [String]) throws -> String {
        try Tshark.run(arguments, timeout: .seconds(20)).stdout
    }

    @Test("our Binding requests carry USERNAME, PRIORITY, role, USE-CANDIDATE (controlling), MESSAGE-INTEGRITY, FINGERPRINT",
          arguments: [ICERole.controlling, .controlled])
    func checksDissectCleanly(role: ICERole) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ice-aioice-\(UUID().uuidString).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let pcap = try PcapFile(path: path, unixNanosecondsAtInstantZero: SystemClock.unixOffsetOfMonotonicZero())
        // STUN only (RFC 7983: first byte 0-3): the application data is not STUN and
        // would be misread on a port decoded as STUN.
        let session = try InteropSession(role: role, peerArguments: [], tap: { tapped in
            if let first = tapped.datagram.payload.first, first < 4 { try? pcap.write(tapped.datagram, at: tapped.at) }
        })
        try session.run()
        pcap.close()
        let ours = session.socket.localAddress
        let peerUfrag = try #require(session.peerLocal?["ufrag"] as? String)
        let expectedUsername = "\(peerUfrag):\(session.agent.localCredentials.ufrag)"

        let rows = try Self.tshark(["-r", path, "-d", "udp.port==\(ours.port),stun",
                                         "-Y", "stun.type == 0x0001 && udp.srcport == \(ours.port)",
                                         "-T", "fields", "-E", "separator=|", "-e", "stun.att.type",
                                         "-e", "stun.att.username", "-e", "stun.att.priority"])
            .split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        print("tshark (\(role)): \(rows.count) Binding request(s) from \(ours): \(rows.first.map { $0.joined(separator: " | ") } ?? "none")")
        #expect(!rows.isEmpty, "tshark saw no Binding request from our side")
        let roleAttribute = role == .controlling ? Self.iceControlling : Self.iceControlled
        for row in rows {
            try #require(row.count == 3, "tshark row: \(row)")
            let types = row[0].split(separator: ",").map(String.init)
            #expect(types.first == Self.username && types.contains(Self.priority) && types.contains(roleAttribute),
                    "attributes: \(types)")
            #expect(Array(types.suffix(2)) == [Self.messageIntegrity, Self.fingerprint], "MI then FINGERPRINT last: \(types)")
            #expect(row[1] == expectedUsername)
            #expect(UInt32(row[2]) == session.agent.gatheredCandidates.first?.peerReflexivePriority)
        }
        let nominations = rows.filter { $0[0].split(separator: ",").contains(Substring(Self.useCandidate)) }
        if role == .controlling {
            #expect(!nominations.isEmpty, "the controlling agent nominates with USE-CANDIDATE")
        } else {
            #expect(nominations.isEmpty, "the controlled agent never sends USE-CANDIDATE")
        }
        let responses = try Self.tshark(["-r", path, "-d", "udp.port==\(ours.port),stun",
                                              "-Y", "stun.type == 0x0101 && udp.srcport == \(ours.port)"])
        #expect(!responses.isEmpty, "we answered aioice's checks with Binding success responses")
        let flagged = try Self.tshark(["-r", path, "-d", "udp.port==\(ours.port),stun", "-o", "udp.check_checksum:TRUE",
                                            "-Y", "_ws.malformed || _ws.expert.severity >= warning || stun.att.crc32.bad"])
        #expect(flagged.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "malformed or flagged: \(flagged)")
    }
}
