import DataChannels
import Foundation
import SDP
import Testing
@testable import WebRTC

/// Two of our peer connections over real loopback UDP: every layer together.
@Suite("PeerConnection over loopback: offer, answer, trickle, channels")
struct PeerConnectionLoopbackTests {
    @Test("a channel created before the offer opens on both sides and carries text, binary and empty messages")
    func roundTrip() async throws {
        let pair = try await PeerPair.make()
        let chat = try await pair.offerer.createDataChannel("chat", options: RTCDataChannelInit(protocol: "lab-chat"))
        try await pair.connect()
        let incoming = try await PeerPair.firstIncoming(pair.answerer)
        #expect(incoming.label == "chat")
        #expect(incoming.protocol == "lab-chat")
        #expect(await chat.waitUntilOpen() == .open)
        // The offerer is the DTLS server (the answer says setup:active), so its ids are odd.
        #expect(chat.id.map { $0 % 2 } == 1)
        let sent: [DataChannelMessage] = [.text("héllo"), .binary([0, 1, 2, 255]), .text(""), .binary([])]
        for message in sent { try await chat.send(message) }
        var received: [DataChannelMessage] = []
        for _ in sent { received.append(try await PeerPair.next(incoming)) }
        #expect(received == sent)
        try await incoming.send("back")
        #expect(try await PeerPair.next(chat) == .text("back"))
        let stats = try await pair.offerer.stats()
        #expect(stats.messagesSent >= 5)
        #expect(stats.messagesReceived >= 2)
        #expect(stats.selectedPair?.remote.address.ip.isLoopback == true)
        #expect(stats.dtlsCipherSuite != nil)
        #expect(stats.roundTripTime.map { $0 > .zero } == true)  // measured; load decides how long
        #expect(pair.offerer.signalingState == .stable)
        #expect([.connected, .completed].contains(pair.offerer.iceConnectionState))
        #expect(pair.offerer.iceGatheringState == .complete)
        await pair.close()
        #expect(pair.offerer.connectionState == .closed)
        #expect(chat.readyState == .closed)
    }

    @Test("closing a channel resets its stream: closing, then closed on both sides")
    func closeChannel() async throws {
        let pair = try await PeerPair.make()
        let channel = try await pair.offerer.createDataChannel("to-close")
        try await pair.connect()
        let incoming = try await PeerPair.firstIncoming(pair.answerer)
        #expect(await channel.waitUntilOpen() == .open)
        let states = channel.states
        let remoteStates = incoming.states
        await channel.close()
        let seen = try await PeerPair.within(.seconds(10)) { () -> [DataChannelState] in
            var seen: [DataChannelState] = []
            for await state in states {
                seen.append(state)
                if state == .closed { break }
            }
            return seen
        }
        #expect(seen.contains(.closing))
        #expect(seen.last == .closed)
        let remoteSeen = try await PeerPair.within(.seconds(10)) { () -> [DataChannelState] in
            var seen: [DataChannelState] = []
            for await state in remoteStates {
                seen.append(state)
                if state == .closed { break }
            }
            return seen
        }
        #expect(remoteSeen.last == .closed)
        await #expect(throws: PeerConnectionError.self) { try await channel.send("too late") }
        await pair.close()
    }

    @Test("negotiated channels with an agreed id open without DCEP on both sides")
    func negotiated() async throws {
        let pair = try await PeerPair.make()
        let options = RTCDataChannelInit(negotiated: true, id: 7)
        let a = try await pair.offerer.createDataChannel("agreed", options: options)
        let b = try await pair.answerer.createDataChannel("agreed", options: options)
        try await pair.connect()
        #expect(await a.waitUntilOpen() == .open)
        #expect(await b.waitUntilOpen() == .open)
        #expect(a.id == 7)
        try await a.send("over 7")
        #expect(try await PeerPair.next(b) == .text("over 7"))
        await pair.close()
    }

    @Test("a message above the peer's a=max-message-size is refused, not truncated")
    func maxMessageSize() async throws {
        var small = PeerConnectionConfiguration()
        small.maxMessageSize = 65_536
        let pair = try await PeerPair.make(answererConfiguration: small)
        let channel = try await pair.offerer.createDataChannel("big")
        try await pair.connect()
        #expect(await channel.waitUntilOpen() == .open)
        let incoming = try await PeerPair.firstIncoming(pair.answerer)
        await #expect {
            try await channel.send([UInt8](repeating: 1, count: 65_537))
        } throws: { error in
            (error as? PeerConnectionError)?.code == .messageTooLarge
        }
        try await channel.send([UInt8](repeating: 2, count: 65_536))
        #expect(try await PeerPair.next(incoming) == .binary([UInt8](repeating: 2, count: 65_536)))
        await pair.close()
    }

    @Test("bufferedAmount grows with queued data and the low-threshold event fires as it drains")
    func bufferedAmountLow() async throws {
        let pair = try await PeerPair.make()
        let channel = try await pair.offerer.createDataChannel("bulk")
        try await pair.connect()
        #expect(await channel.waitUntilOpen() == .open)
        let incoming = try await PeerPair.firstIncoming(pair.answerer)
        channel.bufferedAmountLowThreshold = 64 * 1024
        let lows = channel.bufferedAmountLowEvents
        var peak = 0
        for _ in 0..<64 {
            try await channel.send([UInt8](repeating: 7, count: 65_536))
            peak = max(peak, channel.bufferedAmount)
        }
        #expect(peak > 64 * 1024, "4 MiB sent at once must queue beyond the threshold")
        let fired = try await PeerPair.within(.seconds(20)) { () -> Bool in
            for await _ in lows { return true }
            return false
        }
        #expect(fired)
        var received = 0
        while received < 64 {
            guard case let .binary(bytes) = try await PeerPair.next(incoming) else { break }
            #expect(bytes.count == 65_536)
            received += 1
        }
        #expect(received == 64)
        await pair.close()
    }

    @Test("ten connections share one host thread")
    func manyConnections() async throws {
        let host = PeerConnectionHost(name: "many")
        var pairs: [PeerPair] = []
        for _ in 0..<5 { pairs.append(try await PeerPair.make(host: host)) }
        var channels: [RTCDataChannel] = []
        for pair in pairs { channels.append(try await pair.offerer.createDataChannel("n")) }
        for pair in pairs { try await pair.connect() }
        for (index, pair) in pairs.enumerated() {
            let incoming = try await PeerPair.firstIncoming(pair.answerer)
            try await channels[index].send("pair \(index)")
            #expect(try await PeerPair.next(incoming) == .text("pair \(index)"))
        }
        for pair in pairs { await pair.close() }
        #expect(try await host.perform { host.attachedCount } == 0)
    }
}

/// The lab's hook into DCEP: a replacement OPEN codec runs on real traffic.
@Suite("DCEPOpenCodec: the exercise hook on real channels")
struct DCEPOpenCodecTests {
    @Test("the offerer's encoder writes the OPEN the answerer reads; a decoder that refuses keeps the channel from opening")
    func hook() async throws {
        var rewriting = PeerConnectionConfiguration()
        rewriting.dcepOpenCodec = DCEPOpenCodec(encode: { open in
            var changed = open
            changed.label = "rewritten:" + open.label
            return changed.bytes
        }, decode: DCEPOpenCodec.standard.decode)
        let pair = try await PeerPair.make(offererConfiguration: rewriting)
        _ = try await pair.offerer.createDataChannel("original")
        try await pair.connect()
        #expect(try await PeerPair.firstIncoming(pair.answerer).label == "rewritten:original")
        await pair.close()

        var refusing = PeerConnectionConfiguration()
        refusing.dcepOpenCodec = DCEPOpenCodec(encode: DCEPOpenCodec.standard.encode, decode: { _ in nil })
        let refused = try await PeerPair.make(answererConfiguration: refusing)
        _ = try await refused.offerer.createDataChannel("never")
        try await refused.connect()
        await #expect(throws: PeerPair.TimeoutError.self) {
            _ = try await PeerPair.firstIncoming(refused.answerer, timeout: .milliseconds(500))
        }
        await refused.close()
    }
}
