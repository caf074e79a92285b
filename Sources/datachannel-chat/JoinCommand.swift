import ArgumentParser
import Foundation
import MeshAgent
import MeshProtocol
import ToolSupport
import WebRTC

/// `datachannel-chat join`: the terminal chat, one person in the mesh.
struct JoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Chat in the mesh from a terminal: lines you type go to every peer.",
        discussion: """
        Joins the mesh of a registry (`datachannel-chat serve`) as NAME: takes a token, registers, and opens a \
        "mesh" DataChannel to every peer there (agents, sidecars, browsers on the registry's page). Each line read \
        from standard input is sent to every connected peer as a mesh message {"type":"chat","payload":{"text":...}}; \
        incoming messages, joins and leaves are printed as they happen.

        Standard input may be a terminal or a pipe. Lines read before any peer is connected wait for the first one \
        (or for --wait-peers N peers). At the end of input the tool waits until what was typed has been sent, then \
        leaves; --stay keeps it in the mesh until interrupted (Ctrl-C).

        Without --token the tool asks the registry for one by name, which works in lab mode (a registry started \
        without an API key file). With an API key file, mint a token elsewhere (`datachannel-chat token`) and pass it.

        EXAMPLES:
          datachannel-chat join --server http://127.0.0.1:8080 --name alice
          echo "hello mesh" | datachannel-chat join --server http://127.0.0.1:8080 --name bob --wait-peers 1
          datachannel-chat join --server http://127.0.0.1:8080 --name carol --token "$(datachannel-chat token --name carol)"

        EXIT CODES:
        \(ChatExit.helpTable([
            .success: "input ended (or SIGINT/SIGTERM) and it left the mesh cleanly",
            .stepFailed: "cannot join: the registry is unreachable or refused the token",
            .usage: "bad arguments",
        ]))
        """
    )

    @Option(help: ArgumentHelp("The registry's base URL.", valueName: "url"))
    var server: String = "http://127.0.0.1:\(MeshDefaults.port)"

    @Option(help: ArgumentHelp("Your peer id in the mesh (lab mode: 1-64 of A-Z a-z 0-9 . _ -).", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("A JWT to use instead of asking the registry for one.", valueName: "jwt"))
    var token: String?

    @Option(help: ArgumentHelp("Hold typed lines until this many peers are connected (0...1000).", valueName: "n"))
    var waitPeers: Int = 1

    @Option(help: ArgumentHelp("Give up waiting for peers, or for the registry, after this many seconds (1...86400).",
                               valueName: "s"))
    var timeout: Double = 60

    @Flag(help: "Stay in the mesh after the end of input, until interrupted.")
    var stay = false

    @Flag(help: "Print one JSON object per event instead of chat lines.")
    var json = false

    func validate() throws {
        guard (1...64).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw ValidationError("--name must be 1-64 characters of A-Z a-z 0-9 . _ -")
        }
        guard (0...1000).contains(waitPeers) else { throw ValidationError("--wait-peers must be 0...1000") }
        guard (1...86400).contains(timeout) else { throw ValidationError("--timeout must be 1...86400 seconds") }
        guard let url = URL(string: server), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError("--server must be an http:// or https:// URL, e.g. http://127.0.0.1:8080")
        }
    }

    func run() async throws {
        let credentials: MeshCredentials = token.map { .token($0) } ?? .name(name)
        let agent = MeshAgent(configuration: MeshAgentConfiguration(registry: server, credentials: credentials))
        do {
            try await agent.start()
        } catch {
            throw ChatFailure(.stepFailed, "cannot join the mesh at \(server): \(error)")
        }
        let me = agent.peerID ?? name
        let printer = ChatPrinter(json: json)
        printer.joined(as: me, server: server)
        let chat = ChatSession(agent: agent, me: me, waitPeers: waitPeers, printer: printer)
        let events = Task { await chat.consume(agent.events) }
        await chat.pumpInput(timeout: .milliseconds(Int64(timeout * 1000)))
        if stay {
            await events.value
        } else {
            await agent.stop()
            events.cancel()
        }
    }
}
