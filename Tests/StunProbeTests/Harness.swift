import Foundation
import Testing
import ToolTestSupport
import Wire
import SocketDriver
import STUN

/// Answers every datagram with whatever `answer` makes of it (nil: stay silent).
/// Lets a test play a broken STUN server on loopback.
struct ScriptedResponder: DatagramEndpoint {
    let answer: ([UInt8]) -> [UInt8]?
    private var outputs: [EndpointOutput<Int>] = []
    private var answered = 0

    init(answer: @escaping ([UInt8]) -> [UInt8]?) { self.answer = answer }

    mutating func handle(_ input: EndpointInput) {
        guard case let .datagram(datagram, _) = input, let reply = answer(datagram.payload) else { return }
        answered += 1
        outputs.append(.transmit(Datagram(from: datagram.destination, to: datagram.source, payload: reply)))
        outputs.append(.event(answered))
    }

    mutating func poll() -> EndpointOutput<Int>? { outputs.isEmpty ? nil : outputs.removeFirst() }
    var nextTimeout: Instant? { nil }
}

enum Probe {
    static func path() throws -> String { try Programs.product("stun-probe") }

    /// Runs stun-probe with `arguments`.
    static func run(_ arguments: [String], timeout: Duration = .seconds(60)) throws -> ToolRun {
        try Programs.run(try path(), arguments, timeout: timeout)
    }

    /// Runs stun-probe against a scripted responder on 127.0.0.1 (its address is the first argument).
    static func run(against answer: @escaping ([UInt8]) -> [UInt8]?, _ arguments: [String]) throws
        -> (result: ToolRun, answered: Int) {
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        let loop = EventLoop()
        var answered = 0
        loop.attach(ScriptedResponder(answer: answer), sockets: [socket]) { count, _ in answered = count }
        let program = try BackgroundProgram(try path(), ["\(socket.localAddress)"] + arguments, input: false, output: .file)
        // The responder has no timers: tick so the loop notices promptly when the probe has exited.
        loop.addTicker(every: .milliseconds(10)) { _ in }
        try loop.run(until: SystemClock.now() + .seconds(30)) { !program.isRunning }
        return (program.finish(timeout: .seconds(5)), answered)
    }

    /// Starts `stun-probe --serve --listen ADDRESS` (port 0) and reads the bound address from its first line.
    static func startServer(listen: String = "127.0.0.1:0", _ extra: [String] = []) throws
        -> (server: BackgroundProgram, address: TransportAddress) {
        let server = try BackgroundProgram(try path(), ["--serve", "--listen", listen] + extra)
        let first = try #require(server.readLine(), "the server printed nothing")
        let text = try #require(first.split(separator: " ").first { $0.contains(":") && $0.last?.isNumber == true },
                                "no address on the first line: \(first)")
        return (server, try TransportAddress(parsing: String(text)))
    }

    /// A Binding success response to `request` (same transaction id), with or without an address.
    static func success(to request: [UInt8], mapped: TransportAddress?, fingerprint: Bool = true) -> [UInt8]? {
        guard let message = try? STUNMessage(parsing: request) else { return nil }
        var response = STUNMessage(type: .bindingSuccess, transactionID: message.transactionID)
        if let mapped { response.append(XORMappedAddress(mapped)) }
        return try? response.encode(fingerprint: fingerprint)
    }
}
