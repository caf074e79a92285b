import COpenSSL
import Testing
import Wire
@testable import DTLS

/// The last flight (RFC 6347 §4.2.4): it has no timer, so after the handshake the
/// server must answer the client's retransmissions with it, and a client whose
/// deadline fires after its own ChangeCipherSpec must not send a plaintext alert.
@Suite("Endpoint: the last flight after the handshake, and giving up after epoch 1")
struct EndpointFinalFlightTests {
    /// (content type, epoch) of each record in a datagram.
    static func recordKinds(_ payload: [UInt8]) -> [String] {
        DTLSRecord.scan(datagram: payload).records.map { "\($0.contentType.rawValue)/\($0.epoch)" }
    }

    /// True when the datagram carries any record of epoch 1 or later.
    static func hasEncryptedRecord(_ payload: [UInt8]) -> Bool {
        DTLSRecord.scan(datagram: payload).records.contains { $0.isEncrypted }
    }

    /// Who sent what, for failure messages: "c:22/0,22/0 s:..." one datagram each, with its time.
    static func log(_ pair: EndpointPair) -> String {
        pair.sent.map { "\($0.direction == .clientToServer ? "c" : "s")@\($0.at):\(recordKinds($0.payload).joined(separator: ","))" }
            .joined(separator: " ")
    }

    /// True when the datagram carries a ChangeCipherSpec: flight 5 or the last flight.
    static func hasChangeCipherSpec(_ payload: [UInt8]) -> Bool {
        DTLSRecord.scan(datagram: payload).records.contains { $0.contentType.rawValue == 20 }
    }

    // The filters below pick datagrams by what they carry, not by their index: on a
    // stalled machine a timer may expire inside the synchronous handshake, and OpenSSL
    // then resends the expired flight as a side effect of its next read, packed into
    // the same datagram as the next flight (seen under load: a ClientHello in front of
    // flight 5). Indexes shift; contents do not.

    /// Each record of a datagram as a datagram of its own, as a peer that resends
    /// one message per datagram (OpenSSL's s_client, for one) would send them.
    static func unpacked(_ payload: [UInt8]) -> [[UInt8]] {
        DTLSRecord.scan(datagram: payload).records.map { record in
            var writer = ByteWriter()
            record.encode(into: &writer)
            return writer.bytes
        }
    }

    @Test("a resent final flight whose Finished is lost is still answered: the client completes")
    func partialRetransmissionAnswered() throws {
        let pair = try EndpointPair(initialRetransmitTimeout: .milliseconds(40), serverInitialRetransmitTimeout: .seconds(30))
        // The server's last flight is lost once. The client's later flights arrive
        // one record per datagram, and every (epoch 1) Finished among them is lost:
        // only Certificate, ClientKeyExchange, CertificateVerify and ChangeCipherSpec
        // reach the server. OpenSSL answers only a resent Finished, so without the
        // endpoint's own answer the client would retransmit until its deadline.
        // Until the server has connected, the client's datagrams arrive whole: on a stalled
        // machine the first flight 5 can ride in one datagram behind a resent ClientHello,
        // and an OpenSSL server does not complete from a flight 5 packed behind a stale
        // ClientHello (seen under load, then reproduced by packing them by hand); the
        // client's timer then resends flight 5 alone.
        var lastFlightLost = false
        pair.filter = { [unowned pair] direction, _, payload in
            switch direction {
            case .serverToClient:
                guard !lastFlightLost, Self.hasChangeCipherSpec(payload) else { return [payload] }
                lastFlightLost = true
                return []
            case .clientToServer:
                guard pair.server.isConnected else { return [payload] }
                return Self.unpacked(payload).filter { !Self.hasEncryptedRecord($0) }
            }
        }
        pair.start()
        #expect(pair.run(for: .seconds(2)) { pair.server.isConnected }, "\(Self.log(pair))")
        #expect(!pair.client.isConnected, "\(Self.log(pair))")
        #expect(pair.run(for: .seconds(2)) { pair.client.isConnected }, "\(Self.log(pair))")
        #expect(pair.server.finalFlight.answers >= 1)
        #expect(pair.server.retransmissionCount == 0)
    }

    @Test("a resent flight goes out packed in one datagram, like its first transmission")
    func retransmissionIsPacked() throws {
        // Lose the client's first flight 5: its timer resends it. The server's timer is too
        // long to fire during the test, so only the client's timer can bring flight 5 back.
        // (With equal timers the server's, armed first, could fire first, and what the
        // test saw depended on which timer the scheduler let fire first.) The resend is
        // counted on the wire, not by `retransmissionCount`: when OpenSSL's wall clock has
        // not quite reached the expiry at `handle(.timeout)`, the read that follows finds
        // the timer expired and resends as a side effect, unreported (seen under load).
        let pair = try EndpointPair(initialRetransmitTimeout: .milliseconds(40), serverInitialRetransmitTimeout: .seconds(30))
        var flight5Lost = false
        pair.filter = { direction, _, payload in
            guard direction == .clientToServer, !flight5Lost, Self.hasEncryptedRecord(payload) else { return [payload] }
            flight5Lost = true
            return []
        }
        #expect(pair.connect(limit: .seconds(4)))
        #expect(pair.server.retransmissionCount == 0)
        let fromClient = pair.sent.filter { $0.direction == .clientToServer }.map(\.payload)
        let withFlight5 = fromClient.filter(Self.hasEncryptedRecord)
        try #require(withFlight5.count >= 2, "\(fromClient.map(Self.recordKinds))")
        let flight5 = ["22/0", "22/0", "22/0", "20/0", "22/1"]
        // The first transmission carries flight 5 whole (after a resent ClientHello, if one
        // expired in the same burst); the resend is flight 5 alone, still in one datagram.
        #expect(Array(Self.recordKinds(withFlight5[0]).suffix(5)) == flight5, "\(Self.recordKinds(withFlight5[0]))")
        #expect(Self.recordKinds(withFlight5[1]) == flight5, "the resent flight 5 was split: \(Self.recordKinds(withFlight5[1]))")
        #expect(fromClient.allSatisfy { $0.count <= 1200 })
    }

    @Test("each answer to a resent flight is one datagram: ChangeCipherSpec then Finished")
    func answerIsPacked() throws {
        // The server's timer is too long to fire. Had it expired inside the handshake (a
        // stalled machine), OpenSSL would have resent flight 4 in the burst that holds the
        // last flight, and the endpoint's copy of that burst would repeat flight 4 too.
        let pair = try EndpointPair(initialRetransmitTimeout: .milliseconds(40), serverInitialRetransmitTimeout: .seconds(30))
        var lastFlightLost = false
        pair.filter = { direction, _, payload in
            guard direction == .serverToClient, !lastFlightLost, Self.hasChangeCipherSpec(payload) else { return [payload] }
            lastFlightLost = true
            return []
        }
        pair.start()
        #expect(pair.run(for: .seconds(2)) { pair.client.isConnected })
        let fromServer = pair.sent.filter { $0.direction == .serverToClient }.map(\.payload)
        // Flight 4, the lost last flight, then the answers to the client's resent flight 5:
        // the endpoint's copy and OpenSSL's own, each whole in one datagram.
        let lost = try #require(fromServer.firstIndex(where: Self.hasChangeCipherSpec))
        let answers = fromServer[(lost + 1)...]
        #expect(answers.count >= 2)
        for answer in answers {
            #expect(Self.recordKinds(answer) == ["20/0", "22/1"], "\(Self.log(pair))")
        }
        #expect(pair.server.finalFlight.answers >= 1)
    }

    @Test("injected plaintext records get the last flight repeated a bounded number of times")
    func answersAreBounded() throws {
        let pair = try EndpointPair(initialRetransmitTimeout: .seconds(1))
        // Capture the client's flight 5 instead of delivering it after the first time.
        var captured: [UInt8] = []
        pair.filter = { direction, index, payload in
            if direction == .clientToServer, index == 1 { captured = payload }
            return [payload]
        }
        pair.start()
        #expect(pair.server.isConnected)
        let replay = try #require(Self.unpacked(captured).first)
        let before = pair.sent.count
        for _ in 0..<100 { pair.inject(replay, .clientToServer) }
        #expect(pair.server.finalFlight.answers == DTLSEndpoint.finalFlightAnswerLimit)
        #expect(pair.sent.count - before == DTLSEndpoint.finalFlightAnswerLimit)
        #expect(pair.server.isConnected)
    }

    @Test("packing keeps order and the MTU, and never packs application data")
    func packingRules() {
        let handshake = { (size: Int) in [UInt8](repeating: 22, count: size) }
        let data = [UInt8](repeating: 23, count: 50)
        let packed = DTLSEndpoint.packed([handshake(14), handshake(61), data, handshake(100), handshake(150)], mtu: 200)
        #expect(packed.map(\.count) == [75, 50, 100, 150])
        #expect(packed[0] == handshake(14) + handshake(61))
        #expect(packed[1] == data)
        #expect(DTLSEndpoint.packed([], mtu: 200).isEmpty)
        #expect(DTLSEndpoint.packed([data, data], mtu: 1200).count == 2)
    }

    @Test("a client whose deadline fires after its ChangeCipherSpec sends no plaintext alert")
    func noPlaintextAlertAfterEpochOne() throws {
        let pair = try EndpointPair(initialRetransmitTimeout: .milliseconds(40), handshakeDeadline: .milliseconds(400),
                                    serverHandshakeDeadline: .seconds(5))
        // Flight 4 arrives, the server's last flight never does: the client sent
        // its ChangeCipherSpec (epoch 1 from then on) and waits until its deadline.
        pair.filter = { direction, index, payload in direction == .serverToClient && index >= 1 ? [] : [payload] }
        pair.start()
        #expect(pair.run(for: .seconds(2)) { hasFailed(pair.clientEvents) })
        #expect(failure(pair.clientEvents)?.code == .handshakeTimeout)
        #expect(pair.client.sentRecords.sentEncrypted)
        // An epoch-0 alert would be dropped by a server already reading epoch 1, and
        // OpenSSL cannot encrypt one for us mid-handshake: nothing is sent.
        #expect(alerts(pair.clientEvents).isEmpty)
        let fromClient = pair.sent.filter { $0.direction == .clientToServer }.map(\.payload)
        #expect(!fromClient.contains { Self.recordKinds($0).contains("21/0") })
        #expect(pair.server.isConnected)
    }

    @Test("seeded 30 % loss both ways: every handshake completes", arguments: 1...12)
    func seededLoss(seed: UInt64) throws {
        let pair = try EndpointPair(initialRetransmitTimeout: .milliseconds(20), handshakeDeadline: .seconds(4))
        var upstream = SplitMix64(seed: seed), downstream = SplitMix64(seed: ~seed)
        pair.filter = { direction, _, payload in
            let sample = direction == .clientToServer ? upstream.next() : downstream.next()
            return Double(sample >> 11) / Double(UInt64(1) << 53) < 0.3 ? [] : [payload]
        }
        #expect(pair.connect(limit: .seconds(4)), "seed \(seed)")
    }
}

/// Why the endpoint cannot do better than silence after epoch 1: OpenSSL itself
/// writes no alert for SSL_shutdown while the handshake is in progress.
@Suite("OpenSSL facts behind the endpoint's alert policy")
struct OpenSSLAlertFacts {
    @Test("SSL_shutdown during the handshake writes nothing")
    func shutdownMidHandshake() throws {
        let pair = try EndpointPair(initialRetransmitTimeout: .seconds(1))
        pair.filter = { direction, index, payload in direction == .serverToClient && index >= 1 ? [] : [payload] }
        pair.start()
        #expect(!pair.client.isConnected && pair.client.sentRecords.sentEncrypted)
        OpenSSLErrors.clear()
        #expect(SSL_in_init(pair.client.ssl) == 1)
        _ = SSL_shutdown(pair.client.ssl)
        OpenSSLErrors.clear()
        #expect(pair.client.bio.takeOutbound().isEmpty)
    }
}
