// ExerciseDigest — the hash functions exercise 05 needs, written out from FIPS 180-4.
//
// Why not OpenSSL (CShims.lab_digest) like the rest of the package: this module is copied
// into the grading workspace that `lab check` and `lab grade` build next to each student's
// submission, and that workspace holds only Swift targets with no dependencies. A C target
// and a system library there would slow every student's build and tie grading to libssl
// headers. So the five functions are plain Swift here, and the lab's tests compare them
// with OpenSSL's on thousands of inputs (Tests/LabTests/Exercise05FingerprintTests.swift).
//
// FIPS 180-4 in one paragraph: pad the message with a 1 bit, zeros, and its length in
// bits (64 bits wide for SHA-1/224/256, 128 for SHA-384/512) to a whole number of blocks
// (64 or 128 bytes); run each block through a compression function that updates a state of
// eight (five for SHA-1) words; the digest is the final state, big-endian, cut to length.
// SHA-224 and SHA-384 are SHA-256 and SHA-512 with other initial values, truncated.
// The constants below are fractional parts of square and cube roots of the first primes
// (FIPS 180-4 §4.2, §5.3), generated for this file with exact integer arithmetic.

/// One-shot message digests (FIPS 180-4) for the exercises: give it bytes, get the hash.
///
/// ```swift
/// let digest = ExerciseDigest.hash(.sha256, certificateDER)   // 32 bytes
/// ```
public enum ExerciseDigest {
    /// The hash functions available, the ones an `a=fingerprint` attribute may name.
    public enum Algorithm: CaseIterable, Equatable, Sendable {
        /// SHA-1: 20 bytes (obsolete for security uses, still legal in SDP).
        case sha1
        /// SHA-224: 28 bytes.
        case sha224
        /// SHA-256: 32 bytes, what every browser puts in its SDP.
        case sha256
        /// SHA-384: 48 bytes.
        case sha384
        /// SHA-512: 64 bytes.
        case sha512

        /// The length of this function's digest in bytes.
        public var byteCount: Int {
            switch self {
            case .sha1: 20
            case .sha224: 28
            case .sha256: 32
            case .sha384: 48
            case .sha512: 64
            }
        }
    }

    /// The digest of `bytes` under `algorithm` (`algorithm.byteCount` bytes).
    public static func hash(_ algorithm: Algorithm, _ bytes: [UInt8]) -> [UInt8] {
        switch algorithm {
        case .sha1: sha1(bytes)
        case .sha224: sha256Family(bytes, initial: SHA256Constants.initial224, words: 7)
        case .sha256: sha256Family(bytes, initial: SHA256Constants.initial256, words: 8)
        case .sha384: sha512Family(bytes, initial: SHA512Constants.initial384, words: 6)
        case .sha512: sha512Family(bytes, initial: SHA512Constants.initial512, words: 8)
        }
    }

    /// FIPS 180-4 §5.1: the message, a 0x80 byte, zeros, then the bit length big-endian in
    /// the last `lengthBytes` bytes of the final block.
    static func padded(_ bytes: [UInt8], blockSize: Int, lengthBytes: Int) -> [UInt8] {
        var message = bytes
        message.append(0x80)
        while (message.count + lengthBytes) % blockSize != 0 { message.append(0) }
        // An array in memory is far below 2^61 bytes, so the bit count fits in 64 bits and
        // the upper half of SHA-512's 128-bit length field is zero.
        let bits = UInt64(bytes.count) * 8
        message += [UInt8](repeating: 0, count: lengthBytes - 8)
        for shift in stride(from: 56, through: 0, by: -8) { message.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        return message
    }

    /// The big-endian word of type `Word` starting at `offset`.
    static func word<Word: FixedWidthInteger & UnsignedInteger>(_ bytes: [UInt8], _ offset: Int, as _: Word.Type) -> Word {
        var value: Word = 0
        for index in 0..<(Word.bitWidth / 8) { value = value << 8 | Word(bytes[offset + index]) }
        return value
    }

    /// The words of `state`, each written big-endian.
    static func bigEndianBytes<Word: FixedWidthInteger & UnsignedInteger>(_ state: ArraySlice<Word>) -> [UInt8] {
        state.flatMap { word in
            stride(from: Word.bitWidth - 8, through: 0, by: -8).map { UInt8(truncatingIfNeeded: word >> $0) }
        }
    }

    static func rotateRight<Word: FixedWidthInteger>(_ value: Word, _ count: Int) -> Word {
        value >> count | value << (Word.bitWidth - count)
    }

    /// FIPS 180-4 §6.1: SHA-1, five 32-bit words, 80 steps in four rounds of 20.
    static func sha1(_ bytes: [UInt8]) -> [UInt8] {
        var state: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        let message = padded(bytes, blockSize: 64, lengthBytes: 8)
        var schedule = [UInt32](repeating: 0, count: 80)
        for block in stride(from: 0, to: message.count, by: 64) {
            for t in 0..<16 { schedule[t] = word(message, block + 4 * t, as: UInt32.self) }
            for t in 16..<80 {
                schedule[t] = rotateRight(schedule[t - 3] ^ schedule[t - 8] ^ schedule[t - 14] ^ schedule[t - 16], 31)
            }
            var (a, b, c, d, e) = (state[0], state[1], state[2], state[3], state[4])
            for t in 0..<80 {
                let (f, k): (UInt32, UInt32) = switch t {
                case 0..<20: ((b & c) | (~b & d), 0x5A82_7999)
                case 20..<40: (b ^ c ^ d, 0x6ED9_EBA1)
                case 40..<60: ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (b ^ c ^ d, 0xCA62_C1D6)
                }
                let temp = rotateRight(a, 27) &+ f &+ e &+ k &+ schedule[t]
                (e, d, c, b, a) = (d, c, rotateRight(b, 2), a, temp)
            }
            for (index, value) in [a, b, c, d, e].enumerated() { state[index] &+= value }
        }
        return bigEndianBytes(state[...])
    }

    /// FIPS 180-4 §6.2–6.3: SHA-256 (and SHA-224, which starts elsewhere and keeps 7 words).
    static func sha256Family(_ bytes: [UInt8], initial: [UInt32], words: Int) -> [UInt8] {
        var state = initial
        let message = padded(bytes, blockSize: 64, lengthBytes: 8)
        var schedule = [UInt32](repeating: 0, count: 64)
        for block in stride(from: 0, to: message.count, by: 64) {
            for t in 0..<16 { schedule[t] = word(message, block + 4 * t, as: UInt32.self) }
            for t in 16..<64 {
                let (w15, w2) = (schedule[t - 15], schedule[t - 2])
                let sigma0 = rotateRight(w15, 7) ^ rotateRight(w15, 18) ^ (w15 >> 3)
                let sigma1 = rotateRight(w2, 17) ^ rotateRight(w2, 19) ^ (w2 >> 10)
                schedule[t] = schedule[t - 16] &+ sigma0 &+ schedule[t - 7] &+ sigma1
            }
            var v = state
            for t in 0..<64 {
                let (a, e) = (v[0], v[4])
                let sum1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
                let choose = (e & v[5]) ^ (~e & v[6])
                let t1 = v[7] &+ sum1 &+ choose &+ SHA256Constants.rounds[t] &+ schedule[t]
                let sum0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
                let majority = (a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2])
                v = [t1 &+ sum0 &+ majority, a, v[1], v[2], v[3] &+ t1, e, v[5], v[6]]
            }
            for index in 0..<8 { state[index] &+= v[index] }
        }
        return bigEndianBytes(state.prefix(words))
    }

    /// FIPS 180-4 §6.4–6.5: SHA-512 (and SHA-384, which starts elsewhere and keeps 6 words).
    static func sha512Family(_ bytes: [UInt8], initial: [UInt64], words: Int) -> [UInt8] {
        var state = initial
        let message = padded(bytes, blockSize: 128, lengthBytes: 16)
        var schedule = [UInt64](repeating: 0, count: 80)
        for block in stride(from: 0, to: message.count, by: 128) {
            for t in 0..<16 { schedule[t] = word(message, block + 8 * t, as: UInt64.self) }
            for t in 16..<80 {
                let (w15, w2) = (schedule[t - 15], schedule[t - 2])
                let sigma0 = rotateRight(w15, 1) ^ rotateRight(w15, 8) ^ (w15 >> 7)
                let sigma1 = rotateRight(w2, 19) ^ rotateRight(w2, 61) ^ (w2 >> 6)
                schedule[t] = schedule[t - 16] &+ sigma0 &+ schedule[t - 7] &+ sigma1
            }
            var v = state
            for t in 0..<80 {
                let (a, e) = (v[0], v[4])
                let sum1 = rotateRight(e, 14) ^ rotateRight(e, 18) ^ rotateRight(e, 41)
                let choose = (e & v[5]) ^ (~e & v[6])
                let t1 = v[7] &+ sum1 &+ choose &+ SHA512Constants.rounds[t] &+ schedule[t]
                let sum0 = rotateRight(a, 28) ^ rotateRight(a, 34) ^ rotateRight(a, 39)
                let majority = (a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2])
                v = [t1 &+ sum0 &+ majority, a, v[1], v[2], v[3] &+ t1, e, v[5], v[6]]
            }
            for index in 0..<8 { state[index] &+= v[index] }
        }
        return bigEndianBytes(state.prefix(words))
    }
}

/// FIPS 180-4 §4.2.2 and §5.3.2–5.3.3.
private enum SHA256Constants {
    /// First 32 bits of the fractional parts of the cube roots of the first 64 primes.
    static let rounds: [UInt32] = [
        0x428A2F98, 0x71374491, 0xB5C0FBCF, 0xE9B5DBA5, 0x3956C25B, 0x59F111F1, 0x923F82A4, 0xAB1C5ED5,
        0xD807AA98, 0x12835B01, 0x243185BE, 0x550C7DC3, 0x72BE5D74, 0x80DEB1FE, 0x9BDC06A7, 0xC19BF174,
        0xE49B69C1, 0xEFBE4786, 0x0FC19DC6, 0x240CA1CC, 0x2DE92C6F, 0x4A7484AA, 0x5CB0A9DC, 0x76F988DA,
        0x983E5152, 0xA831C66D, 0xB00327C8, 0xBF597FC7, 0xC6E00BF3, 0xD5A79147, 0x06CA6351, 0x14292967,
        0x27B70A85, 0x2E1B2138, 0x4D2C6DFC, 0x53380D13, 0x650A7354, 0x766A0ABB, 0x81C2C92E, 0x92722C85,
        0xA2BFE8A1, 0xA81A664B, 0xC24B8B70, 0xC76C51A3, 0xD192E819, 0xD6990624, 0xF40E3585, 0x106AA070,
        0x19A4C116, 0x1E376C08, 0x2748774C, 0x34B0BCB5, 0x391C0CB3, 0x4ED8AA4A, 0x5B9CCA4F, 0x682E6FF3,
        0x748F82EE, 0x78A5636F, 0x84C87814, 0x8CC70208, 0x90BEFFFA, 0xA4506CEB, 0xBEF9A3F7, 0xC67178F2,
    ]
    /// SHA-256: first 32 bits of the fractional parts of the square roots of the first 8 primes.
    static let initial256: [UInt32] = [0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19]
    /// SHA-224: second 32 bits of the fractional parts of the square roots of the 9th to 16th primes.
    static let initial224: [UInt32] = [0xC1059ED8, 0x367CD507, 0x3070DD17, 0xF70E5939, 0xFFC00B31, 0x68581511, 0x64F98FA7, 0xBEFA4FA4]
}

/// FIPS 180-4 §4.2.3 and §5.3.4–5.3.5.
private enum SHA512Constants {
    /// First 64 bits of the fractional parts of the cube roots of the first 80 primes.
    static let rounds: [UInt64] = [
        0x428A2F98D728AE22, 0x7137449123EF65CD, 0xB5C0FBCFEC4D3B2F, 0xE9B5DBA58189DBBC,
        0x3956C25BF348B538, 0x59F111F1B605D019, 0x923F82A4AF194F9B, 0xAB1C5ED5DA6D8118,
        0xD807AA98A3030242, 0x12835B0145706FBE, 0x243185BE4EE4B28C, 0x550C7DC3D5FFB4E2,
        0x72BE5D74F27B896F, 0x80DEB1FE3B1696B1, 0x9BDC06A725C71235, 0xC19BF174CF692694,
        0xE49B69C19EF14AD2, 0xEFBE4786384F25E3, 0x0FC19DC68B8CD5B5, 0x240CA1CC77AC9C65,
        0x2DE92C6F592B0275, 0x4A7484AA6EA6E483, 0x5CB0A9DCBD41FBD4, 0x76F988DA831153B5,
        0x983E5152EE66DFAB, 0xA831C66D2DB43210, 0xB00327C898FB213F, 0xBF597FC7BEEF0EE4,
        0xC6E00BF33DA88FC2, 0xD5A79147930AA725, 0x06CA6351E003826F, 0x142929670A0E6E70,
        0x27B70A8546D22FFC, 0x2E1B21385C26C926, 0x4D2C6DFC5AC42AED, 0x53380D139D95B3DF,
        0x650A73548BAF63DE, 0x766A0ABB3C77B2A8, 0x81C2C92E47EDAEE6, 0x92722C851482353B,
        0xA2BFE8A14CF10364, 0xA81A664BBC423001, 0xC24B8B70D0F89791, 0xC76C51A30654BE30,
        0xD192E819D6EF5218, 0xD69906245565A910, 0xF40E35855771202A, 0x106AA07032BBD1B8,
        0x19A4C116B8D2D0C8, 0x1E376C085141AB53, 0x2748774CDF8EEB99, 0x34B0BCB5E19B48A8,
        0x391C0CB3C5C95A63, 0x4ED8AA4AE3418ACB, 0x5B9CCA4F7763E373, 0x682E6FF3D6B2B8A3,
        0x748F82EE5DEFB2FC, 0x78A5636F43172F60, 0x84C87814A1F0AB72, 0x8CC702081A6439EC,
        0x90BEFFFA23631E28, 0xA4506CEBDE82BDE9, 0xBEF9A3F7B2C67915, 0xC67178F2E372532B,
        0xCA273ECEEA26619C, 0xD186B8C721C0C207, 0xEADA7DD6CDE0EB1E, 0xF57D4F7FEE6ED178,
        0x06F067AA72176FBA, 0x0A637DC5A2C898A6, 0x113F9804BEF90DAE, 0x1B710B35131C471B,
        0x28DB77F523047D84, 0x32CAAB7B40C72493, 0x3C9EBE0A15C9BEBC, 0x431D67C49C100D4C,
        0x4CC5D4BECB3E42B6, 0x597F299CFC657E2A, 0x5FCB6FAB3AD6FAEC, 0x6C44198C4A475817,
    ]
    /// SHA-512: first 64 bits of the fractional parts of the square roots of the first 8 primes.
    static let initial512: [UInt64] = [
        0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
        0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179,
    ]
    /// SHA-384: first 64 bits of the fractional parts of the square roots of the 9th to 16th primes.
    static let initial384: [UInt64] = [
        0xCBBB9D5DC1059ED8, 0x629A292A367CD507, 0x9159015A3070DD17, 0x152FECD8F70E5939,
        0x67332667FFC00B31, 0x8EB44A8768581511, 0xDB0C2E0D64F98FA7, 0x47B5481DBEFA4FA4,
    ]
}
