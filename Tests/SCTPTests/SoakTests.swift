import Foundation
import Testing
@testable import SCTP

/// Reliable channels under a hostile path (issue 13, §4): loss, duplication and
/// reordering at once, and nothing lost, nothing doubled, nothing out of order where
/// order was promised. The suite runs a bounded count; `scripts/soak.sh` runs the same
/// tests with SOAK_MESSAGES=100000 (docs/RELIABILITY.md has the figures).
@Suite("Soak: reliable streams under 20 % loss with duplication and reordering", .serialized)
struct SoakTests {
    /// Messages per run: SOAK_MESSAGES, or 2000 in the ordinary suite.
    static var messageCount: Int {
        ProcessInfo.processInfo.environment["SOAK_MESSAGES"].flatMap(Int.init).map { max(1, $0) } ?? 2000
    }

    @Test("reliable ordered and reliable unordered: every message once, in order on the ordered stream",
          arguments: [false, true])
    func reliable(unordered: Bool) throws {
        let count = Self.messageCount
        let pair = try SCTPPair(seed: unordered ? 23 : 19)
        try pair.connect()
        pair.loss = 0.2
        pair.duplicate = 0.05
        pair.reorder = 0.1
        pair.delay = .milliseconds(1)
        let started = ContinuousClock.now
        let options = SCTPSendOptions(unordered: unordered)
        var next = 0
        // Keep about 1 MiB queued: the sender respects back-pressure, as an application must.
        let settled = pair.run(timeout: .seconds(max(60, count / 100))) {
            while next < count, pair.a.bufferedAmount < 1 << 20 {
                guard (try? pair.a.send(indexedPayload(next, size: 200), stream: 1, ppid: 53, options: options)) != nil else { break }
                next += 1
            }
            return next == count && pair.messageCountB >= count
        }
        let elapsed = ContinuousClock.now - started
        let received = pair.messagesB.map { payloadIndex($0.bytes) }
        print("soak \(unordered ? "reliable-unordered" : "reliable-ordered"): \(received.count) of \(count) messages in "
              + "\(elapsed); packets dropped \(pair.packetsDropped), duplicated \(pair.packetsDuplicated), "
              + "reordered \(pair.packetsReordered)")
        #expect(settled, "sent \(next) of \(count), received \(received.count)")
        #expect(Set(received).count == received.count, "a message was delivered twice")
        #expect(Set(received) == Set(0..<count), "a message was lost")
        if !unordered { #expect(received == Array(0..<count), "the ordered stream delivered out of order") }
        #expect(pair.failuresA.isEmpty, "a reliable message was abandoned")
        // The path really was hostile.
        #expect(pair.packetsDropped > 0 && pair.packetsDuplicated > 0 && pair.packetsReordered > 0)
    }
}
