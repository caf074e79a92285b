import Foundation
import SDP
import Testing
import Wire

@Suite("JSEP offer/answer builder for a DataChannel session")
struct BuilderTests {
    static let fingerprint = Fingerprint(hashFunction: .sha256, bytes: Array(0..<32))

    static func builder() -> DataChannelSessionBuilder {
        DataChannelSessionBuilder(fingerprint: fingerprint, maxMessageSize: 262_144)
    }

    @Test("an offer has actpass, fresh ufrag/pwd, our fingerprint, mid 0, BUNDLE, sctp-port and trickle")
    func offer() throws {
        var rng = SplitMix64(seed: 1)
        let offer = try Self.builder().makeOffer(using: &rng)
        #expect(offer.bundle == ["0"])
        #expect(offer.origin?.username == "-")
        #expect(offer.timing == Timing(start: 0, stop: 0))
        let section = try #require(offer.media.first)
        #expect(offer.media.count == 1)
        #expect(section.mediaLine == .dataChannel)
        #expect(section.connection == ConnectionData())
        #expect(section.setup == .actpass)
        #expect(section.mid == "0")
        #expect(section.sctpPort == 5000)
        #expect(section.maxMessageSize == 262_144)
        #expect(section.supportsTrickle)
        #expect(section.fingerprints == [Self.fingerprint])
        #expect(section.iceUfrag?.count == 8)
        #expect(section.icePwd?.count == 24)
        // What we build, we parse back identically and accept as a remote offer.
        let reparsed = try SessionDescription(parsing: offer.serialized())
        #expect(reparsed == offer)
        let remote = try RemoteDataChannelDescription(validating: reparsed, as: .offer)
        #expect(remote.iceUfrag == section.iceUfrag && remote.icePwd == section.icePwd)
    }

    @Test("a seeded generator gives the same offer; another seed gives other credentials")
    func deterministic() throws {
        var first = SplitMix64(seed: 42), second = SplitMix64(seed: 42), third = SplitMix64(seed: 43)
        let a = try Self.builder().makeOffer(using: &first).serialized()
        let b = try Self.builder().makeOffer(using: &second).serialized()
        let c = try Self.builder().makeOffer(using: &third).serialized()
        #expect(a == b)
        #expect(a != c)
        #expect(a.hasPrefix("v=0\r\no=- "))
        #expect(a.contains("\r\na=fingerprint:sha-256 00:01:02:03:04:05:06:07:08:09:0A:0B:"))
    }

    @Test("ufrag and pwd lengths follow the builder, within RFC 8839 bounds", arguments: [4, 22, 64])
    func lengths(length: Int) throws {
        var builder = Self.builder()
        builder.ufragLength = length
        builder.pwdLength = max(22, length)
        var rng = SplitMix64(seed: UInt64(length))
        let section = try #require(try builder.makeOffer(using: &rng).media.first)
        #expect(section.iceUfrag?.count == length)
        #expect(section.icePwd?.count == max(22, length))
    }

    @Test("credentials that are too short are the caller's error")
    func shortCredentials() {
        var builder = Self.builder()
        builder.ufragLength = 3
        var rng = SplitMix64(seed: 1)
        #expect(throws: SDPError.self) { try builder.makeOffer(using: &rng) }
        builder.ufragLength = 4
        builder.pwdLength = 21
        do { _ = try builder.makeOffer(using: &rng); Issue.record("accepted") } catch {
            #expect(error.code == .invalidArgument && error.origin == .caller)
        }
    }

    @Test("a fingerprint of the wrong length is rejected")
    func badFingerprint() {
        let builder = DataChannelSessionBuilder(fingerprint: Fingerprint(hashFunction: .sha256, bytes: [1, 2]),
                                                maxMessageSize: 1)
        var rng = SplitMix64(seed: 1)
        #expect(throws: SDPError(.invalidArgument, "a sha-256 fingerprint has 32 bytes")) {
            try builder.makeOffer(using: &rng)
        }
    }

    @Test("an answer to Chromium's actpass offer is active by default, passive when asked")
    func answerRoles() throws {
        let offer = try FixtureLoader.parse("chromium-offer.sdp")
        var rng = SplitMix64(seed: 7)
        let active = try Self.builder().makeAnswer(to: offer, using: &rng)
        #expect(active.media.first?.setup == .active)
        #expect(active.bundle == ["0"])
        let passive = try Self.builder().makeAnswer(to: offer, preferredRole: .passive, using: &rng)
        #expect(passive.media.first?.setup == .passive)
        let remote = try RemoteDataChannelDescription(validating: active, as: .answer)
        #expect(remote.setup == .active)
        #expect(remote.mid == "0")
        #expect(active.media.first?.iceUfrag != offer.media.first?.iceUfrag)
    }

    @Test("an answer takes the opposite of a fixed offer role", arguments: [
        (SetupRole.active, SetupRole.passive), (.passive, .active),
    ])
    func fixedRoles(offered: SetupRole, expected: SetupRole) throws {
        let text = try FixtureLoader.text("chromium-offer.sdp").replacingSetup(with: offered.rawValue)
        var rng = SplitMix64(seed: 3)
        let answer = try Self.builder().makeAnswer(to: SessionDescription(parsing: text), using: &rng)
        #expect(answer.media.first?.setup == expected)
    }

    @Test("asking to answer with actpass or holdconn is the caller's error")
    func answerRoleMisuse() throws {
        let offer = try FixtureLoader.parse("chromium-offer.sdp")
        var rng = SplitMix64(seed: 1)
        for role in [SetupRole.actpass, .holdconn] {
            do { _ = try Self.builder().makeAnswer(to: offer, preferredRole: role, using: &rng); Issue.record("accepted") }
            catch { #expect(error.code == .invalidArgument) }
        }
    }

    @Test("a legacy Firefox offer gets a legacy answer with its mid and sctpmap")
    func legacyAnswer() throws {
        let offer = try FixtureLoader.parse("handwritten-firefox-legacy-offer.sdp")
        var rng = SplitMix64(seed: 9)
        let answer = try Self.builder().makeAnswer(to: offer, using: &rng)
        let section = try #require(answer.media.first)
        #expect(section.mediaLine == MediaLine(media: "application", port: 9, proto: "DTLS/SCTP", formats: ["5000"]))
        #expect(section.sctpMap?.port == 5000)
        #expect(section.mid == "sdparta_0")
        #expect(answer.bundle == ["sdparta_0"])
        #expect(section.carriesDataChannels)
    }

    @Test("other offered sections are rejected with port 0, keeping their mid")
    func rejectsOtherSections() throws {
        let offer = try FixtureLoader.parse("handwritten-minimal-lf.sdp")
        var rng = SplitMix64(seed: 5)
        let answer = try Self.builder().makeAnswer(to: offer, using: &rng)
        #expect(answer.media.count == 2)
        #expect(answer.media[0].setup == .active)   // the offer said passive
        #expect(answer.media[0].mid == "data")
        #expect(answer.media[1].mediaLine.port == 0)
        #expect(answer.media[1].mid == "audio")
        #expect(answer.bundle == nil)
    }

    @Test("with candidates and end-of-candidates the answer is complete")
    func candidatesIncluded() throws {
        var builder = Self.builder()
        builder.candidates = [Candidate(foundation: "1", priority: 2_130_706_431, address: "127.0.0.1", port: 4000,
                                        type: .host)]
        builder.endOfCandidates = true
        var rng = SplitMix64(seed: 2)
        let section = try #require(try builder.makeOffer(using: &rng).media.first)
        #expect(section.candidates == builder.candidates)
        #expect(section.hasEndOfCandidates)
    }

    @Test("random ice strings use only ice-chars")
    func iceChars() {
        var rng = SplitMix64(seed: 11)
        let text = DataChannelSessionBuilder.randomICEString(length: 2000, using: &rng)
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        #expect(text.count == 2000)
        #expect(text.allSatisfy(allowed.contains))
        #expect(Set(text).count == 64)
    }
}

extension String {
    /// The same SDP with `a=setup:actpass` replaced.
    func replacingSetup(with role: String) -> String {
        replacingOccurrences(of: "a=setup:actpass", with: "a=setup:" + role)
    }
}
