import Testing
import Wire

@Suite("FIFO")
struct FIFOTests {
    @Test("read while filled: order and count hold across the compactions, and a drained queue pops nil")
    func interleaved() {
        var queue = FIFO<Int>()
        var next = 0
        var expected = 0
        // Three in, two out, many times: the queue never drains, so only the
        // half-read compaction keeps its storage from holding what was read.
        for _ in 0..<2000 {
            for _ in 0..<3 { queue.append(next); next += 1 }
            for _ in 0..<2 {
                #expect(queue.pop() == expected)
                expected += 1
            }
        }
        #expect(queue.count == next - expected)
        while let value = queue.pop() {
            #expect(value == expected)
            expected += 1
        }
        #expect(expected == next && queue.isEmpty && queue.pop() == nil)
    }
}
