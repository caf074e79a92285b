// The invariants every drained action must keep, whatever the input.
import DataChannels
import Wire

struct ActionChecker {
    /// The association's outbound stream count: nothing may be sent or reset beyond it.
    var outboundStreams: UInt16
    /// Streams the registry asked to reset and nobody has answered yet.
    var unansweredResets: [UInt16] = []

    /// Drains `registry`, checking each action and the registry's bookkeeping after.
    @discardableResult
    mutating func drain(_ registry: inout DataChannelRegistry) -> [DataChannelAction] {
        var actions: [DataChannelAction] = []
        while let action = registry.poll() {
            check(action, registry)
            if case let .resetStreams(streams) = action { unansweredResets += streams }
            actions.append(action)
            guard actions.count < 10_000 else { fatalError("poll() never drains") }
        }
        checkBookkeeping(registry)
        return actions
    }

    func check(_ action: DataChannelAction, _ registry: DataChannelRegistry) {
        switch action {
        case let .send(message):
            guard message.stream < outboundStreams, !message.bytes.isEmpty else {
                fatalError("sent \(message.bytes.count) byte(s) on stream \(message.stream) of \(outboundStreams)")
            }
            if message.ppid == .dcep {
                guard message.ordered, message.reliability == .reliable, (try? DCEPMessage(parsing: message.bytes)) != nil else {
                    fatalError("a DCEP message left unordered, unreliable or unparseable: \(Hex.encode(message.bytes))")
                }
            }
        case let .resetStreams(streams):
            guard !streams.isEmpty, streams.allSatisfy({ $0 < outboundStreams }) else {
                fatalError("reset of \(streams) with \(outboundStreams) outbound streams")
            }
        case let .event(.incoming(id, parameters, stream)):
            guard parameters.negotiatedID == nil, parameters.channelType.isKnown, registry.role?.peer.opens(stream: stream) == true,
                  registry.stream(of: id) == stream || registry.state(of: id) != .open else {
                fatalError("an incoming channel with impossible parameters: \(parameters) on \(stream)")
            }
        case let .event(.protocolError(_, error)):
            guard !error.reason.isEmpty else { fatalError("an error without a reason: \(error)") }
        case .event:
            break
        }
    }

    /// Every live channel with a stream is the one the registry finds on that stream,
    /// and no two share one.
    func checkBookkeeping(_ registry: DataChannelRegistry) {
        var seen: Set<UInt16> = []
        for id in registry.channels {
            guard let state = registry.state(of: id), state != .closed else {
                fatalError("\(id) is listed but \(String(describing: registry.state(of: id)))")
            }
            guard let stream = registry.stream(of: id) else {
                guard state == .connecting else { fatalError("\(id) is \(state) without a stream") }
                continue
            }
            guard registry.channel(onStream: stream) == id, seen.insert(stream).inserted else {
                fatalError("stream \(stream) is claimed by \(id) and \(String(describing: registry.channel(onStream: stream)))")
            }
        }
    }
}
