import ExerciseChecks
import Foundation

/// A checkout of the lab: where its exercises, sources and per-student state live.
public struct LabRepository: Sendable, Equatable {
    /// Absolute path of the repository root (the directory holding Package.swift).
    public let root: String

    /// Uses `root` as the repository after checking it has what the lab needs.
    public init(root: String) throws {
        let standardized = URL(fileURLWithPath: root).standardizedFileURL.path
        guard Self.looksLikeLab(standardized) else {
            throw LabError(.notInRepository, "\(standardized) is not the lab's repository root (no Package.swift with Sources/ExerciseChecks and exercises/)")
        }
        self.root = standardized
    }

    /// Walks up from `start` (default: the current directory) to the first lab repository root.
    public static func locate(from start: String = FileManager.default.currentDirectoryPath) throws -> LabRepository {
        var directory = URL(fileURLWithPath: start).standardizedFileURL
        while true {
            if looksLikeLab(directory.path) { return try LabRepository(root: directory.path) }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path {
                throw LabError(.notInRepository, "no lab repository found above \(start): run inside your clone of the lab, or pass --root PATH")
            }
            directory = parent
        }
    }

    /// `--root` if given, otherwise the repository found from the current directory.
    public static func resolve(root: String?) throws -> LabRepository {
        try root.map { try LabRepository(root: $0) } ?? locate()
    }

    static func looksLikeLab(_ path: String) -> Bool {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        return manager.fileExists(atPath: path + "/Package.swift")
            && manager.fileExists(atPath: path + "/Sources/ExerciseChecks", isDirectory: &isDirectory) && isDirectory.boolValue
            && manager.fileExists(atPath: path + "/exercises", isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The student's working copy of the exercises.
    public var exercisesDirectory: String { root + "/exercises" }
    /// The reference answers.
    public var solutionsDirectory: String { root + "/solutions" }
    /// Sources of the targets every grading workspace shares with the repository.
    public var sourcesDirectory: String { root + "/Sources" }
    /// Per-student state (progress, revealed hints); git-ignored.
    public var stateDirectory: String { root + "/.lab" }
    /// Default scratch package for building submissions; git-ignored (`.build-*/`).
    public var defaultWorkspaceDirectory: String { root + "/.build-lab/workspace" }

    /// The exercise named by `idOrNumber` ("02", "2" or "02-stun-coding"), or a readable error.
    public func exercise(_ idOrNumber: String) throws -> ExerciseInfo {
        guard let found = ExerciseCatalog.find(idOrNumber) else {
            let known = ExerciseCatalog.all.map { "\($0.number) (\($0.id))" }.joined(separator: ", ")
            throw LabError(.unknownExercise, "no exercise '\(idOrNumber)'; known exercises: \(known)")
        }
        return found
    }
}
