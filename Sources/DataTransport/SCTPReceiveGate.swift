import SCTP

/// A second receiver beside usrsctp that decides which messages reach the
/// application, and in which order (the lab's exercise 12 hook).
///
/// usrsctp still runs the association: it acknowledges, retransmits and keeps the
/// peer's window. The gate sees every SCTP packet DTLS delivers, before usrsctp
/// reads it, and every message usrsctp delivers; the transport reports only what
/// the gate releases. The lab's gate (`ExerciseHooks.ExerciseStreamReceiveGate`)
/// runs a student's reassembly on the packets' DATA chunks and releases a message
/// once both receivers delivered it, in the student's order, so a message the
/// student's code loses or misorders is lost or misordered for the application.
///
/// Called from the transport's one thread only, one gate per transport.
public protocol SCTPReceiveGate: AnyObject, Sendable {
    /// An SCTP packet DTLS delivered, before usrsctp reads it. Returns the messages
    /// released now.
    func packetArrived(_ packet: [UInt8]) -> [SCTPMessage]
    /// usrsctp delivered `message`. Returns the messages released now, in order.
    func usrsctpDelivered(_ message: SCTPMessage) -> [SCTPMessage]
}

/// Makes the `SCTPReceiveGate` of each new transport (a configuration may serve several).
public protocol SCTPReceiveGateFactory: Sendable {
    /// A fresh gate for one transport.
    func makeGate() -> any SCTPReceiveGate
}
