import Foundation
import Testing
import ToolTestSupport
import Wire
import STUN

/// Real peers from Debian, all on loopback. A missing peer fails the test with
/// a pointer to scripts/setup.sh: an interop test that skips proves nothing.
@Suite("interoperability with coturn, Debian's stun client and tshark")
struct InteropTests {
    @Test("stun-probe against coturn: mapped address 127.0.0.1, valid FINGERPRINT, and tshark decodes the capture")
    func coturn() throws {
        // A plain STUN server: no credentials, no relaying.
        let server = try Coturn.start(credentials: nil, relaysOnLoopback: false)
        defer { server.stop() }
        let port = server.port
        let pcap = FileManager.default.temporaryDirectory.appendingPathComponent("probe-coturn-\(UUID().uuidString).pcap").path
        defer { try? FileManager.default.removeItem(atPath: pcap) }
        let result = try Probe.run(["127.0.0.1:\(port)", "--json", "--count", "3", "--pcap", pcap])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try result.json()
        #expect(object["mapped_ip"] as? String == "127.0.0.1")
        #expect(object["mapped_address"] as? String == object["local_address"] as? String)
        #expect((object["software"] as? String)?.hasPrefix("Coturn") == true)
        #expect((object["fingerprint"] as? String)?.hasPrefix("valid") == true)
        let responseHex = try #require(object["response_hex"] as? String)
        let bytes = try #require(Hex.decode(responseHex))
        #expect(STUNMessage.verifyFingerprint(of: bytes).isValid)
        let message = try STUNMessage(parsing: bytes)
        #expect(try message.attribute(XORMappedAddress.self)?.address.ip == .loopbackV4)
        // coturn also names where it answered from (RFC 5780), which we decode as a known type.
        #expect(try message.attribute(ResponseOrigin.self)?.address == TransportAddress(.loopbackV4, port))
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["answered"] as? Int == 3)
        print("coturn RTT min/avg/max ms:", summary["rtt_min_ms"] ?? "-", summary["rtt_avg_ms"] ?? "-",
              summary["rtt_max_ms"] ?? "-")
        try TsharkCheck.everyPacketIsCleanSTUN(pcap, expectedPackets: 6)
    }

    @Test("Debian's stun client (RFC 3489) against stun-probe --serve: Open, with our classic answers logged")
    func stunClient() throws {
        let stun = try Programs.system("stun", package: "stun-client")
        let (server, address) = try Probe.startServer()
        let result = try Programs.run(stun, ["\(address)"], timeout: .seconds(60))
        server.closeInput()
        let log = server.stop() + server.remainingOutput()
        // The client prints its verdict and exits with it: 0x01 = open Internet, port preserved
        // (it read our MAPPED-ADDRESS and saw its own address); 0x1c would mean "blocked".
        #expect(result.stdout.contains("Primary: Open"), "stun printed: \(result.stdout)")
        #expect(result.status == 1, "stun exited \(result.status): \(result.stdout)")
        #expect(log.contains("(RFC 3489, no magic cookie, CHANGE-REQUEST 0x0) -> Binding Success Response (MAPPED-ADDRESS 127.0.0.1:"),
                "server log: \(log)")
        #expect(log.contains("CHANGE-REQUEST 0x4) -> Binding Error Response 420"), "server log: \(log)")
        #expect(!log.contains("dropped"), "every classic request is answered by STUNServer: \(log)")
    }

    @Test("tshark decodes every packet of our own --pcap as STUN, with good checksums and no expert warnings")
    func tsharkOnOurCapture() throws {
        let pcap = FileManager.default.temporaryDirectory.appendingPathComponent("probe-own-\(UUID().uuidString).pcap").path
        defer { try? FileManager.default.removeItem(atPath: pcap) }
        let result = try Probe.run(["--count", "3", "--username", "alice", "--password", "secret", "--pcap", pcap])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        try TsharkCheck.everyPacketIsCleanSTUN(pcap, expectedPackets: 6)
    }
}

enum TsharkCheck {
    /// Asserts tshark sees `expectedPackets` packets, each raw:ip:udp:stun with good IP/UDP
    /// checksums and a good STUN FINGERPRINT, none malformed, and no expert info above "chat".
    static func everyPacketIsCleanSTUN(_ path: String, expectedPackets: Int) throws {
        let checks = ["-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"]
        let fields = try Tshark.run(["-r", path] + checks + [
            "-T", "fields", "-E", "separator=|", "-e", "frame.protocols", "-e", "ip.checksum.status",
            "-e", "udp.checksum.status", "-e", "stun.att.crc32.status",
        ])
        #expect(fields.status == 0, "tshark: \(fields.stderr)")
        let lines = fields.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == expectedPackets, "tshark saw: \(fields.stdout)")
        for line in lines { #expect(line == "raw:ip:udp:stun|1|1|1", "tshark fields: \(line)") }
        let malformed = try Tshark.run(["-r", path] + checks + ["-Y", "_ws.malformed || _ws.expert.severity >= note"])
        #expect(malformed.status == 0)
        #expect(malformed.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                "malformed or expert-flagged packets: \(malformed.stdout)")
        let expert = try Tshark.run(["-r", path, "-q", "-z", "expert"] + checks)
        #expect(!expert.stdout.contains("Malformed") && !expert.stdout.contains("Errors ("), "expert info: \(expert.stdout)")
    }
}
