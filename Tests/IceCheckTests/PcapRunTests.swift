import Foundation
import Testing
import ToolTestSupport

@Suite("ice-check --pcap: tshark decodes the connectivity checks")
struct PcapRunTests {
    /// tshark's stdout for `arguments`; it must succeed.
    static func tshark(_ arguments: [String]) throws -> String {
        let run = try Tshark.run(arguments)
        #expect(run.status == 0, "tshark \(arguments) failed: \(run.stderr)")
        return run.stdout
    }

    @Test("every check carries USERNAME, PRIORITY, ICE-CONTROLLING or -CONTROLLED, MESSAGE-INTEGRITY, FINGERPRINT; nothing malformed")
    func checksDecode() throws {
        let pcap = FileManager.default.temporaryDirectory.appendingPathComponent("ice-check-\(UUID().uuidString).pcap").path
        defer { try? FileManager.default.removeItem(atPath: pcap) }
        let run = try IceCheck.run(["--json", "--pcap", pcap])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let agents = try #require(try run.json()["agents"] as? [[String: Any]])
        let bases: [String] = agents.flatMap { agent -> [String] in (agent["bases"] as? [String]) ?? [] }
        let ports = bases.compactMap { base -> String? in base.split(separator: ":").last.map(String.init) }
        #expect(ports.count >= 2)
        let decodeAs = ports.flatMap { ["-d", "udp.port==\($0),stun"] }
        let base = ["-r", pcap, "-o", "udp.check_checksum:TRUE"] + decodeAs

        let requests = try Self.tshark(base + ["-Y", "stun.type == 0x0001", "-T", "fields", "-e", "stun.att.type"])
            .split(separator: "\n").map { Set($0.split(separator: ",").map { $0.lowercased() }) }
        #expect(requests.count >= 2, "no Binding requests decoded")
        for attributes in requests {
            for required in ["0x0006", "0x0024", "0x0008", "0x8028"] {
                #expect(attributes.contains(required), "a check lacks \(required): \(attributes.sorted())")
            }
            #expect(attributes.contains("0x802a") || attributes.contains("0x8029"))
        }
        #expect(requests.contains { $0.contains("0x802a") }, "no check carries ICE-CONTROLLING")
        #expect(requests.contains { $0.contains("0x0025") }, "no check carries USE-CANDIDATE")
        let responses = try Self.tshark(base + ["-Y", "stun.type == 0x0101"]).split(separator: "\n")
        #expect(!responses.isEmpty, "no Binding success responses decoded")
        let flagged = try Self.tshark(base + ["-Y", "_ws.malformed || _ws.expert.severity >= warning"])
        #expect(flagged.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "tshark flagged: \(flagged)")
    }
}

@Suite("ice-check --simulate --pcap: the simulated datagrams as a capture")
struct SimulatedPcapTests {
    @Test("the same seed writes the same capture, and tshark reads it without a malformed packet")
    func simulatedCapture() throws {
        let directory = FileManager.default.temporaryDirectory
        let first = directory.appendingPathComponent("ice-check-\(UUID().uuidString).pcap").path
        let second = directory.appendingPathComponent("ice-check-\(UUID().uuidString).pcap").path
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        for path in [first, second] {
            let run = try IceCheck.run(["--simulate", "full-cone,port-restricted-cone", "--pcap", path])
            #expect(run.status == 0, "stderr: \(run.stderr)")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: first))
        #expect(bytes.count > 24)
        #expect(bytes == (try Data(contentsOf: URL(fileURLWithPath: second))))
        let base = ["-r", first, "-d", "udp.port==5000,stun", "-d", "udp.port==6000,stun"]
        let packets = try PcapRunTests.tshark(base).split(separator: "\n")
        #expect(packets.count > 10)
        #expect(packets.contains { $0.contains("Binding Request") })
        let flagged = try PcapRunTests.tshark(base + ["-Y", "_ws.malformed || _ws.expert.severity >= warning"])
        #expect(flagged.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "tshark flagged: \(flagged)")
    }
}
