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

    /// Creates or empties `path` (new files get `mode`) and writes `text`; the reason
    /// (strerror) when it cannot. POSIX rather than Data.write: Foundation's messages
    /// ("The operation could not be completed") do not say what went wrong.
    static func writeFile(_ text: String, to path: String, mode: mode_t = 0o644) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        defer { close(descriptor) }
        var rest = Array(text.utf8)[...]
        while !rest.isEmpty {
            let written = rest.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            rest = rest.dropFirst(written)
        }
        return nil
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

    /// The tshark plugin written next to the capture: Wireshark 4.0 has no SCTP
    /// heuristic inside DTLS, and "decode as" offers no SCTP in the dtls.port table,
    /// so the plugin adds SCTP to that table for every port (RFC 8261: DTLS
    /// application data in WebRTC is always one SCTP packet). It also decodes every
    /// UDP port as DTLS: the capture holds nothing else, and the kernel-chosen ports
    /// sometimes belong to another protocol's table (54328 is Elasticsearch's), which
    /// tshark would otherwise try before its DTLS heuristic.
    static let luaPlugin = """
        -- Written by sctp-streams: decode DTLS application data as SCTP (RFC 8261).
        -- Use: tshark -X lua_script:THIS_FILE -o tls.keylog_file:KEYS -r CAPTURE -Y sctp
        DissectorTable.get("udp.port"):add("1-65535", Dissector.get("dtls"))
        DissectorTable.get("dtls.port"):add("1-65535", Dissector.get("sctp"))

        """

    /// Where the plugin for `pcap` goes.
    static func luaPath(forCapture pcap: String) -> String { pcap + ".lua" }

    /// Writes the plugin next to the capture.
    static func writeLuaPlugin(forCapture pcap: String) throws {
        let path = luaPath(forCapture: pcap)
        if let problem = writeFile(luaPlugin, to: path) { throw StreamsFailure(.localFailure, "cannot write \(path): \(problem)") }
    }

    /// The tshark command that decrypts the capture with the key log and shows the
    /// SCTP chunks inside DTLS.
    /// Every argument is shell-quoted, so the line can be pasted into a shell whatever
    /// the paths contain (spaces, quotes, `$`).
    static func tsharkCommand(pcap: String, keylog: String) -> String {
        ["tshark", "-r", pcap, "-o", "tls.keylog_file:" + keylog, "-X", "lua_script:" + luaPath(forCapture: pcap), "-Y", "sctp"]
            .map(shellQuoted).joined(separator: " ")
    }

    /// `word` as one POSIX shell word: as is when it holds only characters no shell
    /// treats specially, otherwise in single quotes, each embedded `'` written `'\''`
    /// (close the quotes, an escaped quote, reopen).
    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_-./:=+,@%".unicodeScalars.contains(scalar))
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
