import Foundation
import Testing
import ToolTestSupport

/// The tshark command line sctp-streams printed.
func printedCommand(_ stdout: String) throws -> String {
    try #require(stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("tshark ") },
                 "no tshark command in:\n\(stdout)")
}

/// Runs `command` with bash, as a reader pasting it would.
func shell(_ command: String) throws -> ToolRun {
    try Programs.run(Programs.system("bash"), ["-c", command], timeout: .seconds(60))
}

@Suite("sctp-streams: --pcap and --keylog, decoded by tshark")
struct SctpStreamsCaptureTests {
    @Test("tshark decrypts DTLS with the key log and decodes the SCTP chunks inside, as the printed command says")
    func sctpInsideDTLS() throws {
        let pcap = Programs.temporaryPath("sctp-streams", ".pcap"), keylog = Programs.temporaryPath("sctp-streams", ".keys")
        defer {
            try? FileManager.default.removeItem(atPath: pcap)
            try? FileManager.default.removeItem(atPath: keylog)
            try? FileManager.default.removeItem(atPath: pcap + ".lua")
        }
        // 10 % loss: some unreliable DATA is lost and abandoned, so FORWARD-TSN appears too.
        // Which datagrams the seeded loss hits depends on how the run was scheduled (on a
        // busy machine more messages share a packet), and a run may lose no unreliable DATA
        // at all: then the next seed, a few times at most. A run that reports an unreliable
        // message lost has settled with the sender dry, so a FORWARD-TSN crossed.
        var lossy: ToolRun?
        for seed in 3...8 {
            let attempt = try sctpStreams(["--pcap", pcap, "--keylog", keylog, "--messages", "30", "--loss", "0.1",
                                           "--seed", String(seed), "--interval", "1", "--delay", "0"])
            #expect(attempt.status == 0, "stderr: \(attempt.stderr)")
            if Self.unreliableLost(attempt.stdout) > 0 {
                lossy = attempt
                break
            }
        }
        let run = try #require(lossy, "six runs at 10 % loss and no unreliable message lost")
        // The tool prints the tshark command for this capture; run exactly that, through a shell.
        let printed = try printedCommand(run.stdout)
        let decoded = try shell(printed + " -T fields -e sctp.chunk_type -e sctp.data_sid -e sctp.data_u_bit")
        #expect(decoded.status == 0, "tshark: \(decoded.stderr)")
        let rows = decoded.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let chunkTypes = Set(rows.flatMap { ($0.first ?? "").split(separator: ",").map(String.init) })
        // INIT (1), INIT ACK (2), COOKIE ECHO (10), COOKIE ACK (11), DATA (0), SACK (3), FORWARD TSN (192).
        for type in ["1", "2", "10", "11", "0", "3", "192"] {
            #expect(chunkTypes.contains(type), "chunk type \(type) not decoded; saw \(chunkTypes.sorted())")
        }
        // DATA on the four modes' streams (0, 2, 4, 6), the unordered ones with the U bit.
        // tshark prints stream ids in hex ("0x0002").
        let streams = Set(rows.filter { $0.count > 1 }.flatMap { $0[1].split(separator: ",") }
            .compactMap { Int($0.replacingOccurrences(of: "0x", with: ""), radix: 16) })
        #expect(streams == [0, 2, 4, 6], "DATA stream ids \(streams.sorted())")
        #expect(rows.contains { $0.count > 2 && $0[2].contains("1") }, "no DATA chunk with the U bit")
        let malformed = try shell(printed.replacingOccurrences(of: " -Y sctp", with: " -Y _ws.malformed"))
        #expect(malformed.status == 0 && malformed.stdout.isEmpty, "malformed: \(malformed.stdout)")
        let keys = try String(contentsOfFile: keylog, encoding: .utf8)
        #expect(keys.split(separator: "\n").filter { $0.hasPrefix("CLIENT_RANDOM ") }.count == 1)
    }

    /// Unreliable messages the table reports lost: the `lost` column (the fourth) of the
    /// unreliable rows.
    static func unreliableLost(_ stdout: String) -> Int {
        stdout.split(separator: "\n").filter { $0.hasPrefix("unreliable-") }
            .compactMap { $0.split(separator: " ").dropFirst(3).first.flatMap { Int($0) } }
            .reduce(0, +)
    }

    @Test("the printed command is shell-quoted: it works pasted into bash with a space and a quote in the paths")
    func quotedPaths() throws {
        let directory = Programs.temporaryPath("sctp streams 'quoted' $HOME", "")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try sctpStreams(["--pcap", directory + "/run one.pcap", "--keylog", directory + "/keys 'a'.txt",
                                   "--messages", "2", "--loss", "0", "--delay", "0", "--modes", "reliable-ordered"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let printed = try printedCommand(run.stdout)
        #expect(printed.contains("'"), "nothing quoted: \(printed)")
        let decoded = try shell(printed + " -T fields -e sctp.chunk_type")
        #expect(decoded.status == 0, "bash + tshark: \(decoded.stderr)\n\(printed)")
        let types = Set(decoded.stdout.split(separator: "\n").flatMap { $0.split(separator: ",").map(String.init) })
        #expect(types.isSuperset(of: ["0", "1", "3"]), "decoded chunk types \(types.sorted()) from \(printed)")
    }
}
