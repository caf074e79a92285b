import DataChannels
import Wire
import ExerciseInterfaces
import Foundation
import Solutions
import Testing
import ToolTestSupport
import WebRTC
@testable import datachannel_chat

/// The reference solution, with every call counted: proof that the OPENs on the wire
/// really went through the exercise code, not around it.
enum CountedSolution: DCEPOpenExercise {
    static let calls = Locked((encoded: 0, decoded: 0))

    static func encodeOpen(_ open: DCEPOpenFields) throws -> [UInt8] {
        calls.withLock { $0.encoded += 1 }
        return try Solutions.DCEPOpen.encodeOpen(open)
    }

    static func decodeOpen(_ bytes: [UInt8]) throws -> DCEPOpenFields? {
        calls.withLock { $0.decoded += 1 }
        return try Solutions.DCEPOpen.decodeOpen(bytes)
    }

    static func reset() { calls.withLock { $0 = (0, 0) } }
    static var counts: (encoded: Int, decoded: Int) { calls.withLock { $0 } }
}

/// Right fields, priority and reliability parameter written least significant byte first.
enum LittleEndian: DCEPOpenExercise {
    static func encodeOpen(_ open: DCEPOpenFields) throws -> [UInt8] {
        var bytes = try Solutions.DCEPOpen.encodeOpen(open)
        bytes[2...3].reverse()
        bytes[4...7].reverse()
        return bytes
    }

    static func decodeOpen(_ bytes: [UInt8]) throws -> DCEPOpenFields? { try Solutions.DCEPOpen.decodeOpen(bytes) }
}

/// Encodes right, but refuses every OPEN it is given to read.
enum RefusesEverything: DCEPOpenExercise {
    static func encodeOpen(_ open: DCEPOpenFields) throws -> [UInt8] { try Solutions.DCEPOpen.encodeOpen(open) }
    static func decodeOpen(_ bytes: [UInt8]) throws -> DCEPOpenFields? { nil }
}

/// `datachannel-chat echo --use-exercise` on its success path. The tool runs the
/// student's exercise 07 by default, which in this repository is the starter (exit 4,
/// tested in DatachannelChatTests); here the same code path gets the reference solution,
/// in-process, against a real aiortc echo server and against our own server. Serialized:
/// the calls are counted in one place, and the machine has two cores.
@Suite("datachannel-chat echo --use-exercise with the reference solution (solutions/07-dcep-open)", .serialized)
struct UseExerciseTests {
    static let root = Programs.repositoryRoot.path

    /// The client for `url` as `echo URL --use-exercise` builds it, with `exercise` in place of the student's code.
    static func client(_ url: String, exercise: any DCEPOpenExercise.Type) throws -> EchoClient {
        let command = try EchoCommand.parse([url, "--use-exercise", "--json", "--timeout", "60"])
        let codec = try #require(try command.openCodec(exercise: exercise))
        return try command.makeClient(recorder: try Recorder(pcapPath: nil, keylogPath: nil), openCodec: codec)
    }

    /// Every step of a run passed, and the run was complete (six channels, every kind of message).
    static func expectComplete(_ result: EchoResult, _ context: String) {
        #expect(result.ok, "\(context): failed at \(result.step ?? "?"): \(result.error ?? "")")
        #expect(result.steps.allSatisfy { $0.ok }, "\(context): \(result.steps.filter { !$0.ok })")
        #expect(result.steps.filter { $0.step == "open" }.count == 6, "\(context)")
        for step in ["text", "binary", "empty-text", "empty-binary", "burst"] {
            #expect(result.steps.filter { $0.step == step }.count == 6, "\(context): \(step)")
        }
        #expect(result.steps.filter { $0.step == "large" }.count == 2, "\(context)")
    }

    @Test("the check before any packet passes with the solution, and its codec reads and writes like the library's")
    func codecIsTheLibrarys() throws {
        let codec = try DCEPExercise.codec(using: Solutions.DCEPOpen.self)
        for open in DCEPExercise.samples {
            #expect(codec.encode(open) == open.bytes)
            #expect(codec.decode(open.bytes) == open)
        }
        #expect(codec.decode([0x02]) == nil)
        #expect(codec.decode(DataChannelOpen(label: "chat").bytes + [0]) == nil)
    }

    @Test("our client writes its six OPENs with the solution, against a real aiortc echo server: every step passes")
    func againstAiortc() async throws {
        let python = Self.root + "/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw MissingExecutable("aiortc is not installed (\(python) is missing): run scripts/setup.sh")
        }
        let server = try BackgroundProgram(python, [Self.root + "/scripts/interop/aiortc_echo.py", "--serve", "--listen", "127.0.0.1:0"],
                                           input: false)
        defer { _ = server.stop() }
        let url = try Self.offerURL(from: server)
        let client = try Self.client(url, exercise: CountedSolution.self)
        CountedSolution.reset()
        let result = await client.run()
        Self.expectComplete(result, "aiortc server: \(server.stop())")
        #expect(CountedSolution.counts.encoded == 6, "one OPEN per channel, each written by the exercise code")
    }

    @Test("our client and our server, both running the solution in-process: the client writes the OPENs, the server reads them")
    func againstOurServer() async throws {
        let command = try EchoCommand.parse(["--serve", "--listen", "127.0.0.1:0", "--use-exercise", "--idle-timeout", "10"])
        var server = try command.makeServer(recorder: try Recorder(pcapPath: nil, keylogPath: nil),
                                            openCodec: try command.openCodec(exercise: CountedSolution.self))
        let (addresses, announce) = AsyncStream.makeStream(of: String.self)
        server.onListening = { announce.yield($0) }
        let configured = server
        let running = Task { try await configured.run() }
        defer { running.cancel() }
        var iterator = addresses.makeAsyncIterator()
        let address = try #require(await iterator.next())

        let client = try Self.client("http://\(address)/offer", exercise: CountedSolution.self)
        CountedSolution.reset()
        let result = await client.run()
        Self.expectComplete(result, "our server")
        let counts = CountedSolution.counts
        #expect(counts.encoded == 6 && counts.decoded == 6, "six OPENs written and read by the exercise code: \(counts)")
    }

    @Test("a server whose decodeOpen refuses every OPEN opens no channel: the client's first message gets no echo")
    func refusingServer() async throws {
        let command = try EchoCommand.parse(["--serve", "--listen", "127.0.0.1:0", "--use-exercise", "--idle-timeout", "5"])
        let notes = Locked<[String]>([])
        // The check before the run reads the library's bytes back: a decoder that refuses them is caught there...
        #expect(throws: ChatFailure.self) { try command.openCodec(exercise: RefusesEverything.self) }
        // ...and were it not, the server would open no channel, and say why on stderr.
        let codec = DCEPExercise.wrap(RefusesEverything.self, note: { note in notes.withLock { $0.append(note) } })
        var server = try command.makeServer(recorder: try Recorder(pcapPath: nil, keylogPath: nil), openCodec: codec)
        let (addresses, announce) = AsyncStream.makeStream(of: String.self)
        server.onListening = { announce.yield($0) }
        let configured = server
        let running = Task { try await configured.run() }
        defer { running.cancel() }
        var iterator = addresses.makeAsyncIterator()
        let address = try #require(await iterator.next())
        let clientCommand = try EchoCommand.parse(["http://\(address)/offer", "--json", "--timeout", "3"])
        let result = try await clientCommand.makeClient(recorder: try Recorder(pcapPath: nil, keylogPath: nil), openCodec: nil).run()
        // The opener's channels are open once their OPENs are sent (RFC 8832 §6: no waiting for the ACK),
        // so the client only notices when the server, which never created the channel, echoes nothing.
        #expect(result.steps.filter { $0.step == "open" }.count == 6, "\(result.jsonLine)")
        #expect(!result.ok && result.step == "text (reliable)" && result.error?.contains("0 of 1 echoes") == true,
                "\(result.jsonLine)")
        #expect(notes.withLock { $0.contains { $0.contains("your decodeOpen gave nil (no channel)") } })
    }

    @Test("an encoder that writes numbers least significant byte first stops the run before any packet (exit 4)")
    func wrongByteOrderStops() throws {
        do {
            _ = try DCEPExercise.codec(using: LittleEndian.self)
            Issue.record("a little-endian encoder was accepted")
        } catch let failure as ChatFailure {
            #expect(failure.exit == .exerciseFailure && failure.exit.rawValue == 4)
            #expect(failure.message.contains("your encodeOpen(DCEPOpenFields(channelType: 0x00, priority: 256"))
            #expect(failure.message.contains("expected: 03 00 01 00 00 00 00 00 00 08 00 00 72 65 6c 69"))
            #expect(failure.message.contains("actual:   03 00 00 01 00 00 00 00 00 08 00 00 72 65 6c 69"))
            #expect(failure.message.contains("first difference at byte 2 (Priority)"))
        }
    }

    /// The `{"listening":"127.0.0.1:PORT"}` line of a peer's echo server, as an offer URL;
    /// a server silent for 90 s (a starved machine) is killed and the test fails.
    static func offerURL(from server: BackgroundProgram) throws -> String {
        let answered = Locked(false)
        let pid = server.process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + 90) {
            if answered.withLock({ !$0 }) { kill(pid, SIGKILL) }
        }
        defer { answered.withLock { $0 = true } }
        while let line = server.readLine() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let listening = object["listening"] as? String else { continue }
            return "http://\(listening)/offer"
        }
        throw MissingExecutable("the aiortc echo server did not say it listens: \(server.stop())")
    }
}
