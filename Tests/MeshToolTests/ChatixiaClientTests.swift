import Foundation
import MeshProtocol
import Testing
import ToolTestSupport

/// chatixia-mesh's own Python client (PyPI chatixia 0.4.3, unmodified, in .venv-chatixia
/// made by scripts/setup-chatixia.sh) drives our sidecar through our registry.
@Suite("chatixia's MeshClient on our sidecar", .serialized)
struct ChatixiaClientTests {
    /// The venv's interpreter; missing means set-up was not run: the test fails, never skips.
    static func python() throws -> String {
        let path = Programs.repositoryRoot.appendingPathComponent(".venv-chatixia/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MissingExecutable(".venv-chatixia is missing: run scripts/setup-chatixia.sh (or scripts/setup.sh)")
        }
        return path
    }

    /// chatixia's MeshClient runs `SIDECAR_BINARY` with no arguments: a two-line wrapper
    /// that execs `datachannel-chat sidecar` (settings come from the environment).
    static func wrapper(in directory: String) throws -> String {
        let path = directory + "/chatixia-sidecar"
        let script = "#!/bin/sh\nexec '\(try Programs.product("datachannel-chat"))' sidecar \"$@\"\n"
        try writeExecutableScript(script, to: path)
        return path
    }

    @Test("two chatixia agents: send, request by request_id, broadcast, list_peers, and leaving")
    func pair() throws {
        let python = try Self.python()
        let registry = try RegistryProcess(keys: ["ak_alice_test": "alice", "ak_bob_test": "bob"])
        let workdir = Programs.temporaryPath("chatixia")
        try FileManager.default.createDirectory(atPath: workdir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: workdir) }
        let script = Programs.repositoryRoot.appendingPathComponent("scripts/interop/chatixia_pair.py").path
        let run = try Programs.run(python, [
            script, "--sidecar", try Self.wrapper(in: workdir), "--token-url", registry.tokenURL,
            "--signaling-url", registry.signalingURL, "--agent", "alice=ak_alice_test", "--agent", "bob=ak_bob_test",
            "--workdir", workdir,
        ], timeout: .seconds(120))
        let logs = ["alice", "bob"].map { name in
            (try? String(contentsOfFile: "\(workdir)/\(name).log", encoding: .utf8)) ?? "(no log)"
        }
        print("chatixia client run: \(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines))")
        let result = try JSONValue.parse(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(run.status == 0, "driver failed: \(result["error"] ?? .null)\n\(result["traceback"]?.stringValue ?? "")\nsidecar logs:\n\(logs.joined(separator: "\n---\n"))\n\(run.stderr.suffix(2000))")
        #expect(result["ok"] == .bool(true))

        // send: the message arrives as sent (chatixia's five fields), from alice.
        #expect(result["send"]?["from_peer"] == "alice")
        #expect(result["send"]?["message"] == [
            "type": "chat", "request_id": "", "source_agent": "alice", "target_agent": "bob", "payload": ["text": "hello bob"],
        ])
        // request: bob's answer matched by request_id in chatixia's own client.
        #expect(result["request"]?["type"] == "task_response")
        #expect(result["request"]?["payload"]?["answer"] == .int(42))
        #expect(result["request"]?["request_id"]?.stringValue?.isEmpty == false)
        // broadcast from bob reaches alice.
        #expect(result["broadcast"]?["from_peer"] == "bob")
        #expect(result["broadcast"]?["message"]?["payload"]?["note"] == "hi all")
        // list_peers answered through the sidecar.
        #expect(result["list_peers"]?["alice"] == ["bob"])
        #expect(result["list_peers"]?["bob"] == ["alice"])
        // MeshClient.stop() terminates the sidecar: a clean exit.
        #expect(result["alice_sidecar_exit"] == .int(0))
        #expect(result["bob_sidecar_exit"] == .int(0))
        registry.program.stop()
    }
}
