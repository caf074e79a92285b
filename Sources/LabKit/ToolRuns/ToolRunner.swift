import Foundation

/// What one tool run did, before it is judged per exercise.
public struct ToolRunOutcome: Sendable {
    /// The run.
    public var plan: ToolRunPlan
    /// The command as a shell would show it (the binary's name, not its path).
    public var command: String
    /// Which peer answered ("coturn on 127.0.0.1:40000", "the embedded server: turnserver is not installed").
    public var peer: String
    /// How the tool ended; nil when it could not run at all (`setupFailure` says why).
    public var termination: ChildTermination?
    /// What it printed.
    public var stdout: String
    public var stderr: String
    /// Why the tool could not be run (a missing peer, no binary): never the student's fault.
    public var setupFailure: String?
}

/// Runs the tools, built with the student's code, against offline peers.
///
/// Peers: coturn (`turnserver`, else stun-probe's embedded server, and the report says
/// which), aiortc's and Chromium's echo servers from scripts/interop (run by the
/// repository's .venv Python). Every port is on 127.0.0.1 and chosen free.
public struct ToolRunner: Sendable {
    /// The repository (for scripts/ and .venv/).
    public let repository: LabRepository
    /// Where the built tools are (`<scratch>/debug`).
    public let binaries: String
    /// Time limit of one tool run (it only bounds a hang: runs take seconds).
    public var timeout: Duration = .seconds(180)
    /// How long a peer may take to say it is ready (Chromium needs seconds, more under load).
    public var peerStartTimeout: Duration = .seconds(90)

    /// A runner of the tools in `binaries`.
    public init(repository: LabRepository, binaries: String) {
        self.repository = repository
        self.binaries = URL(fileURLWithPath: binaries).standardizedFileURL.path
    }

    /// Runs `plan` (starting and stopping its peer); never throws: a problem is in the outcome.
    public func run(_ plan: ToolRunPlan) -> ToolRunOutcome {
        let binary = binaries + "/" + plan.tool
        var outcome = ToolRunOutcome(plan: plan, command: ([plan.tool] + plan.arguments(peer: nil)).joined(separator: " "),
                                     peer: plan.peerDescription, termination: nil, stdout: "", stderr: "")
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            outcome.setupFailure = "\(binary) is not built"
            return outcome
        }
        var peerProcess: PeerProcess?
        defer { peerProcess?.stop() }
        var peerAddress: String?
        do {
            switch plan {
            case .stunProbe:
                if let coturn = try Self.startCoturn() {
                    peerProcess = coturn.process
                    peerAddress = "127.0.0.1:\(coturn.port)"
                    outcome.peer = "coturn (turnserver) on 127.0.0.1:\(coturn.port)"
                } else {
                    outcome.peer = "stun-probe's embedded server on loopback (coturn's turnserver is not installed)"
                }
            case .echoAiortc, .echoChromium:
                let script = plan == .echoAiortc ? "aiortc_echo.py" : "chromium_echo.py"
                let server = try startEchoServer(script: script)
                peerProcess = server.process
                peerAddress = server.url
                outcome.peer = (plan == .echoAiortc ? "aiortc" : "headless Chromium") + " echo server at \(server.url)"
            case .iceCheck, .dtlsHandshake, .sctpStreams:
                break
            }
        } catch {
            outcome.setupFailure = "\(error)"
            return outcome
        }
        let arguments = plan.arguments(peer: peerAddress)
        outcome.command = ([plan.tool] + arguments).joined(separator: " ")
        do {
            let result = try ChildProcess.run([binary] + arguments, environment: SubmissionGrader.childEnvironment,
                                              timeout: timeout, outputLimit: 4 << 20)
            outcome.termination = result.termination
            outcome.stdout = result.stdout
            outcome.stderr = result.stderr
        } catch {
            outcome.setupFailure = "\(error)"
        }
        if let peerProcess, outcome.termination != .exited(0) {
            // The peer's last words explain a failed echo as often as the tool's own.
            let log = peerProcess.output.split(separator: "\n").suffix(6).map { "  peer: " + $0 }.joined(separator: "\n")
            if !log.isEmpty { outcome.stderr += "\n" + log }
        }
        return outcome
    }

    /// coturn on a free loopback port, once its socket is bound; nil when turnserver is not installed.
    static func startCoturn() throws -> (process: PeerProcess, port: UInt16)? {
        guard let turnserver = Self.systemProgram("turnserver") else { return nil }
        var lastLog = ""
        for _ in 0..<4 {
            let port = try LoopbackPorts.freeUDPPort()
            // A pid file of our own (coturn's default, in /var/run, may not be writable), removed once it is up:
            // the process group is ours to stop, nobody reads it.
            let pidFile = FileManager.default.temporaryDirectory.path + "/lab-coturn-\(port)-\(UUID().uuidString).pid"
            defer { try? FileManager.default.removeItem(atPath: pidFile) }
            let process = try PeerProcess([turnserver, "-n", "--no-cli", "--no-tls", "--no-dtls", "--listening-ip=127.0.0.1",
                                           "--listening-port=\(port)", "--log-file=stdout", "--simple-log", "--pidfile=" + pidFile],
                                          environment: ProcessInfo.processInfo.environment)
            let ready = process.waitFor(timeout: .seconds(15)) { _ in LoopbackPorts.udpBound(port) ? true : nil } ?? false
            if ready && process.isRunning { return (process, port) }
            lastLog = process.stop()
        }
        throw LabError(.cannotRun, "coturn (turnserver) did not start on 127.0.0.1; its log ends: \(lastLog.suffix(600))")
    }

    /// An echo server of scripts/interop, started with the repository's .venv Python; its offer URL once it listens.
    func startEchoServer(script: String) throws -> (process: PeerProcess, url: String) {
        let python = repository.root + "/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw LabError(.cannotRun, "\(python) is missing: run scripts/setup.sh (it installs aiortc in .venv)")
        }
        let path = repository.root + "/scripts/interop/" + script
        let process = try PeerProcess([python, path, "--serve", "--listen", "127.0.0.1:0"],
                                      environment: ProcessInfo.processInfo.environment)
        let url = process.waitFor(timeout: peerStartTimeout) { output -> String? in
            for line in output.split(separator: "\n") where line.hasPrefix("{\"listening\"") {
                if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                   let address = object["listening"] as? String {
                    return "http://\(address)/offer"
                }
            }
            return nil
        }
        guard let url else {
            let log = process.stop()
            throw LabError(.cannotRun, "\(script) --serve did not say it listens within \(Format.seconds(peerStartTimeout)); "
                           + "its output ends: \(log.suffix(600))")
        }
        return (process, url)
    }

    /// An installed program's path, from the usual system folders.
    static func systemProgram(_ name: String) -> String? {
        ["/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin", "/usr/local/sbin"]
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
