import Testing
import ToolTestSupport

@Suite("sctp-streams: arguments")
struct SctpStreamsArgumentTests {
    @Test("bad input ends with one line naming the problem and exit code 2", arguments: [
        (["--loss", "2"], "--loss must be within"),
        (["--loss", "lots"], "--loss lots: not a number"),
        (["--modes", "reliable-sometimes"], "unknown mode \"reliable-sometimes\""),
        (["--modes", "reliable-ordered,reliable-ordered"], "appears twice"),
        (["--max-retransmits", "1", "--lifetime", "50"], "exclude each other"),
        (["--size", "8"], "--size must be within 16...67108864"),
        (["--size=-1"], "--size must be within 16..."),
        (["--max-message-size", "0"], "--max-message-size must be within 1...1048576"),
        (["--max-message-size=-5"], "--max-message-size must be within"),
        (["--streams", "0"], "--streams must be within"),
        (["--messages", "0"], "--messages must be within"),
        (["--no-such-option"], "no-such-option"),
    ])
    func badInput(arguments: [String], needle: String) throws {
        let run = try sctpStreams(arguments)
        #expect(run.status == 2, "\(arguments): status \(run.status), stderr \(run.stderr)")
        #expect(run.errorLines.count == 1, "\(arguments): \(run.stderr)")
        #expect(run.errorLines.first?.hasPrefix("sctp-streams: error: ") == true)
        #expect(run.stderr.contains(needle), "\(arguments): \(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test("a train that cannot finish before --timeout ends with exit 5, one error line, and the table so far")
    func timeout() throws {
        let run = try sctpStreams(["--timeout", "0.6", "--messages", "1000", "--modes", "reliable-ordered"])
        #expect(run.status == 5, "status \(run.status), stderr \(run.stderr)")
        #expect(run.errorLines.count == 1 && run.errorLines.first?.hasPrefix("sctp-streams: error: after 0.6 s ") == true,
                "\(run.stderr)")
        #expect(run.stdout.contains("reliable-ordered "))
    }

    @Test("a handshake that cannot finish (90 % loss, 1 s) ends with exit 3 and one line naming DTLS")
    func handshakeFailure() throws {
        let run = try sctpStreams(["--loss", "0.9", "--timeout", "1"])
        #expect(run.status == 3, "status \(run.status), stderr \(run.stderr)")
        #expect(run.errorLines.count == 1 && run.errorLines.first?.contains("DTLS: no handshake within") == true, "\(run.stderr)")
    }

    @Test("an unwritable --pcap ends with exit 1 and one line before anything runs")
    func unwritableCapture() throws {
        let run = try sctpStreams(["--pcap", "/nonexistent-directory/run.pcap"])
        #expect(run.status == 1, "status \(run.status)")
        #expect(run.errorLines == ["sctp-streams: error: cannot write --pcap /nonexistent-directory/run.pcap: "
                                   + "cannot create /nonexistent-directory/run.pcap: No such file or directory"])
        #expect(run.stdout.isEmpty)
    }

    @Test("--help explains the table, gives examples and lists every exit code")
    func help() throws {
        let run = try sctpStreams(["--help"])
        #expect(run.status == 0)
        for needle in ["head-of-line", "EXAMPLES:", "sctp-streams --loss 0.2", "--pcap s.pcap --keylog s.keys",
                       "EXIT CODES:", "  2   bad arguments", "  6   a promise broken", "  7   SCTP refused --size",
                       "--max-message-size <bytes>"] {
            #expect(run.stdout.contains(needle), "missing \(needle)")
        }
    }
}
