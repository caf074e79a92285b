import Foundation
import Testing
import ToolTestSupport

/// `datachannel-chat echo` as a user meets it: both roles of the tool against
/// each other over loopback, the capture tshark decrypts, help and bad input.
@Suite("datachannel-chat echo: our client against our server")
struct EchoToolTests {
    /// Starts `echo --serve` on an ephemeral port and returns it with its URL.
    static func startServer(_ extra: [String] = []) throws -> (BackgroundProgram, String) {
        let server = try BackgroundProgram(try Programs.product("datachannel-chat"),
                                           ["echo", "--serve", "--listen", "127.0.0.1:0"] + extra, input: false)
        guard let line = server.readLine(), let data = line.data(using: .utf8),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let listening = object["listening"] as? String else {
            let log = server.stop()
            throw MissingExecutable("the echo server did not say where it listens: \(log)")
        }
        return (server, "http://\(listening)/offer")
    }

    static func result(_ run: ToolRun) throws -> [String: Any] {
        let line = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return object ?? [:]
    }

    @Test("every channel type, every message kind, the burst and a 256 KiB message echo back")
    func fullRun() throws {
        let (server, url) = try Self.startServer()
        defer { _ = server.stop() }
        let run = try Programs.runProduct("datachannel-chat", ["echo", url, "--json"], timeout: .seconds(90))
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let result = try Self.result(run)
        #expect(result["ok"] as? Bool == true)
        #expect(result["large_size"] as? Int == 262_144)
        #expect(result["remote_max_message_size"] as? Int == 262_144)
        let steps = result["steps"] as? [[String: Any]] ?? []
        #expect(steps.allSatisfy { $0["ok"] as? Bool == true })
        // 6 opens; 5 checks per channel; 2 large messages on the reliable channels.
        #expect(steps.filter { $0["step"] as? String == "open" }.count == 6)
        #expect(steps.filter { $0["step"] as? String == "burst" }.count == 6)
        #expect(steps.filter { $0["step"] as? String == "large" }.count == 2)
        #expect(steps.filter { $0["step"] as? String == "empty-binary" }.count == 6)
    }

    @Test("--size is capped at the peer's a=max-message-size")
    func sizeCap() throws {
        let (server, url) = try Self.startServer()
        defer { _ = server.stop() }
        let run = try Programs.runProduct("datachannel-chat", ["echo", url, "--json", "--size", "1000000"], timeout: .seconds(90))
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(try Self.result(run)["large_size"] as? Int == 262_144)
    }

    @Test("with --pcap and --keylog, tshark shows our DCEP OPENs with their labels inside decrypted SCTP")
    func capture() throws {
        let (server, url) = try Self.startServer()
        defer { _ = server.stop() }
        let pcap = Programs.temporaryPath("echo", ".pcap"), keys = Programs.temporaryPath("echo", ".keys")
        defer { for path in [pcap, keys, pcap + ".lua"] { try? FileManager.default.removeItem(atPath: path) } }
        let run = try Programs.runProduct("datachannel-chat", ["echo", url, "--pcap", pcap, "--keylog", keys], timeout: .seconds(90))
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("tshark -r"))
        let keyMode = try FileManager.default.attributesOfItem(atPath: keys)[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
        let tshark = try Tshark.run(["-r", pcap, "-o", "tls.keylog_file:" + keys, "-X", "lua_script:" + pcap + ".lua",
                                     "-Y", "rtcdc", "-O", "rtcdc"])
        #expect(tshark.status == 0, "\(tshark.stderr)")
        #expect(tshark.stdout.contains("DATA_CHANNEL_OPEN_REQUEST"))
        #expect(tshark.stdout.contains("DATA_CHANNEL_ACK"))
        #expect(tshark.stdout.contains("Label: reliable-unordered"))
        #expect(tshark.stdout.contains("Channel type: DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED"))
        // Without the key log, nothing inside DTLS is readable.
        let blind = try Tshark.run(["-r", pcap, "-X", "lua_script:" + pcap + ".lua", "-Y", "rtcdc"])
        #expect(!blind.stdout.contains("DATA_CHANNEL_OPEN"))
    }

    @Test("a server that is not there is a failed step (exit 1) naming the signal step, not a crash")
    func noServer() throws {
        let port = try Programs.freeUDPPort()
        let run = try Programs.runProduct("datachannel-chat", ["echo", "http://127.0.0.1:\(port)/offer", "--json", "--timeout", "5"])
        #expect(run.status == 1)
        let result = try Self.result(run)
        #expect(result["ok"] as? Bool == false)
        #expect(result["step"] as? String == "signal")
    }

    @Test("a server answering garbage gets a 400 with a reason; the server stays up")
    func badOffers() throws {
        let (server, url) = try Self.startServer()
        defer { _ = server.stop() }
        for body in ["not json", #"{"type":"answer","sdp":"v=0"}"#, #"{"type":"offer","sdp":"v=0\r\n"}"#] {
            let curl = try Programs.run(try Programs.system("curl", package: "curl"),
                                        ["-s", "-o", "/dev/stderr", "-w", "%{http_code}", "-X", "POST", "-d", body, url])
            #expect(curl.stdout == "400", "\(body): \(curl.stderr)")
        }
        let run = try Programs.runProduct("datachannel-chat", ["echo", url, "--json"], timeout: .seconds(90))
        #expect(run.status == 0, "the server must survive bad offers: \(run.stdout)")
    }

    @Test("usage errors exit 2 with one line; --help documents both roles and the exit codes", arguments: [
        ["echo"], ["echo", "--serve", "http://127.0.0.1:1/offer"], ["echo", "ftp://x/offer"], ["echo", "http://127.0.0.1:1", "--size", "0"],
        ["echo", "--serve", "--listen", "nowhere"],
    ])
    func usage(arguments: [String]) throws {
        let run = try Programs.runProduct("datachannel-chat", arguments)
        #expect(run.status == 2)
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.hasPrefix("datachannel-chat: error:") == true)
    }

    @Test("--help")
    func help() throws {
        let run = try Programs.runProduct("datachannel-chat", ["echo", "--help"])
        #expect(run.status == 0)
        for word in ["POST /offer", "--serve", "--listen", "--size", "--pcap", "--keylog", "EXIT CODES", "max-message-size"] {
            #expect(run.stdout.contains(word), "\(word)")
        }
    }
}
