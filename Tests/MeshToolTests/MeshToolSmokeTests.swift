import MeshProtocol
import Testing
import ToolTestSupport

@Suite("datachannel-chat mesh commands")
struct MeshToolSmokeTests {
    @Test("datachannel-chat --help lists the mesh commands")
    func helpListsCommands() throws {
        let result = try Programs.runProduct("datachannel-chat", ["--help"])
        #expect(result.status == 0)
        for command in ["serve", "token", "sidecar", "join", "demo"] {
            #expect(result.stdout.contains(command), "missing \(command)")
        }
    }
}
