import DataChannels
import Foundation
import ProcessProbe
import Testing
@testable import WebRTC

/// No leaks (issue 13, §4): connect, exchange and close, again and again in one process,
/// and the open file descriptors and the resident memory come back to a bound. The suite
/// runs a bounded count; `scripts/soak.sh` runs SOAK_CYCLES=1000 (docs/RELIABILITY.md).
/// The figures are the whole process's, so this suite runs alone (scripts/test.sh's third
/// run): beside other suites it would count their sockets and memory too.
@Suite("Connection cycles: connect, exchange, close; descriptors and memory come back", .serialized)
struct ConnectionCycleTests {
    static var cycles: Int { ProcessInfo.processInfo.environment["SOAK_CYCLES"].flatMap(Int.init).map { max(1, $0) } ?? 100 }

    static func cycle(_ index: Int, host: PeerConnectionHost) async throws {
        let pair = try await PeerPair.make(host: host)
        let channel = try await pair.offerer.createDataChannel("cycle")
        try await pair.connect(timeout: .seconds(30))
        let incoming = try await PeerPair.firstIncoming(pair.answerer, timeout: .seconds(30))
        #expect(try await PeerPair.within(.seconds(30)) { await channel.waitUntilOpen() } == .open)
        try await channel.send(.binary([UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 1024)))
        #expect(try await PeerPair.next(incoming, timeout: .seconds(30)) == .binary([UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 1024)))
        await pair.close()
    }

    @Test("every cycle connects and exchanges; after the last close, descriptors are back and memory is bounded")
    func cyclesReturnToBound() async throws {
        let host = PeerConnectionHost(name: "cycles")
        // Warm-up: the first connections create the SCTP runtime, OpenSSL's tables and
        // the allocator's arenas, which stay for the process's life.
        for index in 0..<10 { try await Self.cycle(index, host: host) }
        try await Task.sleep(for: .milliseconds(200))
        let descriptorsBefore = ProcessProbe.openDescriptors(), residentBefore = ProcessProbe.residentKiB()
        let count = Self.cycles
        let started = ContinuousClock.now
        for index in 0..<count { try await Self.cycle(index, host: host) }
        // Closed connections leave the host on its thread: give it a moment to detach them.
        let settle = ContinuousClock.now + .seconds(10)
        while try await host.perform({ host.attachedCount }) > 0, ContinuousClock.now < settle {
            try await Task.sleep(for: .milliseconds(20))
        }
        let descriptorsAfter = ProcessProbe.openDescriptors(), residentAfter = ProcessProbe.residentKiB()
        print("connection cycles: \(count) in \(ContinuousClock.now - started); descriptors \(descriptorsBefore) before, "
              + "\(descriptorsAfter) after; VmRSS \(residentBefore) KiB before, \(residentAfter) KiB after "
              + "(\(residentAfter - residentBefore) KiB, \((residentAfter - residentBefore) * 1024 / max(1, count)) B per cycle)")
        #expect(try await host.perform { host.attachedCount } == 0, "connections still attached to the host")
        // Each connection binds sockets and OpenSSL/usrsctp hold none of their own: the
        // count comes back exactly, give or take the test runner's own (a few).
        #expect(descriptorsAfter <= descriptorsBefore + 4, "descriptors \(descriptorsBefore) → \(descriptorsAfter)")
        // Memory: the allocator keeps pages the first connections needed (after the 10
        // warm-up cycles, 100 more grew VmRSS by 0.7 MiB here, 1000 by about 10 MiB), so the
        // bound is 12 MiB plus 32 KiB per cycle. A closed connection that stayed in memory
        // (its core, DTLS and usrsctp association: about 310 KiB, as before the host's
        // attachment cycle was broken) breaks it from 50 cycles on.
        // Under a sanitizer the runtime's own memory comes on top (ProcessProbe.memorySlackKiB).
        #expect(residentAfter - residentBefore <= 12 * 1024 + 32 * count + ProcessProbe.memorySlackKiB,
                "VmRSS grew by \(residentAfter - residentBefore) KiB")
    }
}
