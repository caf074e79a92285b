import MeshAgent
import MeshProtocol
import Testing

@Suite("IPC line framing")
struct IPCLineFramerTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("lines split across reads, one byte at a time, come out whole and in order")
    func splitReads() {
        var framer = IPCLineFramer(maxLineBytes: 1024)
        let input = bytes("{\"type\":\"list_peers\"}\n{\"type\":\"send\",\"payload\":{}}\n")
        var outputs: [IPCLineFramer.Output] = []
        for byte in input { outputs += framer.feed([byte]) }
        #expect(outputs == [.line("{\"type\":\"list_peers\"}"), .line("{\"type\":\"send\",\"payload\":{}}")])
        #expect(framer.bufferedBytes == 0)
    }

    @Test("several lines in one read, and a line completed by the next read")
    func manyLinesPerRead() {
        var framer = IPCLineFramer(maxLineBytes: 1024)
        #expect(framer.feed(bytes("a\nb\nc")) == [.line("a"), .line("b")])
        #expect(framer.feed(bytes("d\n")) == [.line("cd")])
    }

    @Test("CRLF line endings lose their CR; a CR inside a line stays")
    func crlf() {
        var framer = IPCLineFramer(maxLineBytes: 1024)
        #expect(framer.feed(bytes("one\r\ntwo\r")) == [.line("one")])
        #expect(framer.feed(bytes("\nx\ry\n")) == [.line("two"), .line("x\ry")])
    }

    @Test("empty and blank lines are skipped")
    func blankLines() {
        var framer = IPCLineFramer(maxLineBytes: 1024)
        #expect(framer.feed(bytes("\n\r\n   \n\t\r\nreal\n\n")) == [.line("real")])
    }

    @Test("a last line without a newline is delivered at the end of input")
    func finishFlushes() {
        var framer = IPCLineFramer(maxLineBytes: 1024)
        #expect(framer.feed(bytes("first\nlast")) == [.line("first")])
        #expect(framer.finish() == [.line("last")])
        #expect(framer.finish() == [])
    }

    @Test("a line exactly at the limit passes, with or without CR; one byte more is refused")
    func limitBoundary() {
        var framer = IPCLineFramer(maxLineBytes: 8)
        #expect(framer.feed(bytes("12345678\n")) == [.line("12345678")])
        #expect(framer.feed(bytes("12345678\r\n")) == [.line("12345678")])
        #expect(framer.feed(bytes("123456789\n")) == [.tooLarge(size: 9, limit: 8)])
        #expect(framer.feed(bytes("ok\n")) == [.line("ok")])
    }

    @Test("an oversized line is refused once, discarded up to its newline, and the next line works")
    func oversizedLineIsDiscarded() {
        var framer = IPCLineFramer(maxLineBytes: 100)
        var outputs: [IPCLineFramer.Output] = []
        // 10 MB of one line in 64 KiB reads: the framer never holds more than the limit.
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 65_536)
        for _ in 0..<160 {
            outputs += framer.feed(chunk)
            #expect(framer.bufferedBytes <= 101)
        }
        outputs += framer.feed(bytes("tail\n{\"type\":\"list_peers\"}\n"))
        #expect(outputs.count == 2)
        guard case let .tooLarge(size, limit)? = outputs.first else {
            Issue.record("expected tooLarge first, got \(outputs)")
            return
        }
        #expect(size > 100)
        #expect(limit == 100)
        #expect(outputs.last == .line("{\"type\":\"list_peers\"}"))
    }

    @Test("an oversized line cut off by the end of input is not delivered")
    func oversizedAtEnd() {
        var framer = IPCLineFramer(maxLineBytes: 4)
        #expect(framer.feed(bytes("abcdefgh")) == [.tooLarge(size: 8, limit: 4)])
        #expect(framer.finish() == [])
    }

    @Test("bytes that are not UTF-8 are reported, and framing goes on")
    func invalidUTF8() {
        var framer = IPCLineFramer(maxLineBytes: 64)
        #expect(framer.feed([0x7B, 0xFF, 0xFE, 0x7D, 0x0A] + bytes("ok\n")) == [.invalidUTF8(size: 4), .line("ok")])
    }

    @Test("multi-byte UTF-8 split between reads is reassembled")
    func utf8AcrossReads() {
        var framer = IPCLineFramer(maxLineBytes: 64)
        let text = bytes("héllo ✓\n")
        var outputs: [IPCLineFramer.Output] = []
        for byte in text { outputs += framer.feed([byte]) }
        #expect(outputs == [.line("héllo ✓")])
    }

    @Test("framed lines map to commands; mapping errors are MeshWireErrors")
    func linesToCommands() throws {
        var framer = IPCLineFramer()
        let lines = framer.feed(bytes("""
        {"type":"send","payload":{"target_peer":"bob","message":{"type":"ping","request_id":"r1"}}}
        {"type":"broadcast","payload":{"message":{"type":"hello"}}}
        {"type":"list_peers","payload":{}}
        {"type":"connect","payload":{"target_peer_id":"carol"}}
        {"type":"launch","payload":{}}

        """))
        var commands: [IPCCommand] = []
        var errors: [MeshWireError] = []
        for case let .line(text) in lines {
            do { commands.append(try IPCCommand.parse(text)) } catch { errors.append(error) }
        }
        #expect(commands == [
            .send(targetPeer: "bob", message: MeshMessage(type: "ping", requestID: "r1", payload: .null)),
            .broadcast(message: MeshMessage(type: "hello", payload: .null)),
            .listPeers,
            .connect(peerID: "carol"),
        ])
        #expect(errors.count == 1)
    }
}
