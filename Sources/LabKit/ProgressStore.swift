import ExerciseChecks
import Foundation

/// The student's progress, as of their last `lab check`, kept in .lab/progress.json
/// (git-ignored, so a student's clone stays clean and nothing leaks into a hand-in).
public struct LabProgress: Codable, Equatable, Sendable {
    /// The last check of one exercise.
    public struct Entry: Codable, Equatable, Sendable {
        /// Points earned.
        public var earned: Int
        /// Points available.
        public var possible: Int
        /// When it was checked.
        public var checkedAt: Date
        /// Ids of the checks that passed.
        public var passed: [String]
        /// Ids of the checks that did not.
        public var failed: [String]
        /// Why nothing ran, when the exercises did not compile.
        public var buildFailure: String?
    }

    /// By exercise folder name.
    public var exercises: [String: Entry] = [:]

    /// Empty progress.
    public init() {}

    /// Records the outcome of `report` for every exercise it covered.
    public mutating func record(_ report: SubmissionReport, at date: Date) {
        let buildFailure: String?
        if case .failed(let reason) = report.build { buildFailure = reason } else { buildFailure = nil }
        for exercise in Set(report.results.map(\.exercise)) {
            let results = report.results(forExercise: exercise)
            exercises[exercise] = Entry(
                earned: results.reduce(0) { $0 + $1.earned }, possible: results.reduce(0) { $0 + $1.points },
                checkedAt: date, passed: results.filter(\.passed).map(\.id),
                failed: results.filter { !$0.passed }.map(\.id), buildFailure: buildFailure)
        }
    }
}

/// Reads and writes the lab's per-student state files under .lab/.
public struct LabStateStore: Sendable {
    /// The .lab directory.
    public let directory: String

    /// The state of `repository`.
    public init(repository: LabRepository) { directory = repository.stateDirectory }

    /// State kept in `directory` (tests, or a custom location).
    public init(directory: String) { self.directory = directory }

    /// The last recorded progress (empty before the first `lab check`).
    public func loadProgress() throws -> LabProgress {
        try load(LabProgress.self, "progress.json") ?? LabProgress()
    }

    /// Saves `progress`.
    public func save(_ progress: LabProgress) throws { try save(progress, "progress.json") }

    /// How many hints of each exercise the student has revealed.
    public func loadRevealedHints() throws -> [String: Int] {
        try load([String: Int].self, "hints.json") ?? [:]
    }

    /// Saves the revealed-hint counts.
    public func saveRevealedHints(_ counts: [String: Int]) throws { try save(counts, "hints.json") }

    private func load<T: Decodable>(_ type: T.Type, _ name: String) throws -> T? {
        let path = directory + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(type, from: data) } catch {
            throw LabError(.io, "\(path) is damaged (\(error.localizedDescription)); delete it to start over")
        }
    }

    private func save<T: Encodable>(_ value: T, _ name: String) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try encoder.encode(value).write(to: URL(fileURLWithPath: directory + "/" + name), options: .atomic)
        } catch {
            throw LabError(.io, "cannot write \(directory)/\(name): \(error.localizedDescription)")
        }
    }
}
