#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wakes the event loop from the SCTP runtime's timer thread: that thread writes
/// one byte, the loop's poll(2) sees the read end readable and drains the
/// transports. A full pipe already means "wake up", so a failed write is harmless.
final class WakePipe: Sendable {
    /// Read end, watched by the loop.
    let readEnd: Int32
    /// Write end, written by `signal()`.
    let writeEnd: Int32

    init() throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw StreamsFailure(.localFailure, "cannot create a pipe: errno \(errno)") }
        readEnd = ends[0]
        writeEnd = ends[1]
        for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Called on any thread.
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Empties the pipe (on the loop's thread).
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }
}
