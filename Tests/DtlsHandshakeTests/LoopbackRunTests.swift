import Foundation
import Testing

@Suite("dtls-handshake: the loopback run")
struct LoopbackRunTests {
    @Test("prints every flight's messages in handshake order, the cipher suite and both fingerprints, and exits 0")
    func defaultRun() throws {
        let run = try DtlsHandshake.run([])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let order = ["client -> server", "ClientHello",
                     "server -> client", "ServerHello", "Certificate", "ServerKeyExchange", "CertificateRequest", "ServerHelloDone",
                     "client -> server", "Certificate", "ClientKeyExchange", "CertificateVerify", "ChangeCipherSpec",
                     "Encrypted Handshake Message",
                     "server -> client", "ChangeCipherSpec", "Encrypted Handshake Message",
                     "client -> server", "Application Data", "server -> client", "Application Data",
                     "client -> server", "Encrypted Alert", "server -> client", "Encrypted Alert"]
        #expect(firstOutOfOrder(order, in: run.stdout) == nil, "out of order: \(firstOutOfOrder(order, in: run.stdout) ?? "")\n\(run.stdout)")
        #expect(run.stdout.contains("negotiated      DTLSv1.2, cipher suite ECDHE-ECDSA-AES128-GCM-SHA256"))
        // Each side's own fingerprint is what the other side saw on the wire and verified.
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let own = lines.filter { $0.contains("own fingerprint") }.map { String($0.split(separator: " ").suffix(2).joined(separator: " ")) }
        let peers = lines.filter { $0.contains("peer certificate  ") }.map { String($0.split(separator: " ").suffix(2).joined(separator: " ")) }
        #expect(own.count == 2 && peers.count == 2)
        #expect(own.allSatisfy { $0.hasPrefix("sha-256 ") && $0.count == 8 + 32 * 3 - 1 })
        #expect(own.count == 2 && peers == [own[1], own[0]])
        #expect(own.count == 2 && own[0] != own[1])
        #expect(lines.filter { $0.contains("verdict           verified:") }.count == 2)
        #expect(run.stdout.contains("\"hello over DTLS\" sent by the client, echoed back"))
        #expect(run.stdout.contains("client sent close_notify, client received close_notify, server sent close_notify, server received close_notify"))
        #expect(run.stdout.contains("result          OK"))
        #expect(run.stderr.isEmpty)
    }

    @Test("--json is one document with flights, parameters, fingerprints, verdicts and timings; no datagram exceeds 1200 bytes")
    func json() throws {
        let run = try DtlsHandshake.run(["--json", "--message", "json check"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let object = try run.json()
        #expect(object["ok"] as? Bool == true)
        #expect(object["exit_code"] as? Int == 0)
        #expect(object["mode"] as? String == "loopback")
        #expect(object["protocol_version"] as? String == "DTLSv1.2")
        #expect(object["cipher_suite"] as? String == "ECDHE-ECDSA-AES128-GCM-SHA256")
        let handshake = try #require(object["handshake_ms"] as? Double)
        #expect(handshake > 0 && handshake < 5000)
        let sides = try #require(object["sides"] as? [[String: Any]])
        #expect(sides.map { $0["name"] as? String } == ["client", "server"])
        for side in sides {
            #expect(side["authenticated"] as? Bool == true)
            #expect((side["verdict"] as? String)?.hasPrefix("verified") == true)
            #expect((side["fingerprint"] as? String)?.hasPrefix("sha-256 ") == true)
            #expect(side["connected"] as? Bool == true)
        }
        #expect(sides.count == 2 && sides[0]["peer_fingerprint"] as? String == sides[1]["fingerprint"] as? String)
        #expect(sides.count == 2 && sides[1]["peer_fingerprint"] as? String == sides[0]["fingerprint"] as? String)
        #expect(sides.count == 2 && sides[0]["expected_fingerprint"] as? String == sides[1]["fingerprint"] as? String)
        let datagrams = try #require(object["datagrams"] as? [[String: Any]])
        #expect(datagrams.count >= 8)
        let sizes = datagrams.compactMap { $0["size"] as? Int }
        #expect(sizes.count == datagrams.count && sizes.allSatisfy { $0 > 0 && $0 <= 1200 })
        let first = try #require(datagrams.first)
        #expect(first["from"] as? String == "client")
        #expect((first["messages"] as? [[String: Any]])?.first?["name"] as? String == "ClientHello")
        let flights = try #require(object["flights"] as? [[String: Any]])
        let names = flights.map { $0["messages"] as? [String] ?? [] }
        #expect(names.prefix(4) == [["ClientHello"],
                                    ["ServerHello", "Certificate", "ServerKeyExchange", "CertificateRequest", "ServerHelloDone"],
                                    ["Certificate", "ClientKeyExchange", "CertificateVerify", "ChangeCipherSpec", "Encrypted Handshake Message"],
                                    ["ChangeCipherSpec", "Encrypted Handshake Message"]])
        #expect(flights.map { $0["from"] as? String }.prefix(4) == ["client", "server", "client", "server"])
        let message = try #require(object["message"] as? [String: Any])
        #expect(message["text"] as? String == "json check")
        #expect(message["echoed"] as? Bool == true)
        #expect((object["alerts"] as? [[String: Any]])?.count == 4)
    }

    @Test("a wrong --expect-fingerprint makes the client refuse the server: exit 6, one line, bad_certificate alert to the server")
    func wrongFingerprint() throws {
        let wrong = "sha-256 " + Array(repeating: "AB", count: 32).joined(separator: ":")
        let run = try DtlsHandshake.run(["--expect-fingerprint", wrong])
        #expect(run.status == 6, "stdout: \(run.stdout)")
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.contains("client: the peer's certificate") == true)
        #expect(run.stdout.contains("client: sent fatal alert bad_certificate"))
        #expect(run.stdout.contains("server: received fatal alert bad_certificate"))
        #expect(run.stdout.contains("REFUSED"))
    }

    @Test("--loss with a fixed seed shows retransmissions with a doubling timer, and still connects")
    func loss() throws {
        let run = try DtlsHandshake.run(["--loss", "0.3", "--seed", "5", "--initial-timeout", "50", "--json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let object = try run.json()
        #expect(object["ok"] as? Bool == true)
        #expect((object["lost_datagrams"] as? Int ?? 0) > 0)
        let retransmissions = try #require(object["retransmissions"] as? [[String: Any]])
        #expect(!retransmissions.isEmpty)
        for retransmission in retransmissions {
            let expired = try #require(retransmission["expired_timeout_ms"] as? Double)
            let next = try #require(retransmission["next_timeout_ms"] as? Double)
            #expect(expired >= 50 && next == expired * 2)
        }
        let datagrams = try #require(object["datagrams"] as? [[String: Any]])
        #expect(datagrams.contains { $0["retransmission"] as? Int != nil })
        #expect(datagrams.contains { $0["lost"] as? Bool == true })
        #expect(datagrams.allSatisfy { ($0["size"] as? Int ?? 0) <= 1200 })
    }

    @Test("--loss 0.3 --initial-timeout 100 completes for every seed from 1 to 50 (issue 13: DTLS under loss)")
    func lossSeeds() throws {
        // Five runs at a time: each spends its time waiting on timers, not on the CPU.
        final class Failures: @unchecked Sendable {
            // @unchecked: `list` is only touched under `lock`.
            let lock = NSLock()
            var list: [String] = []
        }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 5) { lane in
            for seed in stride(from: lane + 1, through: 50, by: 5) {
                let outcome: String?
                do {
                    let run = try DtlsHandshake.run(["--loss", "0.3", "--seed", "\(seed)", "--initial-timeout", "100", "--json"])
                    let object = try? run.json()
                    outcome = run.status == 0 && object?["ok"] as? Bool == true ? nil
                        : "seed \(seed): exit \(run.status), \(run.errorLines.first ?? "no message")"
                } catch {
                    outcome = "seed \(seed): \(error)"
                }
                if let outcome { failures.lock.withLock { failures.list.append(outcome) } }
            }
        }
        #expect(failures.list.isEmpty, "\(failures.list.sorted())")
    }

    @Test("--loss in text form prints each retransmitted flight with its timer value")
    func lossText() throws {
        let run = try DtlsHandshake.run(["--loss", "0.3", "--seed", "5", "--initial-timeout", "50"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("retransmission timer (50.0 ms) expired"))
        #expect(run.stdout.contains("next timer 100.0 ms (doubled)"))
        #expect(run.stdout.contains("[retransmission #1]"))
        #expect(run.stdout.contains("** LOST (--loss) **"))
    }
}
