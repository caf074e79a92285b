import Testing
@testable import SCTP

@Suite("Back-pressure")
struct BackpressureTests {
    @Test("buffered amount is counted per stream and falls to its low-water mark with an event")
    func bufferedAmount() throws {
        let pair = try SCTPPair()
        // Queued before the association is up: nothing can leave yet.
        try pair.a.send([UInt8](repeating: 1, count: 5000), stream: 1, ppid: 53)
        try pair.a.send([UInt8](repeating: 2, count: 3000), stream: 2, ppid: 53)
        try pair.a.send([UInt8](repeating: 3, count: 1000), stream: 1, ppid: 53)
        #expect(pair.a.bufferedAmount == 9000)
        #expect(pair.a.bufferedAmount(stream: 1) == 6000)
        #expect(pair.a.bufferedAmount(stream: 2) == 3000)
        pair.a.setBufferedAmountLowThreshold(0, stream: 1)
        pair.a.bufferedAmountLowThreshold = 100
        try pair.connect()
        #expect(pair.run(timeout: .seconds(5)) { pair.messagesB.count == 3 })
        #expect(pair.a.bufferedAmount == 0)
        #expect(pair.eventsA.contains(.bufferedAmountLow(stream: 1)))
        #expect(pair.eventsA.contains(.bufferedAmountLow(stream: nil)))
        #expect(!pair.eventsA.contains(.bufferedAmountLow(stream: 2)))
    }

    @Test("send refuses data beyond maxBufferedAmount instead of growing memory")
    func bufferFull() throws {
        var configuration = SCTPConfiguration.fast()
        configuration.maxMessageSize = 4096
        configuration.maxBufferedAmount = 8192
        let association = try SCTPAssociation(configuration: configuration)
        try association.send([UInt8](repeating: 0, count: 4096), stream: 0, ppid: 53)
        try association.send([UInt8](repeating: 0, count: 4096), stream: 1, ppid: 53)
        let error = #expect(throws: SCTPError.self) { try association.send([1], stream: 0, ppid: 53) }
        #expect(error?.code == .bufferFull)
        #expect(association.bufferedAmount == 8192)
    }

    @Test("a fast sender that respects bufferFull moves 8 MiB without loss")
    func throughput() throws {
        var configuration = SCTPConfiguration.fast()
        configuration.maxBufferedAmount = 1 << 20
        let pair = try SCTPPair(configuration: configuration)
        try pair.connect()
        let message = [UInt8](repeating: 0x5A, count: 65_536)
        let total = 128
        var sent = 0
        let start = ContinuousClock.now
        let done = pair.run(timeout: .seconds(20)) {
            while sent < total, (try? pair.a.send(message, stream: 0, ppid: 53)) != nil { sent += 1 }
            return pair.messagesB.count == total
        }
        let elapsed = ContinuousClock.now - start
        #expect(done)
        #expect(pair.messagesB.allSatisfy { $0.bytes.count == 65_536 })
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("SCTP in memory, no loss: \(total * 64 / 1024) MiB in \(elapsed), \(Int(Double(total * 65_536) / seconds / 1e6)) MB/s")
    }
}
