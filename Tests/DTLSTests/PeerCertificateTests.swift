import SDP
import Testing
import Wire
@testable import DTLS

@Suite("Peer certificates from DER")
struct PeerCertificateTests {
    @Test("a peer's DER certificate reads like our own")
    func parsesFixtures() throws {
        for ours in [try DTLSFixtures.rsa(), try DTLSFixtures.ecdsa(), try DTLSCertificate.generateSelfSigned()] {
            let peer = try DTLSPeerCertificate(der: ours.der)
            #expect(peer.der == ours.der)
            #expect(peer.subject == ours.subject)
            #expect(peer.keyDescription == ours.keyDescription)
            #expect(peer.notBefore == ours.notBefore)
            #expect(peer.notAfter == ours.notAfter)
            #expect(try peer.fingerprint() == ours.fingerprint())
            #expect(peer.matches(ours.fingerprint(.sha384)))
        }
    }

    @Test("matchesAny accepts one matching fingerprint among several")
    func matchesAny() throws {
        let rsa = try DTLSFixtures.rsa(), ecdsa = try DTLSFixtures.ecdsa()
        let peer = try DTLSPeerCertificate(der: ecdsa.der)
        #expect(peer.matchesAny(of: [rsa.fingerprint(), ecdsa.fingerprint(.sha1)]))
        #expect(!peer.matchesAny(of: [rsa.fingerprint(), rsa.fingerprint(.sha512)]))
        #expect(!peer.matchesAny(of: []))
    }

    @Test("empty input is refused")
    func empty() {
        _ = expectDTLSError(.invalidCertificate) { () throws(DTLSError) in try DTLSPeerCertificate(der: []) }
    }

    @Test("every truncation of a certificate is refused")
    func truncated() throws {
        let der = try DTLSFixtures.ecdsa().der
        for length in 1..<der.count {
            _ = expectDTLSError(.invalidCertificate) { () throws(DTLSError) in
                try DTLSPeerCertificate(der: Array(der.prefix(length)))
            }
        }
    }

    @Test("bytes after the certificate are refused")
    func trailingBytes() throws {
        let der = try DTLSFixtures.rsa().der
        let error = expectDTLSError(.invalidCertificate) { () throws(DTLSError) in
            try DTLSPeerCertificate(der: der + [0x00])
        }
        #expect(error?.reason.contains("1 bytes follow") == true)
    }

    @Test("random garbage and corrupted certificates give typed errors, never traps")
    func garbage() throws {
        var generator = SplitMix64(seed: 0x5eed_d71_5)
        for length in [1, 2, 3, 16, 200, 2000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = expectDTLSError(.invalidCertificate) { () throws(DTLSError) in try DTLSPeerCertificate(der: bytes) }
        }
        // A DER SEQUENCE header claiming far more bytes than follow.
        _ = expectDTLSError(.invalidCertificate) { () throws(DTLSError) in
            try DTLSPeerCertificate(der: [0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x30])
        }
        // Single-byte corruptions either still parse or throw; they must not crash,
        // and a certificate that still parses no longer matches the original fingerprint.
        let original = try DTLSFixtures.ecdsa()
        for _ in 0..<200 {
            var der = original.der
            let index = Int.random(in: 0..<der.count, using: &generator)
            der[index] ^= UInt8.random(in: 1...255, using: &generator)
            if let peer = try? DTLSPeerCertificate(der: der) {
                #expect(!peer.matches(original.fingerprint()))
            }
        }
    }
}
