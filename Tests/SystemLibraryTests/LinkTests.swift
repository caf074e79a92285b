import CShims
import COpenSSL
import CUsrsctp
import Testing

/// Proves the system libraries the DTLS and SCTP slices need are installed,
/// found by the build, and callable from Swift.
@Suite("system libraries link")
struct LinkTests {
    @Test("OpenSSL 3 is linked and reports its version")
    func openSSLVersion() {
        let number = lab_openssl_version_number()
        #expect(number >= 0x3000_0000, "expected OpenSSL 3.x, got \(String(number, radix: 16))")
        let text = String(cString: lab_openssl_version_text())
        #expect(text.hasPrefix("OpenSSL 3"))
    }

    @Test("OpenSSL computes HMAC-SHA1 (RFC 2202 test case 2)")
    func hmacSHA1() {
        let key = Array("Jefe".utf8)
        let data = Array("what do ya want for nothing?".utf8)
        var out = [UInt8](repeating: 0, count: 32)
        let count = lab_hmac(0, key, key.count, data, data.count, &out)
        #expect(count == 20)
        let hex = out.prefix(count).map { String(format_hex: $0) }.joined()
        #expect(hex == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    @Test("usrsctp is linked: a SCTP CRC32c of a known buffer")
    func usrsctpLinked() {
        // usrsctp_crc32c is a pure function: calling it proves the library
        // resolves without initialising the process-global stack.
        var bytes = Array("123456789".utf8)
        let crc = usrsctp_crc32c(&bytes, bytes.count)
        // CRC-32C check value for "123456789" (RFC 3720 B.4), in usrsctp's byte order.
        #expect(crc == 0xE306_9283 || crc == 0x8392_06E3)
    }
}

extension String {
    init(format_hex byte: UInt8) {
        let digits = Array("0123456789abcdef")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
