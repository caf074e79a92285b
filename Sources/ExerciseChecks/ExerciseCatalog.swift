// The exercises the lab knows, by folder name.

/// One exercise: a folder of exercises/ (starter) and solutions/ (reference).
public struct ExerciseInfo: Equatable, Sendable {
    /// Folder name, e.g. "02-stun-coding".
    public let id: String
    /// Human title.
    public let title: String

    /// The two-digit number that prefixes the folder name ("02"), accepted as a short id.
    public var number: String { String(id.prefix(while: { $0 != "-" })) }

    /// Checks of this exercise, in grading order.
    public var checks: [CheckDescriptor] { CheckSuite.catalog(forExercise: id) }

    /// Sum of the points of its checks.
    public var totalPoints: Int { checks.reduce(0) { $0 + $1.points } }
}

/// The list of exercises, in lesson order.
public enum ExerciseCatalog {
    /// Every exercise with at least one check.
    public static let all: [ExerciseInfo] = [
        ExerciseInfo(id: ProtocolStackChecks.exerciseID, title: "Label the protocol stack"),
        ExerciseInfo(id: BindingRequestChecks.exerciseID, title: "STUN coding: Binding request and XOR-MAPPED-ADDRESS"),
        ExerciseInfo(id: CandidatePriorityChecks.exerciseID, title: "ICE candidate and pair priority"),
        ExerciseInfo(id: SDPReadingChecks.exerciseID, title: "Read an SDP offer"),
        ExerciseInfo(id: DTLSFingerprintChecks.exerciseID, title: "DTLS fingerprints and roles"),
        ExerciseInfo(id: DeliveryModeChecks.exerciseID, title: "Delivery modes and SCTP send parameters"),
        ExerciseInfo(id: DCEPOpenChecks.exerciseID, title: "DCEP: encode and decode DATA_CHANNEL_OPEN"),
        ExerciseInfo(id: MeshCostChecks.exerciseID, title: "The cost of setup: a mesh's connections, setup time and amortisation"),
        ExerciseInfo(id: StunTransactionChecks.exerciseID, title: "STUN client transaction: retransmissions and give-up"),
        ExerciseInfo(id: IceChecklistChecks.exerciseID, title: "ICE pair states: forming, ordering, unfreezing a checklist"),
        ExerciseInfo(id: DCEPChannelChecks.exerciseID, title: "DCEP channel state machine: OPEN, ACK, early data, close by reset"),
        ExerciseInfo(id: StreamReceiveChecks.exerciseID, title: "Receive side of a stream: reassembly, ordering, FORWARD-TSN"),
        ExerciseInfo(id: DebugByLayerChecks.exerciseID, title: "Debugging by layer: name the failed layer and quote the evidence"),
    ]

    /// Finds an exercise by folder name ("02-stun-coding") or number ("02", "2").
    public static func find(_ idOrNumber: String) -> ExerciseInfo? {
        if let exact = all.first(where: { $0.id == idOrNumber }) { return exact }
        guard let number = Int(idOrNumber) else { return nil }
        return all.first { Int($0.number) == number }
    }
}
