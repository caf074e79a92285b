import Testing
import Wire
@testable import SCTP

@Suite("Message size")
struct MessageSizeTests {
    @Test("a 256 KiB message arrives intact, in packets no larger than the path MTU")
    func largeMessage() throws {
        let pair = try SCTPPair()
        try pair.connect()
        var random = SplitMix64(seed: 42)
        let message = (0..<262_144).map { _ in UInt8.random(in: 0...255, using: &random) }
        #expect(pair.a.maxMessageSize == 262_144)
        try pair.a.send(message, stream: 0, ppid: 53)
        let arrived = pair.run(timeout: .seconds(10)) { !pair.messagesB.isEmpty }
        try #require(arrived)
        #expect(pair.messagesB.count == 1)
        #expect(pair.messagesB.first?.bytes == message)
        let largest = pair.a.statistics.largestPacketSent
        #expect(largest <= pair.a.configuration.pathMTU && largest > pair.a.configuration.pathMTU - 64,
                "largest packet \(largest) for path MTU \(pair.a.configuration.pathMTU)")
    }

    @Test("a message larger than the receiver's window arrives in partial deliveries, reassembled")
    func partialDelivery() throws {
        var smallWindow = SCTPConfiguration.fast()
        smallWindow.receiveBufferSize = 32_768
        let pair = try SCTPPair(configuration: .fast(), configurationB: smallWindow)
        try pair.connect()
        let message = (0..<262_144).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
        try pair.a.send(message, stream: 5, ppid: 53)
        try pair.a.send([1, 2, 3], stream: 5, ppid: 51)
        #expect(pair.run(timeout: .seconds(10)) { pair.messagesB.count == 2 })
        #expect(pair.messagesB.first?.bytes == message)
        #expect(pair.messagesB.last == SCTPMessage(stream: 5, ppid: 51, bytes: [1, 2, 3], unordered: false))
    }

    @Test("a message one byte over the limit is refused before anything is queued or sent")
    func tooLarge() throws {
        let pair = try SCTPPair()
        try pair.connect()
        let before = pair.a.statistics
        #expect(throws: SCTPError(.messageTooLarge, "a 262145-byte message exceeds the maximum message size of 262144 bytes; nothing was sent")) {
            try pair.a.send([UInt8](repeating: 1, count: 262_145), stream: 0, ppid: 53)
        }
        #expect(pair.a.poll() == nil)
        #expect(pair.a.bufferedAmount == 0)
        #expect(pair.a.statistics == before)
        // The peer's smaller a=max-message-size lowers the limit.
        pair.a.peerMaxMessageSize = 1000
        #expect(pair.a.maxMessageSize == 1000)
        #expect(throws: SCTPError.self) { try pair.a.send([UInt8](repeating: 1, count: 1001), stream: 0, ppid: 53) }
        try pair.a.send([UInt8](repeating: 1, count: 1000), stream: 0, ppid: 53)
        #expect(pair.run(timeout: .seconds(5)) { pair.messagesB.count == 1 })
    }

    @Test("an empty message is refused (RFC 8831 sends one byte with an EMPTY PPID instead)")
    func empty() throws {
        let association = try SCTPAssociation(configuration: .fast())
        let error = #expect(throws: SCTPError.self) { try association.send([], stream: 0, ppid: 56) }
        #expect(error?.code == .invalidArgument)
    }

    @Test("a peer's message larger than our limit is discarded and reported")
    func receiveLimit() throws {
        var small = SCTPConfiguration.fast()
        small.maxMessageSize = 4096
        let pair = try SCTPPair(configuration: .fast(), configurationB: small)
        try pair.connect()
        try pair.a.send([UInt8](repeating: 7, count: 20_000), stream: 2, ppid: 53)
        try pair.a.send([UInt8](repeating: 8, count: 100), stream: 2, ppid: 53)
        #expect(pair.run(timeout: .seconds(5)) { pair.messagesB.count == 1 })
        #expect(pair.eventsB.contains(.messageDiscarded(stream: 2, byteCount: 20_000)))
        #expect(pair.messagesB.first?.bytes == [UInt8](repeating: 8, count: 100))
    }
}
