import Foundation
import Testing

/// Input handling: standard input, and one clear line plus a documented exit
/// code for each way the input can be wrong.
@Suite("ice-check sdp input and errors")
struct SDPInputErrorTests {
    @Test("- reads the description from standard input and reports the same facts")
    func standardInput() throws {
        let fixture = IceCheck.fixture("chromium-offer.sdp")
        let fromFile = try IceCheck.run(["sdp", fixture, "--json"])
        let piped = try IceCheck.run(["sdp", "-", "--json"], stdinFile: fixture)
        #expect(piped.status == 0)
        #expect(try piped.json()["source"] as? String == "<stdin>")
        // Sorted keys: the two reports differ only in the source line.
        let sourceLine = "\"source\" : \"\(fixture)\""
        #expect(fromFile.stdout.contains(sourceLine))
        #expect(piped.stdout == fromFile.stdout.replacingOccurrences(of: sourceLine, with: "\"source\" : \"<stdin>\""))
        let human = try IceCheck.run(["sdp", "-"], stdinFile: fixture)
        #expect(human.stdout.hasPrefix("<stdin>: 19 lines (CRLF)"))
        #expect(human.stdout.contains("Candidate #1: host 192.0.2.10:57963 udp"))
    }

    @Test("a malformed candidate exits 4 with one line naming its line number")
    func malformed() throws {
        let text = try String(contentsOfFile: IceCheck.fixture("chromium-offer.sdp"), encoding: .utf8)
            .replacingOccurrences(of: "udp 2113939711", with: "udp notanumber")
        let path = try IceCheck.temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try IceCheck.run(["sdp", path])
        #expect(run.status == 4)
        #expect(run.stdout.isEmpty)
        #expect(run.errorLines.count == 1)
        let line = try #require(run.errorLines.first)
        #expect(line.hasPrefix("ice-check: error: "))
        #expect(line.contains("line 11"), "\(line)")
        #expect(line.contains("malformedCandidate"))
    }

    @Test("text that is not SDP at all exits 4 too, naming line 1", arguments: [false, true])
    func notSDP(viaStdin: Bool) throws {
        let path = try IceCheck.temporaryFile("hello, this is not a session description\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = viaStdin ? try IceCheck.run(["sdp", "-"], stdinFile: path) : try IceCheck.run(["sdp", path])
        #expect(run.status == 4)
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.contains("line 1") == true)
    }

    @Test("bytes that are not UTF-8 text exit 4 with one line")
    func notText() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ice-check-\(UUID().uuidString).sdp")
        try Data([0x76, 0x3D, 0x30, 0x0A, 0xFF, 0xFE, 0x0A]).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let run = try IceCheck.run(["sdp", url.path])
        #expect(run.status == 4)
        #expect(run.errorLines == ["ice-check: error: \(url.path) is not an SDP: it is not UTF-8 text"])
    }

    @Test("a missing file exits 3 with one line")
    func missingFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).sdp").path
        let run = try IceCheck.run(["sdp", path])
        #expect(run.status == 3)
        #expect(run.stdout.isEmpty)
        #expect(run.errorLines == ["ice-check: error: cannot read \(path): no such file"])
        let directory = try IceCheck.run(["sdp", FileManager.default.temporaryDirectory.path])
        #expect(directory.status == 3)
        #expect(directory.errorLines.count == 1)
    }

    @Test("valid SDP a DataChannel cannot use is still explained, then exits 5")
    func unusable() throws {
        let text = try String(contentsOfFile: IceCheck.fixture("chromium-offer.sdp"), encoding: .utf8)
            .replacingOccurrences(of: "a=ice-ufrag:L2h2\r\n", with: "")
        let path = try IceCheck.temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try IceCheck.run(["sdp", path])
        #expect(run.status == 5)
        #expect(run.stdout.contains("Candidate #1: host 192.0.2.10:57963 udp"))
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.contains("ice-ufrag") == true)
        let json = try IceCheck.run(["sdp", path, "--json"])
        #expect(json.status == 5)
        #expect((try json.json()["datachannel"] as? [String: Any])?["usable"] as? Bool == false)
    }

    @Test("--help documents the exit codes; a missing FILE is a usage error (2)")
    func helpAndUsage() throws {
        let help = try IceCheck.run(["sdp", "--help"])
        #expect(help.status == 0)
        for fragment in ["EXIT CODES", "3   the input cannot be read", "4   the input is not valid SDP", "5   valid SDP, but"] {
            #expect(help.stdout.contains(fragment), "\(fragment)")
        }
        let root = try IceCheck.run(["--help"])
        #expect(root.stdout.contains("sdp FILE|-"))
        let usage = try IceCheck.run(["sdp"])
        #expect(usage.status == 2)
        #expect(usage.errorLines.count == 1)
    }
}
