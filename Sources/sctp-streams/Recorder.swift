import Foundation
import PacketCapture
import SocketDriver
import Wire

/// --pcap and --keylog: the files that let tshark decrypt the run and show the
/// SCTP chunks inside DTLS. Both endpoints live in this process, so only sent
/// datagrams are recorded (each one once); datagrams dropped by --loss never
/// reach the wire and never appear.
final class Recorder {
    private let pcap: PcapFile?
    private var writeError: (any Error)?
    private(set) var keyLogLines: [String] = []

    /// Opens the capture, and creates the key log now (empty, owner-only: it is secret),
    /// so a path that cannot be written fails before the run rather than after it.
    init(pcapPath: String?, keylogPath: String?) throws {
        if let keylogPath, let problem = Self.writeFile("", to: keylogPath, mode: 0o600) {
            throw StreamsFailure(.localFailure, "cannot write --keylog \(keylogPath): \(problem)")
        }
        guard let pcapPath else {
            pcap = nil
            return
        }
        do {
            pcap = try PcapFile(path: pcapPath, unixNanosecondsAtInstantZero: SystemClock.unixOffsetOfMonotonicZero())
        } catch {
            throw StreamsFailure(.localFailure, "cannot write --pcap \(pcapPath): \(error)")
        }
    }

    /// Writes `text` to `path` (see `CaptureFiles.writeFile`).
    static func writeFile(_ text: String, to path: String, mode: mode_t = 0o644) -> String? {
        CaptureFiles.writeFile(text, to: path, mode: mode)
    }

    /// The event loop's tap.
    func tap(_ tapped: TappedDatagram) {
        guard let pcap, tapped.direction == .sent else { return }
        do { try pcap.write(tapped.datagram, at: tapped.at) } catch { writeError = writeError ?? error }
    }

    /// Keeps one NSS key-log line (each session's line once).
    func noteKeyLog(_ line: String) {
        if !keyLogLines.contains(line) { keyLogLines.append(line) }
    }

    /// Closes the pcap and writes the key log; a write error is reported now.
    func finish(keylogPath: String?) throws {
        pcap?.close()
        if let writeError, let pcap {
            throw StreamsFailure(.localFailure, "cannot write --pcap \(pcap.path): \(writeError)")
        }
        guard let keylogPath else { return }
        if let pcap { try Self.writeLuaPlugin(forCapture: pcap.path) }
        let text = "# NSS key log (SSLKEYLOGFILE) written by sctp-streams: SECRET, decrypts the DTLS session\n"
            + keyLogLines.map { $0 + "\n" }.joined()
        if let problem = Self.writeFile(text, to: keylogPath, mode: 0o600) {
            throw StreamsFailure(.localFailure, "cannot write --keylog \(keylogPath): \(problem)")
        }
    }

    /// Where the tshark plugin for `pcap` goes.
    static func luaPath(forCapture pcap: String) -> String { CaptureFiles.luaPath(forCapture: pcap) }

    /// Writes the plugin next to the capture.
    static func writeLuaPlugin(forCapture pcap: String) throws {
        if let problem = CaptureFiles.writeLuaPlugin(forCapture: pcap, writtenBy: "sctp-streams") {
            throw StreamsFailure(.localFailure, "cannot write \(luaPath(forCapture: pcap)): \(problem)")
        }
    }

    /// The tshark command that decrypts the capture and shows the SCTP chunks inside DTLS.
    static func tsharkCommand(pcap: String, keylog: String) -> String {
        CaptureFiles.tsharkCommand(pcap: pcap, keylog: keylog)
    }
}
