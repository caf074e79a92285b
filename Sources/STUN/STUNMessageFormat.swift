/// Which STUN dialect a message's header follows: RFC 5389/8489, or the
/// RFC 3489 ("classic STUN") header that predates the magic cookie.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      STUN Message Type        |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                  Transaction ID (128 bits, RFC 3489)          |
/// |                                                               |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// (RFC 3489 §11.1.) RFC 5389 carved the magic cookie out of the first 32
/// bits of that transaction id, so the two headers differ only in what bytes
/// 4-7 mean. A classic message is recognised by the *absence* of the cookie
/// (RFC 8489 §11.2, RFC 5389 §12.2), and an answer to it must copy those 32
/// bits back unchanged: to the classic client they are part of its id.
///
/// A `STUNMessage` keeps bytes 8-19 in `transactionID` either way; for a
/// classic message this value keeps bytes 4-7, so together they give the
/// 128-bit id (`STUNMessage.classicTransactionID`) and the message re-encodes
/// byte for byte. One classic id in 2^32 happens to start with the cookie's
/// value; such a message cannot be told apart and parses as RFC 8489.
public enum STUNMessageFormat: Hashable, Sendable, CustomStringConvertible {
    /// RFC 5389/8489: bytes 4-7 hold the magic cookie 0x2112A442.
    case rfc8489
    /// RFC 3489: bytes 4-7 are the first 32 bits of a 128-bit transaction id.
    case rfc3489(transactionIDPrefix: UInt32)

    /// True for `.rfc3489`.
    public var isClassic: Bool {
        if case .rfc3489 = self { return true }
        return false
    }

    /// The 32 bits written at bytes 4-7.
    var cookieField: UInt32 {
        switch self {
        case .rfc8489: return STUNMessage.magicCookie
        case let .rfc3489(prefix): return prefix
        }
    }

    /// "RFC 8489" or "RFC 3489 (no magic cookie)".
    public var description: String {
        isClassic ? "RFC 3489 (no magic cookie)" : "RFC 8489"
    }
}
