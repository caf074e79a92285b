import DataTransport
import SCTP
import SDP
import Testing
import Wire

@Suite("a=max-message-size: what we advertise is what we accept, what the peer advertises is what we send")
struct MaxMessageSizeTests {
    /// The remote description a peer advertising `limit` would send.
    /// `limit` nil: a description without the attribute (an old peer).
    static func remote(advertising limit: UInt64?) throws -> RemoteDataChannelDescription {
        let builder = DataChannelSessionBuilder(
            fingerprint: Fingerprint(hashFunction: .sha256, bytes: Array(0..<32)), maxMessageSize: limit ?? 1)
        var rng = SplitMix64(seed: 7)
        var text = try builder.makeOffer(using: &rng).serialized()
        if limit == nil {
            text = text.split(separator: "\r\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("a=max-message-size:") }.joined(separator: "\r\n")
        }
        return try RemoteDataChannelDescription(validating: try SessionDescription(parsing: text), as: .offer)
    }

    @Test("the advertised value equals the association's own limit, and survives SDP to the peer")
    func advertisedMatchesAssociation() throws {
        let pair = try TransportPair()
        #expect(pair.client.advertisedMaxMessageSize == UInt64(pair.client.association.configuration.maxMessageSize))
        let remote = try Self.remote(advertising: pair.client.advertisedMaxMessageSize)
        #expect(remote.maxMessageSize == 262_144)
        pair.server.applyRemoteMaxMessageSize(of: remote)
        #expect(pair.server.association.maxMessageSize == 262_144)
    }

    @Test("a peer's smaller limit is enforced before sending; its largest message still crosses")
    func smallerPeerLimit() throws {
        let pair = try TransportPair()
        pair.client.applyRemoteMaxMessageSize(of: try Self.remote(advertising: 1000))
        #expect(pair.connect())
        do {
            try pair.client.send([UInt8](repeating: 1, count: 1001), stream: 0, ppid: 53)
            Issue.record("a 1001-byte message was accepted by a peer that advertised 1000")
        } catch {
            #expect(error.sctpError?.code == .messageTooLarge)
        }
        try pair.client.send([UInt8](repeating: 2, count: 1000), stream: 0, ppid: 53)
        pair.run { !pair.messages(pair.serverEvents).isEmpty }
        #expect(pair.messages(pair.serverEvents).map(\.bytes.count) == [1000])
    }

    @Test("0 means the peer sets no limit (RFC 8841 §6): only our own limit applies; absent means 64 KiB")
    func zeroAndAbsent() throws {
        let pair = try TransportPair()
        pair.client.applyRemoteMaxMessageSize(of: try Self.remote(advertising: 0))
        #expect(pair.client.association.maxMessageSize == pair.client.association.configuration.maxMessageSize)
        pair.client.applyRemoteMaxMessageSize(of: try Self.remote(advertising: nil))
        #expect(pair.client.association.maxMessageSize == 65_536)
    }
}
