import Foundation
import MeshProtocol
import Testing
import ToolTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A `datachannel-chat serve` process on 127.0.0.1:0 with its own environment
/// (through /usr/bin/env, since the runners pass the test's environment on).
final class ServeProcess {
    let program: BackgroundProgram
    let port: Int
    let mode: String

    /// Starts `serve` with `environment` set and API_KEYS_FILE/SIGNALING_SECRET/PORT
    /// otherwise unset; waits for the listening line.
    init(environment: [String: String] = [:], arguments: [String] = []) throws {
        var envArguments = ["-u", "API_KEYS_FILE", "-u", "SIGNALING_SECRET", "-u", "PORT"]
        envArguments += environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        program = try BackgroundProgram("/usr/bin/env", envArguments
            + [try Programs.product("datachannel-chat"), "serve", "--listen", "127.0.0.1:0"] + arguments, input: false)
        guard let line = program.readLine() else {
            throw ServeProbe.Failure(description: "serve printed nothing; log: \(program.stop())")
        }
        let json = try JSONValue.parse(line)
        guard let listening = json["listening"]?.stringValue, let port = listening.split(separator: ":").last.flatMap({ Int($0) }),
              listening.hasPrefix("127.0.0.1:"), let mode = json["mode"]?.stringValue else {
            throw ServeProbe.Failure(description: "not a listening line: \(line)")
        }
        self.port = port
        self.mode = mode
    }

    /// Sends `signal` and waits for the exit: the status and everything it logged.
    func stop(with signal: Int32 = SIGTERM) -> ToolRun {
        kill(program.process.processIdentifier, signal)
        return program.finish(timeout: .seconds(30))
    }
}

/// A blocking HTTP/1.1 exchange with 127.0.0.1 (the status of a refused or accepted
/// WebSocket upgrade is what the tests need, which HTTP libraries hide).
enum ServeProbe {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Sends `request` and returns the status and the body (for a 101, no body).
    static func exchange(port: Int, _ request: String) throws -> (status: Int, body: String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        defer { close(fd) }
        var limit = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "cannot connect to port \(port)") }
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            throw Failure(description: "send failed")
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let text = String(decoding: received, as: UTF8.self)
            if let end = text.range(of: "\r\n\r\n"), let status = Int(text.split(separator: " ").dropFirst().first ?? "") {
                let head = text[..<end.lowerBound].lowercased()
                let body = String(text[end.upperBound...])
                if status == 101 { return (status, "") }
                if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                   let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)),
                   body.utf8.count >= length {
                    return (status, body)
                }
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            received.append(contentsOf: buffer[..<n])
        }
        let text = String(decoding: received, as: UTF8.self)
        guard let status = Int(text.split(separator: " ").dropFirst().first ?? "") else {
            throw Failure(description: "no HTTP answer: \(text.prefix(200))")
        }
        return (status, text.components(separatedBy: "\r\n\r\n").dropFirst().joined())
    }

    /// `POST /api/token` with one header.
    static func token(port: Int, header: String, value: String) throws -> (status: Int, body: String) {
        try exchange(port: port, "POST /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\n\(header): \(value)\r\n"
            + "Content-Length: 0\r\nConnection: close\r\n\r\n")
    }

    /// The status of a WebSocket upgrade to /ws with `token`.
    static func upgradeStatus(port: Int, token: String) throws -> Int {
        try exchange(port: port, "GET /ws?token=\(token) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").status
    }
}

@Suite("datachannel-chat serve")
struct ServeCommandTests {
    static let secret = "serve-test-secret-0123456789abcdef-XYZ"

    @Test("serve prints its listening line, serves tokens and the page, and exits 0 on SIGTERM and on SIGINT")
    func listensAndStops() throws {
        for signal in [SIGTERM, SIGINT] {
            let serve = try ServeProcess()
            #expect(serve.mode == "lab")
            let token = try ServeProbe.token(port: serve.port, header: "x-peer-name", value: "alice")
            #expect(token.status == 200)
            let jwt = try #require(try JSONValue.parse(token.body)["token"]?.stringValue)
            #expect(try ServeProbe.upgradeStatus(port: serve.port, token: jwt) == 101)
            #expect(try ServeProbe.upgradeStatus(port: serve.port, token: jwt + "x") == 401)
            let page = try ServeProbe.exchange(port: serve.port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(page.status == 200)
            #expect(page.body.lowercased().contains("<html"))
            let run = serve.stop(with: signal)
            #expect(run.status == 0, "signal \(signal): status \(run.status); log:\n\(run.stderr)")
            #expect(run.stderr.contains("mode: lab"))
            #expect(run.stderr.contains("generated a random one"), "the log says the secret was generated")
        }
    }

    @Test("keys mode from API_KEYS_FILE; no secret and no API key ever appears in the log")
    func noSecretsInLog() throws {
        let keysPath = try Programs.temporaryFile(#"{"keys":{"ak_live_SECRET_KEY_1":{"peer_id":"agent-001","role":"agent"},"#
            + #""ak_live_SECRET_KEY_2":{"peer_id":"agent-002","role":"agent"}}}"#, prefix: "keys", suffix: ".json")
        defer { try? FileManager.default.removeItem(atPath: keysPath) }
        let serve = try ServeProcess(environment: ["SIGNALING_SECRET": Self.secret, "API_KEYS_FILE": keysPath],
                                     arguments: ["--log-level", "trace"])
        #expect(serve.mode == "keys")
        var tokens: [String] = []
        for key in ["ak_live_SECRET_KEY_1", "ak_live_SECRET_KEY_2"] {
            let reply = try ServeProbe.token(port: serve.port, header: "x-api-key", value: key)
            #expect(reply.status == 200)
            tokens.append(try #require(try JSONValue.parse(reply.body)["token"]?.stringValue))
        }
        #expect(try ServeProbe.token(port: serve.port, header: "x-api-key", value: "ak_live_WRONG_KEY").status == 401)
        #expect(try ServeProbe.token(port: serve.port, header: "x-peer-name", value: "alice").status == 401)
        for token in tokens { #expect(try ServeProbe.upgradeStatus(port: serve.port, token: token) == 101) }
        let run = serve.stop()
        #expect(run.status == 0)
        #expect(run.stderr.contains("mode: keys"))
        #expect(run.stderr.contains("issued token"), "the log shows the issuance (without the key)")
        for secret in [Self.secret, "ak_live_SECRET_KEY", "ak_live_WRONG_KEY"] + tokens {
            #expect(!run.stderr.contains(secret), "the log contains a secret: \(secret.prefix(12))...")
            #expect(!run.stdout.contains(secret))
        }
    }

    @Test("bad input is one clear line and a distinct exit code", arguments: [
        (["PORT": "80a"], [String](), Int32(2), "PORT"),
        (["SIGNALING_SECRET": "short"], [], 2, "SIGNALING_SECRET is 5 bytes"),
        ([:], ["--keys", "/nonexistent/keys.json"], 3, "/nonexistent/keys.json"),
        ([:], ["--secret-file", "/nonexistent/secret"], 3, "/nonexistent/secret"),
        ([:], ["--listen", "nowhere"], 2, "--listen"),
        ([:], ["--token-lifetime", "0"], 2, "--token-lifetime"),
    ])
    func badInput(environment: [String: String], arguments: [String], status: Int32, mention: String) throws {
        var envArguments = ["-u", "API_KEYS_FILE", "-u", "SIGNALING_SECRET", "-u", "PORT"]
        envArguments += environment.map { "\($0.key)=\($0.value)" }
        var all = [try Programs.product("datachannel-chat"), "serve"]
        if !arguments.contains("--listen") && environment["PORT"] == nil { all += ["--listen", "127.0.0.1:0"] }
        let run = try Programs.run("/usr/bin/env", envArguments + all + arguments, timeout: .seconds(60))
        #expect(run.status == status, "\(run.stderr)")
        #expect(run.errorLines.count == 1, "one line: \(run.stderr)")
        #expect(run.stderr.contains(mention), "\(run.stderr)")
        #expect(run.stdout.isEmpty, "nothing listened")
        if let secret = environment["SIGNALING_SECRET"] { #expect(!run.stderr.contains("\"\(secret)\"")) }
    }

    @Test("a key file that is not chatixia's format is refused naming the file and the problem", arguments: [
        ("not json", "not valid JSON"),
        (#"{"key":{}}"#, #"no "keys""#),
        (#"{"keys":{"k1":{"role":"agent"}}}"#, "peer_id"),
        (#"{"keys":{"k1":{"peer_id":"a"}}}"#, "role"),
        (#"{"keys":{}}"#, "no keys"),
    ])
    func badKeyFile(contents: String, problem: String) throws {
        let path = try Programs.temporaryFile(contents, prefix: "badkeys", suffix: ".json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try Programs.runProduct("datachannel-chat", ["serve", "--listen", "127.0.0.1:0", "--keys", path])
        #expect(run.status == 3)
        #expect(run.errorLines.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains(path))
        #expect(run.stderr.contains(problem), "\(run.stderr)")
        #expect(!run.stderr.contains("k1"), "keys are never printed")
    }

    @Test("--help shows the environment variables and examples")
    func help() throws {
        let run = try Programs.runProduct("datachannel-chat", ["serve", "--help"])
        #expect(run.status == 0)
        for text in ["SIGNALING_SECRET", "API_KEYS_FILE", "PORT", "EXAMPLES", "--listen", "--keys", "lab mode"] {
            #expect(run.stdout.contains(text), "missing \(text)")
        }
    }
}
