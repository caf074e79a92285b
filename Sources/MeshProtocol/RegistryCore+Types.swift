/// The vocabulary of `RegistryCore`: who a connection is, what the core asks its
/// driver to do, the limits it enforces, and the codes of its error frames.

/// One WebSocket connection to the registry, named by its driver. Opaque to the
/// core: it is compared and printed, never interpreted.
public struct RegistryConnectionID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The driver's number for the connection (unique for the life of the registry).
    public let rawValue: UInt64

    /// A connection id.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// Ordered by number, so that tests and logs list connections alike.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `#N`.
    public var description: String { "#\(rawValue)" }
}

/// What the core asks its driver to do, in order.
public enum RegistryAction: Hashable, Sendable {
    /// Send one text frame on a connection.
    case send(String, to: RegistryConnectionID)
    /// Close a connection with a WebSocket close code and reason (the core has
    /// already forgotten it: its `connectionClosed` will be ignored).
    case close(RegistryConnectionID, code: UInt16, reason: String)
}

/// The WebSocket close codes the registry uses (RFC 6455 §7.4).
public enum RegistryCloseCode {
    /// A second connection signed in under the same peer id: the older one is
    /// closed with this private-use code (RFC 6455 §7.4.2, 4000-4999), so that a
    /// client can tell "replaced" (do not reconnect) from a failure (reconnect).
    public static let replaced: UInt16 = 4000
    /// Policy violation: a sustained flood over the rate limit, or a reader too slow
    /// to keep up with what it is sent.
    public static let policyViolation: UInt16 = 1008
    /// A frame too large for the WebSocket layer (refused before the core sees it).
    public static let messageTooBig: UInt16 = 1009
    /// The registry is shutting down.
    public static let goingAway: UInt16 = 1001
    /// The close reason that goes with `replaced`.
    public static let replacedReason = "replaced"
}

/// The limits `RegistryCore` enforces per connection.
public struct RegistryLimits: Hashable, Sendable {
    /// The largest text frame handled, in bytes; larger ones get a `too_large`
    /// error frame and are dropped (the connection stays up).
    public var maxFrameBytes: Int
    /// Frames per second a connection may send, on average (token bucket rate).
    public var framesPerSecond: Double
    /// Frames a connection may send at once after a quiet spell (bucket size).
    public var burst: Double
    /// Frames refused for rate in one flood before the connection is closed with
    /// 1008. A flood ends (and this count restarts) once the bucket refills to half.
    public var floodLimit: Int

    /// Limits; the defaults allow a 5-agent mesh's candidate trickle many times over.
    public init(maxFrameBytes: Int = SignalingMessage.defaultMaxBytes, framesPerSecond: Double = 50,
                burst: Double = 200, floodLimit: Int = 200) {
        self.maxFrameBytes = maxFrameBytes
        self.framesPerSecond = framesPerSecond
        self.burst = burst
        self.floodLimit = floodLimit
    }

    /// The defaults.
    public static let standard = RegistryLimits()

    /// What is wrong with these limits, or nil when they are usable.
    public var problem: String? {
        if maxFrameBytes < 1024 { return "the frame limit must be at least 1024 bytes, got \(maxFrameBytes)" }
        if !(framesPerSecond > 0) || !framesPerSecond.isFinite { return "the rate must be a positive number of frames per second" }
        if !(burst >= 1) || !burst.isFinite { return "the burst must be at least 1 frame" }
        if floodLimit < 1 { return "the flood limit must be at least 1 frame" }
        return nil
    }
}

/// The `code` of the registry's error frames: stable strings for programs (the
/// `message` beside them is for people).
public enum RegistryErrorCode {
    /// Not JSON, or nested too deep.
    public static let malformed = "malformed"
    /// JSON, but not a signaling frame (missing `type` or `peer_id`, wrong types).
    public static let invalidFrame = "invalid_frame"
    /// A `type` the registry does not handle (or one only the registry sends).
    public static let unknownType = "unknown_type"
    /// `peer_id` is not the peer the connection's token names.
    public static let peerIDMismatch = "peer_id_mismatch"
    /// An offer, answer or candidate without `target_id`.
    public static let missingTarget = "missing_target"
    /// `target_id` names no registered peer.
    public static let unknownTarget = "unknown_target"
    /// A relayed frame from a connection that has not sent `register`.
    public static let notRegistered = "not_registered"
    /// Over the frame-size limit.
    public static let tooLarge = "too_large"
    /// Over the rate limit; the frame was dropped.
    public static let rateLimited = "rate_limited"
    /// A binary frame: signaling is JSON text.
    public static let binaryFrame = "binary_frame"
    /// This connection was replaced by a newer one under the same peer id.
    public static let replaced = "replaced"
}
