import Foundation
import Testing
import ToolTestSupport

/// A person in the mesh: headless Chromium opens the page `datachannel-chat serve`
/// serves at `/` and joins with the browser's own RTCPeerConnection, driven by
/// scripts/interop/chromium_mesh.py (Chromium in a loopback-only network namespace;
/// see scripts/interop/README.md). Chromium and root (for `unshare --net`) are
/// required: a missing one fails the test, it never skips.
@Suite("the browser page in the mesh (headless Chromium)", .serialized)
struct BrowserMeshTests {
    @Test("Chromium on the registry's page chats with two `join` agents both ways, shows presence and a 1280x800 screenshot")
    func browserAndAgents() throws {
        let chat = try Programs.product("datachannel-chat")
        let (registry, server) = try MeshProcesses.startRegistry(chat)
        defer { registry.program.stop() }
        // Each agent's line is typed at once and held until it has two peers (the other
        // agent and the browser); --stay keeps it in the mesh after the end of its input.
        let aliceText = "alice here, hi browser"
        let bobText = "bob says gr\u{FC}\u{DF} dich"
        let alice = try MeshProcesses.join(chat, server: server, name: "alice", line: aliceText)
        defer { alice.program.stop() }
        let bob = try MeshProcesses.join(chat, server: server, name: "bob", line: bobText)
        defer { bob.program.stop() }
        let everyone = [registry, alice, bob]
        try OutputLines.wait("alice and bob connect to each other", everyone) {
            alice.has(event: "peer_connected", peer: "bob") && bob.has(event: "peer_connected", peer: "alice")
        }

        let screenshot = Programs.temporaryPath("mesh-chat", ".png")
        defer { try? FileManager.default.removeItem(atPath: screenshot) }
        let browserText = "hello from the browser \u{2713}"
        let driver = try MeshProcesses.driver(server: server, names: ["browser"], expect: ["alice", "bob"],
                                              message: browserText, screenshot: screenshot, waitLeave: "bob")
        defer { driver.program.stop() }
        let all = everyone + [driver]

        // Messages both ways: each agent prints the browser's line; the browser shows theirs.
        try OutputLines.wait("both agents receive the browser's message", all) {
            alice.has(message: browserText, from: "browser") && bob.has(message: browserText, from: "browser")
        }
        #expect(alice.has(event: "peer_joined", peer: "browser") && alice.has(event: "peer_connected", peer: "browser"))
        #expect(alice.sentTo.contains(["bob", "browser"]), "alice's line went to: \(alice.sentTo)")
        #expect(bob.sentTo.contains(["alice", "browser"]), "bob's line went to: \(bob.sentTo)")
        try OutputLines.wait("the driver waits for bob to leave (after its screenshot)", all) {
            driver.events.contains { $0["event"] as? String == "waiting_leave" }
        }
        bob.program.stop()  // bob leaves the mesh: the registry tells the others
        try OutputLines.wait("the driver prints its result", all) { driver.result != nil }
        let result = try #require(driver.result)

        #expect(result["ok"] as? Bool == true, "driver: \(result["step"] ?? "-"): \(result["error"] ?? "-")\n\(driver.account)")
        let tab = try #require((result["tabs"] as? [[String: Any]])?.first, "no tab state: \(driver.account)")
        let log = tab["log"] as? [String] ?? []
        #expect(log.contains("me: \(browserText)"), "the browser's own line is not in its log: \(log)")
        #expect(log.contains("alice: \(aliceText)"), "alice's message is not in the browser's log: \(log)")
        #expect(log.contains("bob: \(bobText)"), "bob's message is not in the browser's log: \(log)")
        #expect(log.contains("You joined as browser. Online: alice, bob."), "presence at join: \(log)")
        #expect(log.contains("bob left"), "bob's leave is not shown: \(log)")
        let peers = (tab["peers"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(peers == ["alice"], "who the page shows online at the end: \(peers)")
        #expect(tab["open_channels"] as? [String] == ["alice"], "open channels at the end: \(tab["open_channels"] ?? "-")")
        #expect(result["requests"] as? [String] == ["/", "/api/token"], "the page loads nothing but itself and its token")

        let shot = try #require(result["screenshot"] as? [String: Any], "no screenshot: \(driver.account)")
        #expect(shot["width"] as? Int == 1280 && shot["height"] as? Int == 800)
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.count > 20_000, "a 1280x800 page with a chat is more than \(png.count) bytes of PNG")
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        if let keep = ProcessInfo.processInfo.environment["MESH_CHAT_SCREENSHOT"], !keep.isEmpty {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: screenshot, toPath: keep)
        }
        try OutputLines.wait("alice sees bob leave", all) { alice.has(event: "peer_left", peer: "bob") }
    }

    @Test("two Chromium tabs on the registry's page see each other join and chat over their own DataChannel")
    func twoBrowserTabs() throws {
        let chat = try Programs.product("datachannel-chat")
        let (registry, server) = try MeshProcesses.startRegistry(chat)
        defer { registry.program.stop() }
        let driver = try MeshProcesses.driver(server: server, names: ["ada", "grace"], expect: [],
                                              message: "hi, {name} here", screenshot: nil, waitLeave: nil)
        defer { driver.program.stop() }
        try OutputLines.wait("the driver prints its result", [registry, driver]) { driver.result != nil }
        let result = try #require(driver.result)
        #expect(result["ok"] as? Bool == true, "driver: \(result["step"] ?? "-"): \(result["error"] ?? "-")\n\(driver.account)")
        let tabs = result["tabs"] as? [[String: Any]] ?? []
        let logs = Dictionary(uniqueKeysWithValues: tabs.compactMap { tab in
            (tab["name"] as? String).map { ($0, tab["log"] as? [String] ?? []) }
        })
        #expect(logs["ada"]?.contains("grace joined") == true, "ada's log: \(logs["ada"] ?? [])")
        #expect(logs["ada"]?.contains("grace: hi, grace here") == true, "ada's log: \(logs["ada"] ?? [])")
        #expect(logs["grace"]?.contains("You joined as grace. Online: ada.") == true, "grace's log: \(logs["grace"] ?? [])")
        #expect(logs["grace"]?.contains("ada: hi, ada here") == true, "grace's log: \(logs["grace"] ?? [])")
        let signaling = result["signaling"] as? [String: Any] ?? [:]
        let up = signaling["to_registry"] as? [String: Int] ?? [:]
        #expect(up["offer"] == 1 && up["answer"] == 1, "one offer (the newcomer's) and one answer: \(signaling)")
    }
}

extension BrowserMeshTests {
    @Test("with a key file the page asks for an API key after the name is refused, and joins as the key's peer id")
    func apiKeyJoin() throws {
        let chat = try Programs.product("datachannel-chat")
        let keys = try Programs.temporaryFile(#"{"keys":{"k3y-for-the-browser":{"peer_id":"visitor","role":"agent"}}}"#,
                                              prefix: "mesh-keys", suffix: ".json")
        defer { try? FileManager.default.removeItem(atPath: keys) }
        let (registry, server) = try MeshProcesses.startRegistry(chat, ["--keys", keys])
        defer { registry.program.stop() }
        #expect(registry.events.first { $0["listening"] != nil }?["mode"] as? String == "keys")
        let driver = try MeshProcesses.driver(server: server, names: ["someone"], expect: [], message: "anyone here?",
                                              screenshot: nil, waitLeave: nil, apiKey: "k3y-for-the-browser")
        defer { driver.program.stop() }
        try OutputLines.wait("the driver prints its result", [registry, driver]) { driver.result != nil }
        let result = try #require(driver.result)
        #expect(result["ok"] as? Bool == true, "driver: \(result["step"] ?? "-"): \(result["error"] ?? "-")\n\(driver.account)")
        let steps = result["steps"] as? [[String: Any]] ?? []
        let asked = steps.first { $0["step"] as? String == "key" }?["detail"] as? String ?? ""
        #expect(asked.contains("needs an API key"), "the page's words when the name is refused: \(asked)")
        let tab = (result["tabs"] as? [[String: Any]])?.first ?? [:]
        #expect(tab["me"] as? String == "visitor", "the key's peer id: \(tab["me"] ?? "-")")
        #expect((tab["log"] as? [String] ?? []).contains("You joined as visitor. Nobody else is here yet."))
    }
}

/// Starting the registry, `join` agents and the Chromium driver.
private enum MeshProcesses {
    static func startRegistry(_ chat: String, _ extra: [String] = []) throws -> (OutputLines, String) {
        let registry = OutputLines("serve", try BackgroundProgram(chat, ["serve", "--listen", "127.0.0.1:0"] + extra,
                                                                  input: false))
        try OutputLines.wait("the registry says where it listens", [registry], timeout: .seconds(60)) {
            registry.events.contains { $0["listening"] is String }
        }
        let listening = try #require(registry.events.lazy.compactMap { $0["listening"] as? String }.first)
        return (registry, "http://\(listening)")
    }

    /// `join --json --stay` whose one input line waits for two peers.
    static func join(_ chat: String, server: String, name: String, line: String) throws -> OutputLines {
        let program = try BackgroundProgram(chat, ["join", "--server", server, "--name", name, "--json",
                                                   "--wait-peers", "2", "--timeout", "300", "--stay"])
        try program.send(Data((line + "\n").utf8))
        program.closeInput()
        return OutputLines(name, program)
    }

    static func driver(server: String, names: [String], expect: [String], message: String,
                       screenshot: String?, waitLeave: String?, apiKey: String? = nil) throws -> OutputLines {
        let python = try Programs.system("python3")
        var arguments = [Programs.repositoryRoot.path + "/scripts/interop/chromium_mesh.py", "--server", server,
                         "--message", message]
        arguments += names.flatMap { ["--name", $0] } + expect.flatMap { ["--expect", $0] }
        if let screenshot { arguments += ["--screenshot", screenshot] }
        if let waitLeave { arguments += ["--wait-leave", waitLeave] }
        if let apiKey { arguments += ["--api-key", apiKey] }
        return OutputLines("chromium_mesh.py", try BackgroundProgram(python, arguments, input: false))
    }
}

/// A background program's stdout as lines, read as they come without blocking
/// (poll(2) on its pipe), so a test can watch several programs at once.
private final class OutputLines {
    let name: String
    let program: BackgroundProgram
    private(set) var lines: [String] = []
    private var partial = Data()
    private var ended = false

    init(_ name: String, _ program: BackgroundProgram) {
        self.name = name
        self.program = program
    }

    /// Takes what the pipe holds, waiting up to `milliseconds` for the first byte.
    func pump(milliseconds: Int32) {
        var wait = milliseconds
        while !ended {
            var descriptor = pollfd(fd: program.outputDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, wait) > 0 else { return }
            wait = 0
            let chunk = program.readAvailable()
            if chunk.isEmpty {
                ended = true
                if !partial.isEmpty { lines.append(String(decoding: partial, as: UTF8.self)) }
                partial = Data()
                return
            }
            partial.append(chunk)
            while let newline = partial.firstIndex(of: 0x0A) {
                lines.append(String(decoding: partial[partial.startIndex..<newline], as: UTF8.self))
                partial = Data(partial[(newline + 1)...])
            }
        }
    }

    /// The lines that are JSON objects.
    var events: [[String: Any]] {
        lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// `join --json`: an event about a peer.
    func has(event: String, peer: String) -> Bool {
        events.contains { $0["event"] as? String == event && $0["peer_id"] as? String == peer }
    }

    /// `join --json`: a chat message with this text from this peer.
    func has(message text: String, from peer: String) -> Bool {
        events.contains { $0["event"] as? String == "message" && $0["from"] as? String == peer && $0["text"] as? String == text }
    }

    /// `join --json`: whom each `sent` line went to.
    var sentTo: [[String]] {
        events.filter { $0["event"] as? String == "sent" }.map { ($0["to"] as? [String] ?? []).sorted() }
    }

    /// The driver's last line, once it has printed it: `{"ok": ...}`.
    var result: [String: Any]? { events.last { $0["ok"] != nil } }

    /// What it printed and logged, for a failure message.
    var account: String {
        "--- \(name) (\(program.isRunning ? "running" : "exited")) stdout:\n\(lines.suffix(40).joined(separator: "\n"))\n"
            + "--- \(name) log:\n\(String(program.log.suffix(3000)))\n"
    }

    /// Pumps every program's output until `condition` holds; after `timeout` (a
    /// failure bound, generous for a loaded machine) throws with everyone's account.
    static func wait(_ what: String, _ outputs: [OutputLines], timeout: Duration = .seconds(90),
                     _ condition: () -> Bool) throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else {
                throw WaitFailed(description: "\(what): not within \(timeout)\n" + outputs.map(\.account).joined())
            }
            for output in outputs { output.pump(milliseconds: 25) }
        }
    }
}

/// A condition the test waited for did not come about.
private struct WaitFailed: Error, CustomStringConvertible {
    let description: String
}
