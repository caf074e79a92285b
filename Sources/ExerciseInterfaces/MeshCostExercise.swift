// Exercise 08 — the cost of setting up a full mesh, and of spreading that cost over messages.
//
// The source lesson's Exercise 4 asks for arithmetic on paper: how many connections a
// 5-agent full mesh needs, how long setting them up one after another takes, and what a
// setup costs per message once 500 messages share it, next to a 50 ms HTTP request. Here
// the student writes that model as five small functions over plain numbers, so the checks
// can probe its edges (no agents, one agent, no messages, inputs that make no sense) and
// compare it with what `datachannel-chat demo --json` measured on a real mesh. Keep these
// signatures as they are: the checks and `lab check 08`'s live comparison call exactly these.
//
// Conventions every function shares (the README of exercises/08-mesh-cost says why):
// - times are milliseconds, as `Double`; a time must be finite and not negative;
// - counts (agents, messages, setups at once) are `Int`; a count must not be negative;
// - an input that breaks those rules is refused with `ExerciseError.invalidInput`, and so is
//   an answer too large for its type: a model that traps or wraps on a big mesh is wrong;
// - "no answer exists" is a value, not an error: overhead per message over zero messages is nil.

/// Exercise 08: connections, setup time and amortised cost of an agent mesh.
///
/// Implemented by `Exercises.MeshCost` (exercises/08-mesh-cost/MeshCost.swift) and
/// `Solutions.MeshCost`.
public protocol MeshCostExercise {
    /// The number of peer connections in a full mesh of `agents` agents: one per unordered
    /// pair, `agents × (agents − 1) / 2`. 0 for no agent and for a single agent.
    ///
    /// Throws `ExerciseError.invalidInput` for a negative count, and for a mesh whose
    /// connection count does not fit in `Int` (more than 2^32 agents on a 64-bit machine).
    static func connections(agents: Int) throws -> Int

    /// How long setting up the whole mesh takes when the pairs connect one after another and
    /// each takes `perPairMilliseconds`: connections × per-pair time.
    ///
    /// Throws `ExerciseError.invalidInput` for a negative agent count or a per-pair time that
    /// is negative, infinite or NaN (and where `connections(agents:)` would).
    static func sequentialSetupMilliseconds(agents: Int, perPairMilliseconds: Double) throws -> Double

    /// A lower bound on setting up the whole mesh when every agent can run up to
    /// `setupsAtOnce` setups at the same time, each taking `perPairMilliseconds`.
    ///
    /// Every agent takes part in `agents − 1` setups and runs at most `setupsAtOnce` of them
    /// at once, so it needs at least ⌈(agents − 1) / setupsAtOnce⌉ rounds of one per-pair time
    /// each: the bound is that number of rounds × `perPairMilliseconds`. 0 for fewer than two
    /// agents (nothing to set up).
    ///
    /// Throws `ExerciseError.invalidInput` when `setupsAtOnce` is less than 1, and for the
    /// inputs `sequentialSetupMilliseconds` refuses.
    static func parallelSetupLowerBoundMilliseconds(agents: Int, perPairMilliseconds: Double, setupsAtOnce: Int) throws -> Double

    /// One pair's setup spread over the `messages` messages that pair then carries:
    /// `setupMilliseconds / messages`.
    ///
    /// Returns nil for zero messages: a setup that carries nothing has no cost per message.
    /// Throws `ExerciseError.invalidInput` for a negative message count, or a setup time that
    /// is negative, infinite or NaN.
    static func overheadPerMessageMilliseconds(setupMilliseconds: Double, messages: Int) throws -> Double?

    /// The fewest messages after which the setup costs no more per message than a fixed
    /// per-request cost (an HTTP request of `requestMilliseconds`): the smallest M with
    /// setup / M ≤ request, which is ⌈setup / request⌉ (0 when the setup costs nothing).
    ///
    /// Throws `ExerciseError.invalidInput` when `requestMilliseconds` is not a positive finite
    /// number, when the setup time is negative, infinite or NaN, and when the answer does not
    /// fit in `Int`.
    static func breakEvenMessages(setupMilliseconds: Double, requestMilliseconds: Double) throws -> Int
}
