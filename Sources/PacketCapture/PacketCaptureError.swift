/// The one error type of the capture module: a code and a reason.
///
/// `.unsupportedDatagram` is API misuse (the caller asked for a packet that
/// cannot exist, like IPv4 to IPv6 or a payload larger than IP allows);
/// `.malformedCapture` is bad input read from a file; `.io` is the file system.
public struct PacketCaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. Open so later capture formats can add codes.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The datagram cannot be put in one IP packet (mixed families, too large, wrong link type).
        public static let unsupportedDatagram = Code(rawValue: "unsupported-datagram")
        /// A capture being read is truncated or is not classic pcap.
        public static let malformedCapture = Code(rawValue: "malformed-capture")
        /// A packet inside a capture is not the IP/UDP we expect.
        public static let malformedPacket = Code(rawValue: "malformed-packet")
        /// Opening or writing a file failed.
        public static let io = Code(rawValue: "io")

        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for humans.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}
