import DTLS
import SCTP

/// What an `SCTPTransport` reports through `poll()`, besides datagrams to send:
/// the two layers' events, merged in the order they happened.
public enum DataTransportEvent: Sendable {
    /// A DTLS event: `.connected`, `.alert`, `.closed`, `.failed`, `.keyLog`,
    /// `.retransmitted`. Application data never appears here: it is SCTP's.
    case dtls(DTLSEvent)
    /// An SCTP event: association up/closed, messages, stream resets, send
    /// failures (PR-SCTP abandonment), sender dry, buffered-amount low...
    case sctp(SCTPEvent)
    /// The transport itself failed: the two layers could not be joined, or DTLS
    /// refused an SCTP packet. Both layers are closed.
    case failed(DataTransportError)
}
