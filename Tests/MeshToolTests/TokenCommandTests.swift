import Foundation
import MeshProtocol
import Testing
import ToolTestSupport

@Suite("datachannel-chat token")
struct TokenCommandTests {
    static let secret = "token-test-secret-0123456789abcdef-QRS"

    /// Runs `datachannel-chat token` with SIGNALING_SECRET set to `secret` (unset when nil).
    static func token(_ arguments: [String], secret: String? = TokenCommandTests.secret) throws -> ToolRun {
        var env = ["-u", "SIGNALING_SECRET"]
        if let secret { env.append("SIGNALING_SECRET=\(secret)") }
        return try Programs.run("/usr/bin/env", env + [try Programs.product("datachannel-chat"), "token"] + arguments)
    }

    @Test("a minted token is accepted by a registry with the same secret, and refused by one with another")
    func acceptedByServe() throws {
        let run = try Self.token(["--name", "alice"])
        #expect(run.status == 0, "\(run.stderr)")
        let jwt = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(jwt.split(separator: ".").count == 3)
        let same = try ServeProcess(environment: ["SIGNALING_SECRET": Self.secret])
        #expect(try ServeProbe.upgradeStatus(port: same.port, token: jwt) == 101)
        #expect(same.stop().status == 0)
        let other = try ServeProcess(environment: ["SIGNALING_SECRET": Self.secret + "-other"])
        #expect(try ServeProbe.upgradeStatus(port: other.port, token: jwt) == 401)
        #expect(other.stop().status == 0)
    }

    @Test("--json prints token, peer_id, role and exp; --lifetime sets exp")
    func json() throws {
        let before = Int64(Date().timeIntervalSince1970)
        let run = try Self.token(["--name", "bob", "--role", "observer", "--lifetime", "3600", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let line = try JSONValue.parse(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(line["peer_id"] == "bob")
        #expect(line["role"] == "observer")
        let exp = try #require(line["exp"]?.intValue)
        #expect(exp >= before + 3600 && exp <= Int64(Date().timeIntervalSince1970) + 3600)
        #expect(line["token"]?.stringValue?.split(separator: ".").count == 3)
    }

    @Test("a missing or short SIGNALING_SECRET, or a bad name, is a clear usage error", arguments: [
        (String?.none, ["--name", "alice"], "SIGNALING_SECRET is not set"),
        ("short", ["--name", "alice"], "at least 32"),
        (TokenCommandTests.secret, ["--name", "a b"], "--name"),
        (TokenCommandTests.secret, ["--name", "alice", "--lifetime", "0"], "--lifetime"),
    ])
    func refused(secret: String?, arguments: [String], mention: String) throws {
        let run = try Self.token(arguments, secret: secret)
        #expect(run.status == 2)
        #expect(run.errorLines.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains(mention), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }
}
