import Foundation
import MeshProtocol
import Testing
import ToolTestSupport

/// `datachannel-chat join`, the terminal chat, as two people use it: through pipes,
/// the way a script or a test drives it (a terminal works the same way: lines in,
/// events out). Every read waits at most a minute, so a hang ends as a failure, not a stuck
/// suite; `stop()` then kills the join itself.
@Suite("datachannel-chat join")
struct JoinToolTests {
    /// Starts `join --json` as `name` against `registry`.
    func join(_ name: String, _ registry: RegistryProcess, _ extra: [String] = []) throws -> BackgroundProgram {
        try BackgroundProgram(try Programs.product("datachannel-chat"),
                              ["join", "--server", "http://\(registry.address)", "--name", name, "--json"] + extra)
    }

    /// Reads JSON event lines until one satisfies `match` (nil at end of output, or after a minute).
    func next(_ program: BackgroundProgram, _ match: (JSONValue) -> Bool) -> JSONValue? {
        let deadline = ContinuousClock.now + .seconds(60)
        while let line = program.readLine(timeout: deadline - ContinuousClock.now) {
            if let event = try? JSONValue.parse(line), match(event) { return event }
        }
        return nil
    }

    @Test("two people chat both ways; joins, connections and leaves are shown")
    func chatBothWays() throws {
        let registry = try RegistryProcess()
        defer { registry.program.stop() }
        let alice = try join("alice", registry)
        defer { alice.stop() }
        #expect(next(alice) { $0["event"] == "joined" }?["peer_id"] == "alice")
        let bob = try join("bob", registry)
        defer { bob.stop() }
        #expect(next(alice) { $0["event"] == "peer_connected" }?["peer_id"] == "bob")
        #expect(next(bob) { $0["event"] == "peer_connected" }?["peer_id"] == "alice")

        try alice.send(Data("hello bob\n".utf8))
        let atBob = next(bob) { $0["event"] == "message" }
        #expect(atBob?["from"] == "alice")
        #expect(atBob?["text"] == "hello bob")
        #expect(atBob?["message"]?["source_agent"] == "alice", "a mesh message with chatixia's five fields")
        try bob.send(Data("hi alice\n".utf8))
        let atAlice = next(alice) { $0["event"] == "message" }
        #expect(atAlice?["text"] == "hi alice")

        bob.closeInput()   // end of input: bob sends what is left and leaves
        #expect(next(alice) { $0["event"] == "peer_disconnected" }?["peer_id"] == "bob")
        let bobRun = bob.finish(timeout: .seconds(30))
        #expect(bobRun.status == 0, "\(bobRun.stderr)")
    }

    @Test("piped input sent before anyone is there waits for the first peer, then is delivered")
    func linesWaitForPeers() throws {
        let registry = try RegistryProcess()
        defer { registry.program.stop() }
        let early = try join("early", registry)
        defer { early.stop() }
        #expect(next(early) { $0["event"] == "joined" } != nil)
        try early.send(Data("anyone here?\n".utf8))
        early.closeInput()
        let late = try join("late", registry)
        defer { late.stop() }
        let message = next(late) { $0["event"] == "message" }
        #expect(message?["text"] == "anyone here?")
        #expect(early.finish(timeout: .seconds(30)).status == 0)
    }

    static let badInputs: [(arguments: [String], status: Int32)] = [
        (["--name", "no spaces please"], 2), (["--name", "a", "--server", "ftp://x"], 2),
        (["--name", "a", "--wait-peers", "-1"], 2),
        (["--name", "a", "--server", "http://127.0.0.1:1", "--timeout", "5"], 1),
    ]

    @Test("bad arguments and an unreachable registry get one clear line", arguments: 0..<4)
    func badInput(index: Int) throws {
        let (arguments, status) = Self.badInputs[index]
        let run = try Programs.runProduct("datachannel-chat", ["join"] + arguments, timeout: .seconds(60))
        #expect(run.status == status, "\(run.stderr)")
        #expect(run.errorLines.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("datachannel-chat: error:"))
    }
}
