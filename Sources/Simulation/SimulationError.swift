/// The one error type of the Simulation module.
///
/// Every case is API misuse (building an impossible topology, binding an address twice,
/// asking for a host that does not exist): datagrams misbehaving on the simulated wire
/// are never errors, they are drops recorded in the `Trace` with a `DropReason`.
public struct SimulationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of misuse happened.
    public var code: Code
    /// A human-readable explanation naming the offending value.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The kinds of misuse, as an open set of code points.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short machine-friendly name.
        public var name: String
        /// Creates a code.
        public init(_ name: String) { self.name = name }

        /// A host or middlebox name is already taken (names label trace entries).
        public static let duplicateName = Code("duplicate-name")
        /// An IP address is already owned by another node of the same realm.
        public static let addressInUse = Code("address-in-use")
        /// A transport address is already bound by another endpoint.
        public static let portInUse = Code("port-in-use")
        /// The address does not belong to the host the endpoint is attached to.
        public static let addressNotOnHost = Code("address-not-on-host")
        /// No node, host, realm or endpoint has that name or id.
        public static let unknownNode = Code("unknown-node")
        /// An address is owned by several hosts (private realms may reuse addresses).
        public static let ambiguousAddress = Code("ambiguous-address")
        /// Link conditions are out of range (probability outside 0...1, negative delay...).
        public static let invalidConditions = Code("invalid-conditions")
        /// A host or endpoint needs at least one address.
        public static let noAddress = Code("no-address")

        public var description: String { name }
    }

    public var description: String { "\(code): \(reason)" }
}
