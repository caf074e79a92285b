import Testing
@testable import SCTP

/// Issue 13 §4, unreliable channels: what they lose is counted exactly. Every message
/// is delivered or reported abandoned (by the id `send` returned); a message can be
/// both, when the SACK that acknowledged it was lost and PR-SCTP gave it up anyway, so
/// sent = delivered + abandoned − abandonedButDelivered.
@Suite("Abandonment accounting")
struct AbandonAccountingTests {
    static let messageCount = 1000

    struct Mode: Sendable, CustomTestStringConvertible {
        var name: String
        var options: SCTPSendOptions
        var testDescription: String { name }
    }

    static let modes: [Mode] = [
        Mode(name: "maxRetransmits 0, ordered", options: SCTPSendOptions(reliability: .maxRetransmits(0))),
        Mode(name: "maxRetransmits 0, unordered", options: SCTPSendOptions(unordered: true, reliability: .maxRetransmits(0))),
        Mode(name: "lifetime 20 ms, ordered", options: SCTPSendOptions(reliability: .maxLifetime(milliseconds: 20))),
        Mode(name: "lifetime 20 ms, unordered", options: SCTPSendOptions(unordered: true, reliability: .maxLifetime(milliseconds: 20))),
    ]

    @Test("every message is delivered or reported abandoned, exactly", arguments: modes)
    func exactAccounting(mode: Mode) throws {
        let pair = try SCTPPair(seed: 4242)
        try pair.connect()
        pair.loss = 0.2
        pair.duplicate = 0.05
        pair.reorder = 0.1
        pair.delay = .milliseconds(5)
        let sentFrom = pair.eventsA.count
        var indexOfID: [UInt32: Int] = [:]
        for index in 0..<Self.messageCount {
            let id = try pair.a.send(indexedPayload(index, size: 300), stream: 1, ppid: 53, options: mode.options)
            indexOfID[id] = index
        }
        #expect(indexOfID.count == Self.messageCount, "send returned an id twice")
        // Settled when the sender is dry: every message acknowledged or abandoned, and
        // (ordered) the FORWARD-TSN that skips the abandoned ones acknowledged too.
        let settled = pair.run(timeout: .seconds(60)) {
            pair.eventsA[sentFrom...].contains(.senderDry) && pair.a.bufferedAmount == 0
        }
        pair.run(for: .milliseconds(300))   // the last packets in flight land
        try #require(settled, "the sender never went dry (\(mode.name))")

        let deliveredList = pair.messagesB.map { payloadIndex($0.bytes) }
        let delivered = Set(deliveredList)
        let failures = pair.failuresA
        let abandonedList = failures.map { indexOfID[$0.messageID] }
        let abandoned = Set(abandonedList.compactMap { $0 })
        let both = delivered.intersection(abandoned)
        let neither = Set(0..<Self.messageCount).subtracting(delivered).subtracting(abandoned)
        print("abandonment accounting, \(mode.name), 20 % loss, 5 % duplication, 10 % reordering: "
              + "sent \(Self.messageCount) = delivered \(delivered.count) + abandoned \(abandoned.count) "
              + "- abandoned but delivered \(both.count); neither: \(neither.count); "
              + "\(pair.packetsDropped) packets dropped, \(pair.packetsDuplicated) duplicated, \(pair.packetsReordered) reordered")
        #expect(!abandonedList.contains(nil), "a failure report named no message this test sent")
        #expect(abandonedList.count == abandoned.count, "a message was reported abandoned twice")
        #expect(deliveredList.count == delivered.count, "a message was delivered twice")
        #expect(neither.isEmpty, "neither delivered nor reported: \(neither.sorted().prefix(20))")
        #expect(Self.messageCount == delivered.count + abandoned.count - both.count)
        #expect(pair.a.statistics.messagesAbandoned == abandoned.count)
        #expect(failures.allSatisfy { $0.stream == 1 && $0.ppid == 53 && $0.byteCount == 300 })
        #expect(abandoned.count > 0, "nothing was abandoned at 20 % loss")
        if !mode.options.unordered {
            #expect(deliveredList == deliveredList.sorted(), "an ordered channel reordered")
        }
    }
}
