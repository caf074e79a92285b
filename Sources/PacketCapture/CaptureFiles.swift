#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files next to a capture that let tshark decrypt a WebRTC session and
/// show the SCTP inside DTLS (RFC 8261): the key log, the Lua plugin, and the
/// command line to paste. Shared by every tool with `--pcap --keylog`.
public enum CaptureFiles {
    /// Creates or empties `path` (new files get `mode`) and writes `text`; the reason
    /// (strerror) when it cannot. POSIX rather than Data.write: Foundation's messages
    /// ("The operation could not be completed") do not say what went wrong.
    ///
    /// A private `mode` (no group or other bits, e.g. 0600 for a key log) is also forced on
    /// a file that already existed, before anything is written: `open` applies the mode
    /// only when it creates the file, and a key log's secrets must never land in a file
    /// someone else can read.
    public static func writeFile(_ text: String, to path: String, mode: mode_t = 0o644) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        defer { close(descriptor) }
        if mode & 0o077 == 0, fchmod(descriptor, mode) != 0 {
            return "cannot make it private (mode \(String(mode, radix: 8))): " + String(cString: strerror(errno))
        }
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

    /// The tshark plugin written next to a capture. Wireshark 4.0 has no SCTP
    /// heuristic inside DTLS, and "decode as" offers no SCTP in the dtls.port table,
    /// so the plugin adds SCTP to that table for every port (RFC 8261: DTLS
    /// application data in WebRTC is always one SCTP packet). It also claims every
    /// UDP port with a small RFC 7983 demultiplexer (first byte 0-3 STUN, 20-63
    /// DTLS): the kernel-chosen ports sometimes belong to another protocol's table
    /// (54328 is Elasticsearch's), which tshark would otherwise try before its DTLS
    /// heuristic, and STUN on the same port stays STUN.
    public static func luaPlugin(writtenBy tool: String) -> String {
        """
        -- Written by \(tool): RFC 7983 demultiplexing, and DTLS application data as SCTP (RFC 8261).
        -- Use: tshark -X lua_script:THIS_FILE -o tls.keylog_file:KEYS -r CAPTURE -Y sctp
        local dtls = Dissector.get("dtls")
        local stun = Dissector.get("stun-udp")
        local demux = Proto("rfc7983", "RFC 7983 demultiplexing")
        function demux.dissector(buffer, pinfo, tree)
            if buffer:len() == 0 then return 0 end
            local first = buffer(0, 1):uint()
            if first <= 3 then return stun:call(buffer, pinfo, tree) end
            if first >= 20 and first <= 63 then return dtls:call(buffer, pinfo, tree) end
            return 0
        end
        DissectorTable.get("udp.port"):add("1-65535", demux)
        DissectorTable.get("dtls.port"):add("1-65535", Dissector.get("sctp"))

        """
    }

    /// Where the plugin for `pcap` goes.
    public static func luaPath(forCapture pcap: String) -> String { pcap + ".lua" }

    /// Writes the plugin next to the capture; the reason when it cannot.
    public static func writeLuaPlugin(forCapture pcap: String, writtenBy tool: String) -> String? {
        writeFile(luaPlugin(writtenBy: tool), to: luaPath(forCapture: pcap))
    }

    /// The tshark command that decrypts the capture with the key log and shows
    /// the packets matching `filter` inside DTLS, with `details` (a protocol such as
    /// `rtcdc`, Wireshark's name for DCEP) expanded field by field. Every argument is
    /// shell-quoted, so the line can be pasted into a shell whatever the paths contain.
    public static func tsharkCommand(pcap: String, keylog: String, filter: String = "sctp", details: String? = nil) -> String {
        var words = ["tshark", "-r", pcap, "-o", "tls.keylog_file:" + keylog, "-X", "lua_script:" + luaPath(forCapture: pcap),
                     "-Y", filter]
        if let details { words += ["-O", details] }
        return words.map(shellQuoted).joined(separator: " ")
    }

    /// `word` as one POSIX shell word: as is when it holds only characters no shell
    /// treats specially, otherwise in single quotes, each embedded `'` written `'\''`
    /// (close the quotes, an escaped quote, reopen).
    public static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_-./:=+,@%".unicodeScalars.contains(scalar))
        }
        if plain { return word }
        var quoted = "'"
        for character in word {
            quoted += character == "'" ? "'\\''" : String(character)
        }
        return quoted + "'"
    }
}
