@testable import sctp_streams
import Testing
import Wire

/// An endpoint that transmits whatever the test queues.
private struct Emitter: DatagramEndpoint {
    var queued: [Datagram] = []
    mutating func handle(_ input: EndpointInput) {}
    mutating func poll() -> EndpointOutput<Never>? { queued.isEmpty ? nil : .transmit(queued.removeFirst()) }
    var nextTimeout: Instant? { nil }
}

/// A clock the test moves.
private final class ManualClock {
    var now = Instant(nanoseconds: 0)
}

@Suite("sctp-streams: --loss and --delay in the driver")
struct ImpairedEndpointTests {
    private let address = TransportAddress(.loopbackV4, 5000)

    @Test("--delay holds each datagram its delay, in order, and reports the head as its next timeout")
    func delay() {
        let clock = ManualClock()
        let endpoint = ImpairedEndpoint(Emitter(), link: LinkImpairment(loss: 0, delay: .milliseconds(10), seed: 1)) { clock.now }
        endpoint.withInner { $0.queued = [Datagram(from: address, to: address, payload: [1])] }
        #expect(endpoint.poll() == nil)
        clock.now = clock.now + .milliseconds(2)
        endpoint.withInner { $0.queued = [Datagram(from: address, to: address, payload: [2])] }
        #expect(endpoint.poll() == nil)
        #expect(endpoint.nextTimeout == Instant(nanoseconds: 10_000_000))
        clock.now = Instant(nanoseconds: 10_000_000)
        guard case let .transmit(first)? = endpoint.poll() else { Issue.record("nothing released at 10 ms"); return }
        #expect(first.payload == [1])
        #expect(endpoint.poll() == nil)
        clock.now = Instant(nanoseconds: 12_000_000)
        guard case let .transmit(second)? = endpoint.poll() else { Issue.record("nothing released at 12 ms"); return }
        #expect(second.payload == [2])
    }

    @Test("under steady traffic (the FIFO never empty) released datagrams are not kept for the whole run")
    func boundedMemory() {
        let clock = ManualClock()
        let endpoint = ImpairedEndpoint(Emitter(), link: LinkImpairment(loss: 0, delay: .milliseconds(10), seed: 1)) { clock.now }
        var released = 0
        // One datagram every 0.1 ms, 10 ms delay: about 100 in flight at any time, 20 000 in all.
        for step in 0..<20_000 {
            clock.now = Instant(nanoseconds: Int64(step) * 100_000)
            endpoint.withInner { $0.queued = [Datagram(from: address, to: address, payload: [UInt8(truncatingIfNeeded: step)])] }
            while case .transmit? = endpoint.poll() { released += 1 }
        }
        #expect(released > 19_800)
        #expect(endpoint.storedCount < 1000, "\(endpoint.storedCount) datagrams held for ~100 in flight")
    }
}
