import CShims

/// The module's only calls into OpenSSL: HMAC-SHA1, HMAC-SHA256 and MD5.
///
/// STUN needs nothing else. MD5 appears only in the long-term key derivation
/// (RFC 8489 §9.2.2), where the RFC fixes it; it is not used as a MAC.
enum STUNCrypto {
    /// HMAC-SHA1 (20 bytes).
    static func hmacSHA1(key: [UInt8], data: [UInt8]) -> [UInt8] { hmac(sha256: false, key: key, data: data) }

    /// HMAC-SHA256 (32 bytes).
    static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] { hmac(sha256: true, key: key, data: data) }

    /// MD5 (16 bytes).
    static func md5(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 64)
        let input = data.isEmpty ? [0] : data
        let written = input.withUnsafeBufferPointer { inputBuffer in
            out.withUnsafeMutableBufferPointer { output in
                lab_digest(0, inputBuffer.baseAddress!, data.count, output.baseAddress!)
            }
        }
        return Array(out.prefix(written))
    }

    private static func hmac(sha256: Bool, key: [UInt8], data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 64)
        // OpenSSL 3's HMAC() treats a NULL key as "reuse the previous key" and
        // fails on a fresh context, and Swift may give an empty array a nil base
        // address: so empty inputs still pass a valid pointer (with length 0).
        let keyBytes = key.isEmpty ? [0] : key
        let input = data.isEmpty ? [0] : data
        let written = keyBytes.withUnsafeBufferPointer { keyBuffer in
            input.withUnsafeBufferPointer { inputBuffer in
                out.withUnsafeMutableBufferPointer { output in
                    lab_hmac(sha256 ? 1 : 0, keyBuffer.baseAddress!, key.count,
                             inputBuffer.baseAddress!, data.count, output.baseAddress!)
                }
            }
        }
        return Array(out.prefix(written))
    }

    /// Compares without an early exit, so timing does not reveal how many leading bytes matched.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<lhs.count { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
