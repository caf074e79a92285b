// ExerciseChecks: the graded checks of every exercise, as pure Swift.
//
// Theory of operation: a check is data (`CheckDescriptor`: id, exercise, points, title,
// RFC rule) plus a body that calls the student's code through the exercise protocols of
// ExerciseInterfaces and answers pass, or fail with input / expected / actual / rule.
// The descriptors are static so the lab can list and zero-score checks of a submission
// that does not even compile; the bodies are built generically over the exercise types
// (`CheckSuite.checks(protocolStack:...:debugByLayer:)`) so the
// same checks run in-process on `Solutions` in the tests and on a student's `Exercises`
// inside `exercise-runner`.
//
// Bodies never trap on wrong answers: every byte access is bounds-checked, because a
// student's short output must produce a readable failure, not a crash blamed on them.
// Isolation against the student's own traps and hangs is the runner's job (one process
// per check, see LabKit).
import ExerciseInterfaces

/// All checks of all exercises.
public enum CheckSuite {
    /// Every check's description, in grading order; available without any student code.
    public static let catalog: [CheckDescriptor] =
        ProtocolStackChecks.descriptors + BindingRequestChecks.descriptors + XORMappedAddressChecks.descriptors
            + CandidatePriorityChecks.descriptors + SDPReadingChecks.descriptors + DTLSFingerprintChecks.descriptors
            + DeliveryModeChecks.descriptors + DCEPOpenChecks.descriptors + MeshCostChecks.descriptors
            + StunTransactionChecks.descriptors + IceChecklistChecks.descriptors + DCEPChannelChecks.descriptors
            + StreamReceiveChecks.descriptors + DebugByLayerChecks.descriptors

    /// Every check, bound to the given exercise implementations (the student's or the reference).
    public static func checks<
        Stack: ProtocolStackExercise, Coding: STUNCodingExercise, Priority: CandidatePriorityExercise, Reading: SDPReadingExercise,
        Fingerprint: DTLSFingerprintExercise, Modes: DeliveryModeExercise, Open: DCEPOpenExercise, Cost: MeshCostExercise,
        Transaction: StunTransactionExercise, Checklist: IceChecklistExercise, Channel: DCEPChannelExercise,
        Receiver: StreamReceiveExercise, Debugger: DebugByLayerExercise
    >(
        protocolStack: Stack.Type, stunCoding: Coding.Type, candidatePriority: Priority.Type, sdpReading: Reading.Type,
        dtlsFingerprint: Fingerprint.Type, deliveryModes: Modes.Type, dcepOpen: Open.Type, meshCost: Cost.Type,
        stunTransaction: Transaction.Type, iceChecklist: Checklist.Type, dcepChannel: Channel.Type,
        streamReceive: Receiver.Type, debugByLayer: Debugger.Type
    ) -> [ExerciseCheck] {
        ProtocolStackChecks.checks(Stack.self)
            + BindingRequestChecks.checks(Coding.self)
            + XORMappedAddressChecks.checks(Coding.self)
            + CandidatePriorityChecks.checks(Priority.self)
            + SDPReadingChecks.checks(Reading.self)
            + DTLSFingerprintChecks.checks(Fingerprint.self)
            + DeliveryModeChecks.checks(Modes.self)
            + DCEPOpenChecks.checks(Open.self)
            + MeshCostChecks.checks(Cost.self)
            + StunTransactionChecks.checks(Transaction.self)
            + iceChecklistChecks(Checklist.self)
            + dcepChannelChecks(Channel.self)
            + streamReceiveChecks(Receiver.self)
            + DebugByLayerChecks.checks(Debugger.self)
    }

    /// The descriptors of one exercise's checks, in grading order.
    public static func catalog(forExercise exerciseID: String) -> [CheckDescriptor] {
        catalog.filter { $0.exerciseID == exerciseID }
    }
}
