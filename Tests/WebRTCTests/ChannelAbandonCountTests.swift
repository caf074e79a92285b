import DataChannels
import Foundation
import Testing
import Wire
@testable import WebRTC

/// Issue 13 §4, unreliable channels: a channel counts what SCTP gave up on
/// (`RTCDataChannel.abandonedMessageCount`), so that every message sent is accounted
/// for: delivered, abandoned, or both (the exact equation, with message ids, is
/// `AbandonAccountingTests` in SCTPTests).
@Suite("Abandoned messages, counted per channel", .serialized)
struct ChannelAbandonCountTests {
    /// Drops datagrams with probability `loss` once `armed` (host loop thread only).
    final class Loss: @unchecked Sendable {
        // @unchecked: only the host's loop thread touches it, after `perform` installed it.
        private var random = SplitMix64(seed: 1313)
        var armed = false
        private(set) var dropped = 0

        func keep(_ datagram: Datagram) -> Bool {
            guard armed else { return true }
            if Double.random(in: 0..<1, using: &random) < 0.2 { dropped += 1; return false }
            return true
        }
    }

    static let messageCount = 300

    @Test("maxRetransmits 0 at 20 % loss: delivered + abandoned covers every message; the channel's count is the association's")
    func countsAbandoned() async throws {
        let host = PeerConnectionHost(name: "abandon-count")
        let loss = Loss()
        try await host.perform { host.setSendFilter { loss.keep($0) } }
        var configuration = PeerConnectionConfiguration()
        configuration.sctpInitialRTO = .milliseconds(200)
        let pair = try await PeerPair.make(offererConfiguration: configuration, answererConfiguration: configuration, host: host)
        let channel = try await pair.offerer.createDataChannel("lossy", options: RTCDataChannelInit(ordered: false, maxRetransmits: 0))
        try await pair.connect()
        let incoming = try await PeerPair.firstIncoming(pair.answerer)
        #expect(await channel.waitUntilOpen() == .open)
        let reliable = try await pair.offerer.createDataChannel("reliable")
        #expect(await reliable.waitUntilOpen() == .open)
        try await host.perform { loss.armed = true }

        let reader = Task { () -> [Int] in
            var seen: [Int] = []
            for await message in incoming.messages {
                guard case let .text(text) = message, let index = Int(text) else { continue }
                seen.append(index)
            }
            return seen
        }
        for index in 0..<Self.messageCount { try await channel.send("\(index)") }
        // Settled once every message is delivered or counted abandoned (a failure bound).
        let id = channel.channelID
        for _ in 0..<600 {
            let (buffered, abandoned) = try await pair.offerer.withCore { core, _ in
                (core.bufferedAmount(of: id), core.abandonedMessageCount(of: id))
            }
            if buffered == 0, abandoned > 0 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .seconds(1))   // the last retransmissions and abandonments land
        try await host.perform { loss.armed = false }
        let abandoned = await channel.abandonedMessageCount
        let stats = try await pair.offerer.stats()
        await pair.close()
        let delivered = await reader.value
        let dropped = try await host.perform { loss.dropped }
        print("channel abandonment count, maxRetransmits 0, 20 % loss: \(Self.messageCount) sent, "
              + "\(Set(delivered).count) delivered, \(abandoned) abandoned (association: \(stats.messagesAbandoned)), \(dropped) datagrams dropped")
        #expect(delivered.count == Set(delivered).count, "a message was delivered twice")
        #expect(abandoned > 0, "nothing was abandoned at 20 % loss")
        #expect(Set(delivered).count + abandoned >= Self.messageCount, "a message was neither delivered nor counted")
        #expect(abandoned == stats.messagesAbandoned, "the channel's count is not the association's")
        #expect(await reliable.abandonedMessageCount == 0)
    }
}
