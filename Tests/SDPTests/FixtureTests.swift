import SDP
import Testing
import Wire

@Suite("Captured and hand-written SDP fixtures")
struct FixtureTests {
    @Test("the fixture folder holds the eight expected SDPs")
    func fixtureList() {
        #expect(FixtureLoader.names == [
            "aiortc-answer-to-chromium.sdp", "aiortc-offer.sdp", "chromium-answer-to-aiortc.sdp",
            "chromium-offer-mdns.sdp", "chromium-offer.sdp", "handwritten-firefox-legacy-offer.sdp",
            "handwritten-minimal-lf.sdp", "handwritten-safari-answer.sdp",
        ])
    }

    @Test("every fixture serialises back byte for byte with its own line ending",
          arguments: FixtureLoader.names)
    func roundTrip(name: String) throws {
        let text = try FixtureLoader.text(name)
        let description = try SessionDescription(parsing: text)
        #expect(description.serialized() == text)
        #expect(Array(description.serialized().utf8) == Array(text.utf8))
        let reparsed = try SessionDescription(parsing: description.serialized(lineEnding: .lf))
        #expect(reparsed.serialized(lineEnding: description.lineEnding) == text)
    }

    @Test("every fixture passes remote validation with one DataChannel section", arguments: FixtureLoader.names)
    func validates(name: String) throws {
        let description = try FixtureLoader.parse(name)
        let kind: RemoteDataChannelDescription.Kind = name.contains("answer") ? .answer : .offer
        let remote = try RemoteDataChannelDescription(validating: description, as: kind)
        #expect(remote.sctpPort == 5000)
        #expect(remote.fingerprints.first?.bytes.count == remote.fingerprints.first?.hashFunction.digestLength)
    }

    @Test("Chromium's offer: ufrag, pwd, fingerprint, setup, trickle and two host candidates")
    func chromiumOffer() throws {
        let sdp = try FixtureLoader.parse("chromium-offer.sdp")
        #expect(sdp.lineEnding == .crlf)
        #expect(sdp.origin == Origin(sessionID: "889491523051659452"))
        #expect(sdp.bundle == ["0"])
        #expect(sdp.msidSemantic == MSIDSemantic(semantic: "WMS"))
        #expect(sdp.hasAttribute("extmap-allow-mixed"))
        let section = try #require(sdp.media.first)
        #expect(section.mediaLine == MediaLine(media: "application", port: 57963, proto: "UDP/DTLS/SCTP",
                                               formats: ["webrtc-datachannel"]))
        #expect(section.connection == ConnectionData(address: "192.0.2.10"))
        #expect(section.iceUfrag == "L2h2")
        #expect(section.icePwd == "o39u/HbxBnW71IRtdPPab7l6")
        #expect(section.supportsTrickle)
        #expect(section.setup == .actpass)
        #expect(section.mid == "0")
        #expect(section.sctpPort == 5000)
        #expect(section.maxMessageSize == 262_144)
        #expect(section.fingerprints == [Fingerprint(hashFunction: .sha256, bytes: Hex.decode(
            "79DAD877C0E261569A4E2E6FFCA11F7ED14E9FA7B902E6E50D0FB1B93B29A3F2")!)])
        #expect(section.candidates == [
            Candidate(foundation: "2552246213", priority: 2_113_937_151, address: "192.0.2.10", port: 57963,
                      type: .host, generation: 0, networkCost: 999),
            Candidate(foundation: "722016607", priority: 2_113_939_711, address: "2001:db8::10", port: 44756,
                      type: .host, generation: 0, networkCost: 999),
        ])
        #expect(section.candidates[1].connectionAddress == .ip(IPAddress("2001:db8::10")!))
        #expect(!section.hasEndOfCandidates)
    }

    @Test("Chromium with mDNS hides both host addresses behind .local names")
    func chromiumMDNS() throws {
        let section = try #require(try FixtureLoader.parse("chromium-offer-mdns.sdp").media.first)
        #expect(section.iceUfrag == "CE9A")
        #expect(section.mediaLine.port == 9)
        #expect(section.connection?.address == "0.0.0.0")
        let candidates = section.candidates
        #expect(candidates.map(\.address) == ["27d8baf9-84d4-42e8-a5e3-782302f5b08e.local",
                                              "4506a701-59d1-41d3-8ad3-f2892fd37422.local"])
        #expect(candidates.allSatisfy { $0.connectionAddress?.isMDNS == true })
        #expect(candidates.map(\.port) == [39241, 45331])
        #expect(section.fingerprints.first?.bytes.prefix(4) == [0x28, 0x47, 0xDE, 0x33])
    }

    @Test("Chromium's answer to aiortc chooses setup:active")
    func chromiumAnswer() throws {
        let section = try #require(try FixtureLoader.parse("chromium-answer-to-aiortc.sdp").media.first)
        #expect(section.setup == .active)
        #expect(section.iceUfrag == "6gSA")
        #expect(section.icePwd == "62Rwd2aGJ8NpGBloZKIK5MYC")
        #expect(section.candidates.map(\.foundation) == ["1156419236", "4156864574"])
        #expect(section.candidates.map(\.priority) == [2_113_937_151, 2_113_939_711])
        #expect(Hex.encode(section.fingerprints[0].bytes).hasPrefix("ada693f1"))
    }

    @Test("aiortc's offer: three fingerprints, end-of-candidates, 32-hex foundations")
    func aiortcOffer() throws {
        let sdp = try FixtureLoader.parse("aiortc-offer.sdp")
        #expect(sdp.origin?.sessionID == "4004621952")
        #expect(sdp.msidSemantic == MSIDSemantic(semantic: "WMS", identifiers: ["*"]))
        let section = try #require(sdp.media.first)
        #expect(section.iceUfrag == "jbIM")
        #expect(section.icePwd == "r2uClq8LFq4CObxnHftlsq")
        #expect(section.setup == .actpass)
        #expect(section.hasEndOfCandidates)
        #expect(!section.supportsTrickle)
        #expect(section.fingerprints.map(\.hashFunction) == [.sha256, .sha384, .sha512])
        #expect(section.fingerprints.map(\.bytes.count) == [32, 48, 64])
        #expect(section.fingerprints[0].bytes.prefix(2) == [0xCB, 0xF2])
        #expect(section.candidates.map(\.foundation) == ["d1b8e55cf9b6fe88384699bd29e169c7",
                                                         "c3054224d5f35c41bc535cf661f76a80"])
        #expect(section.candidates.map(\.address) == ["192.0.2.10", "2001:db8::10"])
        #expect(section.candidates.map(\.port) == [57217, 46304])
        #expect(section.candidates.allSatisfy { $0.priority == 2_130_706_431 && $0.extensions.isEmpty })
    }

    @Test("aiortc's answer to Chromium is active with ufrag BInn")
    func aiortcAnswer() throws {
        let section = try #require(try FixtureLoader.parse("aiortc-answer-to-chromium.sdp").media.first)
        #expect(section.setup == .active)
        #expect(section.iceUfrag == "BInn")
        #expect(section.icePwd == "Vl26YVjw9L84ChchFhmvlG")
        #expect(section.fingerprints[0].bytes.suffix(2) == [0x0D, 0x70])
        #expect(section.candidates.map(\.port) == [42832, 35592])
    }

    @Test("legacy Firefox: DTLS/SCTP 5000 with sctpmap, session-level fingerprint inherited")
    func firefoxLegacy() throws {
        let sdp = try FixtureLoader.parse("handwritten-firefox-legacy-offer.sdp")
        #expect(sdp.origin?.username == "mozilla...THIS_IS_SDPARTA-60.0")
        #expect(sdp.supportsTrickle)
        #expect(sdp.fingerprints.count == 1)
        #expect(sdp.bundle == ["sdparta_0"])
        let section = try #require(sdp.media.first)
        #expect(section.mediaLine.proto == "DTLS/SCTP")
        #expect(section.carriesDataChannels)
        #expect(section.sctpPort == nil)
        #expect(section.dataChannelSCTPPort == 5000)
        #expect(section.sctpMap?.streams == 1024)
        #expect(section.fingerprints.isEmpty)
        let remote = try RemoteDataChannelDescription(validating: sdp, as: .offer)
        #expect(remote.usesLegacySCTPMap)
        #expect(remote.fingerprints == sdp.fingerprints)
        #expect(remote.iceUfrag == "c4f1a0e2")
        #expect(remote.iceOptions == ["trickle"])
        #expect(remote.maxMessageSize == 1_073_741_823)
        #expect(remote.hasEndOfCandidates)
        let candidates = section.candidates
        #expect(candidates.map(\.transport) == [.udp, .tcp, .udp, .udp])
        #expect(candidates[1].transport.rawValue == "TCP")
        #expect(candidates[1].tcpType == .active)
        #expect(candidates[2].type == .serverReflexive)
        #expect(candidates[2].relatedAddress == "192.0.2.20")
        #expect(candidates[2].relatedPort == 49761)
        #expect(candidates[3].type == .relayed)
    }

    @Test("Safari style: mDNS, TCP, IPv6 network-id, relay ufrag and an unknown extension kept")
    func safari() throws {
        let sdp = try FixtureLoader.parse("handwritten-safari-answer.sdp")
        let section = try #require(sdp.media.first)
        #expect(section.bandwidths == [Bandwidth(type: "AS", value: 30)])
        #expect(section.iceUfrag == "9Q+u")
        let candidates = section.candidates
        #expect(candidates.count == 5)
        #expect(candidates[0].connectionAddress?.isMDNS == true)
        #expect(candidates[1].relatedAddress == "0.0.0.0" && candidates[1].relatedPort == 0)
        #expect(candidates[2].transport == .tcp && candidates[2].tcpType == .active && candidates[2].port == 9)
        #expect(candidates[3].networkID == 2 && candidates[3].networkCost == 50)
        #expect(candidates[4].ufrag == "9Q+u")
        #expect(candidates[4].extensions.last == CandidateExtension("x-webkit-token", "abc/+"))
    }

    @Test("bare-LF fixture: ice-lite, sha-1, unknown lines kept, rejected audio ignored")
    func minimalLF() throws {
        let sdp = try FixtureLoader.parse("handwritten-minimal-lf.sdp")
        #expect(sdp.lineEnding == .lf)
        #expect(sdp.isICELite)
        #expect(sdp.sessionName == "minimal")
        #expect(sdp.sessionLines.contains(SDPLine("z", "0 0")))
        #expect(sdp.media.count == 2)
        #expect(sdp.media[0].lines.contains(SDPLine("y", "an unknown line type is kept")))
        #expect(sdp.media[0].attributes.contains(SDPAttribute("x-unknown-flag")))
        #expect(sdp.media[1].mediaLine.port == 0)
        let remote = try RemoteDataChannelDescription(validating: sdp, as: .offer)
        #expect(remote.sectionIndex == 0)
        #expect(remote.mid == "data")
        #expect(remote.isICELite)
        #expect(remote.setup == .passive)
        #expect(remote.fingerprints == [Fingerprint(hashFunction: .sha1, bytes: Hex.decode(
            "8CAF2264A09D8AB2A27F435D48555217561D2E3B")!)])
        #expect(remote.maxMessageSize == 65536)
        #expect(remote.candidates[1].tcpType == .passive)
    }
}
