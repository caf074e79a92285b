// Exercise 01 — label the protocol stack.
//
// Your task (details in README.md next to this file):
//   1. layersTopDown(): return all eight StackLayer values, the application first, IP last.
//   2. responsibility(of:): for each layer, return the LayerResponsibility that is its main job.
//      Two of the ten responsibilities belong to no layer of this stack.
// Check your answer with:  lab check 01
import ExerciseInterfaces

/// The WebRTC DataChannel stack, top to bottom, and what each layer is for.
public enum ProtocolStack: ProtocolStackExercise {
    /// Every layer exactly once, from the application down to IP.
    public static func layersTopDown() throws -> [StackLayer] {
        // Replace the next line with something like: return [.application, /* ... */ .ip]
        throw ExerciseError.notImplemented
    }

    /// The main job of `layer`. Replace each `throw` with `return .someResponsibility`.
    public static func responsibility(of layer: StackLayer) throws -> LayerResponsibility {
        switch layer {
        case .application: throw ExerciseError.notImplemented
        case .dataChannel: throw ExerciseError.notImplemented
        case .sctp: throw ExerciseError.notImplemented
        case .dtls: throw ExerciseError.notImplemented
        case .ice: throw ExerciseError.notImplemented
        case .stunTurn: throw ExerciseError.notImplemented
        case .udp: throw ExerciseError.notImplemented
        case .ip: throw ExerciseError.notImplemented
        }
    }
}
