import Foundation
import PacketCapture
import SocketDriver
import Wire

/// --pcap and --keylog: the files that let Wireshark/tshark replay and decrypt a run.
final class Capture {
    private let pcap: PcapFile?
    private let pcapPath: String?
    private var pcapError: (any Error)?
    /// Record received datagrams too (the peer is another process); a loopback
    /// run records only what was sent, or every datagram would appear twice.
    private let recordReceived: Bool

    init(pcapPath: String?, recordReceived: Bool) throws {
        self.pcapPath = pcapPath
        self.recordReceived = recordReceived
        if let pcapPath {
            do {
                pcap = try PcapFile(path: pcapPath, unixNanosecondsAtInstantZero: SystemClock.unixOffsetOfMonotonicZero())
            } catch {
                throw HandshakeFailure(.localFailure, "cannot write \(pcapPath): \(error)")
            }
        } else {
            pcap = nil
        }
    }

    /// Install as the event loop's tap.
    func tap(_ tapped: TappedDatagram) {
        guard let pcap, tapped.direction == .sent || recordReceived else { return }
        do { try pcap.write(tapped.datagram, at: tapped.at) } catch { pcapError = pcapError ?? error }
    }

    /// Closes the pcap; a write error is reported now.
    func finish() throws {
        pcap?.close()
        if let pcapError { throw HandshakeFailure(.localFailure, "cannot write \(pcapPath ?? "the pcap"): \(pcapError)") }
    }

    /// Writes NSS key-log lines ("CLIENT_RANDOM <random> <master secret>"), each once.
    static func writeKeyLog(_ lines: [String], to path: String) throws {
        var seen = Set<String>()
        let unique = lines.filter { seen.insert($0).inserted }
        let text = "# NSS key log (SSLKEYLOGFILE) written by dtls-handshake: SECRET, decrypts the session\n"
            + unique.map { $0 + "\n" }.joined()
        // Mode 0600: the lines are the session's secrets.
        if let problem = CaptureFiles.writeFile(text, to: path, mode: 0o600) {
            throw HandshakeFailure(.localFailure, "cannot write the key log \(path): \(problem)")
        }
    }
}
