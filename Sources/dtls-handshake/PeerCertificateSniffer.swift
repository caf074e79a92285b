import DTLS
import SDP
import Wire

/// Reads the peer's certificate out of its plaintext handshake flight.
///
/// In DTLS 1.2 the Certificate message travels unencrypted (epoch 0, RFC 5246
/// §7.4.2), so anyone on the path can read it, and so can we. Used only when no
/// --expect-fingerprint was given in --listen/--connect mode: the endpoint is then
/// handed the fingerprint of whatever certificate arrived ("trust on first use"),
/// and the report says loudly that the peer was NOT authenticated. Fragments are
/// put back together by the dissector's `DTLSHandshakeReassembler` (a large RSA
/// certificate spans datagrams at a 1200-byte MTU).
struct PeerCertificateSniffer {
    private var reassembler = DTLSHandshakeReassembler()
    /// The leaf certificate, once the whole message arrived.
    private(set) var certificateDER: [UInt8]?
    /// True when the peer's Certificate message held no certificate at all
    /// (the endpoint itself releases that flight to OpenSSL, which refuses it).
    private(set) var sawEmptyList = false

    /// Looks at one received datagram; returns the leaf certificate's DER the
    /// first time the whole Certificate message is known.
    mutating func inspect(_ datagram: [UInt8]) -> [UInt8]? {
        guard certificateDER == nil, !sawEmptyList else { return nil }
        for record in DTLSRecord.scan(datagram: datagram).records
        where record.contentType == .handshake && !record.isEncrypted {
            guard let messages = try? DTLSHandshakeMessage.parseAll(recordFragment: record.fragment) else { continue }
            for message in messages where message.header.messageType == .certificate {
                // A fragment that contradicts earlier ones is ignored: the endpoint judges the real flight.
                guard let whole = try? reassembler.add(message) else { continue }
                var reader = ByteReader(whole.fragment)
                guard let list = try? DTLSCertificateList(parsing: &reader) else { continue }
                guard let leaf = list.certificates.first else {
                    sawEmptyList = true
                    return nil
                }
                certificateDER = leaf
                return leaf
            }
        }
        return nil
    }
}
