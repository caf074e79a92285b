/// The media line that opens a media section (RFC 8866 §5.14).
///
/// ```
/// m=<media>     <port>[/<count>] <proto>          <fmt> ...
/// m=application 9                UDP/DTLS/SCTP    webrtc-datachannel   (RFC 8841 §4)
/// m=application 9                DTLS/SCTP        5000                 (draft-ietf-mmusic-sctp-sdp-05)
/// ```
/// With ICE the port is a placeholder (9, the discard port); port 0 marks a
/// rejected or bundled-away section (JSEP §5.2.2, RFC 9143).
public struct MediaLine: Hashable, Sendable, CustomStringConvertible {
    /// `audio`, `video`, `application`, ...
    public var media: String
    /// The port, 0 for a rejected section.
    public var port: UInt16
    /// The optional `/<number of ports>` suffix.
    public var portCount: UInt16?
    /// The transport protocol, e.g. `UDP/DTLS/SCTP`.
    public var proto: String
    /// The formats: `webrtc-datachannel`, or the SCTP port in the legacy form.
    public var formats: [String]

    /// Creates a media line.
    public init(media: String, port: UInt16, portCount: UInt16? = nil, proto: String, formats: [String]) {
        self.media = media
        self.port = port
        self.portCount = portCount
        self.proto = proto
        self.formats = formats
    }

    /// The RFC 8841 DataChannel media line, `application 9 UDP/DTLS/SCTP webrtc-datachannel`.
    public static let dataChannel = MediaLine(media: "application", port: 9, proto: "UDP/DTLS/SCTP",
                                              formats: ["webrtc-datachannel"])

    /// Parses the value of an `m=` line.
    public init(parsing value: Substring) throws(SDPError) {
        let fields = SDPText.fields(value)
        guard fields.count >= 4, fields.allSatisfy({ !$0.isEmpty }) else {
            throw SDPError(.invalidValue, "m= needs <media> <port> <proto> <fmt>...")
        }
        guard SDPText.isToken(fields[0]) else { throw SDPError(.invalidValue, "m= media is not a token") }
        if let (port, count) = SDPText.splitOnce(fields[1], at: 0x2F) {
            guard let port = SDPText.port(port), let count = SDPText.port(count) else {
                throw SDPError(.invalidValue, "m= port is not <port>/<count>")
            }
            self.port = port
            self.portCount = count
        } else {
            guard let port = SDPText.port(fields[1]) else {
                throw SDPError(.invalidValue, "m= port '\(fields[1])' is not 0-65535")
            }
            self.port = port
            self.portCount = nil
        }
        media = String(fields[0])
        proto = String(fields[2])
        formats = fields.dropFirst(3).map(String.init)
    }

    /// True for `UDP/DTLS/SCTP`, `TCP/DTLS/SCTP` (RFC 8841 §4) and legacy `DTLS/SCTP`.
    public var isSCTPOverDTLS: Bool {
        ["UDP/DTLS/SCTP", "TCP/DTLS/SCTP", "DTLS/SCTP"].contains(proto.uppercased())
    }

    /// The value of an `m=` line.
    public var description: String {
        let port = portCount.map { "\(self.port)/\($0)" } ?? "\(self.port)"
        return ([media, port, proto] + formats).joined(separator: " ")
    }
}
