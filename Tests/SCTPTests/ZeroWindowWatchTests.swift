import Testing
@testable import SCTP

/// RFC 9260 §6.1 A: zero-window probes the peer answers with SACKs must not count
/// towards its death; a peer that stops answering must still be judged.
@Suite("Zero-window watch")
struct ZeroWindowWatchTests {
    static func packet(_ chunks: [[UInt8]]) -> [UInt8] { [UInt8](repeating: 0, count: 12) + chunks.flatMap { $0 } }

    static func sack(cumulative: UInt32, window: UInt32) -> [UInt8] {
        func word(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }
        return [3, 0, 0, 16] + word(cumulative) + word(window) + [0, 0, 0, 0]
    }

    static let heartbeatAck: [UInt8] = [5, 0, 0, 8, 0, 1, 0, 4]

    @Test("a closed window suspends the limits; an acknowledgement past the stall restores them")
    func reopenWithData() {
        var watch = ZeroWindowWatch(silence: .seconds(10))
        let now = ContinuousClock.now
        #expect(watch.received(Self.packet([Self.sack(cumulative: 100, window: 50_000)]), now: now) == nil)
        #expect(watch.received(Self.packet([Self.sack(cumulative: 100, window: 0)]), now: now) == .suspendLimits)
        #expect(watch.received(Self.packet([Self.sack(cumulative: 101, window: 0)]), now: now) == nil)
        #expect(watch.suspended)
        #expect(watch.received(Self.packet([Self.sack(cumulative: 105, window: 4000)]), now: now) == .restoreLimits)
        #expect(!watch.suspended)
    }

    @Test("a window update without new data asks for a heartbeat; its ACK restores the limits")
    func reopenWithoutData() {
        var watch = ZeroWindowWatch(silence: .seconds(10))
        let now = ContinuousClock.now
        #expect(watch.received(Self.packet([Self.sack(cumulative: 7, window: 0)]), now: now) == .suspendLimits)
        #expect(watch.received(Self.packet([Self.heartbeatAck]), now: now) == nil, "no heartbeat was asked for yet")
        #expect(watch.received(Self.packet([Self.sack(cumulative: 7, window: 65_536)]), now: now) == .requestHeartbeat)
        #expect(watch.received(Self.packet([Self.sack(cumulative: 7, window: 65_536)]), now: now) == nil, "one request")
        #expect(watch.received(Self.packet([Self.heartbeatAck]), now: now) == .restoreLimits)
        #expect(!watch.suspended)
    }

    @Test("a peer silent for the whole budget gets its limits back (and usrsctp's verdict)")
    func silentPeer() {
        var watch = ZeroWindowWatch(silence: .seconds(4))
        let start = ContinuousClock.now
        #expect(watch.received(Self.packet([Self.sack(cumulative: 1, window: 0)]), now: start) == .suspendLimits)
        #expect(watch.check(now: start + .seconds(3)) == nil)
        #expect(watch.received(Self.packet([Self.sack(cumulative: 1, window: 0)]), now: start + .seconds(3)) == nil)
        #expect(watch.check(now: start + .seconds(6)) == nil, "the answer at 3 s counts from there")
        #expect(watch.check(now: start + .seconds(8)) == .restoreLimits)
        #expect(watch.check(now: start + .seconds(20)) == nil)
    }

    @Test("truncated or foreign chunks change nothing")
    func hostile() {
        var watch = ZeroWindowWatch(silence: .seconds(4))
        let now = ContinuousClock.now
        #expect(watch.received([3, 0, 0], now: now) == nil)
        #expect(watch.received(Self.packet([[3, 0, 0, 8, 0, 0, 0, 0]]), now: now) == nil)
        #expect(watch.received(Self.packet([[0, 3, 0, 16] + [UInt8](repeating: 0, count: 12)]), now: now) == nil)
        #expect(!watch.suspended)
    }
}
