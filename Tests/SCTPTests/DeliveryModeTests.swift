import Testing
@testable import SCTP

/// One of WebRTC's four delivery modes (RFC 8831 §6.6).
struct DeliveryMode: Sendable, CustomTestStringConvertible {
    var name: String
    var options: SCTPSendOptions
    var testDescription: String { name }
    var reliable: Bool { options.reliability == .reliable }

    static let all: [DeliveryMode] = [
        DeliveryMode(name: "reliable-ordered", options: SCTPSendOptions()),
        DeliveryMode(name: "reliable-unordered", options: SCTPSendOptions(unordered: true)),
        DeliveryMode(name: "unreliable-ordered", options: SCTPSendOptions(reliability: .maxRetransmits(0))),
        DeliveryMode(name: "unreliable-unordered", options: SCTPSendOptions(unordered: true, reliability: .maxRetransmits(0))),
    ]
}

@Suite("Delivery modes under loss")
struct DeliveryModeTests {
    static let messageCount = 200

    @Test("each mode keeps its promise at 0, 5 and 20 % loss", arguments: DeliveryMode.all, [0.0, 0.05, 0.20])
    func deliveryMode(mode: DeliveryMode, loss: Double) throws {
        let pair = try SCTPPair(seed: UInt64(loss * 1000) + 7)
        try pair.connect()
        pair.loss = loss
        pair.delay = .milliseconds(2)
        let sentFrom = pair.eventsA.count
        for index in 0..<Self.messageCount {
            try pair.a.send(indexedPayload(index, size: 200), stream: 1, ppid: 53, options: mode.options)
        }
        // Done when the sender is dry: every message was acknowledged or abandoned.
        let settled = pair.run(timeout: .seconds(20)) {
            pair.eventsA[sentFrom...].contains(.senderDry) && pair.a.bufferedAmount == 0
        }
        pair.pump()
        try #require(settled, "sender never went dry (\(mode.name), loss \(loss))")

        let received = pair.messagesB.map { payloadIndex($0.bytes) }
        let abandoned = pair.failuresA.count
        #expect(pair.messagesB.allSatisfy { $0.stream == 1 && $0.ppid == 53 && $0.unordered == mode.options.unordered })
        #expect(Set(received).count == received.count, "a message was delivered twice")
        if !mode.options.unordered {
            #expect(received == received.sorted(), "an ordered mode reordered")
        }
        if mode.reliable {
            #expect(Set(received) == Set(0..<Self.messageCount), "a reliable mode lost messages")
            #expect(abandoned == 0)
        } else {
            // Every message that did not arrive was reported as abandoned.
            #expect(received.count + abandoned >= Self.messageCount)
            #expect(pair.failuresA.allSatisfy { $0.stream == 1 && $0.ppid == 53 })
            if loss == 0 { #expect(received.count == Self.messageCount) }
            if loss >= 0.2 {
                #expect(received.count < Self.messageCount, "nothing was lost at 20 % loss")
                #expect(abandoned > 0 && pair.a.statistics.messagesAbandoned == abandoned)
            }
        }
    }

    @Test("a lifetime-limited unordered stream abandons messages under 20 % loss")
    func lifetime() throws {
        let pair = try SCTPPair(seed: 99)
        try pair.connect()
        pair.loss = 0.2
        // A 40 ms round trip: no loss can be noticed, let alone repaired, within the 30 ms
        // lifetime, so every lost message is abandoned. In memory without delay, a fast
        // retransmission could beat the lifetime or not, as the scheduler pleased.
        pair.delay = .milliseconds(20)
        let sentFrom = pair.eventsA.count
        let options = SCTPSendOptions(unordered: true, reliability: .maxLifetime(milliseconds: 30))
        for index in 0..<Self.messageCount {
            try pair.a.send(indexedPayload(index, size: 200), stream: 3, ppid: 53, options: options)
        }
        let settled = pair.run(timeout: .seconds(20)) {
            pair.eventsA[sentFrom...].contains(.senderDry) && pair.a.bufferedAmount == 0
        }
        pair.pump()
        try #require(settled)
        let received = pair.messagesB.count
        #expect(received < Self.messageCount)
        #expect(received + pair.failuresA.count >= Self.messageCount)
    }
}
