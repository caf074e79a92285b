// Exercise 05 — DTLS fingerprints and roles (reference answer).
//
// Same file name, type name and public surface as exercises/05-dtls-fingerprint/DTLSFingerprint.swift.
import ExerciseInterfaces

/// Certificate fingerprints in SDP form, their comparison, and the DTLS role from `a=setup`.
public enum DTLSFingerprint: DTLSFingerprintExercise {
    /// RFC 8122 §5: the hash is over the certificate's DER bytes, exactly as sent in the
    /// DTLS Certificate message (not the PEM text, not the public key alone); the value is
    /// written as upper-case hex pairs joined by colons, after the hash function's name.
    public static func fingerprint(der: [UInt8], algorithm: String) throws -> String? {
        guard !der.isEmpty, let function = hashFunction(named: algorithm) else { return nil }
        let digits = Array("0123456789ABCDEF")
        let pairs = ExerciseDigest.hash(function.algorithm, der).map { String([digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]]) }
        return function.name + " " + pairs.joined(separator: ":")
    }

    /// Compares the parsed values, not the text: either case is accepted (RFC 5234 §2.3 makes
    /// the quoted hash names case-insensitive; lower-case hex is tolerated because real
    /// peers have sent it), but the shape of RFC 8122's grammar is not negotiable, and a
    /// fingerprint under another hash function is a different fingerprint.
    public static func fingerprintsMatch(_ a: String, _ b: String) throws -> Bool {
        guard let left = parse(a), let right = parse(b) else { return false }
        return left.name == right.name && left.bytes == right.bytes
    }

    /// RFC 4145 §4.1 and RFC 8842 §5: `active` connects (the DTLS client, RFC 5763 §5),
    /// `passive` waits (the server), `actpass` lets the other side choose. A working pair has
    /// exactly one client: active with passive or actpass, or passive with actpass.
    /// `holdconn` means "not now", and an answer may not say `actpass` back.
    public static func dtlsRole(localSetup: String, remoteSetup: String) throws -> String? {
        switch (asciiLowercased(localSetup), asciiLowercased(remoteSetup)) {
        case ("active", "passive"), ("active", "actpass"), ("actpass", "passive"): "client"
        case ("passive", "active"), ("passive", "actpass"), ("actpass", "active"): "server"
        default: nil
        }
    }

    /// The registered name (RFC 8122 §5, IANA "Hash Function Textual Names") and digest of `token`.
    static func hashFunction(named token: String) -> (name: String, algorithm: ExerciseDigest.Algorithm)? {
        let name = asciiLowercased(token)
        let known: [String: ExerciseDigest.Algorithm] = [
            "sha-1": .sha1, "sha-224": .sha224, "sha-256": .sha256, "sha-384": .sha384, "sha-512": .sha512,
        ]
        return known[name].map { (name, $0) }
    }

    /// `hash-func SP fingerprint` (RFC 8122 §5) with fingerprint = 2UHEX *(":" 2UHEX), or nil.
    static func parse(_ text: String) -> (name: String, bytes: [UInt8])? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        guard fields.count == 2, let function = hashFunction(named: String(fields[0])) else { return nil }
        var bytes: [UInt8] = []
        for pair in fields[1].split(separator: ":", omittingEmptySubsequences: false) {
            // Checked digit by digit: UInt8(_:radix:) would also accept "+F" or a single digit.
            guard pair.count == 2, pair.allSatisfy(\.isHexDigit), pair.allSatisfy(\.isASCII),
                  let byte = UInt8(pair, radix: 16) else { return nil }
            bytes.append(byte)
        }
        guard bytes.count == function.algorithm.byteCount else { return nil }
        return (function.name, bytes)
    }

    /// Lower-cases A–Z only: SDP tokens are ASCII, and full Unicode case folding could turn
    /// a non-ASCII look-alike into a valid name.
    static func asciiLowercased(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map {
            ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0
        }))
    }
}
