import DataChannels
import Foundation
import Testing
@testable import WebRTC

/// Issue 13 §4, receive back-pressure through every layer, over real loopback UDP:
/// a channel whose application stops reading stops the sender through SCTP's
/// receive window; the reader's queue stays bounded, nothing is lost.
@Suite("Receive back-pressure over a PeerConnection")
struct ChannelBackpressureTests {
    static let messageSize = 65_536
    /// 64 MiB: 16 times what the sender may buffer, 64 times SCTP's receive buffer.
    static let messageCount = 1024
    static let queueLimit = 256 << 10
    static let maxBuffered = 4 << 20
    /// SCTP's receive buffer (`SCTPConfiguration.receiveBufferSize`'s default).
    static let receiveBuffer = 1 << 20

    static func payload(_ index: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: messageSize)
        withUnsafeBytes(of: UInt32(index).bigEndian) { bytes.replaceSubrange(0..<4, with: $0) }
        for position in 4..<messageSize {
            bytes[position] = UInt8(truncatingIfNeeded: index &* 131 &+ position &* 7 &+ position >> 8)
        }
        return bytes
    }

    @Test("a channel nobody reads stops the sender; the reader's queue stays bounded; on reading, every byte arrives in order")
    func stalledReader() async throws {
        var senderConfiguration = PeerConnectionConfiguration()
        senderConfiguration.maxBufferedAmount = Self.maxBuffered
        var receiverConfiguration = PeerConnectionConfiguration()
        receiverConfiguration.channelReceiveQueueLimit = Self.queueLimit
        let pair = try await PeerPair.make(offererConfiguration: senderConfiguration, answererConfiguration: receiverConfiguration)
        let channel = try await pair.offerer.createDataChannel("bulk")
        try await pair.connect()
        let incoming = try await PeerPair.firstIncoming(pair.answerer)
        #expect(await channel.waitUntilOpen() == .open)
        let id = channel.channelID
        let sender = pair.offerer
        func buffered() async throws -> Int { try await sender.withCore { core, _ in core.bufferedAmount(of: id) } }

        var sent = 0
        var refusals = 0
        var next: [UInt8]?
        /// Sends until `.bufferFull`; true when it sent everything.
        func feed() async throws -> Bool {
            while sent < Self.messageCount {
                let message = next ?? Self.payload(sent)
                next = message
                do {
                    try await channel.send(message)
                } catch let error as PeerConnectionError where error.code == .bufferFull {
                    refusals += 1
                    return false
                }
                next = nil
                sent += 1
            }
            return true
        }

        // Stall: nobody reads. Until the sender is refused with a full buffer, and the
        // reader's queue no longer moves (checked every 300 ms; a failure bound only).
        var stalled = false
        var lastQueued = -1
        for _ in 0..<400 {
            _ = try await feed()
            let queued = incoming.messages.queuedBytes
            if try await buffered() > Self.maxBuffered - Self.messageSize, queued == lastQueued {
                stalled = true
                break
            }
            lastQueued = queued
            try await Task.sleep(for: .milliseconds(300))
        }
        let bufferedNow = try await buffered()
        try #require(stalled, "the sender never stalled: \(sent) sent, \(bufferedNow) buffered, \(incoming.messages.queuedBytes) queued")
        let (sentAtStall, queuedAtStall) = (sent, incoming.messages.queuedBytes)
        // Hold it: the sender keeps trying; nothing more may leave it or reach the queue.
        for _ in 0..<10 {
            _ = try await feed()
            try await Task.sleep(for: .milliseconds(200))
        }
        let bufferedInStall = try await buffered()
        let paused = try await pair.answerer.withCore { core, _ in core.isReceivingPaused }
        print("channel back-pressure, stalled: sender bufferedAmount \(bufferedInStall) B of \(Self.maxBuffered), "
              + "\(sent) of \(Self.messageCount) messages accepted (at the stall \(sentAtStall)), \(refusals) bufferFull refusals; "
              + "reader's queue \(incoming.messages.queuedBytes) B (at the stall \(queuedAtStall), limit \(Self.queueLimit)); receiver paused: \(paused)")
        #expect(bufferedInStall > Self.maxBuffered - Self.messageSize)
        #expect(sent == sentAtStall, "the sender kept sending into a stalled reader")
        #expect(sent < Self.messageCount / 4)
        #expect(incoming.messages.queuedBytes == queuedAtStall)
        #expect(incoming.messages.queuedBytes <= Self.queueLimit + Self.receiveBuffer + Self.messageSize)
        #expect(paused)

        // Read: everything arrives, in order, byte for byte, while the sender sends the rest.
        let reader = Task { () -> (count: Int, inOrder: Bool, intact: Bool) in
            var iterator = incoming.messages.makeAsyncIterator()
            var (count, inOrder, intact) = (0, true, true)
            while count < Self.messageCount, let message = await iterator.next() {
                guard case let .binary(bytes) = message else {
                    intact = false
                    break
                }
                let index = bytes.count >= 4 ? Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3]) : -1
                inOrder = inOrder && index == count
                intact = intact && bytes == Self.payload(count)
                count += 1
            }
            return (count, inOrder, intact)
        }
        var attempts = 0
        while try await !feed(), attempts < 48_000 {   // a failure bound: 4 min of 5 ms waits
            attempts += 1
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(sent == Self.messageCount, "the sender could not send everything: \(sent)")
        let outcome = try await PeerPair.within(.seconds(300)) { await reader.value }
        print("channel back-pressure, read: \(outcome.count) of \(Self.messageCount) messages "
              + "(\((outcome.count * Self.messageSize) >> 20) MiB), in order: \(outcome.inOrder), byte for byte: \(outcome.intact); "
              + "reader's queue at most \(incoming.messages.peakQueuedBytes) B (limit \(Self.queueLimit))")
        #expect(outcome.count == Self.messageCount)
        #expect(outcome.inOrder)
        #expect(outcome.intact)
        #expect(incoming.messages.peakQueuedBytes <= Self.queueLimit + Self.receiveBuffer + Self.messageSize)
        #expect(await channel.abandonedMessageCount == 0)
        await pair.close()
    }
}
