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
        // Stream ids are even, so 4 x 200 = 800 streams need ids the association's 1024 streams lack.
        (["--streams", "200"], "--streams 200 x 4 mode(s) = 800 streams, at most 512"),
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
        // 1000 messages 5 ms apart take 5 s; 1.5 s leaves a loaded machine time for DTLS and SCTP to come up
        // (a --timeout striking before that is exit 3 or 4, not 5).
        let run = try sctpStreams(["--timeout", "1.5", "--messages", "1000", "--modes", "reliable-ordered"])
        #expect(run.status == 5, "status \(run.status), stderr \(run.stderr)")
        #expect(run.errorLines.count == 1 && run.errorLines.first?.hasPrefix("sctp-streams: error: after 1.5 s ") == true,
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

    @Test("an unwritable --keylog ends with exit 1 and one line saying why, before anything runs")
    func unwritableKeylog() throws {
        let run = try sctpStreams(["--keylog", "/nonexistent-directory/run.keys"])
        #expect(run.status == 1, "status \(run.status)")
        #expect(run.errorLines == ["sctp-streams: error: cannot write --keylog /nonexistent-directory/run.keys: No such file or directory"])
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
