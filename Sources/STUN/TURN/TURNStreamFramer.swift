import Wire

/// How a TURN client reaches its server (RFC 8656 §3.1, RFC 7065's `transport=`).
///
/// Only the client-to-server leg changes: the relayed transport address is UDP
/// whatever this says (REQUESTED-TRANSPORT stays 17). Over a stream there are no
/// STUN retransmissions (RFC 8489 §6.2.2: the transport is reliable, the client
/// just waits Ti = 39.5 s) and ChannelData is padded to 4 bytes (RFC 8656 §12.5).
public enum TURNTransport: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Datagrams: `turn:host:port` or `?transport=udp`.
    case udp
    /// A TCP connection: `turn:host:port?transport=tcp`.
    case tcp
    /// TLS over TCP: `turns:host:port` (RFC 7065 §3).
    case tls

    /// True for TCP and TLS: bytes arrive as a stream and need framing.
    public var isStream: Bool { self != .udp }

    /// "TURN over TCP" and the like, for reports.
    public var description: String { "TURN over \(rawValue.uppercased())" }
}

/// Why a TURN stream cannot be framed. The connection must be dropped: once
/// framing is lost, nothing later on the stream can be trusted (RFC 8489 §6.2.2).
public struct TURNStreamError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public enum Kind: String, Hashable, Sendable {
        /// The first byte is neither STUN (0-63) nor ChannelData (64-79) (RFC 7983).
        case unknownFrame
        /// A STUN header without the magic cookie 0x2112A442 (RFC 8489 §5).
        case badMagicCookie
        /// A STUN length that is not a multiple of 4 (RFC 8489 §5).
        case misalignedLength
        /// A frame longer than the framer accepts.
        case oversized
        /// The stream ended in the middle of a frame.
        case truncated
    }

    /// What was wrong.
    public var kind: Kind
    /// Where in the stream (bytes since it opened) the offending frame starts.
    public var streamOffset: Int
    /// Human-readable detail.
    public var detail: String

    /// "unknownFrame at stream byte 40: ...".
    public var description: String { "\(kind.rawValue) at stream byte \(streamOffset): \(detail)" }
}

/// Cuts a TURN client-server byte stream into whole messages (sans-IO).
///
/// Over TCP or TLS, STUN messages and ChannelData are written back to back with
/// no boundaries. Each frame announces its own length: a STUN message is its
/// 20-byte header plus the header's length field (RFC 8489 §6.2.2); ChannelData
/// is 4 bytes plus its length, padded to a multiple of 4 (RFC 8656 §12.5).
/// `append(_:)` takes bytes exactly as `read(2)` returned them (any split);
/// `nextFrame()` hands out whole frames, without padding, ready for
/// `STUNMessage(parsing:)` or `ChannelData(parsing:)`.
///
/// A frame the framer cannot trust throws `TURNStreamError` and poisons the
/// framer (later calls throw the same error): the caller drops the connection.
public struct TURNStreamFramer: Sendable {
    /// The longest STUN message accepted by default. STUN's 16-bit length allows
    /// 65 555 bytes, but no TURN response comes near 8 KiB: more is an attack on memory.
    public static let defaultMaximumSTUNSize = 8192

    /// The longest STUN message (header included) this framer accepts.
    public let maximumSTUNSize: Int
    /// The failure that ended the stream, if any.
    public private(set) var failure: TURNStreamError?
    /// Bytes consumed so far (frames handed out and their padding).
    public private(set) var consumed = 0

    private var buffer: [UInt8] = []
    private var start = 0

    /// Creates a framer; `maximumSTUNSize` is clamped to 20...65 555.
    public init(maximumSTUNSize: Int = TURNStreamFramer.defaultMaximumSTUNSize) {
        self.maximumSTUNSize = min(max(maximumSTUNSize, STUNMessage.headerSize), STUNMessage.headerSize + Int(UInt16.max))
    }

    /// Bytes received but not yet handed out as a frame.
    public var bufferedCount: Int { buffer.count - start }

    /// Adds bytes read from the stream.
    public mutating func append(_ bytes: [UInt8]) throws {
        if let failure { throw failure }
        // Compact lazily: moving the tail only when the dead prefix dominates keeps appends O(n) overall.
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole frame without its padding, or nil until more bytes arrive.
    public mutating func nextFrame() throws -> [UInt8]? {
        if let failure { throw failure }
        let available = bufferedCount
        guard available >= 1 else { return nil }
        let first = buffer[start]
        let frameLength: Int, consumedLength: Int
        switch first {
        case 0x00...0x3F:
            // STUN: the top two bits of the type are zero. Judge the header as soon as it is there.
            guard available >= STUNMessage.headerSize else {
                try checkCookiePrefix(available: available)
                return nil
            }
            try checkCookiePrefix(available: available)
            let length = Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
            guard length % 4 == 0 else {
                throw poison(.misalignedLength, "STUN length \(length) is not a multiple of 4")
            }
            frameLength = STUNMessage.headerSize + length
            guard frameLength <= maximumSTUNSize else {
                throw poison(.oversized, "STUN message of \(frameLength) bytes, at most \(maximumSTUNSize) accepted")
            }
            consumedLength = frameLength
        case 0x40...0x4F:
            guard available >= ChannelData.headerSize else { return nil }
            let length = Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
            frameLength = ChannelData.headerSize + length
            consumedLength = frameLength + (4 - length % 4) % 4
        default:
            throw poison(.unknownFrame, "first byte 0x\(STUNFormat.hex(first, digits: 2)) is neither STUN (0-63) nor ChannelData (64-79), RFC 7983")
        }
        guard available >= consumedLength else { return nil }
        let frame = Array(buffer[start..<start + frameLength])
        start += consumedLength
        consumed += consumedLength
        return frame
    }

    /// Every whole frame buffered now.
    public mutating func drain() throws -> [[UInt8]] {
        var frames: [[UInt8]] = []
        while let frame = try nextFrame() { frames.append(frame) }
        return frames
    }

    /// The peer closed the stream: leftover bytes are a truncated frame.
    public mutating func finish() throws {
        if let failure { throw failure }
        guard bufferedCount == 0 else {
            throw poison(.truncated, "the stream ended with \(bufferedCount) byte(s) of an unfinished frame")
        }
    }

    /// The cookie is checked on whatever part of it has arrived, so garbage is refused early.
    private mutating func checkCookiePrefix(available: Int) throws {
        let cookie: [UInt8] = [0x21, 0x12, 0xA4, 0x42]
        for index in 0..<4 where 4 + index < available && buffer[start + 4 + index] != cookie[index] {
            throw poison(.badMagicCookie, "a STUN-looking frame without the magic cookie 0x2112A442")
        }
    }

    private mutating func poison(_ kind: TURNStreamError.Kind, _ detail: String) -> TURNStreamError {
        let error = TURNStreamError(kind: kind, streamOffset: consumed, detail: detail)
        failure = error
        buffer = []
        start = 0
        return error
    }
}

extension STUNRetransmissionPolicy {
    /// RFC 8489 §6.2.2: over TCP or TLS a request is sent once and the client
    /// gives up after Ti (39.5 s by default) without an answer.
    public static func reliableTransport(timeout: Duration = .milliseconds(39_500)) -> STUNRetransmissionPolicy {
        STUNRetransmissionPolicy(initialRTO: timeout, maxTransmissions: 1, finalWaitMultiplier: 1)
    }
}
