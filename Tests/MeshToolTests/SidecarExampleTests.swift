import Foundation
import MeshProtocol
import Testing
import ToolTestSupport

@Suite("examples/echo_agent.py on a sidecar", .serialized)
struct SidecarExampleTests {
    @Test("the example agent answers a ping with a pong carrying the same request_id")
    func echoAgent() throws {
        let python = try Programs.system("python3", package: "python3")
        let registry = try RegistryProcess()
        let echo = try SidecarProcess(registry: registry, name: "echo")
        let asker = try SidecarProcess(registry: registry, name: "asker")
        let script = Programs.repositoryRoot.appendingPathComponent("examples/echo_agent.py").path
        let example = try BackgroundProgram(python, [script, echo.socketPath, "--count", "2"], input: false)
        #expect(example.readLine()?.contains("\"ready\"") == true)

        let agent = try AgentConnection(path: asker.socketPath)
        try agent.waitForPeers(["echo"])
        for id in ["q-1", "q-2"] {
            agent.send(.send(targetPeer: "echo", message: MeshMessage(type: "ping", requestID: id, sourceAgent: "asker",
                                                                      targetAgent: "echo", payload: ["n": 5])))
            let pong = try agent.waitForMessage(from: "echo", type: "pong")
            #expect(pong["request_id"] == .string(id))
            #expect(pong["target_agent"] == "asker")
            #expect(pong["payload"]?["echo"] == ["n": 5])
        }
        // After --count pings the example closes its socket, so its sidecar exits 0.
        let finished = example.finish(timeout: .seconds(20))
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(echo.waitForExit() == 0)
        agent.close()
        #expect(asker.waitForExit() == 0)
        registry.program.stop()
    }
}
