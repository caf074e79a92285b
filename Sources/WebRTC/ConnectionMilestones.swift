/// When each layer of a connection came up, on the host's clock: what a
/// timeline of the connection lifecycle (ICE checks, DTLS, SCTP) is drawn from.
///
/// Recorded as the core reports it, on the host thread, so the instants are the
/// moments the stack learnt of each step, not when an application happened to
/// look. Each is set once: the first time its step completes.
public struct ConnectionMilestones: Sendable, Hashable {
    /// ICE began connectivity checks (W3C iceConnectionState `checking`).
    public var iceChecking: ContinuousClock.Instant?
    /// ICE had a working pair: the first valid pair data may use (RFC 8445 §12.1),
    /// or `connected`, whichever the core reported first.
    public var iceConnected: ContinuousClock.Instant?
    /// The DTLS handshake finished.
    public var dtlsConnected: ContinuousClock.Instant?
    /// The SCTP association came up over DTLS (the connection is `connected`).
    public var sctpEstablished: ContinuousClock.Instant?

    /// No step has happened yet.
    public init() {}
}
