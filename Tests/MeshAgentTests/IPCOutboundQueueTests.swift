import MeshAgent
import MeshProtocol
import Testing

@Suite("IPC outbound queue")
struct IPCOutboundQueueTests {
    private func event(_ index: Int) -> IPCEvent {
        .message(fromPeer: "bob", message: ["type": "n", "payload": .int(Int64(index))])
    }

    private func drain(_ queue: inout IPCOutboundQueue) -> [IPCEvent] {
        var events: [IPCEvent] = []
        while let line = queue.pop() {
            guard let event = try? IPCEvent.parse(line) else {
                Issue.record("queued line is not an event: \(line)")
                continue
            }
            events.append(event)
        }
        return events
    }

    @Test("events come out in order, as their JSON lines")
    func fifo() {
        var queue = IPCOutboundQueue()
        for index in 0..<5 {
            let queued = queue.push(event(index))
            #expect(queued)
        }
        #expect(queue.count == 5)
        #expect(drain(&queue) == (0..<5).map(event))
        #expect(queue.isEmpty)
        #expect(queue.queuedBytes == 0)
    }

    @Test("past the line bound events are dropped; the report comes where the gap is, once")
    func lineBound() {
        var queue = IPCOutboundQueue(limits: .init(maxLines: 3, maxBytes: 1 << 20))
        for index in 0..<10 { queue.push(event(index)) }
        #expect(queue.count == 3)
        #expect(queue.droppedSinceReport == 7)
        // The agent reads one: room again. The next event is preceded by the report.
        #expect(queue.pop() != nil)
        let queued = queue.push(event(10))
        #expect(queued)
        let rest = drain(&queue)
        #expect(rest == [event(1), event(2), IPCOutboundQueue.droppedReport(7), event(10)])
        #expect(queue.droppedTotal == 7)
        #expect(queue.droppedSinceReport == 0)
    }

    @Test("when the mesh goes quiet, the report still comes out once the queue is drained")
    func reportWhenQuiet() {
        var queue = IPCOutboundQueue(limits: .init(maxLines: 2, maxBytes: 1 << 20))
        for index in 0..<5 { queue.push(event(index)) }
        #expect(!queue.isEmpty)
        #expect(drain(&queue) == [event(0), event(1), IPCOutboundQueue.droppedReport(3)])
        #expect(queue.isEmpty)
        #expect(queue.pop() == nil)
    }

    @Test("the byte bound holds: queued bytes never pass it")
    func byteBound() {
        var queue = IPCOutboundQueue(limits: .init(maxLines: 10_000, maxBytes: 4096))
        let big = IPCEvent.message(fromPeer: "bob", message: ["type": "blob", "payload": .string(String(repeating: "z", count: 1000))])
        var accepted = 0
        for _ in 0..<100 where queue.push(big) { accepted += 1 }
        #expect(accepted == 4096 / (big.jsonText.utf8.count + 1))
        #expect(queue.queuedBytes <= 4096)
        #expect(queue.droppedSinceReport == 100 - accepted)
    }

    @Test("a single event larger than the whole byte budget still goes through an empty queue")
    func oversizedSingleEvent() {
        var queue = IPCOutboundQueue(limits: .init(maxLines: 10, maxBytes: 100))
        let big = IPCEvent.message(fromPeer: "bob", message: .string(String(repeating: "q", count: 500)))
        let first = queue.push(big)
        let second = queue.push(event(1))
        #expect(first)
        #expect(!second)
        #expect(drain(&queue) == [big, IPCOutboundQueue.droppedReport(1)])
    }

    @Test("the dropped report is an error event with code dropped and the count")
    func reportShape() throws {
        let line = IPCOutboundQueue.droppedReport(42).jsonText
        let parsed = try JSONValue.parse(line)
        #expect(parsed["type"] == "error")
        #expect(parsed["payload"]?["code"] == "dropped")
        #expect(parsed["payload"]?["message"]?.stringValue?.hasPrefix("42 events dropped") == true)
    }
}
