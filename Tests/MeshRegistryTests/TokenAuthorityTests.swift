import Foundation
import MeshProtocol
@testable import MeshRegistry
import Testing

/// base64url without padding, as JWTs write their parts.
func base64URL(_ bytes: some Sequence<UInt8>) -> String {
    Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
}

let testSecret = try! RegistrySecret(text: "a-test-secret-that-is-long-enough-0123456789")

@Suite("TokenAuthority: HS256 tokens with jwt-kit")
struct TokenAuthorityTests {
    @Test("a minted token verifies and carries sub, role, iat and exp (5 minutes by default)")
    func roundTrip() async throws {
        let authority = await TokenAuthority(secret: testSecret)
        let now = Date(timeIntervalSince1970: 1_800_000_000.75)
        let minted = try await authority.mint(peerID: "alice", role: "agent", now: now)
        #expect(minted.claims == RegistryClaims(sub: "alice", role: "agent", iat: 1_800_000_000, exp: 1_800_000_300))
        let claims = try await authority.verify(minted.token, now: now.addingTimeInterval(299))
        #expect(claims == minted.claims)
        // The header says HS256, and the times are integers (chatixia's claims are usize).
        let parts = minted.token.split(separator: ".")
        #expect(parts.count == 3)
        let header = try JSONValue.parse(try #require(Data(base64URLPart: parts[0])))
        #expect(header["alg"] == "HS256")
        let payload = try JSONValue.parse(try #require(Data(base64URLPart: parts[1])))
        #expect(payload["iat"] == .int(1_800_000_000))
        #expect(payload["exp"] == .int(1_800_000_300))
        #expect(payload["sub"] == "alice")
        #expect(payload["role"] == "agent")
    }

    @Test("an expired token is refused")
    func expired() async throws {
        let authority = await TokenAuthority(secret: testSecret, lifetime: .seconds(60))
        let minted = try await authority.mint(peerID: "alice", role: "agent", now: Date(timeIntervalSinceNow: -120))
        await #expect(throws: TokenRejection.expired) { try await authority.verify(minted.token) }
        // At the very second of exp it is already expired.
        let fresh = try await authority.mint(peerID: "alice", role: "agent", now: Date(timeIntervalSince1970: 1000))
        await #expect(throws: TokenRejection.expired) {
            try await authority.verify(fresh.token, now: Date(timeIntervalSince1970: 1060))
        }
        _ = try await authority.verify(fresh.token, now: Date(timeIntervalSince1970: 1059))
    }

    @Test("a token signed with another secret is refused")
    func otherKey() async throws {
        let other = await TokenAuthority(secret: try RegistrySecret(text: String(repeating: "z", count: 40)))
        let minted = try await other.mint(peerID: "alice", role: "agent")
        let authority = await TokenAuthority(secret: testSecret)
        await #expect(throws: TokenRejection.signature) { try await authority.verify(minted.token) }
    }

    @Test("a forged signature, or a payload changed after signing, is refused")
    func forged() async throws {
        let authority = await TokenAuthority(secret: testSecret)
        let minted = try await authority.mint(peerID: "alice", role: "agent")
        let parts = minted.token.split(separator: ".").map(String.init)
        let forgedSignature = parts[0] + "." + parts[1] + "." + base64URL([UInt8](repeating: 7, count: 32))
        await #expect(throws: TokenRejection.signature) { try await authority.verify(forgedSignature) }
        let now = Int64(Date().timeIntervalSince1970)
        let otherPayload = base64URL(Array(#"{"sub":"mallory","role":"agent","iat":\#(now),"exp":\#(now + 300)}"#.utf8))
        await #expect(throws: TokenRejection.signature) {
            try await authority.verify(parts[0] + "." + otherPayload + "." + parts[2])
        }
    }

    @Test("alg none, and any algorithm but HS256, is refused whatever the signature")
    func otherAlgorithms() async throws {
        let authority = await TokenAuthority(secret: testSecret)
        let now = Int64(Date().timeIntervalSince1970)
        let payload = base64URL(Array(#"{"sub":"mallory","role":"agent","iat":\#(now),"exp":\#(now + 300)}"#.utf8))
        for alg in ["none", "None", "HS512", "RS256"] {
            let header = base64URL(Array(#"{"alg":"\#(alg)","typ":"JWT"}"#.utf8))
            for signature in ["", base64URL([1, 2, 3])] {
                await #expect(throws: TokenRejection.algorithm(alg)) {
                    try await authority.verify(header + "." + payload + "." + signature)
                }
            }
        }
        // A real HS256 token relabelled as HS384 keeps its valid signature and is still refused.
        let minted = try await authority.mint(peerID: "alice", role: "agent")
        let parts = minted.token.split(separator: ".").map(String.init)
        let relabelled = base64URL(Array(#"{"alg":"HS384","typ":"JWT"}"#.utf8))
        await #expect(throws: TokenRejection.algorithm("HS384")) {
            try await authority.verify(relabelled + "." + parts[1] + "." + parts[2])
        }
    }

    @Test("no token, garbage and oversized tokens are refused with a reason", arguments: [
        ("", TokenRejection.missing), ("abc", .malformed), ("a.b.c", .malformed), ("...", .malformed),
        (String(repeating: "x", count: 5000), .malformed),
    ])
    func garbage(token: String, rejection: TokenRejection) async throws {
        let authority = await TokenAuthority(secret: testSecret)
        await #expect(throws: rejection) { try await authority.verify(token) }
        await #expect(throws: TokenRejection.missing) { try await authority.verify(nil) }
    }

    @Test("a secret shorter than 32 bytes is refused before jwt-kit sees it")
    func shortSecret() throws {
        #expect(throws: RegistryError.self) { try RegistrySecret(text: String(repeating: "s", count: 31)) }
        #expect(throws: RegistryError.self) { try RegistrySecret(text: "") }
        #expect(try RegistrySecret(text: String(repeating: "s", count: 32)).wasGenerated == false)
        do {
            _ = try RegistrySecret(text: "short")
            Issue.record("a 5-byte secret was accepted")
        } catch {
            #expect(error.code == .secretTooShort)
            #expect(error.reason.contains("5 bytes"))
            #expect(error.reason.contains("32"))
            #expect(!error.reason.contains("short\""), "the message never quotes the secret")
        }
    }

    @Test("a generated secret is 32 random bytes and never prints")
    func generatedSecret() {
        let one = RegistrySecret.generated(), two = RegistrySecret.generated()
        #expect(one.wasGenerated)
        #expect(one.bytes.count == 32)
        #expect(one.bytes != two.bytes)
        let printed = "\(one) \(String(reflecting: one))"
        #expect(printed.contains("32 bytes"))
        #expect(!printed.contains(base64URL(one.bytes)))
        #expect(Mirror(reflecting: one).children.isEmpty, "dump shows none of the bytes")
    }

    @Test("a secret file loses one trailing newline; a missing one is a clear error")
    func secretFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data((String(repeating: "k", count: 32) + "\n").utf8).write(to: URL(fileURLWithPath: path))
        #expect(try RegistrySecret(file: path).bytes.count == 32)
        try Data((String(repeating: "k", count: 31) + "\n").utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: RegistryError.self) { try RegistrySecret(file: path) }
        do {
            _ = try RegistrySecret(file: path + ".missing")
            Issue.record("a missing file was read")
        } catch {
            #expect(error.code == .secretFile)
            #expect(error.reason.contains(path + ".missing"))
        }
    }
}

extension Data {
    /// Decodes one base64url part of a JWT.
    init?(base64URLPart part: Substring) {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        self.init(base64Encoded: text)
    }
}
