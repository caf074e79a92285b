import DataChannels
import Foundation
import SDP
import Testing
import Wire
@testable import WebRTC

/// JSEP in the core, without sockets: what we offer and answer, and how we read
/// what Chromium, Firefox, aiortc and Safari write. No agent is started here, so
/// no packet leaves (the fixtures name documentation addresses).
@Suite("JSEP: descriptions in and out of the core")
struct JSEPTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SDPTests/Fixtures")

    static func fixture(_ name: String) throws -> SessionDescription {
        try SessionDescription(parsing: String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8))
    }

    static func core() throws -> PeerConnectionCore {
        try PeerConnectionCore(configuration: PeerConnectionConfiguration(),
                               hostAddresses: [TransportAddress(.loopbackV4, 40_000)], random: SplitMix64(seed: 7))
    }

    static func events(_ core: PeerConnectionCore) -> [PeerConnectionEvent] {
        var events: [PeerConnectionEvent] = []
        while let output = core.poll() {
            if case let .event(event) = output { events.append(event) }
        }
        return events
    }

    @Test("our offer: actpass, our fingerprint, sctp-port and max-message-size, the core's ICE credentials")
    func offer() throws {
        let core = try Self.core()
        let offer = try core.createOffer()
        let read = try RemoteDataChannelDescription(validating: offer, as: .offer)
        #expect(read.setup == .actpass)
        #expect(read.sctpPort == 5000)
        #expect(read.maxMessageSize == 262_144)
        #expect(read.iceUfrag == core.localCredentials.ufrag)
        #expect(read.fingerprints == [core.certificate.fingerprint()])
        #expect(!read.usesLegacySCTPMap)
    }

    @Test("answering each browser's and stack's offer", arguments: [
        "chromium-offer.sdp", "chromium-offer-mdns.sdp", "aiortc-offer.sdp", "handwritten-firefox-legacy-offer.sdp",
    ])
    func answers(fixture: String) throws {
        let core = try Self.core()
        let offer = try Self.fixture(fixture)
        try core.setRemoteDescription(offer, as: .offer, at: .zero)
        #expect(core.signalingState == .haveRemoteOffer)
        let answer = try core.createAnswer()
        let read = try RemoteDataChannelDescription(validating: answer, as: .answer)
        #expect(read.setup == .active)   // JSEP: the answerer takes the DTLS client role
        let legacy = try RemoteDataChannelDescription(validating: offer, as: .offer).usesLegacySCTPMap
        #expect(read.usesLegacySCTPMap == legacy)
        if legacy { #expect(answer.description.contains("a=sctpmap:5000 webrtc-datachannel")) }
        #expect(answer.media.count == offer.media.count)
    }

    @Test("mDNS and non-loopback candidates are reported and skipped, not errors")
    func skippedCandidates() throws {
        let core = try Self.core()
        try core.setRemoteDescription(try Self.fixture("chromium-offer-mdns.sdp"), as: .offer, at: .zero)
        try core.addRemoteCandidate(line: "candidate:1 1 udp 2122260223 5c1e04a8-0a43-4b5e-9d8e-3c3a1d3b7c41.local 50000 typ host", at: .zero)
        try core.addRemoteCandidate(line: "candidate:2 1 udp 2122260223 192.0.2.1 50000 typ host", at: .zero)
        try core.addRemoteCandidate(line: "candidate:3 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active", at: .zero)
        try core.addRemoteCandidate(line: "not a candidate", at: .zero)
        let skipped = Self.events(core).compactMap { event -> String? in
            if case let .remoteCandidateSkipped(_, reason) = event { return reason }
            return nil
        }
        #expect(skipped.contains { $0.contains("mDNS") })
        #expect(skipped.contains { $0.contains("not loopback") })
        #expect(skipped.contains { $0.contains("UDP only") })
        #expect(skipped.contains { $0.contains("malformed") })
        #expect(core.pendingRemoteCandidates.isEmpty)
    }

    @Test("calls out of order are invalidState errors, not crashes")
    func states() throws {
        let core = try Self.core()
        #expect(throws: PeerConnectionError.self) { try core.createAnswer() }
        #expect(throws: PeerConnectionError.self) { try core.addRemoteCandidate(line: "", at: .zero) }
        let offer = try core.createOffer()
        try core.setLocalDescription(offer, as: .offer, at: .zero)
        #expect(core.signalingState == .haveLocalOffer)
        #expect(throws: PeerConnectionError.self) { try core.setRemoteDescription(offer, as: .offer, at: .zero) }
        core.close(at: .zero)
        #expect(core.signalingState == .closed)
        #expect(throws: PeerConnectionError.self) { try core.createOffer() }
    }

    @Test("an answer without a=max-message-size means 65536 (RFC 8841 §6)")
    func absentMaxMessageSize() throws {
        let core = try Self.core()
        try core.setLocalDescription(try core.createOffer(), as: .offer, at: .zero)
        _ = Self.events(core)
        var answer = try Self.core().createAnswer(to: try core.createOffer())
        for index in answer.media.indices { answer.media[index].lines.removeAll { $0.value.hasPrefix("max-message-size") } }
        try core.setRemoteDescription(answer, as: .answer, at: .zero)
        #expect(core.remote?.maxMessageSize == 65_536)
        core.close(at: .zero)
    }
}

extension PeerConnectionCore {
    /// An answer from a fresh core to `offer` (test helper).
    func createAnswer(to offer: SessionDescription) throws -> SessionDescription {
        try setRemoteDescription(offer, as: .offer, at: .zero)
        return try createAnswer()
    }
}
