import CShims
import SDP
import Testing
import Wire
@testable import DTLS

@Suite("Certificate fingerprints")
struct FingerprintTests {
    /// Expected values computed ONCE with the openssl CLI on the fixtures and pasted
    /// here as literals: `openssl x509 -in Fixtures/<name>-cert.pem -noout -fingerprint
    /// -sha1` (and -sha224, -sha256, -sha384, -sha512). See Fixtures/README.md.
    static let expected: [(fixture: String, hash: Fingerprint.HashFunction, hex: String)] = [
        ("rsa", .sha1, "95:8C:9C:69:A7:03:43:04:89:13:5E:C8:CC:70:6D:31:C9:24:61:89"),
        ("rsa", .sha224, "F5:7C:E5:C8:12:26:21:6E:9C:15:3A:B7:59:41:60:C9:89:F9:11:30:38:8F:5B:BB:79:19:5A:BC"),
        ("rsa", .sha256, "91:2A:11:3D:F3:9F:6C:7F:36:33:48:25:AE:14:C1:38:E9:11:79:33:A9:3B:D2:EC:AD:82:D8:36:49:BB:CD:72"),
        ("rsa", .sha384, "32:5A:F5:5C:B9:23:56:81:40:C6:32:23:8F:71:0B:A6:CC:EB:D6:B1:D1:53:16:82:D0:42:83:A6:2B:0F:83:CA:86:30:26:73:7B:81:89:9F:EA:AC:1A:D2:41:BE:69:D1"),
        ("rsa", .sha512, "CF:EF:52:7B:6C:76:E2:5F:47:FB:4F:06:A5:3A:21:C5:A6:73:CF:9F:07:E3:14:E8:84:6C:FA:BB:2B:DD:F7:E6:07:E3:52:BE:75:60:51:E4:27:29:20:2B:7D:1A:4F:F3:B8:62:30:65:AF:9A:88:52:2D:A9:93:4E:04:24:56:96"),
        ("ecdsa", .sha1, "4E:F4:E4:04:AC:40:69:AC:D7:6E:37:8C:65:FB:E9:0B:51:AC:59:C6"),
        ("ecdsa", .sha224, "81:22:E1:20:62:B2:6C:2B:22:CF:B9:5C:F9:C9:06:5E:7E:4E:55:CC:CD:7A:CA:0D:BD:8F:68:D5"),
        ("ecdsa", .sha256, "6B:A1:27:64:80:21:C1:56:FF:5D:0B:F4:D8:F8:7B:8C:03:6D:E9:8C:4B:7F:B5:1E:10:86:D4:88:74:F6:50:FF"),
        ("ecdsa", .sha384, "72:9A:E3:5C:A2:1B:AF:64:90:F7:0E:7C:7F:0C:85:5A:D7:07:2A:8B:84:DC:6D:A9:89:93:09:BB:CE:B2:6F:EE:F3:2D:66:B7:FE:5F:21:0F:3A:A8:F2:32:A2:2B:9F:AF"),
        ("ecdsa", .sha512, "F6:A1:3B:4E:4B:EA:DF:6D:8A:F9:71:E9:94:98:3B:A6:FC:C7:B8:92:A8:B1:8D:6A:50:CD:F8:09:E5:B7:FC:EE:8B:AF:E5:9D:67:8D:9C:8A:D3:08:4D:F5:73:F3:3B:34:64:FC:E5:26:45:7F:74:45:D2:9B:CF:B8:5C:0D:70:2B"),
    ]

    static func certificate(_ fixture: String) throws -> DTLSCertificate {
        fixture == "rsa" ? try DTLSFixtures.rsa() : try DTLSFixtures.ecdsa()
    }

    @Test("all five hash functions agree with openssl x509 -fingerprint", arguments: 0..<10)
    func matchesOpenSSL(index: Int) throws {
        let (fixture, hash, hex) = Self.expected[index]
        let certificate = try Self.certificate(fixture)
        let computed = try Fingerprint(certificateDER: certificate.der, hashFunction: hash)
        #expect(computed.description == "\(hash.rawValue) \(hex)")
        #expect(computed.bytes.count == hash.digestLength)
        let closed = try #require(DTLSCertificate.FingerprintHash.allCases.first { $0.hashFunction == hash })
        #expect(certificate.fingerprint(closed) == computed)
        // The SDP form parses back and matches the certificate.
        let parsed = try Fingerprint(parsing: Substring(computed.description))
        #expect(parsed.matches(certificateDER: certificate.der))
    }

    @Test("a fingerprint written in lower case or with an upper-case token still matches")
    func caseInsensitive() throws {
        let certificate = try DTLSFixtures.ecdsa()
        let hex = Self.expected[7].hex.lowercased()
        let parsed = try Fingerprint(parsing: Substring("SHA-256 \(hex)"))
        #expect(parsed.matches(certificateDER: certificate.der))
        let computed = try Fingerprint(certificateDER: certificate.der, hashFunction: .init("Sha-256"))
        #expect(computed.bytes == parsed.bytes)
    }

    @Test("another certificate, a flipped bit or a wrong length never matches")
    func mismatches() throws {
        let rsa = try DTLSFixtures.rsa(), ecdsa = try DTLSFixtures.ecdsa()
        let fingerprint = rsa.fingerprint()
        #expect(fingerprint.matches(certificateDER: rsa.der))
        #expect(!fingerprint.matches(certificateDER: ecdsa.der))
        for index in [0, 15, 31] {
            var flipped = fingerprint
            flipped.bytes[index] ^= 0x01
            #expect(!flipped.matches(certificateDER: rsa.der))
        }
        var short = fingerprint
        short.bytes.removeLast()
        #expect(!short.matches(certificateDER: rsa.der))
        #expect(!Fingerprint(hashFunction: .sha256, bytes: []).matches(certificateDER: rsa.der))
        #expect(!fingerprint.matches(certificateDER: []))
        // The right bytes under the wrong algorithm label do not match either.
        let relabeled = Fingerprint(hashFunction: .sha512, bytes: fingerprint.bytes)
        #expect(!relabeled.matches(certificateDER: rsa.der))
    }

    @Test("md5 and unknown hash functions are refused, even with the right digest")
    func unsupportedHashFunctions() throws {
        let der = try DTLSFixtures.ecdsa().der
        var md5 = [UInt8](repeating: 0, count: 64)
        let length = der.withUnsafeBufferPointer { lab_digest(0, $0.baseAddress, $0.count, &md5) }
        #expect(length == 16)
        let md5Fingerprint = Fingerprint(hashFunction: .init("md5"), bytes: Array(md5.prefix(16)))
        #expect(!md5Fingerprint.matches(certificateDER: der))
        for token in ["md5", "md2", "sha-3", "", "sha256"] {
            let error = expectDTLSError(.invalidArgument) { () throws(DTLSError) in
                try Fingerprint(certificateDER: der, hashFunction: .init(token))
            }
            #expect(error?.origin == .caller)
        }
    }

    @Test("a certificate's own fingerprint takes only the five supported hashes, each with its SDP name")
    func closedHashSet() throws {
        let certificate = try DTLSFixtures.rsa()
        let names = DTLSCertificate.FingerprintHash.allCases.map { certificate.fingerprint($0).hashFunction.rawValue }
        #expect(names == ["sha-1", "sha-224", "sha-256", "sha-384", "sha-512"])
        #expect(DTLSCertificate.FingerprintHash.allCases.map { certificate.fingerprint($0).bytes.count } == [20, 28, 32, 48, 64])
        #expect(certificate.fingerprint() == certificate.fingerprint(.sha256))
    }

    @Test("fingerprinting no bytes is refused")
    func emptyDER() {
        _ = expectDTLSError(.invalidCertificate) { () throws(DTLSError) in try Fingerprint(certificateDER: []) }
    }

    @Test("the fingerprint is over the DER bytes, whatever they are")
    func overRawBytes() throws {
        // SHA-256("abc"), FIPS 180-2 appendix B.1: hashing does not parse the input.
        let fingerprint = try Fingerprint(certificateDER: Array("abc".utf8))
        #expect(Hex.encode(fingerprint.bytes) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

/// RFC 8122 §5: the receiver uses only the fingerprints of its most preferred hash.
@Suite("Fingerprint selection by the most preferred hash function (RFC 8122 §5)")
struct FingerprintSelectionTests {
    static func fingerprint(_ hash: Fingerprint.HashFunction, _ byte: UInt8) -> Fingerprint {
        Fingerprint(hashFunction: hash, bytes: [UInt8](repeating: byte, count: hash.digestLength ?? 32))
    }

    @Test("the strongest hash offered wins, and every fingerprint under it is kept")
    func strongestWins() {
        let offered = [Self.fingerprint(.sha256, 1), Self.fingerprint(.sha512, 2), Self.fingerprint(.sha1, 3),
                       Self.fingerprint(.sha512, 4)]
        #expect(Fingerprint.preferredSelection(offered) == [Self.fingerprint(.sha512, 2), Self.fingerprint(.sha512, 4)])
        #expect(Fingerprint.preferredSelection([Self.fingerprint(.sha1, 9)]) == [Self.fingerprint(.sha1, 9)])
    }

    @Test("unsupported hash functions are never selected")
    func unsupported() {
        let md5 = Fingerprint(hashFunction: Fingerprint.HashFunction("md5"), bytes: [UInt8](repeating: 0, count: 16))
        #expect(Fingerprint.preferredSelection([md5]).isEmpty)
        #expect(Fingerprint.preferredSelection([md5, Self.fingerprint(.sha256, 5)]) == [Self.fingerprint(.sha256, 5)])
    }

    @Test("a handshake whose certificate matches only the weaker of two offered fingerprints is refused")
    func weakerMatchRefused() throws {
        let pair = try EndpointPair(clientFingerprints: [])
        let rightUnderSHA256 = pair.serverCertificate.fingerprint(.sha256)
        let wrongUnderSHA512 = Self.fingerprint(.sha512, 0xAB)
        #expect(Fingerprint.preferredSelection([rightUnderSHA256, wrongUnderSHA512]) == [wrongUnderSHA512])
        pair.start()
        pair.client.setRemoteFingerprints([rightUnderSHA256, wrongUnderSHA512], at: .zero)
        #expect(pair.run(for: .seconds(2)) { hasFailed(pair.clientEvents) })
        #expect(failure(pair.clientEvents)?.code == .fingerprintMismatch)
        #expect(failure(pair.clientEvents)?.reason.contains("sha-512") == true)
    }

    @Test("with the right fingerprint under the preferred hash the same handshake connects")
    func preferredMatchAccepted() throws {
        let pair = try EndpointPair(clientFingerprints: [])
        pair.start()
        pair.client.setRemoteFingerprints([Self.fingerprint(.sha256, 0xCD), pair.serverCertificate.fingerprint(.sha384)], at: .zero)
        #expect(pair.connect())
    }
}
