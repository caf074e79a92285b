// Test certificates of exercise 05: real DER, and the fingerprints OpenSSL gives them.
//
// Generated once for this lab (OpenSSL 3.0.22, 2026-11-25) with
//   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
//       -subj "/CN=webrtc-lab exercise 05 ECDSA" -keyout ec.key -out ec.pem
//   openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
//       -subj "/CN=webrtc-lab exercise 05 RSA" -keyout rsa.key -out rsa.pem
//   openssl x509 -in ec.pem -outform DER -out ec.der        (and the same for rsa)
// The private keys were thrown away: only the certificates matter to a fingerprint.
// Every expected value below was printed by `openssl x509 -in ec.pem -noout -fingerprint
// -sha256` (and -sha1, -sha224, -sha384, -sha512), not by the lab's own code, so the
// checks, the reference answer and ExerciseDigest are all held to OpenSSL's output.

/// A certificate used as check input, with OpenSSL's fingerprints of it.
struct FingerprintVector {
    /// What the failure message calls it.
    let name: String
    /// The certificate, DER-encoded (what a DTLS Certificate message carries).
    let der: [UInt8]
    /// The SDP form of each fingerprint, keyed by hash function name.
    let fingerprints: [String: String]

    /// The colon-separated hex of `algorithm`, without the hash name.
    func value(_ algorithm: String) -> String {
        String((fingerprints[algorithm] ?? "").drop(while: { $0 != " " }).dropFirst())
    }
}

enum FingerprintVectors {
    /// Decodes the hex lines below; they are constants of this file, so a bad digit is a
    /// bug caught by the lab's tests (the reference answer would stop matching OpenSSL).
    static func bytes(_ lines: [String]) -> [UInt8] {
        let digits = Array(lines.joined().utf8)
        return stride(from: 0, to: digits.count - 1, by: 2).map { index in
            UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) ?? 0
        }
    }

    /// Self-signed ECDSA P-256 certificate (ecdsa-with-SHA256), 424 bytes: what browsers generate.
    static let ecdsa = FingerprintVector(name: "ECDSA P-256 self-signed certificate", der: bytes([
        "308201a430820149a003020102021426d4f0eaa355c973539fcbea87dbaba20816aa26300a06082a8648ce3d040302302731",
        "25302306035504030c1c7765627274632d6c6162206578657263697365203035204543445341301e170d3236313132353232",
        "313531375a170d3336313132323232313531375a30273125302306035504030c1c7765627274632d6c616220657865726369",
        "73652030352045434453413059301306072a8648ce3d020106082a8648ce3d0301070342000440b922ab55e1ac7c5d09a3c5",
        "056049af2bc02f829a26ffb824201d010663890ab1ee8c1564e56c71d7a08939ff3a5382f2b429cb8979807ab6c0783a50af",
        "6b37a3533051301d0603551d0e04160414a62365b1badb898e72788c61bfda68082cdf5ad3301f0603551d23041830168014",
        "a62365b1badb898e72788c61bfda68082cdf5ad3300f0603551d130101ff040530030101ff300a06082a8648ce3d04030203",
        "49003046022100b74b42928a77b8eb91c15f7b6874cc88431e1b81d91a367f57deda768a9d8b38022100da76ef3ab74ea5f0",
        "0b00cf4d8a0f95675eef7f5c538294b1fe5340fc55246dd3",
    ]), fingerprints: [
        "sha-1": "sha-1 23:C9:10:61:E7:F2:A4:A7:4D:D1:26:74:FF:26:2D:97:74:A7:B9:0C",
        "sha-224": "sha-224 E6:57:BC:5F:E1:50:2A:F1:DE:86:B0:C6:77:C7:43:7B:07:80:23:0F:97:EA:3A:70:A3:F3:33:7E",
        "sha-256": "sha-256 0F:BC:35:11:A5:85:60:43:D0:78:96:A8:8B:93:03:67:D5:9C:5B:31:18:F3:F6:99:00:69:7E:E1:3A:4D:8E:09",
        "sha-384": "sha-384 E3:CC:3A:17:9B:CA:29:6E:77:41:80:AF:30:BD:2B:49:2A:3A:A1:F1:34:5D:94:D8:F6:BD:92:80:D2:A4:C6:41:39:9A:9F:DC:AC:28:5D:14:EB:E9:C5:62:2E:3F:BE:C4",
        "sha-512": "sha-512 90:BA:82:28:4A:53:75:38:5E:53:9E:52:4E:33:9B:9A:69:7A:BD:36:1C:E8:98:CF:85:D6:79:47:B7:3B:E1:82:F3:EA:57:0D:BA:40:99:47:70:EA:E4:92:E0:D1:C0:AA:38:CA:92:46:0A:78:59:15:43:9E:F0:DE:A2:E5:FF:7C",
    ])

    /// Self-signed RSA 2048 certificate (sha256WithRSAEncryption), 815 bytes: a peer may still send one.
    static let rsa = FingerprintVector(name: "RSA 2048 self-signed certificate", der: bytes([
        "3082032b30820213a00302010202145fce59d982365579d69da5d4ae7d7805f05cd0a2300d06092a864886f70d01010b0500",
        "30253123302106035504030c1a7765627274632d6c616220657865726369736520303520525341301e170d32363131323532",
        "32313531375a170d3336313132323232313531375a30253123302106035504030c1a7765627274632d6c6162206578657263",
        "6973652030352052534130820122300d06092a864886f70d01010105000382010f003082010a0282010100e1cd1d21698ed7",
        "a49a4623ff99810d408a732f0dcf8ab02eecd9744d6cb6abfb7c995130fafaa0d7d8d27fdfa7120fd8d2b10f28889415b456",
        "59f6fed89c71e9a08bd37bcae9acce3ee306aad49992efb995cb45bba70cb3481b0d41ee167c6bb3fac1c962513b17fc1d57",
        "4ffdbcb0202b7348cd10eae55b812f865c55b7b32458f9ee39a47bd220890744355b4fb9175f24d2c1c86a9ad9f543fb68ba",
        "944845cfc3bb581b9b3f622397846378fd2dc014ffb6e81af1a9892158af598ad899246227678810505e45a3d9dfa819f03c",
        "b4d7797b49b0aac54c04e1d8aaa782024a9ea54f02bb14145db0fa4edf0d8cc96f6364e5560416567915711df7b42568c502",
        "03010001a3533051301d0603551d0e041604148f2b387c81d6f9c8aff603d50286ca60c3525012301f0603551d2304183016",
        "80148f2b387c81d6f9c8aff603d50286ca60c3525012300f0603551d130101ff040530030101ff300d06092a864886f70d01",
        "010b05000382010100782efe940d08b20c3c68394b10f1f1f395c574ea89218a0f8b974c55c777b9eee8831d7e7ee47dd8df",
        "f94b426b461a69e0acac32671dadb470448e90fc0d47ea2ee8554ad69f756a00364a8a4c3c4104f070302c742b42f7029f6f",
        "326ebbe07e4d949729a66dfe309304aeeca52d677855aa33ddb0df9c3186ad345c00d43e45b2fbe50a0273257133948d59e7",
        "3e270d53972abf1d6b54ae61346b54f1bedd61c9e16711780a5ec39382c9c94906e36862e21def8b051f31685fccbb6b8b12",
        "1166d989be1a07add38c211522c37d92d9384a9ed5bb1ecba8de21a16d83a5b6d3924f4f6605df2a29ee26e8f012a924dcd6",
        "dd6d0cb3905e9f252b7f36b60bd873",
    ]), fingerprints: [
        "sha-1": "sha-1 E0:B1:48:33:F5:3C:4A:83:16:6E:33:AA:0F:03:6C:FB:4D:85:FA:4C",
        "sha-224": "sha-224 8C:89:79:20:33:49:4E:94:AD:AD:B1:8D:89:CE:D2:A8:40:D7:0F:22:19:4C:7E:5C:96:A7:1C:5D",
        "sha-256": "sha-256 F1:C4:B8:7F:49:83:E5:14:34:C4:46:C9:CA:4D:8F:0C:37:E2:D1:40:9B:33:36:FC:1C:BF:59:9E:F6:4F:A9:C9",
        "sha-384": "sha-384 36:E9:F2:51:1C:EC:BB:82:5A:42:92:99:94:46:28:40:F8:E5:A8:6A:89:CC:B0:0A:A9:1B:49:91:ED:4E:59:BC:F3:FA:ED:4B:CB:53:C3:8C:EC:7F:48:48:E5:73:62:AC",
        "sha-512": "sha-512 3B:98:64:93:D7:79:93:B7:AF:CC:CB:E7:0C:11:91:B4:16:F6:99:11:35:F4:39:8D:71:7B:82:C7:6A:73:3F:7A:CF:22:81:38:90:C7:81:DE:A1:1B:1C:14:07:38:5E:C3:D2:2B:00:8F:3A:D8:88:81:12:32:C5:F2:5A:5F:2B:C9",
    ])
}
