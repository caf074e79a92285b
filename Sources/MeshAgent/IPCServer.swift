import Foundation
import Wire
import MeshProtocol
import NIOCore
import NIOPosix

/// The sidecar's end of the agent ↔ sidecar socket: a Unix-domain socket that
/// serves ONE agent (as chatixia's sidecar does) in JSON lines `{"type","payload"}`.
///
/// Reading: the agent's bytes go through `IPCLineFramer` (bounded lines), each line
/// through `IPCCommand.parse`; a line that is too large, not UTF-8 or not a command
/// is answered with an `error` event (codes `too_large`, `bad_command`) and the
/// connection stays up, where chatixia logs and drops it.
///
/// Writing: events (`deliver`) wait in an `IPCOutboundQueue`, bounded, and a writer
/// task hands them to NIO, whose writes suspend while the socket is not writable.
/// So an agent that stops reading costs at most the queue's bound plus the kernel's
/// socket buffer and NIO's high-water mark; past it events are dropped and reported.
/// Events delivered before the agent connects wait in the same queue.
public final class IPCServer: Sendable {
    /// Limits of one server.
    public struct Configuration: Hashable, Sendable {
        /// The longest command line accepted (bytes).
        public var maxLineBytes: Int
        /// The bound on events waiting for the agent.
        public var queueLimits: IPCOutboundQueue.Limits

        /// Defaults: `IPCCommand.defaultMaxBytes` per line, 1024 events or 1 MiB queued.
        public init(maxLineBytes: Int = IPCCommand.defaultMaxBytes,
                    queueLimits: IPCOutboundQueue.Limits = IPCOutboundQueue.Limits()) {
            self.maxLineBytes = maxLineBytes
            self.queueLimits = queueLimits
        }
    }

    /// Answers one command with the events that go back to the agent (often none).
    public typealias CommandHandler = @Sendable (IPCCommand) async -> [IPCEvent]

    /// The socket's path.
    public let path: String
    /// The private directory made for the socket (removed on `close`), or nil for a given path.
    public let privateDirectory: String?
    /// The limits in force.
    public let configuration: Configuration
    private let listener: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
    private let outbox: Locked<IPCOutboundQueue>
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let closed = Locked(false)

    private init(path: String, privateDirectory: String?, configuration: Configuration,
                 listener: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>) {
        self.path = path
        self.privateDirectory = privateDirectory
        self.configuration = configuration
        self.listener = listener
        outbox = Locked(IPCOutboundQueue(limits: configuration.queueLimits))
        // One pending wake-up is enough: the writer drains the whole queue on each.
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Creates the socket and listens. With `path`, the socket is made there (a stale
    /// socket file is replaced, any other file is refused: chatixia's client unlinks the
    /// path itself before it starts the sidecar); without, in a new private directory
    /// (mode 0700) under the temporary directory, so no other user can predict or
    /// reach it. The socket itself is always mode 0600.
    public static func bind(path: String? = nil, configuration: Configuration = Configuration(),
                            group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws(IPCServerError) -> IPCServer {
        var directory: String?
        let socketPath: String
        if let path {
            socketPath = path
        } else {
            let made = try makePrivateDirectory()
            directory = made
            socketPath = made + "/sidecar.sock"
        }
        // sun_path holds 108 bytes on Linux (104 on macOS), the terminating NUL included.
        guard socketPath.utf8.count < 104 else {
            if let directory { try? FileManager.default.removeItem(atPath: directory) }
            throw IPCServerError("the socket path '\(socketPath)' is too long for a Unix socket (at most 103 bytes)")
        }
        do {
            // No umask games (it is process-wide): the socket is chmod'ed right after bind.
            // In the private directory nobody else can reach it meanwhile; at a given path
            // the directory chosen by the caller protects it (chatixia's fixed /tmp path had nothing).
            let listener = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 4)
                .bind(unixDomainSocketPath: socketPath, cleanupExistingSocketFile: true) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            guard chmod(socketPath, 0o600) == 0 else {
                let reason = String(cString: strerror(errno))
                try? await listener.channel.close()
                throw IPCServerError("cannot chmod 0600 \(socketPath): \(reason)")
            }
            return IPCServer(path: socketPath, privateDirectory: directory, configuration: configuration, listener: listener)
        } catch let error as IPCServerError {
            if let directory { try? FileManager.default.removeItem(atPath: directory) }
            throw error
        } catch {
            if let directory { try? FileManager.default.removeItem(atPath: directory) }
            throw IPCServerError("cannot listen on \(socketPath): \(error)")
        }
    }

    /// Queues one event for the agent; false when the queue was full and it was dropped
    /// (the agent is told how many, once it reads again).
    @discardableResult
    public func deliver(_ event: IPCEvent) -> Bool {
        let queued = outbox.withLock { $0.push(event) }
        wake.yield()
        return queued
    }

    /// Events dropped so far because the agent did not read.
    public var droppedEvents: Int { outbox.withLock { $0.droppedTotal } }

    /// Waits for the agent to connect, then serves it until it disconnects (end of
    /// input, or a broken connection), answering each command with `handler`. Later
    /// connections are refused: one agent per sidecar. Returns when the agent is gone.
    public func serve(_ handler: @escaping CommandHandler) async throws(IPCServerError) {
        let connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            var connections = listener.inbound.makeAsyncIterator()
            guard let first = try await connections.next() else { throw IPCServerError("the socket closed before an agent connected") }
            connection = first
        } catch let error as IPCServerError {
            throw error
        } catch {
            throw IPCServerError("accepting the agent failed: \(error)")
        }
        // One agent only: stop listening (the socket file stays until `close`, as chatixia's does).
        try? await listener.channel.close()
        do {
            try await connection.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await self.writeEvents(to: outbound) }
                    await self.readCommands(from: inbound, handler: handler)
                    group.cancelAll()
                }
            }
        } catch {
            // A connection that broke while we wrote to it is an agent that left: the same end.
        }
    }

    /// Stops listening and removes the socket file (and the private directory). Idempotent.
    public func close() async {
        guard closed.withLock({ done in defer { done = true }; return !done }) else { return }
        wake.finish()
        try? await listener.channel.close()
        unlink(path)
        if let privateDirectory { rmdir(privateDirectory) }
    }

    /// Reads until end of input; every line is a command or an `error` event.
    private func readCommands(from inbound: NIOAsyncChannelInboundStream<ByteBuffer>, handler: CommandHandler) async {
        var framer = IPCLineFramer(maxLineBytes: configuration.maxLineBytes)
        do {
            for try await buffer in inbound {
                for output in buffer.withUnsafeReadableBytes({ framer.feed($0) }) {
                    await handle(output, handler: handler)
                }
            }
        } catch {
            // Reset by the peer: treated as the end of input.
        }
        for output in framer.finish() { await handle(output, handler: handler) }
    }

    private func handle(_ output: IPCLineFramer.Output, handler: CommandHandler) async {
        switch output {
        case let .line(text):
            do {
                let command = try IPCCommand.parse(text, maxBytes: configuration.maxLineBytes)
                for event in await handler(command) { deliver(event) }
            } catch {
                deliver(.error(code: "bad_command", message: error.description))
            }
        case let .tooLarge(size, limit):
            deliver(.error(code: "too_large", message: "line of at least \(size) bytes is over the \(limit)-byte limit; discarded"))
        case let .invalidUTF8(size):
            deliver(.error(code: "bad_command", message: "line of \(size) bytes is not UTF-8"))
        }
    }

    /// Drains the queue on every wake-up; each write suspends while the agent is not reading.
    private func writeEvents(to outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        for await _ in wakeups {
            while let line = outbox.withLock({ $0.pop() }) {
                var buffer = ByteBuffer()
                buffer.reserveCapacity(line.utf8.count + 1)
                buffer.writeString(line)
                buffer.writeInteger(UInt8(ascii: "\n"))
                try await outbound.write(buffer)
            }
        }
    }

    /// A fresh directory only we can enter: `<tmp>/datachannel-chat-XXXXXX`, mode 0700 (mkdtemp).
    private static func makePrivateDirectory() throws(IPCServerError) -> String {
        var base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/datachannel-chat-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw IPCServerError("cannot create a private directory in \(base): \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: made)
        // mkdtemp asks for 0700 but the umask may take bits away; say it outright.
        guard chmod(directory, 0o700) == 0 else {
            rmdir(directory)
            throw IPCServerError("cannot chmod 0700 \(directory): \(String(cString: strerror(errno)))")
        }
        return directory
    }
}

/// The IPC socket could not be created or served (one line for the user).
public struct IPCServerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
