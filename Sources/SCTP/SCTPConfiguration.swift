/// Everything an association is set up with. Defaults suit WebRTC over DTLS;
/// tests shorten the timers so loss recovery runs in milliseconds.
public struct SCTPConfiguration: Hashable, Sendable {
    /// Our SCTP port (RFC 8841 `a=sctp-port`, 5000 by default).
    public var localPort: UInt16
    /// The peer's SCTP port.
    public var remotePort: UInt16
    /// Outbound streams requested in INIT (the peer may grant fewer).
    public var outboundStreams: UInt16
    /// Inbound streams accepted.
    public var maxInboundStreams: UInt16
    /// The largest message sent or received, and the value to advertise as
    /// `a=max-message-size` (RFC 8841 §6). 256 KiB by default.
    public var maxMessageSize: Int
    /// usrsctp's socket send buffer. It bounds the largest message usrsctp takes in one
    /// call (EMSGSIZE above it), so it must be at least `maxMessageSize`.
    public var sendBufferSize: Int
    /// usrsctp's socket receive buffer (our advertised receive window).
    public var receiveBufferSize: Int
    /// Cap on bytes queued by `send` and not yet transmitted: above it `send` throws
    /// `.bufferFull`, so a fast sender cannot grow memory without bound.
    public var maxBufferedAmount: Int
    /// The largest SCTP packet. WebRTC's DTLS sends one record per 1200-byte datagram;
    /// the worst record overhead among the suites our DTLS offers is 65 bytes
    /// (AES-CBC with SHA-1: 13 header + 16 IV + 20 MAC + up to 16 padding), so 1128
    /// (a multiple of 4, as SCTP pads chunks to 4) always fits one record.
    /// Path MTU discovery is off (SPP_PMTUD_DISABLE): the DTLS layer, not SCTP, knows the path.
    public var pathMTU: Int
    /// Initial retransmission timeout (RFC 9260 §6.3.1 RTO.Initial).
    public var rtoInitial: Duration
    /// Lower bound of the retransmission timeout (RTO.Min).
    public var rtoMin: Duration
    /// Upper bound of the retransmission timeout (RTO.Max).
    public var rtoMax: Duration
    /// Consecutive retransmissions after which the peer is declared dead (Association.Max.Retrans).
    public var maxRetransmissions: UInt16
    /// INIT retransmissions before the association is given up (Max.Init.Retransmits).
    public var maxInitRetransmissions: UInt16
    /// Idle-path heartbeat interval (HB.interval, RFC 9260 §8.3).
    public var heartbeatInterval: Duration
    /// How long the receiver may delay a SACK (RFC 9260 §6.2, at most 500 ms).
    public var delayedAck: Duration

    /// Creates a configuration; every parameter has a WebRTC-suitable default.
    public init(localPort: UInt16 = 5000, remotePort: UInt16 = 5000,
                outboundStreams: UInt16 = 1024, maxInboundStreams: UInt16 = 1024,
                maxMessageSize: Int = 262_144, sendBufferSize: Int = 1 << 20,
                receiveBufferSize: Int = 1 << 20, maxBufferedAmount: Int = 16 << 20,
                pathMTU: Int = 1128,
                rtoInitial: Duration = .seconds(1), rtoMin: Duration = .milliseconds(400),
                rtoMax: Duration = .seconds(10), maxRetransmissions: UInt16 = 10,
                maxInitRetransmissions: UInt16 = 8, heartbeatInterval: Duration = .seconds(30),
                delayedAck: Duration = .milliseconds(200)) {
        self.localPort = localPort
        self.remotePort = remotePort
        self.outboundStreams = outboundStreams
        self.maxInboundStreams = maxInboundStreams
        self.maxMessageSize = maxMessageSize
        self.sendBufferSize = sendBufferSize
        self.receiveBufferSize = receiveBufferSize
        self.maxBufferedAmount = maxBufferedAmount
        self.pathMTU = pathMTU
        self.rtoInitial = rtoInitial
        self.rtoMin = rtoMin
        self.rtoMax = rtoMax
        self.maxRetransmissions = maxRetransmissions
        self.maxInitRetransmissions = maxInitRetransmissions
        self.heartbeatInterval = heartbeatInterval
        self.delayedAck = delayedAck
    }

    /// Checks the values against each other and usrsctp's limits.
    public func validate() throws(SCTPError) {
        func require(_ condition: Bool, _ reason: String) throws(SCTPError) {
            if !condition { throw SCTPError(.invalidArgument, reason) }
        }
        try require(localPort != 0 && remotePort != 0, "SCTP ports must not be 0")
        try require(outboundStreams > 0 && maxInboundStreams > 0, "stream counts must be at least 1")
        try require(maxMessageSize >= 1, "maxMessageSize must be at least 1 byte")
        try require(sendBufferSize >= maxMessageSize,
                    "sendBufferSize (\(sendBufferSize)) must hold one maxMessageSize message (\(maxMessageSize)): usrsctp refuses larger messages")
        try require(receiveBufferSize >= 4096 && receiveBufferSize <= Int(Int32.max), "receiveBufferSize must be 4096 bytes to 2 GiB")
        try require(sendBufferSize <= Int(Int32.max), "sendBufferSize must be at most 2 GiB")
        try require(maxBufferedAmount >= maxMessageSize, "maxBufferedAmount must hold one maxMessageSize message")
        try require((512...65_535).contains(pathMTU), "pathMTU must be 512 to 65535 bytes, got \(pathMTU)")
        let rto = (rtoMin.milliseconds, rtoInitial.milliseconds, rtoMax.milliseconds)
        try require(rto.0 >= 1 && rto.0 <= rto.1 && rto.1 <= rto.2,
                    "RTOs must satisfy 1 ms <= rtoMin <= rtoInitial <= rtoMax")
        try require(maxRetransmissions >= 1, "maxRetransmissions must be at least 1")
        try require(maxInitRetransmissions >= 1, "maxInitRetransmissions must be at least 1")
        try require(heartbeatInterval.milliseconds >= 1, "heartbeatInterval must be at least 1 ms")
        try require((1...500).contains(delayedAck.milliseconds), "delayedAck must be 1 to 500 ms (RFC 9260 §6.2)")
    }
}

extension Duration {
    /// Whole milliseconds, clamped to UInt32 (usrsctp's unit for every timer option).
    /// Overflow-safe: a configuration is caller input, and `.seconds(Int64.max)` must
    /// clamp (and then validate or be refused), not trap in `seconds * 1000`.
    var milliseconds: UInt32 {
        let (seconds, attoseconds) = components
        let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? 0 : .max }
        return UInt32(clamping: ms.addingReportingOverflow(attoseconds / 1_000_000_000_000_000).partialValue)
    }
}
