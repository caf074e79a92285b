import Foundation
import Testing
import ToolTestSupport

/// Our stack against every reference stack, both roles (issue: 4 peers × 2 roles).
/// Each run covers every channel type, text, binary and empty messages, the burst
/// of 100, and the largest message both sides allow. Serialized: Chromium and the
/// Python peers are heavy, and the CI machine has two cores.
@Suite("DataChannel interop: our echo client and server against aiortc, Pion, libdatachannel and Chromium", .serialized)
struct EchoInteropTests {
    /// The six channel types of the echo convention.
    static let channelCount = 6

    @Test("our client against the peer's echo server", arguments: EchoPeer.all)
    func ourClient(peer: EchoPeer) throws {
        let (server, url) = try peer.startServer()
        defer { _ = server.stop() }
        var arguments = ["echo", url, "--json", "--timeout", "60"]
        if let limit = peer.sizeLimit { arguments += ["--size", String(limit.bytes)] }
        let outcome = EchoOutcome(try Programs.runProduct("datachannel-chat", arguments, timeout: .seconds(120)))
        print(outcome.tableRow(peer: peer, role: "our client -> \(peer) server"))
        #expect(outcome.ok, "\(peer) server: \(outcome.account)\nserver log: \(server.stop())")
        #expect(outcome.count(of: "open") == Self.channelCount)
        for step in ["text", "binary", "empty-text", "empty-binary", "burst"] {
            #expect(outcome.count(of: step) == Self.channelCount, "\(step)")
        }
        #expect(outcome.count(of: "large") >= 2)
        #expect(outcome.largeSize == (peer.sizeLimit?.bytes ?? 262_144))
    }

    @Test("the peer's echo client against our server", arguments: EchoPeer.all)
    func ourServer(peer: EchoPeer) throws {
        let server = try BackgroundProgram(try Programs.product("datachannel-chat"),
                                           ["echo", "--serve", "--listen", "127.0.0.1:0"], input: false)
        defer { _ = server.stop() }
        let url = try EchoPeer.offerURL(from: server, name: "datachannel-chat")
        let outcome = try peer.runClient(url: url, size: peer.sizeLimit?.bytes)
        print(outcome.tableRow(peer: peer, role: "\(peer) client -> our server"))
        #expect(outcome.ok, "\(peer) client: \(outcome.account)\nour server log: \(server.stop())")
        for step in ["text", "binary", "empty-text", "empty-binary", "burst"] {
            #expect(outcome.count(of: step) == Self.channelCount, "\(step)")
        }
        #expect(outcome.count(of: "large") >= 1)
        #expect(outcome.largeSize == (peer.sizeLimit?.bytes ?? 262_144))
    }
}
