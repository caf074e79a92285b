import PacketCapture
import SocketDriver
import Wire

/// --pcap and --keylog: every datagram our host sends or receives, and the DTLS
/// keys, so tshark can show the DCEP OPEN inside the decrypted SCTP. The peer is
/// another process, so both directions are recorded.
final class Recorder: Sendable {
    let pcapPath: String?
    let keylogPath: String?
    private let state: Locked<State>

    // @unchecked Sendable: PcapFile is a class, and it is only ever touched inside
    // `state.withLock`, so no two threads use it at once.
    private struct State: @unchecked Sendable {
        var pcap: PcapFile?
        var writeError: String?
        var keyLogLines: [String] = []
    }

    /// Opens the capture and creates the key log now (empty, owner-only: it is
    /// secret), so a path that cannot be written fails before the run.
    init(pcapPath: String?, keylogPath: String?) throws {
        self.pcapPath = pcapPath
        self.keylogPath = keylogPath
        if let keylogPath, let problem = CaptureFiles.writeFile("", to: keylogPath, mode: 0o600) {
            throw ChatFailure(.localFailure, "cannot write --keylog \(keylogPath): \(problem)")
        }
        var pcap: PcapFile?
        if let pcapPath {
            do {
                pcap = try PcapFile(path: pcapPath, unixNanosecondsAtInstantZero: SystemClock.unixOffsetOfMonotonicZero())
            } catch {
                throw ChatFailure(.localFailure, "cannot write --pcap \(pcapPath): \(error)")
            }
        }
        state = Locked(State(pcap: pcap))
    }

    /// True when anything is recorded (the host needs a tap, the connections key logging).
    var isActive: Bool { pcapPath != nil || keylogPath != nil }

    /// The host's tap (called on the host thread).
    func tap(_ tapped: TappedDatagram) {
        state.withLock { state in
            guard let pcap = state.pcap else { return }
            do { try pcap.write(tapped.datagram, at: tapped.at) } catch {
                state.writeError = state.writeError ?? "\(error)"
            }
        }
    }

    /// Keeps key-log lines (each once).
    func note(keyLog lines: [String]) {
        state.withLock { state in
            for line in lines where !state.keyLogLines.contains(line) { state.keyLogLines.append(line) }
        }
    }

    /// Writes what was recorded so far: the key log and the tshark plugin (the
    /// server calls this after every connection, the client once at the end).
    func flush() throws {
        let (lines, error) = state.withLock { ($0.keyLogLines, $0.writeError) }
        if let error, let pcapPath { throw ChatFailure(.localFailure, "cannot write --pcap \(pcapPath): \(error)") }
        guard let keylogPath else { return }
        if let pcapPath, let problem = CaptureFiles.writeLuaPlugin(forCapture: pcapPath, writtenBy: "datachannel-chat") {
            throw ChatFailure(.localFailure, "cannot write \(CaptureFiles.luaPath(forCapture: pcapPath)): \(problem)")
        }
        let text = "# NSS key log (SSLKEYLOGFILE) written by datachannel-chat: SECRET, decrypts the DTLS sessions\n"
            + lines.map { $0 + "\n" }.joined()
        if let problem = CaptureFiles.writeFile(text, to: keylogPath, mode: 0o600) {
            throw ChatFailure(.localFailure, "cannot write --keylog \(keylogPath): \(problem)")
        }
    }

    /// Closes the capture after a last flush.
    func finish() throws {
        try flush()
        state.withLock { state in
            state.pcap?.close()
            state.pcap = nil
        }
    }

    /// The tshark command that shows the DCEP messages of the capture field by
    /// field (`rtcdc` is Wireshark's name for DCEP).
    func tsharkHint() -> String? {
        guard let pcapPath, let keylogPath else { return nil }
        return CaptureFiles.tsharkCommand(pcap: pcapPath, keylog: keylogPath, filter: "rtcdc", details: "rtcdc")
    }
}
