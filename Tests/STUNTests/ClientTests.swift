import Testing
import Wire
@testable import STUN

@Suite("STUNClient: matching responses, dropping strays, credentials")
struct ClientTests {
    /// A client and a server wired back to back (datagrams moved by hand).
    struct Pair {
        var client: STUNClient
        var server: STUNServer

        init(credentials: STUNClientCredentials? = nil, authentication: STUNServerAuthentication = .none) {
            var random = SplitMix64(seed: 99)
            client = STUNClient(localAddress: Addresses.client, credentials: credentials, random: SplitMix64(seed: 5))
            server = STUNServer(configuration: .init(authentication: authentication), random: &random)
        }

        /// Delivers each client datagram to the server and each answer back, at `now`; returns client events.
        mutating func exchange(_ datagrams: [Datagram], at now: Instant) -> [STUNClientEvent] {
            var events: [STUNClientEvent] = []
            var queue = datagrams
            while !queue.isEmpty {
                let request = queue.removeFirst()
                let answers = server.feed(.datagram(request, at: now)).datagrams
                for answer in answers {
                    let out = client.feed(.datagram(answer, at: now))
                    events += out.events
                    queue += out.datagrams
                }
            }
            return events
        }
    }

    func response(_ events: [STUNClientEvent]) -> STUNClientResponse? {
        for case let .responseReceived(response) in events { return response }
        return nil
    }

    func dropReasons(_ events: [STUNClientEvent]) -> [String] {
        events.compactMap { if case let .dropped(_, reason) = $0 { return reason } else { return nil } }
    }

    @Test("a Binding request gets the mapped address, RTT and transmission count")
    func binding() throws {
        var pair = Pair()
        let id = pair.client.sendBindingRequest(to: Addresses.server, at: .zero)
        let request = pair.client.drain().datagrams
        #expect(request.count == 1 && request[0].source == Addresses.client && request[0].destination == Addresses.server)
        let parsed = try STUNMessage(parsing: request[0].payload)
        #expect(parsed.messageType == .bindingRequest && parsed.transactionID == id)
        #expect(STUNMessage.verifyFingerprint(of: request[0].payload).isValid)
        let answer = try #require(response(pair.exchange(request, at: .milliseconds(12))))
        #expect(answer.transactionID == id)
        #expect(answer.mappedAddress == Addresses.client)
        #expect(answer.rtt == .milliseconds(12))
        #expect(answer.transmissions == 1)
        #expect(pair.client.pendingCount == 0 && pair.client.nextTimeout == nil)
    }

    @Test("a response after two retransmissions reports 3 transmissions and RTT from the first send")
    func afterRetransmissions() throws {
        var pair = Pair()
        pair.client.sendBindingRequest(to: Addresses.server, at: .zero)
        _ = pair.client.drain() // lost
        _ = pair.client.feed(.timeout(.milliseconds(500))) // lost
        let third = pair.client.feed(.timeout(.milliseconds(1500))).datagrams
        let answer = try #require(response(pair.exchange(third, at: .milliseconds(1520))))
        #expect(answer.transmissions == 3)
        #expect(answer.rtt == .milliseconds(1520))
    }

    @Test("unknown, duplicate, misdirected, malformed and non-STUN datagrams are dropped with a reason")
    func strays() throws {
        var pair = Pair()
        pair.client.sendBindingRequest(to: Addresses.server, at: .zero)
        let requests = pair.client.drain().datagrams
        let answers = pair.server.feed(.datagram(requests[0], at: .zero)).datagrams
        let answer = answers[0]

        // From the wrong address: dropped, transaction still pending.
        var forged = answer
        forged.source = Addresses.stranger
        #expect(dropReasons(pair.client.feed(.datagram(forged, at: .milliseconds(1))).events).first?.contains("came from") == true)
        #expect(pair.client.pendingCount == 1)

        // The real one completes it; the replay is a duplicate.
        #expect(response(pair.client.feed(.datagram(answer, at: .milliseconds(2))).events) != nil)
        #expect(dropReasons(pair.client.feed(.datagram(answer, at: .milliseconds(3))).events).first?.hasPrefix("duplicate response") == true)

        // A response for an id never used.
        var unknown = try STUNMessage(parsing: answer.payload)
        unknown.transactionID = try TransactionID(bytes: Array(repeating: 0xEE, count: 12))
        let unknownDatagram = Datagram(from: Addresses.server, to: Addresses.client, payload: try unknown.encode())
        #expect(dropReasons(pair.client.feed(.datagram(unknownDatagram, at: .milliseconds(4))).events).first?.hasPrefix("response for unknown transaction") == true)

        // Garbage of every kind.
        for payload: [UInt8] in [[], [0x16, 0xFE, 0xFD], Array(answer.payload.prefix(30)), RFC5769.request] {
            let out = pair.client.feed(.datagram(Datagram(from: Addresses.server, to: Addresses.client, payload: payload), at: .milliseconds(5)))
            #expect(out.datagrams.isEmpty)
            #expect(dropReasons(out.events).count == 1)
        }
    }

    @Test("a response with a broken FINGERPRINT is dropped and the transaction keeps waiting")
    func badFingerprint() throws {
        var pair = Pair()
        pair.client.sendBindingRequest(to: Addresses.server, at: .zero)
        var answer = pair.server.feed(.datagram(pair.client.drain().datagrams[0], at: .zero)).datagrams[0]
        answer.payload[answer.payload.count - 1] ^= 1
        #expect(dropReasons(pair.client.feed(.datagram(answer, at: .milliseconds(1))).events).first?.hasPrefix("bad FINGERPRINT") == true)
        #expect(pair.client.pendingCount == 1)
    }

    @Test("short-term credentials: the request is signed and the signed answer verifies")
    func shortTerm() throws {
        var pair = Pair(credentials: .shortTerm(username: "alice", password: "secret"),
                        authentication: .shortTerm(users: ["alice": "secret"]))
        pair.client.sendBindingRequest(to: Addresses.server, at: .zero)
        let request = pair.client.drain().datagrams
        #expect(STUNMessage.verifyIntegrity(of: request[0].payload, key: .shortTerm(password: "secret")) == .valid(.hmacSHA1))
        let answer = try #require(response(pair.exchange(request, at: .milliseconds(1))))
        #expect(answer.integrity == .valid(.hmacSHA1))
    }

    @Test("a success response that fails MESSAGE-INTEGRITY is discarded as if never received")
    func forgedIntegrity() throws {
        var pair = Pair(credentials: .shortTerm(username: "alice", password: "secret"),
                        authentication: .shortTerm(users: ["alice": "secret"]))
        let id = pair.client.sendBindingRequest(to: Addresses.server, at: .zero)
        _ = pair.client.drain()
        var forged = STUNMessage(type: .bindingSuccess, transactionID: id)
        forged.append(XORMappedAddress(Addresses.stranger))
        let bytes = try forged.encode(integrityKey: .shortTerm(password: "guess"), fingerprint: true)
        let out = pair.client.feed(.datagram(Datagram(from: Addresses.server, to: Addresses.client, payload: bytes), at: .milliseconds(1)))
        #expect(dropReasons(out.events).first?.contains("fails MESSAGE-INTEGRITY") == true)
        #expect(pair.client.isPending(id))
    }

    @Test("long-term credentials: 401 challenge answered automatically, then a signed success")
    func longTerm() throws {
        var pair = Pair(credentials: .longTerm(username: "bob", password: "hunter2"),
                        authentication: .longTerm(realm: "lab.example", users: ["bob": "hunter2"]))
        let first = pair.client.sendBindingRequest(to: Addresses.server, at: .zero)
        let events = pair.exchange(pair.client.drain().datagrams, at: .milliseconds(1))
        guard case let .challenged(ended, retry, code, realm) = events.first else {
            Issue.record("expected a challenge first, got \(events)")
            return
        }
        #expect(ended == first && retry != first && code == .unauthenticated && realm == "lab.example")
        let answer = try #require(response(events))
        #expect(answer.transactionID == retry)
        #expect(answer.integrity == .valid(.hmacSHA1))
        // The realm and nonce are remembered: the next request is signed from the start.
        pair.client.sendBindingRequest(to: Addresses.server, at: .milliseconds(10))
        let second = pair.exchange(pair.client.drain().datagrams, at: .milliseconds(11))
        #expect(second.count == 1 && response(second) != nil)
    }

    @Test("long-term with a wrong password ends in an error response, not a loop")
    func longTermWrongPassword() {
        var pair = Pair(credentials: .longTerm(username: "bob", password: "wrong"),
                        authentication: .longTerm(realm: "lab.example", users: ["bob": "hunter2"]))
        pair.client.sendBindingRequest(to: Addresses.server, at: .zero)
        let events = pair.exchange(pair.client.drain().datagrams, at: .milliseconds(1))
        #expect(events.count == 2)
        guard case let .errorResponseReceived(answer) = events.last else {
            Issue.record("expected an error response, got \(events)")
            return
        }
        #expect(answer.errorCode?.code == .unauthenticated)
        #expect(pair.client.pendingCount == 0)
    }

    @Test("an error response completes the transaction with its code")
    func errorResponse() {
        var pair = Pair(authentication: .shortTerm(users: ["alice": "secret"]))
        pair.client.sendBindingRequest(to: Addresses.server, at: .zero)
        let events = pair.exchange(pair.client.drain().datagrams, at: .milliseconds(1))
        guard case let .errorResponseReceived(answer) = events.first else {
            Issue.record("expected an error response, got \(events)")
            return
        }
        #expect(answer.errorCode?.code == .badRequest)
    }

    @Test("a success response with an unknown comprehension-required attribute fails the transaction")
    func unknownInResponse() throws {
        var client = STUNClient(localAddress: Addresses.client, random: SplitMix64(seed: 5))
        let id = client.sendBindingRequest(to: Addresses.server, at: .zero)
        _ = client.drain()
        var message = STUNMessage(type: .bindingSuccess, transactionID: id)
        message.append(STUNAttribute(type: STUNAttributeType(rawValue: 0x7F01), value: [1, 2, 3, 4]))
        let out = client.feed(.datagram(Datagram(from: Addresses.server, to: Addresses.client, payload: try message.encode()), at: .milliseconds(1)))
        guard case let .failed(failedID, reason) = out.events.first else {
            Issue.record("expected failure, got \(out.events)")
            return
        }
        #expect(failedID == id && reason.contains("0x7f01"))
    }

    @Test("send() starts any request and refuses non-requests and duplicate ids")
    func sendAPI() throws {
        var client = STUNClient(localAddress: Addresses.client, random: SplitMix64(seed: 5))
        let id = try TransactionID(bytes: Array(repeating: 4, count: 12))
        var request = STUNMessage.bindingRequest(transactionID: id)
        request.append(ICEPriority(1))
        #expect(try client.send(request, to: Addresses.server, at: .zero) == id)
        #expect(client.drain().datagrams.count == 1)
        #expect(throws: STUNError.self) { try client.send(request, to: Addresses.server, at: .zero) }
        request.messageType = .bindingIndication
        request.transactionID = try TransactionID(bytes: Array(repeating: 5, count: 12))
        #expect(throws: STUNError.self) { try client.send(request, to: Addresses.server, at: .zero) }
    }

    @Test("many concurrent transactions time out in deterministic order")
    func concurrent() {
        var client = STUNClient(localAddress: Addresses.client,
                                policy: STUNRetransmissionPolicy(initialRTO: .milliseconds(10), maxTransmissions: 2, finalWaitMultiplier: 1),
                                random: SplitMix64(seed: 5))
        let ids = (0..<5).map { client.sendBindingRequest(to: Addresses.server, at: .milliseconds(Int64($0))) }
        _ = client.drain()
        var order: [TransactionID] = []
        while let deadline = client.nextTimeout {
            for case let .timedOut(id, _, _) in client.feed(.timeout(deadline)).events { order.append(id) }
        }
        #expect(order == ids)
    }
}
