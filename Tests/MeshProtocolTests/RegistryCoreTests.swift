import MeshProtocol
import Testing

/// Drives a `RegistryCore` with made-up connections and a made-up clock.
struct CoreHarness {
    var core: RegistryCore
    let start = ContinuousClock.now
    var now: ContinuousClock.Instant

    init(limits: RegistryLimits = .standard) {
        core = RegistryCore(limits: limits)
        now = start
    }

    mutating func open(_ id: UInt64, as peer: String) -> [RegistryAction] {
        core.connectionOpened(RegistryConnectionID(id), peerID: peer, now: now)
    }

    mutating func send(_ id: UInt64, _ text: String) -> [RegistryAction] {
        core.textFrame(RegistryConnectionID(id), text, now: now)
    }

    mutating func register(_ id: UInt64, as peer: String) -> [RegistryAction] {
        send(id, #"{"type":"register","peer_id":"\#(peer)"}"#)
    }

    mutating func close(_ id: UInt64) -> [RegistryAction] {
        core.connectionClosed(RegistryConnectionID(id))
    }

    /// Opens and registers `peer` on connection `id`, returning nothing.
    mutating func join(_ id: UInt64, as peer: String) {
        _ = open(id, as: peer)
        _ = register(id, as: peer)
    }
}

/// The frames sent to one connection, parsed.
func frames(_ actions: [RegistryAction], to id: UInt64) throws -> [SignalingMessage] {
    try actions.compactMap { action in
        guard case let .send(text, to) = action, to == RegistryConnectionID(id) else { return nil }
        return try SignalingMessage.parse(text)
    }
}

/// The error code of the only frame sent to `id`.
func errorCode(_ actions: [RegistryAction], to id: UInt64) throws -> String? {
    let sent = try frames(actions, to: id)
    guard sent.count == 1, sent[0].kind == .error else { return nil }
    return sent[0].payload["code"]?.stringValue
}

@Suite("RegistryCore: chatixia's rules")
struct RegistryCoreTests {
    @Test("register is answered with the other registered peers, sorted, from \"registry\"")
    func registerGetsPeerList() throws {
        var h = CoreHarness()
        h.join(1, as: "carol")
        h.join(2, as: "alice")
        _ = h.open(3, as: "bob")
        let actions = h.register(3, as: "bob")
        let reply = try #require(try frames(actions, to: 3).first)
        #expect(reply.kind == .peerList)
        #expect(reply.peerID == "registry")
        #expect(try PeerListPayload(reply.payload).peers == ["alice", "carol"])
        #expect(h.core.registeredPeers == ["alice", "bob", "carol"])
    }

    @Test("the first peer gets an empty list, and the exact chatixia text")
    func firstPeerEmptyList() throws {
        var h = CoreHarness()
        _ = h.open(1, as: "alice")
        let actions = h.register(1, as: "alice")
        #expect(actions == [.send(#"{"payload":{"peers":[]},"peer_id":"registry","type":"peer_list"}"#,
                                  to: RegistryConnectionID(1))])
    }

    @Test("chatixia's register (payload null) is accepted")
    func chatixiaRegister() throws {
        var h = CoreHarness()
        _ = h.open(1, as: "agent-001")
        let actions = h.send(1, #"{"type":"register","peer_id":"agent-001","payload":null}"#)
        #expect(try frames(actions, to: 1).first?.kind == .peerList)
    }

    @Test("offers, answers and candidates reach target_id as the very text sent", arguments: [
        #"{"type":"offer","peer_id":"alice","target_id":"bob","payload":{"sdp":"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"}}"#,
        #"{"payload":{"sdp":"v=0\r\n"},"target_id":"bob","peer_id":"alice","type":"answer","extra":[1,2.50,"x"]}"#,
        #"{"type":"ice_candidate","peer_id":"alice","target_id":"bob","payload":{"candidate":"candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host","sdpMid":"","sdpMLineIndex":0}}"#,
    ])
    func relayUnchanged(text: String) throws {
        var h = CoreHarness()
        h.join(1, as: "alice")
        h.join(2, as: "bob")
        let actions = h.send(1, text)
        #expect(actions == [.send(text, to: RegistryConnectionID(2))])
    }

    @Test("heartbeat gets no reply")
    func heartbeat() {
        var h = CoreHarness()
        h.join(1, as: "alice")
        h.join(2, as: "bob")
        #expect(h.send(1, #"{"type":"heartbeat","peer_id":"alice"}"#).isEmpty)
    }

    @Test("a frame whose peer_id is not the token's is refused and not relayed")
    func impersonationRefused() throws {
        var h = CoreHarness()
        h.join(1, as: "alice")
        h.join(2, as: "bob")
        h.join(3, as: "mallory")
        let actions = h.send(3, #"{"type":"offer","peer_id":"alice","target_id":"bob","payload":{"sdp":"v=0"}}"#)
        #expect(try errorCode(actions, to: 3) == RegistryErrorCode.peerIDMismatch)
        #expect(try frames(actions, to: 2).isEmpty)
        #expect(try frames(actions, to: 1).isEmpty)
        let refused = try #require(try frames(actions, to: 3).first)
        #expect(refused.payload["ref_type"] == "offer")
    }
}

@Suite("RegistryCore: beyond chatixia")
struct RegistryCoreExtensionTests {
    @Test("registering tells every other registered peer (peer_joined); unregistered ones hear nothing")
    func presenceJoined() throws {
        var h = CoreHarness()
        h.join(1, as: "alice")
        h.join(2, as: "bob")
        _ = h.open(3, as: "lurker")
        _ = h.open(4, as: "carol")
        let actions = h.register(4, as: "carol")
        for id: UInt64 in [1, 2] {
            let joined = try #require(try frames(actions, to: id).first)
            #expect(joined.kind == .peerJoined)
            #expect(joined.peerID == "registry")
            #expect(joined.payload["peer_id"] == "carol")
        }
        #expect(try frames(actions, to: 3).isEmpty)
        #expect(try frames(actions, to: 4).map(\.kind) == [.peerList])
        // The lurker never registered: not in lists.
        #expect(try PeerListPayload(try frames(actions, to: 4)[0].payload).peers == ["alice", "bob"])
    }

    @Test("registering twice answers twice but announces once")
    func registerTwice() throws {
        var h = CoreHarness()
        h.join(1, as: "alice")
        h.join(2, as: "bob")
        let again = h.register(2, as: "bob")
        #expect(try frames(again, to: 2).map(\.kind) == [.peerList])
        #expect(try frames(again, to: 1).isEmpty)
    }

    @Test("a registered peer's connection closing tells the others (peer_left); an unregistered one's does not")
    func presenceLeft() throws {
        var h = CoreHarness()
        h.join(1, as: "alice")
        h.join(2, as: "bob")
        _ = h.open(3, as: "lurker")
        let left = h.close(2)
        let frame = try #require(try frames(left, to: 1).first)
        #expect(frame.kind == .peerLeft)
        #expect(frame.payload["peer_id"] == "bob")
        #expect(h.close(3).isEmpty)
        #expect(h.core.registeredPeers == ["alice"])
        #expect(h.close(2).isEmpty, "a second close of the same connection is ignored")
    }

    @Test("hostile frames get an error frame and the connection stays up", arguments: [
        ("not json", RegistryErrorCode.malformed),
        ("[1,2]", RegistryErrorCode.invalidFrame),
        (#"{"peer_id":"alice"}"#, RegistryErrorCode.invalidFrame),
        (#"{"type":"register"}"#, RegistryErrorCode.invalidFrame),
        (#"{"type":"dance","peer_id":"alice"}"#, RegistryErrorCode.unknownType),
        (#"{"type":"peer_list","peer_id":"alice","payload":{"peers":[]}}"#, RegistryErrorCode.unknownType),
        (#"{"type":"offer","peer_id":"alice","payload":{"sdp":"v=0"}}"#, RegistryErrorCode.missingTarget),
        (#"{"type":"offer","peer_id":"alice","target_id":"","payload":{"sdp":"v=0"}}"#, RegistryErrorCode.missingTarget),
        (#"{"type":"answer","peer_id":"alice","target_id":"ghost","payload":{"sdp":"v=0"}}"#, RegistryErrorCode.unknownTarget),
        (String(repeating: "[", count: 50) + String(repeating: "]", count: 50), RegistryErrorCode.malformed),
    ])
    func errorFrames(text: String, code: String) throws {
        var h = CoreHarness()
        h.join(1, as: "alice")
        h.join(2, as: "bob")
        let actions = h.send(1, text)
        #expect(try errorCode(actions, to: 1) == code)
        #expect(!actions.contains { if case .close = $0 { true } else { false } })
        let error = try #require(try frames(actions, to: 1).first)
        #expect(error.peerID == "registry")
        #expect(error.payload["message"]?.stringValue?.isEmpty == false)
        #expect(error.payload["ref_type"] != nil, "ref_type is always present (null when unknown)")
        // Still up: a good frame right after is handled.
        #expect(try frames(h.register(1, as: "alice"), to: 1).first?.kind == .peerList)
    }

    @Test("ref_type names the refused frame's type when it has one")
    func refType() throws {
        var h = CoreHarness()
        h.join(1, as: "alice")
        let unknown = try frames(h.send(1, #"{"type":"answer","peer_id":"alice","target_id":"ghost","payload":{}}"#), to: 1)
        #expect(unknown.first?.payload["ref_type"] == "answer")
        let malformed = try frames(h.send(1, "{oops"), to: 1)
        #expect(malformed.first?.payload["ref_type"] == .null)
    }

    @Test("relays need a registered sender and a registered target")
    func relayNeedsRegistration() throws {
        var h = CoreHarness()
        h.join(1, as: "alice")
        _ = h.open(2, as: "bob")
        let toUnregistered = h.send(1, #"{"type":"offer","peer_id":"alice","target_id":"bob","payload":{"sdp":"v=0"}}"#)
        #expect(try errorCode(toUnregistered, to: 1) == RegistryErrorCode.unknownTarget)
        let fromUnregistered = h.send(2, #"{"type":"offer","peer_id":"bob","target_id":"alice","payload":{"sdp":"v=0"}}"#)
        #expect(try errorCode(fromUnregistered, to: 2) == RegistryErrorCode.notRegistered)
        #expect(try frames(fromUnregistered, to: 1).isEmpty)
    }

    @Test("a frame over the size limit gets too_large; one at the limit passes")
    func sizeLimit() throws {
        var h = CoreHarness(limits: RegistryLimits(maxFrameBytes: 2048))
        h.join(1, as: "alice")
        h.join(2, as: "bob")
        let prefix = #"{"type":"offer","peer_id":"alice","target_id":"bob","payload":{"sdp":""#
        let suffix = #""}}"#
        let fits = prefix + String(repeating: "a", count: 2048 - prefix.utf8.count - suffix.utf8.count) + suffix
        #expect(fits.utf8.count == 2048)
        #expect(h.send(1, fits) == [.send(fits, to: RegistryConnectionID(2))])
        let over = prefix + String(repeating: "a", count: 2049 - prefix.utf8.count - suffix.utf8.count) + suffix
        let actions = h.send(1, over)
        #expect(try errorCode(actions, to: 1) == RegistryErrorCode.tooLarge)
        #expect(try frames(actions, to: 2).isEmpty)
    }

    @Test("binary frames are refused with an error frame")
    func binary() throws {
        var h = CoreHarness()
        h.join(1, as: "alice")
        #expect(try errorCode(h.core.binaryFrame(RegistryConnectionID(1), now: h.now), to: 1) == RegistryErrorCode.binaryFrame)
    }

    @Test("frames from unknown connections are ignored")
    func unknownConnection() {
        var h = CoreHarness()
        #expect(h.send(9, #"{"type":"register","peer_id":"x"}"#).isEmpty)
        #expect(h.close(9).isEmpty)
    }
}

@Suite("RegistryCore: rate limit and replacement")
struct RegistryCoreLimitTests {
    static let heartbeat = #"{"type":"heartbeat","peer_id":"alice"}"#

    @Test("a burst passes, the next frame is dropped with rate_limited, and time refills the bucket")
    func rateLimit() throws {
        var h = CoreHarness(limits: RegistryLimits(framesPerSecond: 50, burst: 200, floodLimit: 1000))
        h.join(1, as: "alice")     // the register took one token
        for _ in 0..<199 { #expect(h.send(1, Self.heartbeat).isEmpty) }
        let refused = h.send(1, Self.heartbeat)
        #expect(try errorCode(refused, to: 1) == RegistryErrorCode.rateLimited)
        // 100 ms at 50/s earns 5 frames.
        h.now = h.now + .milliseconds(100)
        for _ in 0..<5 { #expect(h.send(1, Self.heartbeat).isEmpty) }
        #expect(try errorCode(h.send(1, Self.heartbeat), to: 1) == RegistryErrorCode.rateLimited)
        // A quiet second refills the whole burst (never beyond it).
        h.now = h.now + .seconds(10)
        for _ in 0..<200 { #expect(h.send(1, Self.heartbeat).isEmpty) }
        #expect(try errorCode(h.send(1, Self.heartbeat), to: 1) == RegistryErrorCode.rateLimited)
    }

    @Test("a dropped relay does not reach its target")
    func droppedRelay() throws {
        var h = CoreHarness(limits: RegistryLimits(framesPerSecond: 1, burst: 1, floodLimit: 100))
        h.join(1, as: "alice")
        h.now = h.now + .seconds(5)
        h.join(2, as: "bob")
        let offer = #"{"type":"offer","peer_id":"alice","target_id":"bob","payload":{"sdp":"v=0"}}"#
        #expect(h.send(1, offer) == [.send(offer, to: RegistryConnectionID(2))])
        let dropped = h.send(1, offer)
        #expect(try frames(dropped, to: 2).isEmpty)
        #expect(try errorCode(dropped, to: 1) == RegistryErrorCode.rateLimited)
    }

    @Test("a sustained flood closes the connection with 1008 and the peer leaves")
    func flood() throws {
        var h = CoreHarness(limits: RegistryLimits(framesPerSecond: 10, burst: 20, floodLimit: 50))
        h.join(1, as: "alice")
        h.join(2, as: "bob")
        var closed: [RegistryAction] = []
        var refusals = 0
        // 1000 frames/s against 10/s: the bucket never refills to half, refusals pile up.
        for _ in 0..<2000 {
            h.now = h.now + .milliseconds(1)
            let actions = h.send(1, Self.heartbeat)
            if actions.contains(where: { if case .close = $0 { true } else { false } }) {
                closed = actions
                break
            }
            if try errorCode(actions, to: 1) == RegistryErrorCode.rateLimited { refusals += 1 }
        }
        #expect(refusals == 49)
        #expect(closed.first == .close(RegistryConnectionID(1), code: RegistryCloseCode.policyViolation,
                                       reason: "rate limit exceeded"))
        #expect(try frames(closed, to: 2).first?.kind == .peerLeft)
        #expect(h.core.registeredPeers == ["bob"])
        #expect(h.send(1, Self.heartbeat).isEmpty, "the closed connection is forgotten")
    }

    @Test("bursts with pauses between them never count as a flood")
    func burstsAreNotFloods() throws {
        var h = CoreHarness(limits: RegistryLimits(framesPerSecond: 10, burst: 20, floodLimit: 5))
        h.join(1, as: "alice")
        for _ in 0..<20 {
            for _ in 0..<22 {
                #expect(!h.send(1, Self.heartbeat).contains { if case .close = $0 { true } else { false } })
            }
            h.now = h.now + .seconds(3)
        }
        #expect(h.core.registeredPeers == ["alice"])
    }

    @Test("a second connection under a peer id replaces the first without presence churn")
    func replacement() throws {
        var h = CoreHarness()
        h.join(1, as: "alice")
        h.join(2, as: "bob")
        let actions = h.open(3, as: "alice")
        let notice = try #require(try frames(actions, to: 1).first)
        #expect(notice.kind == .error)
        #expect(notice.payload["code"] == .string(RegistryErrorCode.replaced))
        #expect(actions.contains(.close(RegistryConnectionID(1), code: RegistryCloseCode.replaced, reason: "replaced")))
        #expect(try frames(actions, to: 2).isEmpty, "bob sees no peer_left/peer_joined")
        // The old connection's close, when it comes, changes nothing.
        #expect(h.close(1).isEmpty)
        #expect(h.core.registeredPeers == ["alice", "bob"])
        // The new connection is alice: relays go to it, and it registers without a peer_joined.
        let offer = #"{"type":"offer","peer_id":"bob","target_id":"alice","payload":{"sdp":"v=0"}}"#
        #expect(h.send(2, offer) == [.send(offer, to: RegistryConnectionID(3))])
        let registered = h.register(3, as: "alice")
        #expect(try frames(registered, to: 3).map(\.kind) == [.peerList])
        #expect(try frames(registered, to: 2).isEmpty)
        // Frames on the old connection are ignored.
        #expect(h.register(1, as: "alice").isEmpty)
        // When the new connection goes, alice leaves.
        #expect(try frames(h.close(3), to: 2).first?.kind == .peerLeft)
    }

    @Test("limits out of range are reported")
    func limitProblems() {
        #expect(RegistryLimits.standard.problem == nil)
        #expect(RegistryLimits(maxFrameBytes: 10).problem != nil)
        #expect(RegistryLimits(framesPerSecond: 0).problem != nil)
        #expect(RegistryLimits(burst: 0.5).problem != nil)
        #expect(RegistryLimits(floodLimit: 0).problem != nil)
    }
}
