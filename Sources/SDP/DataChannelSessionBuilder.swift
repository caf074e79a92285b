/// Builds JSEP (RFC 9429 §5.2-5.3) offers and answers for a session that
/// carries DataChannels only: one `m=application` section over
/// UDP/DTLS/SCTP, bundled, with trickle ICE.
///
/// ```
/// v=0
/// o=- <63-bit random> 2 IN IP4 127.0.0.1
/// s=-
/// t=0 0
/// a=group:BUNDLE 0
/// m=application 9 UDP/DTLS/SCTP webrtc-datachannel
/// c=IN IP4 0.0.0.0
/// a=ice-ufrag:<fresh>         a=ice-pwd:<fresh>      a=ice-options:trickle
/// a=fingerprint:<ours>        a=setup:actpass (offer) / active|passive (answer)
/// a=mid:0                     a=sctp-port:5000       a=max-message-size:<ours>
/// ```
/// Randomness (session id, ufrag, password) comes from the generator passed in,
/// so a seeded generator gives the same description every time.
public struct DataChannelSessionBuilder: Sendable {
    /// Our certificate's fingerprint.
    public var fingerprint: Fingerprint
    /// The largest message we accept (RFC 8841 §6); 0 means "no limit".
    public var maxMessageSize: UInt64
    /// Our SCTP port.
    public var sctpPort: UInt16 = 5000
    /// The mid used in offers (answers reuse the offer's).
    public var mid = "0"
    /// Length of generated ufrags (RFC 8839 §5.4: at least 4).
    public var ufragLength = 8
    /// Length of generated passwords (RFC 8839 §5.4: at least 22).
    public var pwdLength = 24
    /// Candidates to include (empty with trickle ICE: they follow one by one).
    public var candidates: [Candidate] = []
    /// Whether to say `a=end-of-candidates` (gathering already complete).
    public var endOfCandidates = false
    /// Fixed ICE credentials (ufrag, pwd) instead of fresh random ones: a peer
    /// connection keeps its credentials across offers until an ICE restart
    /// (JSEP §5.2.1), and its ICE agent was made with them.
    public var iceCredentials: (ufrag: String, pwd: String)?

    /// Creates a builder.
    public init(fingerprint: Fingerprint, maxMessageSize: UInt64) {
        self.fingerprint = fingerprint
        self.maxMessageSize = maxMessageSize
    }

    /// The 64 ice-chars (RFC 8839 §5.1), so one 6-bit draw picks one without bias.
    private static let iceChars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// A random ice-char string of `length` characters.
    public static func randomICEString(length: Int, using generator: inout some RandomNumberGenerator) -> String {
        String((0..<max(0, length)).map { _ in iceChars[Int(generator.next() & 63)] })
    }

    /// A fresh offer with `setup:actpass` (RFC 9429 §5.2.1, RFC 8842 §5.2).
    public func makeOffer(using generator: inout some RandomNumberGenerator) throws(SDPError) -> SessionDescription {
        try checkArguments()
        let section = makeSection(.dataChannel, mid: mid, setup: .actpass, legacy: false, using: &generator)
        return SessionDescription(origin: Self.origin(using: &generator),
                                  attributes: [SDPAttribute("group", "BUNDLE \(mid)")], media: [section])
    }

    /// An answer to `offer` (RFC 9429 §5.3.1): the DataChannel section is accepted with
    /// the offer's mid and protocol, every other section is rejected (port 0), and the
    /// setup role follows RFC 8842 §5.3: `preferredRole` (JSEP recommends `.active`)
    /// when the offer says actpass, otherwise the opposite of the offer's role.
    public func makeAnswer(to offer: SessionDescription, preferredRole: SetupRole = .active,
                           using generator: inout some RandomNumberGenerator) throws(SDPError) -> SessionDescription {
        try checkArguments()
        guard preferredRole == .active || preferredRole == .passive else {
            throw SDPError(.invalidArgument, "an answer's setup role must be active or passive, not \(preferredRole)")
        }
        let remote = try RemoteDataChannelDescription(validating: offer, as: .offer)
        let role: SetupRole = switch remote.setup {
        case .active: .passive
        case .passive: .active
        default: preferredRole
        }
        var media: [MediaDescription] = []
        for (index, offered) in offer.media.enumerated() {
            if index == remote.sectionIndex {
                media.append(makeSection(offered.mediaLine, mid: remote.mid, setup: role,
                                         legacy: remote.usesLegacySCTPMap, using: &generator))
            } else {
                var rejected = offered.mediaLine
                rejected.port = 0
                rejected.portCount = nil
                media.append(MediaDescription(rejected, lines: offered.mid.map { [SDPAttribute("mid", $0).line] } ?? []))
            }
        }
        var attributes: [SDPAttribute] = []
        if offer.bundle != nil, let mid = remote.mid { attributes.append(SDPAttribute("group", "BUNDLE \(mid)")) }
        return SessionDescription(origin: Self.origin(using: &generator), attributes: attributes, media: media)
    }

    private func checkArguments() throws(SDPError) {
        guard (4...256).contains(ufragLength), (22...256).contains(pwdLength) else {
            throw SDPError(.invalidArgument, "ufrag must be 4-256 and pwd 22-256 characters (RFC 8839 §5.4)")
        }
        if let (ufrag, pwd) = iceCredentials {
            guard SDPText.isICEString(Substring(ufrag), length: 4...256), SDPText.isICEString(Substring(pwd), length: 22...256) else {
                throw SDPError(.invalidArgument, "ufrag must be 4-256 and pwd 22-256 ice-chars (RFC 8839 §5.4)")
            }
        }
        if let expected = fingerprint.hashFunction.digestLength, expected != fingerprint.bytes.count {
            throw SDPError(.invalidArgument, "a \(fingerprint.hashFunction) fingerprint has \(expected) bytes")
        }
        guard SDPText.isToken(Substring(mid)) else { throw SDPError(.invalidArgument, "mid must be a token") }
    }

    /// JSEP §5.2.1: a random session id below 2^63, version starting at 2 like Chrome.
    private static func origin(using generator: inout some RandomNumberGenerator) -> Origin {
        Origin(sessionID: String(generator.next() & 0x7FFF_FFFF_FFFF_FFFF))
    }

    private func makeSection(_ offered: MediaLine, mid: String?, setup: SetupRole, legacy: Bool,
                             using generator: inout some RandomNumberGenerator) -> MediaDescription {
        var line = offered
        line.port = 9
        line.portCount = nil
        if legacy { line.formats = [String(sctpPort)] }
        var section = MediaDescription(line, lines: [SDPLine("c", ConnectionData().description)])
        let ufrag = iceCredentials?.ufrag ?? Self.randomICEString(length: ufragLength, using: &generator)
        let pwd = iceCredentials?.pwd ?? Self.randomICEString(length: pwdLength, using: &generator)
        section.append(SDPAttribute("ice-ufrag", ufrag))
        section.append(SDPAttribute("ice-pwd", pwd))
        section.append(SDPAttribute("ice-options", "trickle"))
        section.append(SDPAttribute("fingerprint", fingerprint.description))
        section.append(SDPAttribute("setup", setup.rawValue))
        if let mid { section.append(SDPAttribute("mid", mid)) }
        if legacy {
            section.append(SDPAttribute("sctpmap", "\(sctpPort) webrtc-datachannel 1024"))
        } else {
            section.append(SDPAttribute("sctp-port", String(sctpPort)))
        }
        section.append(SDPAttribute("max-message-size", String(maxMessageSize)))
        for candidate in candidates { section.append(candidate) }
        if endOfCandidates { section.append(SDPAttribute("end-of-candidates")) }
        return section
    }
}
