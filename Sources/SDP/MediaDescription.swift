/// One media section: an `m=` line and the lines that follow it up to the next
/// `m=` (RFC 8866 §5.14). Lines are kept verbatim; typed values are views.
public struct MediaDescription: Hashable, Sendable, SDPAttributeCarrying {
    /// The parsed `m=` line.
    public private(set) var mediaLine: MediaLine
    /// The `m=` line's value as written (what serialisation emits).
    public private(set) var mediaLineText: String
    /// The section's other lines (i=, c=, b=, k=, a=, unknown letters), in order.
    public var lines: [SDPLine]

    /// Creates a section from a typed media line and its lines.
    public init(_ mediaLine: MediaLine, lines: [SDPLine] = []) {
        self.mediaLine = mediaLine
        self.mediaLineText = mediaLine.description
        self.lines = lines
    }

    /// Creates a section from an `m=` value as written; `lines` are checked by the caller.
    init(mediaLineText: Substring, lines: [SDPLine]) throws(SDPError) {
        self.mediaLine = try MediaLine(parsing: mediaLineText)
        self.mediaLineText = String(mediaLineText)
        self.lines = lines
    }

    /// Replaces the `m=` line (e.g. port 0 to reject the section).
    public mutating func setMediaLine(_ line: MediaLine) {
        mediaLine = line
        mediaLineText = line.description
    }

    /// The attribute lines, for `SDPAttributeCarrying`.
    public var attributeLines: [SDPLine] { lines }

    /// The section's `c=` line, if any.
    public var connection: ConnectionData? {
        lines.first { $0.type == "c" }.flatMap { try? ConnectionData(parsing: Substring($0.value)) }
    }

    /// The section's `b=` lines.
    public var bandwidths: [Bandwidth] {
        lines.filter { $0.type == "b" }.compactMap { try? Bandwidth(parsing: Substring($0.value)) }
    }

    /// True when the section offers an SCTP association for DataChannels: `m=application`
    /// over (UDP|TCP)/DTLS/SCTP with `webrtc-datachannel`, or the legacy `DTLS/SCTP <port>`
    /// form whose `a=sctpmap` names `webrtc-datachannel`.
    public var carriesDataChannels: Bool {
        guard mediaLine.media == "application", mediaLine.isSCTPOverDTLS else { return false }
        if mediaLine.proto.uppercased() == "DTLS/SCTP" {
            return sctpMap.map { $0.application == "webrtc-datachannel" && mediaLine.formats.contains(String($0.port)) }
                ?? false
        }
        return mediaLine.formats.contains("webrtc-datachannel")
    }

    /// The SCTP port: `a=sctp-port` (RFC 8841 §5), or the legacy `a=sctpmap` port.
    public var dataChannelSCTPPort: UInt16? { sctpPort ?? sctpMap?.port }

    /// Appends an attribute line.
    public mutating func append(_ attribute: SDPAttribute) { lines.append(attribute.line) }

    /// Appends an `a=candidate` line.
    public mutating func append(_ candidate: Candidate) { lines.append(candidate.line) }

    /// The section's text, each line ended by `lineEnding`.
    func write(into text: inout String, lineEnding: String) {
        text += "m=" + mediaLineText + lineEnding
        for line in lines { text += line.description + lineEnding }
    }
}
