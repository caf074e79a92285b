import Foundation
import Testing
import ToolTestSupport

/// One reference WebRTC stack, run from scripts/interop in the webrtc-echoes
/// convention: `--serve --listen 127.0.0.1:0` (first line {"listening":…}) or
/// `URL --json` (one JSON result line, exit 0 or 1). scripts/setup.sh installs
/// them all; a peer that is missing fails its test with the reason.
struct EchoPeer: CustomStringConvertible, Sendable {
    /// aiortc, Pion, libdatachannel or Chromium.
    let name: String
    /// The command (program and leading arguments).
    let command: [String]
    /// The largest message this stack can carry, when it is below our 256 KiB,
    /// and the peer's own limit that makes it so (a note in the interop table).
    let sizeLimit: (bytes: Int, why: String)?

    var description: String { name }

    static let root = Programs.repositoryRoot.path

    static let aiortc = EchoPeer(name: "aiortc", command: [root + "/.venv/bin/python", root + "/scripts/interop/aiortc_echo.py"],
                                 sizeLimit: nil)
    /// Pion 3.1.56 sends at most 65,536 bytes ("outbound packet larger than maximum
    /// message size: 65535", its own words, off by one) and omits a=max-message-size,
    /// so 65536 is also what RFC 8841 §6 lets a sender assume of it.
    static let pion = EchoPeer(name: "pion", command: [root + "/.build-interop/pion-echo/pion-echo"],
                               sizeLimit: (65_536, "Pion 3.1.56 sends at most 65,536 bytes and advertises no a=max-message-size"))
    static let libdatachannel = EchoPeer(name: "libdatachannel",
                                         command: [root + "/.venv-ldc/bin/python", root + "/scripts/interop/ldc_echo.py"],
                                         sizeLimit: nil)
    static let chromium = EchoPeer(name: "chromium", command: [root + "/.venv/bin/python", root + "/scripts/interop/chromium_echo.py"],
                                   sizeLimit: nil)

    static let all: [EchoPeer] = [.aiortc, .pion, .libdatachannel, .chromium]

    /// Fails loudly when the peer is not installed.
    func requireInstalled() throws {
        guard FileManager.default.isExecutableFile(atPath: command[0]) else {
            throw MissingExecutable("\(name) is not installed (\(command[0]) is missing): run scripts/setup.sh")
        }
    }

    /// Starts the peer's echo server; returns it and its offer URL.
    func startServer() throws -> (BackgroundProgram, String) {
        try requireInstalled()
        let server = try BackgroundProgram(command[0], Array(command.dropFirst()) + ["--serve", "--listen", "127.0.0.1:0"],
                                           input: false)
        return (server, try Self.offerURL(from: server, name: name))
    }

    /// Reads the `{"listening":"127.0.0.1:PORT"}` line a server prints when ready;
    /// a server that says nothing within `timeout` (a machine under heavy load can
    /// take long) is stopped, and the failure says so.
    static func offerURL(from server: BackgroundProgram, name: String, timeout: Duration = .seconds(90)) throws -> String {
        let ready = Once()
        let pid = server.process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(Int(timeout.components.seconds))) {
            // Ends the silent server, so readLine below sees the end of its output.
            if ready.claim() { kill(pid, SIGKILL) }
        }
        defer { _ = ready.claim() }
        while let line = server.readLine() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let listening = object["listening"] as? String else { continue }
            return "http://\(listening)/offer"
        }
        throw MissingExecutable("\(name)'s echo server did not say it listens within \(timeout): \(server.stop())")
    }

    /// Runs the peer's echo client against `url`.
    func runClient(url: String, size: Int?) throws -> EchoOutcome {
        try requireInstalled()
        var arguments = Array(command.dropFirst()) + [url, "--json"]
        if let size { arguments += ["--size", String(size)] }
        return EchoOutcome(try Programs.run(command[0], arguments, timeout: .seconds(120)))
    }
}

/// What an echo client printed: its JSON line, parsed.
struct EchoOutcome {
    let run: ToolRun
    let json: [String: Any]

    init(_ run: ToolRun) {
        self.run = run
        let line = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        json = (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
    }

    var ok: Bool { run.status == 0 && json["ok"] as? Bool == true }
    var steps: [[String: Any]] { json["steps"] as? [[String: Any]] ?? [] }
    var largeSize: Int? { json["large_size"] as? Int }

    /// Names of the steps that ran, with their channel ("burst/rexmit0").
    func count(of step: String) -> Int { steps.filter { $0["step"] as? String == step && $0["ok"] as? Bool == true }.count }

    /// One row of the interop table (docs/INTEROP.md): who, which role, what passed.
    func tableRow(peer: EchoPeer, role: String) -> String {
        let passed = steps.filter { $0["ok"] as? Bool == true }.count
        let checks = ["open", "text", "binary", "empty-text", "empty-binary", "burst", "large"]
            .map { "\($0) \(count(of: $0))" }.joined(separator: ", ")
        let limit = peer.sizeLimit.map { " (limit: \($0.why))" } ?? ""
        let ms = (json["elapsed_ms"] as? Double).map { String(Int($0)) } ?? "?"
        return "INTEROP | \(role) | \(ok ? "PASS" : "FAIL") | \(passed)/\(steps.count) steps: \(checks) | large \(largeSize.map(String.init) ?? "-") B\(limit) | \(ms) ms |"
    }

    /// A one-paragraph account for a failed expectation.
    var account: String {
        "exit \(run.status); failed step \(json["step"] ?? "-"): \(json["error"] ?? "-")\nstdout: \(run.stdout.suffix(1500))\nstderr: \(run.stderr.suffix(1500))"
    }
}

/// True for the first caller of `claim()` only.
final class Once: @unchecked Sendable {
    // @unchecked: `taken` is only touched under `lock`.
    private let lock = NSLock()
    private var taken = false

    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        defer { taken = true }
        return !taken
    }
}
