import MeshProtocol

/// The events waiting for an agent to read them, bounded in lines and bytes, sans-IO.
///
/// chatixia's sidecar queues events for its agent without bound: an agent that
/// stops reading while the mesh keeps talking grows the sidecar until the kernel
/// kills it. Here the queue has a ceiling. Past it, new events are dropped and
/// counted; as soon as there is room again (the agent read something), the next
/// thing the agent sees is one `error` event with code `dropped` saying how many
/// were lost, then whatever came after. Events are never reordered, and the
/// report sits exactly where the gap is.
public struct IPCOutboundQueue: Sendable {
    /// The bounds. The defaults hold about a second of a busy mesh.
    public struct Limits: Hashable, Sendable {
        /// The most lines queued.
        public var maxLines: Int
        /// The most bytes queued (line text plus newline).
        public var maxBytes: Int

        /// `maxLines` lines and `maxBytes` bytes (default 1024 and 1 MiB).
        public init(maxLines: Int = 1024, maxBytes: Int = 1 << 20) {
            self.maxLines = max(1, maxLines)
            self.maxBytes = max(1, maxBytes)
        }
    }

    /// The bounds in force.
    public let limits: Limits
    private var lines: [String] = []
    private var head = 0
    /// Bytes in `lines[head...]`, newlines included.
    public private(set) var queuedBytes = 0
    /// Events dropped since the last `dropped` report was queued.
    public private(set) var droppedSinceReport = 0
    /// Events dropped over the queue's life.
    public private(set) var droppedTotal = 0

    /// An empty queue.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Lines queued.
    public var count: Int { lines.count - head }

    /// True when nothing is queued and no drop is waiting to be reported.
    public var isEmpty: Bool { count == 0 && droppedSinceReport == 0 }

    /// Queues one event; false when it was dropped (the queue is full).
    @discardableResult
    public mutating func push(_ event: IPCEvent) -> Bool {
        push(line: event.jsonText)
    }

    /// Queues one line (without its newline); false when it was dropped.
    @discardableResult
    public mutating func push(line: String) -> Bool {
        let size = line.utf8.count + 1
        // A line larger than the whole byte budget still goes through when the queue is
        // empty: a single mesh message may legitimately be that large.
        guard count < limits.maxLines, queuedBytes + size <= limits.maxBytes || count == 0 else {
            droppedSinceReport += 1
            droppedTotal += 1
            return false
        }
        reportDrops()
        append(line, size: size)
        return true
    }

    /// Takes the oldest line (nil when empty). When the queue runs empty with drops
    /// unreported, the report comes out last, so an agent that reads again always
    /// learns of the gap even if the mesh has gone quiet.
    public mutating func pop() -> String? {
        if count == 0 { reportDrops() }
        guard count > 0 else { return nil }
        let line = lines[head]
        head += 1
        queuedBytes -= line.utf8.count + 1
        if head >= 256, head * 2 >= lines.count {
            lines.removeFirst(head)
            head = 0
        }
        return line
    }

    /// The `error` event reporting `count` dropped events.
    public static func droppedReport(_ count: Int) -> IPCEvent {
        .error(code: "dropped", message: "\(count) event\(count == 1 ? "" : "s") dropped: the agent did not read "
            + "fast enough and the sidecar's queue to it was full")
    }

    /// Queues the report of unreported drops; it may go past the bounds by its own size.
    private mutating func reportDrops() {
        guard droppedSinceReport > 0 else { return }
        let report = Self.droppedReport(droppedSinceReport).jsonText
        droppedSinceReport = 0
        append(report, size: report.utf8.count + 1)
    }

    private mutating func append(_ line: String, size: Int) {
        lines.append(line)
        queuedBytes += size
    }
}
