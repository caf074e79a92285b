/// The DTLS setup role (RFC 4145 §4, RFC 8842 §5): who starts the handshake.
///
/// The offerer says `actpass`; the answerer picks `active` (JSEP's choice, the
/// answerer then sends ClientHello) or `passive`.
public struct SetupRole: Hashable, Sendable, CustomStringConvertible {
    /// The token as written.
    public var rawValue: String
    /// Creates a role from its token.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// This side will be the DTLS client.
    public static let active = SetupRole("active")
    /// This side will be the DTLS server.
    public static let passive = SetupRole("passive")
    /// Either; only allowed in offers.
    public static let actpass = SetupRole("actpass")
    /// Do not connect yet (not usable by WebRTC).
    public static let holdconn = SetupRole("holdconn")
    /// The token as written.
    public var description: String { rawValue }
}

/// A media grouping (RFC 5888 §5), e.g. `a=group:BUNDLE 0 1` (RFC 9143).
public struct MediaGroup: Hashable, Sendable, CustomStringConvertible {
    /// The semantics token, e.g. `BUNDLE`.
    public var semantics: String
    /// The grouped mids in order.
    public var mids: [String]
    /// Creates a group.
    public init(semantics: String, mids: [String]) {
        self.semantics = semantics
        self.mids = mids
    }
    /// Parses the value of an `a=group` attribute.
    public init(parsing value: Substring) throws(SDPError) {
        let fields = SDPText.fields(value)
        guard let first = fields.first, SDPText.isToken(first), fields.dropFirst().allSatisfy(SDPText.isToken) else {
            throw SDPError(.invalidValue, "group must be '<semantics> <mid>...'")
        }
        semantics = String(first)
        mids = fields.dropFirst().map(String.init)
    }
    /// The value of an `a=group` attribute.
    public var description: String { ([semantics] + mids).joined(separator: " ") }
}

/// WebRTC's `a=msid-semantic` session attribute (draft-ietf-mmusic-msid), e.g. `WMS *`.
///
/// Chrome writes it with a space after the colon (`a=msid-semantic: WMS`); the
/// parser skips leading spaces and the raw line keeps them.
public struct MSIDSemantic: Hashable, Sendable {
    /// The semantics token, `WMS`.
    public var semantic: String
    /// The stream identifiers (or `*`).
    public var identifiers: [String]
    /// Creates a value.
    public init(semantic: String, identifiers: [String] = []) {
        self.semantic = semantic
        self.identifiers = identifiers
    }
    /// Parses the value of an `a=msid-semantic` attribute.
    public init(parsing value: Substring) throws(SDPError) {
        let trimmed = Substring(value.utf8.drop { $0 == 0x20 })
        let fields = SDPText.fields(trimmed).filter { !$0.isEmpty }
        guard let first = fields.first, SDPText.isToken(first) else {
            throw SDPError(.invalidValue, "msid-semantic must name a semantic")
        }
        semantic = String(first)
        identifiers = fields.dropFirst().map(String.init)
    }
}

/// The legacy `a=sctpmap:<port> <app> [<streams>]` attribute
/// (draft-ietf-mmusic-sctp-sdp-05 §5.3), e.g. `5000 webrtc-datachannel 1024`,
/// still sent by old Firefox with `m=application 9 DTLS/SCTP 5000`.
public struct SCTPMap: Hashable, Sendable {
    /// The SCTP port (also the m-line format).
    public var port: UInt16
    /// The application, `webrtc-datachannel`.
    public var application: String
    /// The number of streams, when given.
    public var streams: UInt32?
    /// Parses the value of an `a=sctpmap` attribute.
    public init(parsing value: Substring) throws(SDPError) {
        let fields = SDPText.fields(value)
        guard fields.count == 2 || fields.count == 3, let port = SDPText.port(fields[0]), SDPText.isToken(fields[1]) else {
            throw SDPError(.invalidValue, "sctpmap must be '<port> <app> [<streams>]'")
        }
        if fields.count == 3 {
            guard let streams = SDPText.number(fields[2], maxDigits: 10, limit: UInt64(UInt32.max)) else {
                throw SDPError(.invalidValue, "sctpmap streams '\(fields[2])' is not a number")
            }
            self.streams = UInt32(streams)
        } else {
            self.streams = nil
        }
        self.port = port
        self.application = String(fields[1])
    }
}
