import SDP

/// Which side of the DTLS handshake this endpoint plays.
///
/// WebRTC decides it in offer/answer through the `a=setup` attribute (RFC 4145 §4,
/// RFC 5763 §5, updated by RFC 8842 §5): `active` sends the ClientHello (client),
/// `passive` waits for it (server), and `actpass`, allowed only in an offer, leaves
/// the choice to the answerer. JSEP (RFC 9429 §5.3.1) has the answerer pick
/// `active`, so the DTLS handshake starts as soon as the answerer's ICE connects,
/// one round trip earlier than waiting for the offerer to learn the answer; the
/// offerer applies the answer's choice (RFC 9429 §5.10).
///
/// ```
///   offer      answer     offerer   answerer
///   actpass    active     server    client     (JSEP's recommendation)
///   actpass    passive    client    server
///   active     passive    client    server
///   passive    active     server    client
/// ```
public enum DTLSRole: String, Sendable {
    /// Sends the ClientHello (`a=setup:active`).
    case client
    /// Answers the ClientHello (`a=setup:passive`).
    case server

    /// The role that follows from our `a=setup` value and the peer's.
    ///
    /// Exactly one side must end up `active`. `actpass` pairs with whatever the other
    /// side chose; it cannot meet another `actpass` (an answer must choose, RFC 8842
    /// §5.3). `holdconn` (RFC 4145's "not yet") has no meaning for WebRTC.
    /// - Throws: `.invalidArgument` naming the broken rule for actpass/actpass,
    ///   active/active, passive/passive, holdconn or an unknown value. Both values
    ///   arrive through the caller, who should reject a bad remote description
    ///   before its transport is configured.
    public init(local: SetupRole, remote: SetupRole) throws(DTLSError) {
        for (side, value) in [("local", local), ("remote", remote)] {
            if value == .holdconn {
                throw DTLSError(.invalidArgument, "\(side) setup is holdconn: WebRTC always connects, so only active, passive or actpass make sense (RFC 8842 §5)")
            }
            guard [.active, .passive, .actpass].contains(value) else {
                throw DTLSError(.invalidArgument, "\(side) setup '\(value)' is not active, passive or actpass (RFC 4145 §4)")
            }
        }
        switch (local, remote) {
        case (.active, .passive), (.active, .actpass), (.actpass, .passive):
            self = .client
        case (.passive, .active), (.passive, .actpass), (.actpass, .active):
            self = .server
        case (.actpass, _):
            throw DTLSError(.invalidArgument, "both sides say actpass: the answer must choose active or passive (RFC 8842 §5.3)")
        case (.active, _):
            throw DTLSError(.invalidArgument, "both sides say active: two DTLS clients, nobody would answer the ClientHello (RFC 4145 §4)")
        default:
            throw DTLSError(.invalidArgument, "both sides say passive: two DTLS servers, nobody would send a ClientHello (RFC 4145 §4)")
        }
    }

    /// The `a=setup` value an answerer should put in its answer to an offer that
    /// said `offer`: `active` for `actpass` (JSEP RFC 9429 §5.3.1 recommends it),
    /// the opposite of `active` or `passive`, and nil when there is no valid answer
    /// (`holdconn` or an unknown value).
    public static func answererSetup(forOffer offer: SetupRole) -> SetupRole? {
        switch offer {
        case .actpass: return .active
        case .active: return .passive
        case .passive: return .active
        default: return nil
        }
    }

    /// The `a=setup` value that states this role without leaving a choice.
    public var setup: SetupRole { self == .client ? .active : .passive }
}
