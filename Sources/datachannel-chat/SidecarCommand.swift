import ArgumentParser
import Dispatch
import Foundation
import Logging
import MeshAgent
import MeshProtocol
import ToolSupport

/// `datachannel-chat sidecar`: one agent's door to the mesh, wire-compatible with
/// chatixia-mesh's sidecar (its Python `MeshClient` spawns and drives this unchanged).
struct SidecarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sidecar",
        abstract: "Join the mesh for one agent and serve it JSON lines over a Unix socket (chatixia's sidecar).",
        discussion: """
        The sidecar owns the WebRTC side of one agent: it takes a token from the registry (POST TOKEN_URL), \
        connects to its WebSocket (SIGNALING_URL?token=JWT), registers, and keeps a reliable, ordered "mesh" \
        DataChannel to every other agent. Only once it is registered does it create the Unix socket, so an agent \
        (chatixia's MeshClient waits up to 5 s for the file) never connects to a sidecar that is not in the mesh. \
        If joining fails it prints one line on stderr and exits non-zero without creating the socket.

        SETTINGS (the environment, as chatixia's sidecar reads it; flags override):
          IPC_SOCKET     --ipc-socket      default: in a new private directory (0700)
          SIGNALING_URL  --signaling-url   default ws://127.0.0.1:8080/ws
          TOKEN_URL      --token-url       default http://127.0.0.1:8080/api/token
          API_KEY        --api-key-file    sent as x-api-key (never a flag)
        Instead of a key: --name NAME (a registry in lab mode, without a key file: x-peer-name) or \
        --token-file FILE (a ready JWT; it cannot be renewed, so reconnecting fails once it expires).

        The socket is mode 0600. The sidecar prints one JSON line on stdout once it is ready: \
        {"ipc_socket":PATH,"peer_id":ID}. It serves ONE agent connection and exits 0 when the agent disconnects, \
        or on SIGTERM/SIGINT.

        IPC, one JSON object per line, {"type","payload"}:
          agent → sidecar: send {"target_peer","message"}, broadcast {"message"},
                           list_peers {}, connect {"peer_id"}
          sidecar → agent: message {"from_peer","message"}, peer_list {"peers"},
                           peer_connected {"peer_id"}, peer_disconnected {"peer_id"},
                           error {"code","message"}
        A mesh message is a JSON object with "type" (required), "request_id", "source_agent", "target_agent" and \
        "payload". Beyond chatixia: `connect` works, and a bad line, an unknown or unconnected peer, or a line over \
        \(IPCCommand.defaultMaxBytes) bytes is answered with an `error` event (codes bad_command, unknown_peer, \
        not_connected, too_large) instead of silence. Events wait for the agent in a bounded queue \
        (1024 events, 1 MiB); an agent that stops reading loses what does not fit and is told so by one \
        `error` event with code "dropped" when it reads again.

        EXAMPLES:
          API_KEY=ak_alice datachannel-chat sidecar
          datachannel-chat sidecar --name alice --ipc-socket /tmp/alice.sock
          SIDECAR_BINARY=./chatixia-sidecar python agent.py   (chatixia's MeshClient;
              the wrapper is two lines: #!/bin/sh and exec datachannel-chat sidecar)

        EXIT CODES:
        \(ChatExit.helpTable([
            .success: "the agent disconnected, or SIGTERM/SIGINT",
            .stepFailed: "cannot join: no token (key or name refused), or no registry",
            .usage: "bad arguments, or no credentials",
            .localFailure: "local failure: the Unix socket cannot be created",
        ]))
        """
    )

    @Option(name: .customLong("ipc-socket"), help: ArgumentHelp("The Unix socket path (env IPC_SOCKET).", valueName: "path"))
    var ipcSocket: String?

    @Option(name: .customLong("signaling-url"), help: ArgumentHelp("The registry's WebSocket (env SIGNALING_URL).", valueName: "url"))
    var signalingURL: String?

    @Option(name: .customLong("token-url"), help: ArgumentHelp("The registry's token endpoint (env TOKEN_URL).", valueName: "url"))
    var tokenURL: String?

    @Option(name: .customLong("api-key-file"), help: ArgumentHelp("Read the API key from this file (else env API_KEY).", valueName: "file"))
    var apiKeyFile: String?

    @Option(help: ArgumentHelp("Lab mode: ask for a token by name (x-peer-name) instead of an API key.", valueName: "name"))
    var name: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("Use the JWT in this file; no token request.", valueName: "file"))
    var tokenFile: String?

    func validate() throws {
        let ways = [apiKeyFile != nil, name != nil, tokenFile != nil].filter { $0 }.count
        if ways > 1 { throw ValidationError("give at most one of --api-key-file, --name and --token-file") }
        if let name, !Self.isPeerName(name) {
            throw ValidationError("--name must be 1-64 characters of A-Z a-z 0-9 . _ -, got '\(name)'")
        }
    }

    /// The settings of this run: flags first, then chatixia's environment variables, then defaults.
    func settings(environment: [String: String]) throws -> (MeshAgentConfiguration, socket: String?) {
        func setting(_ flag: String?, _ variable: String) -> String? {
            if let flag { return flag }
            if let value = environment[variable], !value.isEmpty { return value }
            return nil
        }
        let token = setting(tokenURL, "TOKEN_URL") ?? "http://127.0.0.1:\(MeshDefaults.port)/api/token"
        let signaling = setting(signalingURL, "SIGNALING_URL") ?? "ws://127.0.0.1:\(MeshDefaults.port)/ws"
        try Self.checkURL(token, schemes: ["http", "https"], what: "the token URL (TOKEN_URL, --token-url)")
        try Self.checkURL(signaling, schemes: ["ws", "wss"], what: "the signaling URL (SIGNALING_URL, --signaling-url)")
        let credentials: MeshCredentials
        if let name {
            credentials = .name(name)
        } else if let tokenFile {
            credentials = .token(try Self.secret(from: tokenFile, what: "--token-file"))
        } else if let apiKeyFile {
            credentials = .apiKey(try Self.secret(from: apiKeyFile, what: "--api-key-file"))
        } else if let key = environment["API_KEY"], !key.isEmpty {
            credentials = .apiKey(key)
        } else {
            throw ChatFailure(.usage, "no credentials: set API_KEY, or give --api-key-file FILE, --name NAME (lab mode) or --token-file FILE")
        }
        let socket = setting(ipcSocket, "IPC_SOCKET")
        return (MeshAgentConfiguration(tokenURL: token, signalingURL: signaling, credentials: credentials), socket)
    }

    func run() async throws {
        Self.unblockStopSignals()
        // Library logs go to stderr (chatixia's MeshClient sends it to the sidecar's log file);
        // stdout carries only the ready line.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .error
            return handler
        }
        let (configuration, socketPath) = try settings(environment: ProcessInfo.processInfo.environment)
        let agent = MeshAgent(configuration: configuration)
        do {
            try await agent.start()
        } catch {
            await agent.stop()
            throw ChatFailure(.stepFailed, "cannot join the mesh (\(error.code)): \(error.description)")
        }
        let peerID = agent.peerID ?? ""
        let server: IPCServer
        do {
            server = try await IPCServer.bind(path: socketPath)
        } catch {
            await agent.stop()
            throw ChatFailure(.localFailure, error.description)
        }
        let stopping = Self.stopOnSignals(agent: agent, server: server)
        defer { withExtendedLifetime(stopping) {} }
        print(JSONValue.object(["ipc_socket": .string(server.path), "peer_id": .string(peerID)]).jsonText)
        fflush(nil)
        Self.log("joined the mesh as \(peerID); serving the agent on \(server.path)")

        let sidecar = Sidecar(agent: agent, server: server, log: Self.log)
        do {
            try await sidecar.run()
        } catch {
            Self.log("IPC: \(error.description)")
        }
        Self.log("the agent disconnected; leaving the mesh")
        await server.close()
        await agent.stop()
    }

    /// One diagnostic line on stderr (chatixia's MeshClient sends it to the sidecar's log file).
    @Sendable static func log(_ line: String) {
        FileHandle.standardError.write(Data("datachannel-chat sidecar: \(line)\n".utf8))
    }

    /// SIGTERM (chatixia's `MeshClient.stop()`) and SIGINT end the run cleanly: socket
    /// removed, peers closed, exit 0. Returns the sources, which must stay alive.
    static func stopOnSignals(agent: MeshAgent, server: IPCServer) -> [any DispatchSourceSignal] {
        [SIGTERM, SIGINT].map { number in
            // Ignored as a signal, seen as an event: Dispatch reads it from its own queue.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                // Leaving cleanly tells the peers at once, but a stop signal must stop: if the
                // leave is still waiting on something after a few seconds (a peer that does not
                // answer, a starved machine), remove the socket and exit anyway.
                DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(3)) {
                    unlink(server.path)
                    if let directory = server.privateDirectory { rmdir(directory) }
                    log("signal \(number): the leave took over 3 s; exiting")
                    fflush(nil)
                    Foundation.exit(ChatExit.success.rawValue)
                }
                Task {
                    log("signal \(number): leaving the mesh")
                    await server.close()
                    await agent.stop()
                    fflush(nil)
                    Foundation.exit(ChatExit.success.rawValue)
                }
            }
            source.resume()
            return source
        }
    }

    /// A parent may have blocked the stop signals (the mask is inherited across exec;
    /// some test runners block them): a sidecar must still stop on SIGTERM.
    static func unblockStopSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in [SIGINT, SIGTERM] { sigaddset(&signals, number) }
        sigprocmask(SIG_UNBLOCK, &signals, nil)
    }

    /// The registry's rule for lab-mode names: 1-64 characters of [A-Za-z0-9._-].
    static func isPeerName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// A URL with one of `schemes` and a host, else a usage failure naming `what`.
    static func checkURL(_ text: String, schemes: Set<String>, what: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              schemes.contains(scheme), components.host?.isEmpty == false else {
            let forms = schemes.sorted().map { "\($0)://HOST:PORT/PATH" }.joined(separator: " or ")
            throw ChatFailure(.usage, "\(what) must be \(forms), got '\(text)'")
        }
    }

    /// The first line of a secret file, trimmed; never echoed back in errors.
    static func secret(from path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ChatFailure(.usage, "\(what): cannot read \(path)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let first = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !first.isEmpty else { throw ChatFailure(.usage, "\(what): \(path) is empty") }
        return first
    }
}
