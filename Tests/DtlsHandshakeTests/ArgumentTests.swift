import Foundation
import Testing

@Suite("dtls-handshake: arguments, PEM files, --use-exercise, --help")
struct ArgumentTests {
    @Test("bad arguments exit 2 with exactly one line on stderr and nothing on stdout", arguments: [
        ["--bogus"],
        ["--loss", "1.5"],
        ["--loss", "x"],
        ["--initial-timeout", "0"],
        ["--timeout", "-1"],
        ["--listen", "127.0.0.1:0", "--connect", "127.0.0.1:9"],
        ["--listen", "127.0.0.1"],
        ["--listen", "127.0.0.1:99999"],
        ["--connect", "127.0.0.1"],
        ["--connect", "127.0.0.1:0"],
        ["--connect", "127.0.0.1:70000"],
        ["--expect-fingerprint", "AB:CD"],
        ["--expect-fingerprint", "sha-256 AB:CD"],
        ["--expect-fingerprint", "sha-256 ZZ:" + Array(repeating: "00", count: 31).joined(separator: ":")],
        ["--expect-fingerprint", "md5 " + Array(repeating: "00", count: 16).joined(separator: ":")],
        ["--cert", "/nonexistent/cert.pem"],
        ["--cert", "/nonexistent/cert.pem", "--key", "/nonexistent/key.pem"],
        ["--message", ""],
    ])
    func badArguments(_ arguments: [String]) throws {
        let run = try DtlsHandshake.run(arguments)
        #expect(run.status == 2, "\(arguments): stdout \(run.stdout) stderr \(run.stderr)")
        #expect(run.errorLines.count == 1, "\(arguments): \(run.stderr)")
        #expect(run.errorLines.first?.hasPrefix("dtls-handshake: error: ") == true)
        #expect(run.stdout.isEmpty)
    }

    @Test("a file that is not PEM is a one-line error, exit 2")
    func notPEM() throws {
        let path = DtlsHandshake.temporaryPath(".pem")
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try DtlsHandshake.run(["--cert", path, "--key", path])
        #expect(run.status == 2)
        #expect(run.errorLines.count == 1)
        #expect(run.stderr.contains(path))
    }

    @Test("an RSA 2048 certificate from PEM is used by the server, whose fingerprint is openssl's")
    func rsaCertificate() throws {
        let certificate = try PEMFixture.make(.rsa2048)
        defer { certificate.remove() }
        let run = try DtlsHandshake.run(["--cert", certificate.certificatePath, "--key", certificate.keyPath, "--json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let object = try run.json()
        #expect(object["cipher_suite"] as? String == "ECDHE-RSA-AES128-GCM-SHA256")
        let server = try #require((object["sides"] as? [[String: Any]])?.last)
        #expect(server["certificate"] as? String == "RSA 2048")
        #expect(server["fingerprint"] as? String == certificate.fingerprint)
        let datagrams = try #require(object["datagrams"] as? [[String: Any]])
        #expect(datagrams.allSatisfy { ($0["size"] as? Int ?? 0) <= 1200 })
    }

    @Test("--use-exercise with the starter's code exits 8 before any packet, naming the exercise")
    func exerciseStarter() throws {
        let run = try DtlsHandshake.run(["--use-exercise"])
        #expect(run.status == 8, "stdout: \(run.stdout)")
        #expect(run.errorLines.count == 1)
        #expect(run.stderr.contains("exercises/05-dtls-fingerprint"))
        #expect(run.stderr.contains("not implemented"))
        #expect(!run.stdout.contains("ClientHello"))
    }

    @Test("--help documents every option and every exit code")
    func help() throws {
        let run = try DtlsHandshake.run(["--help"])
        #expect(run.status == 0)
        for option in ["--listen", "--connect", "--expect-fingerprint", "--cert", "--key", "--message", "--loss", "--seed",
                       "--initial-timeout", "--timeout", "--cookie", "--keylog", "--pcap", "--json", "--verbose", "--use-exercise"] {
            #expect(run.stdout.contains(option), "--help does not mention \(option)")
        }
        for code in 0...8 {
            #expect(run.stdout.contains("\n  \(code)   "), "--help does not list exit code \(code)")
        }
    }

    @Test("--cookie makes the server answer with a HelloVerifyRequest; the client repeats its ClientHello with the cookie")
    func cookie() throws {
        let run = try DtlsHandshake.run(["--cookie"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let order = ["client -> server", "ClientHello (seq 0", "server -> client", "HelloVerifyRequest",
                     "client -> server", "ClientHello (seq 1", "server -> client", "ServerHello"]
        #expect(firstOutOfOrder(order, in: run.stdout) == nil, "\(run.stdout)")
    }

    @Test("--verbose prints each datagram's fields with offsets and hex")
    func verbose() throws {
        let run = try DtlsHandshake.run(["--verbose"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("0000  Content Type: Handshake (22)  [16]"))
        #expect(run.stdout.contains("Cipher Suite: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (0xc02b)"))
    }
}
