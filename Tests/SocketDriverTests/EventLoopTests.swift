import Testing
import Wire
@testable import SocketDriver

@Suite("the poll(2) event loop")
struct EventLoopTests {
    @Test("drives a ping endpoint and an echo endpoint on two sockets to completion, tapping every datagram")
    func pingEcho() throws {
        let loop = EventLoop()
        let serverSocket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        let clientSocket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        var echoed: [Int] = []
        var replies: [UInt8] = []
        var tapped: [TappedDatagram] = []
        loop.tap = { tapped.append($0) }
        let echo = loop.attach(EchoEndpoint(), sockets: [serverSocket]) { count, _ in echoed.append(count) }
        loop.attach(PingEndpoint(local: clientSocket.localAddress, peer: serverSocket.localAddress, count: 5),
                    sockets: [clientSocket]) { event, _ in
            if case let .reply(index) = event { replies.append(index) }
        }
        let reason = try loop.run(until: SystemClock.now() + .seconds(5)) { replies.count == 5 }
        #expect(reason == .stopped)
        #expect(replies.sorted() == [0, 1, 2, 3, 4])
        #expect(echoed == [1, 2, 3, 4, 5])
        #expect(loop.endpoint(echo).echoed == 5)
        #expect(loop.statistics.sent == 10)
        #expect(loop.statistics.received == 10)
        #expect(tapped.filter { $0.direction == .sent }.count == 10)
        #expect(tapped.filter { $0.direction == .received }.count == 10)
        let firstPing = try #require(tapped.first { $0.direction == .sent })
        #expect(firstPing.datagram == Datagram(from: clientSocket.localAddress, to: serverSocket.localAddress,
                                               payload: [0xAB, 0]))
    }

    @Test("fires an endpoint's timeout no earlier than nextTimeout, with the current instant")
    func timeouts() throws {
        let loop = EventLoop()
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV6, 0))
        let due = SystemClock.now() + .milliseconds(30)
        var fired: Instant?
        let handle = loop.attach(AlarmEndpoint(due: due), sockets: [socket]) { at, _ in fired = at }
        let reason = try loop.run(until: due + .seconds(5)) { fired != nil }
        #expect(reason == .stopped)
        let at = try #require(fired)
        #expect(at >= due)
        #expect(at - due < .seconds(2))
        #expect(loop.endpoint(handle).nextTimeout == nil)
    }

    @Test("withEndpoint mutates an attached endpoint and drains its output at once")
    func withEndpointDrains() throws {
        let loop = EventLoop()
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        var fired = 0
        let handle = loop.attach(AlarmEndpoint(), sockets: [socket]) { _, _ in fired += 1 }
        loop.withEndpoint(handle) { alarm in
            alarm.firedAt = .zero
            alarm.pending = true
        }
        #expect(fired == 1)
    }

    @Test("returns .deadline when the deadline passes with nothing happening")
    func deadline() throws {
        let loop = EventLoop()
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        loop.attach(EchoEndpoint(), sockets: [socket]) { _, _ in }
        let start = SystemClock.now()
        #expect(try loop.run(until: start + .milliseconds(40)) == .deadline)
        let elapsed = SystemClock.now() - start
        // Returning at all proves it did not sleep forever; only the lower bound is a timer promise.
        #expect(elapsed >= .milliseconds(40))
    }

    @Test("returns .idle when nothing is attached, instead of sleeping forever")
    func idle() throws {
        #expect(try EventLoop().run() == .idle)
    }

    @Test("a 10 ms ticker ticks about ten times in 100 ms (the SCTP timer shape)")
    func ticker() throws {
        let loop = EventLoop()
        var ticks: [Instant] = []
        let id = loop.addTicker(every: .milliseconds(10)) { ticks.append($0) }
        let start = SystemClock.now()
        #expect(try loop.run(until: start + .milliseconds(105)) == .deadline)
        #expect((3...11).contains(ticks.count), "\(ticks.count) ticks") // fewer only on a loaded machine
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $1 - $0 >= .milliseconds(9) })
        loop.removeTicker(id)
        #expect(try loop.run() == .idle)
    }

    @Test("stop() from an event closure ends the run after that step")
    func stopFromEvent() throws {
        let loop = EventLoop()
        let serverSocket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        let clientSocket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        loop.attach(EchoEndpoint(), sockets: [serverSocket]) { _, _ in }
        var replies = 0
        loop.attach(PingEndpoint(local: clientSocket.localAddress, peer: serverSocket.localAddress, count: 1),
                    sockets: [clientSocket]) { _, _ in
            replies += 1
            loop.stop()
        }
        #expect(try loop.run(until: SystemClock.now() + .seconds(5)) == .stopped)
        #expect(replies == 1)
    }

    @Test("a transmit to the other IP family reaches onSendError, not the wire")
    func sendErrors() throws {
        let loop = EventLoop()
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        var failures: [SocketError.Code] = []
        loop.onSendError = { _, error in failures.append(error.code) }
        loop.attach(PingEndpoint(local: socket.localAddress, peer: TransportAddress(.loopbackV6, 9), count: 2),
                    sockets: [socket]) { _, _ in }
        #expect(failures == [.invalidArgument, .invalidArgument])
        #expect(loop.statistics.sendErrors == 2)
        #expect(loop.statistics.sent == 0)
    }

    @Test("an endpoint on two sockets sends from the socket matching the datagram's source")
    func routesBySource() throws {
        let loop = EventLoop()
        let v4 = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        let v6 = try UDPSocket(bindingTo: TransportAddress(.loopbackV6, 0))
        let peer4 = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        let peer6 = try UDPSocket(bindingTo: TransportAddress(.loopbackV6, 0))
        var tapped: [TappedDatagram] = []
        loop.tap = { tapped.append($0) }
        loop.attach(EchoEndpoint(), sockets: [peer4, peer6]) { _, _ in }
        var replies = 0
        loop.attach(PingEndpoint(local: v6.localAddress, peer: peer6.localAddress, count: 1),
                    sockets: [v4, v6]) { _, _ in replies += 1 }
        loop.attach(PingEndpoint(local: v4.localAddress, peer: peer4.localAddress, count: 1),
                    sockets: [v4, v6]) { _, _ in replies += 1 }
        #expect(try loop.run(until: SystemClock.now() + .seconds(5)) { replies == 2 } == .stopped)
        let sources = Set(tapped.filter { $0.direction == .sent }.map(\.datagram.source))
        #expect(sources == [v4.localAddress, v6.localAddress, peer4.localAddress, peer6.localAddress])
    }
}
