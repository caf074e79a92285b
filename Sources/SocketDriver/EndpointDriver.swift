import Wire

/// A reference to an endpoint attached to an `EventLoop`, typed by the endpoint
/// so `withEndpoint` hands back the right type without casts.
public struct EndpointHandle<E: DatagramEndpoint> {
    let driver: EndpointDriver<E>
}

/// What the loop needs from an attached endpoint, with its type erased so one
/// loop can hold endpoints of different types (STUN server, ICE agent, DTLS...).
protocol DrivenEndpoint: AnyObject {
    var sockets: [UDPSocket] { get }
    var nextTimeout: Instant? { get }
    func deliver(_ datagram: Datagram, loop: EventLoop, now: Instant)
    func fire(loop: EventLoop, now: Instant)
}

/// Owns one endpoint value and the sockets it speaks through. A class so the
/// loop and every `EndpointHandle` share the one mutable endpoint.
final class EndpointDriver<E: DatagramEndpoint>: DrivenEndpoint {
    var endpoint: E
    let sockets: [UDPSocket]
    let onEvent: (E.Event, Instant) -> Void

    init(endpoint: E, sockets: [UDPSocket], onEvent: @escaping (E.Event, Instant) -> Void) {
        self.endpoint = endpoint
        self.sockets = sockets
        self.onEvent = onEvent
    }

    var nextTimeout: Instant? { endpoint.nextTimeout }

    func deliver(_ datagram: Datagram, loop: EventLoop, now: Instant) {
        endpoint.handle(.datagram(datagram, at: now))
        drain(loop: loop, now: now)
    }

    func fire(loop: EventLoop, now: Instant) {
        endpoint.handle(.timeout(now))
        drain(loop: loop, now: now)
    }

    /// Drains `poll()` until nil. Each output is taken before it is acted on, so an
    /// event closure may re-enter the loop and mutate this endpoint safely.
    func drain(loop: EventLoop, now: Instant) {
        while let output = endpoint.poll() {
            switch output {
            case let .transmit(datagram): loop.transmit(datagram, sockets: sockets, now: now)
            case let .event(event): onEvent(event, now)
            }
        }
    }
}
