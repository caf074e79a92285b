import Testing
#if canImport(Glibc)
import Glibc
#endif
import Wire
@testable import SocketDriver

@Suite("UDP sockets on loopback")
struct UDPSocketTests {
    @Test("binding port 0 gets a real port on 127.0.0.1 and ::1")
    func bindsEphemeralPorts() throws {
        let v4 = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        #expect(v4.localAddress.ip == .loopbackV4)
        #expect(v4.localAddress.port != 0)
        #expect(v4.isIPv4)
        let v6 = try UDPSocket(bindingTo: TransportAddress(.loopbackV6, 0))
        #expect(v6.localAddress.ip == .loopbackV6)
        #expect(v6.localAddress.port != 0)
        #expect(!v6.isIPv4)
    }

    @Test("a datagram sent on loopback arrives whole with its source address", arguments: [
        IPAddress.loopbackV4, IPAddress.loopbackV6,
    ])
    func roundTrip(ip: IPAddress) throws {
        let a = try UDPSocket(bindingTo: TransportAddress(ip, 0))
        let b = try UDPSocket(bindingTo: TransportAddress(ip, 0))
        let payload: [UInt8] = Array(0..<200).map { UInt8($0) }
        #expect(try a.send(payload, to: b.localAddress) == .sent)
        var received: Datagram?
        for _ in 0..<1000 where received == nil {
            received = try b.receive()
            if received == nil { usleep(1000) }
        }
        #expect(received == Datagram(from: a.localAddress, to: b.localAddress, payload: payload))
    }

    @Test("receive never blocks: nothing queued gives nil")
    func nonBlocking() throws {
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        let start = SystemClock.now()
        #expect(try socket.receive() == nil)
        #expect((SystemClock.now() - start) < .milliseconds(100))
    }

    @Test("buffer sizes are settable (Linux reports double what was asked)")
    func bufferSizes() throws {
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0),
                                   receiveBufferSize: 100_000, sendBufferSize: 50_000)
        #expect(try socket.receiveBufferSize >= 100_000)
        #expect(try socket.sendBufferSize >= 50_000)
        let small = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0), receiveBufferSize: 4096)
        #expect(try small.receiveBufferSize < 100_000)
    }

    @Test("4 MiB buffers are granted beyond a stock 208 KiB cap (SO_RCVBUFFORCE as root, or the cap setup.sh raises)")
    func largeBuffers() throws {
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0),
                                   receiveBufferSize: 4 << 20, sendBufferSize: 4 << 20)
        #expect(try socket.receiveBufferSize >= 4 << 20, "net.core.rmem_max too low and no CAP_NET_ADMIN: run scripts/setup.sh")
        #expect(try socket.sendBufferSize >= 4 << 20, "net.core.wmem_max too low and no CAP_NET_ADMIN: run scripts/setup.sh")
    }

    @Test("sending to the other IP family is API misuse with a typed error")
    func familyMismatch() throws {
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        #expect(throws: SocketError(.invalidArgument, reason: "cannot send to [::1]:9 from \(socket.localAddress): other IP family")) {
            try socket.send([1], to: TransportAddress(.loopbackV6, 9))
        }
    }

    @Test("binding a port already taken fails with code .bind and errno")
    func bindConflict() throws {
        let first = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        do {
            _ = try UDPSocket(bindingTo: first.localAddress)
            Issue.record("second bind to \(first.localAddress) succeeded")
        } catch let error as SocketError {
            #expect(error.code == .bind)
            #expect(error.osError != nil)
            #expect(error.reason.contains("\(first.localAddress)"))
        }
    }

    @Test("a closed socket refuses to send with code .closed")
    func closed() throws {
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        socket.close()
        socket.close()
        #expect(socket.fileDescriptor == -1)
        #expect { try socket.send([1], to: TransportAddress(.loopbackV4, 9)) } throws: {
            ($0 as? SocketError)?.code == .closed
        }
    }
}

@Suite("clock and name resolution")
struct ClockAndResolverTests {
    @Test("the monotonic clock never goes backwards and tracks real sleeps")
    func monotonic() {
        let first = SystemClock.now()
        usleep(20_000)
        let second = SystemClock.now()
        #expect(second - first >= .milliseconds(20))
        // A sanity bound only (a clock running 1000× fast would pass the lower one): load may delay the wake-up.
        #expect(second - first < .seconds(20))
    }

    @Test("the Unix clock is after 2020 and the monotonic offset maps now to it")
    func unixTime() {
        let unix = SystemClock.unixNanoseconds()
        #expect(unix > 1_577_836_800 * 1_000_000_000)
        let mapped = SystemClock.now().nanoseconds + SystemClock.unixOffsetOfMonotonicZero()
        #expect(abs(mapped - SystemClock.unixNanoseconds()) < 1_000_000_000)
    }

    @Test("literal addresses resolve without a lookup, with the port applied")
    func literals() throws {
        #expect(try HostResolver.resolve(host: "127.0.0.1", port: 3478) == [TransportAddress(.loopbackV4, 3478)])
        #expect(try HostResolver.resolve(host: "::1", port: 1) == [TransportAddress(.loopbackV6, 1)])
        #expect(throws: SocketError.self) { try HostResolver.resolve(host: "::1", port: 1, family: .ipv4) }
    }

    @Test("localhost resolves to a loopback address")
    func localhost() throws {
        let addresses = try HostResolver.resolve(host: "localhost", port: 3478, family: .ipv4)
        #expect(!addresses.isEmpty)
        #expect(addresses.allSatisfy { $0.ip.isLoopback && $0.port == 3478 })
    }

    @Test("a name under .invalid (RFC 6761) is unresolvable with a typed error")
    func unresolvable() {
        #expect { try HostResolver.resolve(host: "nonexistent.invalid", port: 3478) } throws: {
            ($0 as? SocketError)?.code == .unresolvableHost
        }
        #expect { try HostResolver.resolve(host: "", port: 3478) } throws: {
            ($0 as? SocketError)?.code == .invalidArgument
        }
    }
}

@Suite("source address selection")
struct SourceAddressSelectionTests {
    @Test("the kernel sends to loopback from loopback, for both families")
    func loopback() throws {
        #expect(try SourceAddressSelection.localAddress(toward: TransportAddress(.loopbackV4, 3478)) == .loopbackV4)
        #expect(try SourceAddressSelection.localAddress(toward: TransportAddress(.loopbackV6, 3478)) == .loopbackV6)
        #expect(try SourceAddressSelection.localAddress(toward: TransportAddress(.loopbackV4, 0)) == .loopbackV4)
    }
}
