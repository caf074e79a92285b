import DataChannels
import WebRTC

/// A channel's incoming messages with a deadline per wait: the echo client asks
/// for "the next message within N seconds", which an AsyncStream alone cannot do.
actor MessageInbox {
    private var queued: [DataChannelMessage] = []
    private var waiter: CheckedContinuation<DataChannelMessage?, Never>?
    private var finished = false

    /// Starts forwarding `channel.messages` into the inbox.
    init(channel: RTCDataChannel) {
        let messages = channel.messages
        Task { [weak self] in
            for await message in messages { await self?.put(message) }
            await self?.finish()
        }
    }

    private func put(_ message: DataChannelMessage) {
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: message)
        } else {
            queued.append(message)
        }
    }

    private func finish() {
        finished = true
        waiter?.resume(returning: nil)
        waiter = nil
    }

    private func expire() {
        waiter?.resume(returning: nil)
        waiter = nil
    }

    /// The next message, or nil when none arrives within `timeout` or the channel closed.
    func next(timeout: Duration) async -> DataChannelMessage? {
        if !queued.isEmpty { return queued.removeFirst() }
        if finished { return nil }
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            await self?.expire()
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in waiter = continuation }
    }
}
