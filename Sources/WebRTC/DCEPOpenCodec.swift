import DataChannels

/// A replacement for the DATA_CHANNEL_OPEN codec (RFC 8832 §5.1), so the lab can
/// run a student's encoder and decoder on real traffic (`datachannel-chat echo
/// --use-exercise`). Everything else in DCEP stays ours: the hook only changes
/// the bytes of the OPENs we send and how the OPENs we receive are read.
public struct DCEPOpenCodec: Sendable {
    /// The bytes to send for an OPEN.
    public var encode: @Sendable (DataChannelOpen) -> [UInt8]
    /// The OPEN these bytes carry, or nil to refuse them (the channel then never opens).
    public var decode: @Sendable ([UInt8]) -> DataChannelOpen?

    /// Creates a codec from two functions.
    public init(encode: @escaping @Sendable (DataChannelOpen) -> [UInt8],
                decode: @escaping @Sendable ([UInt8]) -> DataChannelOpen?) {
        self.encode = encode
        self.decode = decode
    }

    /// Our own codec, for comparison in tests.
    public static let standard = DCEPOpenCodec(encode: { $0.bytes }, decode: { bytes in
        guard case let .open(open)? = try? DCEPMessage(parsing: bytes) else { return nil }
        return open
    })

    /// An outgoing DCEP message with the OPEN re-encoded (ACKs and anything else unchanged).
    func outgoing(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.first == 0x03, case let .open(open)? = try? DCEPMessage(parsing: bytes) else { return bytes }
        return encode(open)
    }

    /// An incoming DCEP message as our registry should see it: an OPEN decoded by
    /// the hook and re-encoded canonically; nil when the hook refused it.
    func incoming(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.first == 0x03 else { return bytes }
        return decode(bytes)?.bytes
    }
}
