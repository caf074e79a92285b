import Foundation
import Testing
import ToolTestSupport
import Wire
import PacketCapture
import STUN

@Suite("stun-probe on the command line")
struct CLITests {
    @Test("with no argument it probes an embedded server and explains the exchange")
    func defaultRun() throws {
        let result = try Probe.run([])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty)
        for expected in ["--> Binding request", "Message Cookie: 0x2112a442", "<-- Binding Success Response",
                         "XOR-MAPPED-ADDRESS: 127.0.0.1:", "Mapped address   127.0.0.1:", "Round-trip time",
                         "Retransmissions  0", "FINGERPRINT      valid", "[embedded server] answered"] {
            #expect(result.stdout.contains(expected), "missing \"\(expected)\"")
        }
    }

    @Test("--json prints one object with hex, decoded fields, the mapped address, RTT and retransmissions")
    func json() throws {
        let result = try Probe.run(["--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try result.json()
        let local = try #require(object["local_address"] as? String)
        #expect(object["mapped_address"] as? String == local)
        #expect(object["mapped_family"] as? String == "IPv4")
        #expect(object["embedded_server"] as? Bool == true)
        #expect(object["ok"] as? Bool == true)
        #expect(object["exit_code"] as? Int == 0)
        #expect(object["retransmissions"] as? Int == 0)
        let rtt = try #require(object["rtt_ms"] as? Double)
        // Positive and measured; no upper bound: a loaded machine may take any time (issue 13, §1).
        #expect(rtt > 0 && rtt.isFinite)
        let requestHex = try #require(object["request_hex"] as? String)
        let responseHex = try #require(object["response_hex"] as? String)
        #expect(requestHex.hasPrefix("0001") && requestHex.dropFirst(8).hasPrefix("2112a442"))
        #expect(responseHex.hasPrefix("0101"))
        #expect((object["fingerprint"] as? String)?.hasPrefix("valid") == true)
        #expect(object["server"] as? String == object["response_from"] as? String)
        let response = try #require(object["response"] as? [String: Any])
        let fields = try #require(response["children"] as? [[String: Any]])
        #expect(fields.map { $0["name"] as? String } .contains("Message Transaction ID"))
        let cookie = try #require(fields.first { $0["name"] as? String == "Message Cookie" })
        #expect(cookie["offset"] as? Int == 4)
        #expect(cookie["hex"] as? String == "2112a442")
        let parsed = try STUNMessage(parsing: try #require(Hex.decode(responseHex)))
        #expect("\(try #require(parsed.mappedAddress))" == local)
    }

    @Test("--count runs several transactions and summarises min/avg/max RTT")
    func count() throws {
        let result = try Probe.run(["--json", "--count", "4"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try result.json()
        let transactions = try #require(object["transactions"] as? [[String: Any]])
        #expect(transactions.count == 4)
        #expect(Set(transactions.compactMap { $0["transaction_id"] as? String }).count == 4)
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["answered"] as? Int == 4)
        let low = try #require(summary["rtt_min_ms"] as? Double)
        let average = try #require(summary["rtt_avg_ms"] as? Double)
        let high = try #require(summary["rtt_max_ms"] as? Double)
        #expect(low <= average && average <= high)
        let human = try Probe.run(["--count", "3"])
        #expect(human.stdout.contains("3 of 3 transaction(s) run, 3 answered"))
        #expect(human.stdout.contains("RTT min/avg/max ="))
    }

    @Test("--help documents the examples and every exit code")
    func help() throws {
        let result = try Probe.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("EXAMPLES:"))
        #expect(result.stdout.contains("39.5 s"))
        for code in 0...8 { #expect(result.stdout.contains("\n  \(code)   "), "exit code \(code) undocumented") }
    }

    @Test("bad arguments exit 2 with one line naming the problem", arguments: [
        (["127.0.0.1:99999"], "bad port '99999'"),
        (["127.0.0.1:0"], "bad port '0'"),
        (["[::1"], "missing ']'"),
        (["--count", "0"], "--count"),
        (["--bogus"], "--bogus"),
        (["--username", "alice"], "--password"),
        (["--serve", "127.0.0.1:3478"], "--serve"),
    ])
    func usage(arguments: [String], mention: String) throws {
        let result = try Probe.run(arguments)
        #expect(result.status == 2)
        let lines = result.errorLines
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        #expect(lines.first?.hasPrefix("stun-probe: error: ") == true)
        #expect(lines.first?.contains(mention) == true)
        #expect(result.stdout.isEmpty)
    }

    @Test("an unresolvable host exits 3 with one line")
    func unresolvable() throws {
        let result = try Probe.run(["nonexistent.invalid"])
        #expect(result.status == 3)
        let lines = result.errorLines
        #expect(lines.count == 1)
        #expect(lines.first?.contains("cannot resolve host nonexistent.invalid") == true)
    }

    @Test("silence exits 4 after the whole RFC schedule (7 sends), which --rto shortens")
    func noAnswer() throws {
        let port = try Programs.freeUDPPort()
        let result = try Probe.run(["127.0.0.1:\(port)", "--rto", "5", "--json"])
        #expect(result.status == 4)
        let lines = result.errorLines
        #expect(lines.count == 1)
        #expect(lines.first?.contains("no answer after 7 requests") == true)
        #expect(lines.first?.contains("39.5 s at the default 500 ms RTO") == true)
        // Sends at 0, 5, 15, 35, 75, 155, 315 ms, then 80 ms more: 395 ms in all.
        // Timers never fire early, so the lower bound holds under any load; that --rto shortened
        // the schedule is shown by the report, not by a wall-clock upper bound.
        #expect(result.elapsed >= .milliseconds(395))
        let object = try result.json()
        #expect(object["rto_ms"] as? Int == 5 && object["final_wait_ms"] as? Int == 80 && object["max_transmissions"] as? Int == 7)
        #expect(object["ok"] as? Bool == false)
        #expect(object["exit_code"] as? Int == 4)
        #expect(object["transmissions"] as? Int == 7)
        let at = try #require(object["retransmitted_at_ms"] as? [Double])
        #expect(at.count == 6)
        // Each interval is measured from the previous actual send and doubles: 5, 10, 20, 40, 80, 160 ms.
        let gaps = zip([0] + at, at).map { $1 - $0 }
        for (gap, planned) in zip(gaps, [5.0, 10, 20, 40, 80, 160]) {
            #expect(gap >= planned, "gap \(gap) ms where \(planned) ms was planned")
        }
    }

    @Test("--timeout caps the wait whatever the schedule says")
    func timeoutCap() throws {
        let port = try Programs.freeUDPPort()
        let result = try Probe.run(["127.0.0.1:\(port)", "--timeout", "0.3"])
        #expect(result.status == 4)
        #expect(result.errorLines.first?.contains("no answer within --timeout") == true)
        // Bounds that hold under any load: not before the cap, and far from the 39.5 s the
        // schedule alone would take.
        #expect(result.elapsed >= .milliseconds(300) && result.elapsed < .seconds(39))
    }

    @Test("garbage from the server exits 5 (malformed response), after the schedule")
    func garbage() throws {
        let (result, answered) = try Probe.run(against: { _ in Array("\u{ff}not STUN at all".utf8) }, ["--rto", "5"])
        #expect(result.status == 5)
        #expect(answered == 7)
        let lines = result.errorLines
        #expect(lines.count == 1)
        #expect(lines.first?.contains("no valid STUN response") == true)
        #expect(result.stdout.contains("discarded a datagram from the server: not STUN"))
    }

    @Test("a success response without any mapped address exits 5 at once")
    func noAddress() throws {
        let (result, answered) = try Probe.run(against: { Probe.success(to: $0, mapped: nil) }, [])
        #expect(result.status == 5)
        #expect(answered == 1)
        #expect(result.errorLines.first?.contains("no usable XOR-MAPPED-ADDRESS") == true)
    }

    @Test("a response with a wrong FINGERPRINT is discarded; the probe exits 7")
    func badFingerprint() throws {
        let (result, _) = try Probe.run(against: { request in
            guard var bytes = Probe.success(to: request, mapped: TransportAddress(.loopbackV4, 1)) else { return nil }
            bytes[bytes.count - 1] ^= 0xFF
            return bytes
        }, ["--rto", "5"])
        #expect(result.status == 7)
        #expect(result.errorLines.first?.contains("FINGERPRINT") == true)
    }

    @Test("--use-exercise runs the student's decoder: the untouched starter says it is not implemented")
    func useExercise() throws {
        let starter = try ExerciseSource.isUntouchedStarter()
        let result = try Probe.run(["--use-exercise"])
        if starter {
            #expect(result.status == 8)
            let lines = result.errorLines
            #expect(lines.count == 1)
            #expect(lines.first?.contains("decodeXORMappedAddress is not implemented yet") == true)
            #expect(result.stdout.contains("Your decoder     not implemented yet"))
        } else {
            #expect(result.status == 0, "a completed exercise must agree with the library: \(result.stderr)")
            #expect(result.stdout.contains("matches the library"))
        }
    }

    @Test("--pcap holds the request and response exactly as --json reports them, with valid checksums")
    func pcap() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Probe.run(["--json", "--pcap", path])
        #expect(result.status == 0)
        let object = try result.json()
        let reader = try PcapReader(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        let packets = try reader.packets()
        #expect(packets.count == 2)
        #expect(packets.allSatisfy { $0.isIPChecksumValid && $0.isUDPChecksumValid })
        #expect(Hex.encode(packets[0].payload) == object["request_hex"] as? String)
        #expect(Hex.encode(packets[1].payload) == object["response_hex"] as? String)
        #expect("\(packets[0].datagram.source)" == object["local_address"] as? String)
        #expect("\(packets[0].datagram.destination)" == object["server"] as? String)
    }
}

/// Reads the student's exercise file to know whether it is still the starter.
enum ExerciseSource {
    static func isUntouchedStarter() throws -> Bool {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = root.appendingPathComponent("exercises/02-stun-coding/STUNCoding.swift")
        let text = try String(contentsOf: file, encoding: .utf8)
        guard let start = text.range(of: "func decodeXORMappedAddress") else { return false }
        let body = text[start.upperBound...].prefix(400)
        return body.contains("throw ExerciseError.notImplemented")
    }
}
