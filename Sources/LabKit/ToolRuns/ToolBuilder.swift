import Foundation

/// Builds the lab's tools from the student's checkout: `swift build --product TOOL` in the
/// repository root, which compiles exercises/ (the `Exercises` target) into the tool.
///
/// Why the repository and not the grading workspace: a tool needs the whole stack (ICE,
/// DTLS, SCTP, the PeerConnection), which only the real package has. The default scratch
/// path is the repository's `.build`, the one `swift build` uses, so a student who built
/// the tools for the lessons pays only for recompiling their exercises and relinking.
public struct ToolBuilder: Sendable {
    /// The repository to build.
    public let repository: LabRepository
    /// SwiftPM's scratch path (default `<root>/.build`).
    public let scratchPath: String
    /// Time limit of one product's build (a first build of the stack takes minutes).
    public var timeout: Duration = .seconds(1800)

    /// A builder for `repository` using `scratchPath` (nil: the repository's `.build`).
    public init(repository: LabRepository, scratchPath: String? = nil) {
        self.repository = repository
        self.scratchPath = URL(fileURLWithPath: scratchPath ?? repository.root + "/.build").standardizedFileURL.path
    }

    /// Where the built products land.
    public var binaries: String { scratchPath + "/debug" }

    /// How building one product went.
    public struct Build: Sendable {
        /// The product.
        public var product: String
        /// True when `binaries/product` was built from the current sources.
        public var succeeded: Bool
        /// Wall time of `swift build`.
        public var duration: Duration
        /// For a failed build: the compiler's first errors (or the build's last lines).
        public var errors: [String]
    }

    /// Builds `product`; never throws for compile errors (those are in the result).
    public func build(_ product: String) -> Build {
        let arguments = ["swift", "build", "--package-path", repository.root, "--scratch-path", scratchPath, "--product", product]
        let outcome: ChildOutcome
        do {
            outcome = try ChildProcess.run(arguments, environment: SubmissionGrader.childEnvironment, timeout: timeout)
        } catch {
            return Build(product: product, succeeded: false, duration: .zero, errors: ["\(error)"])
        }
        let log = outcome.stdout + outcome.stderr
        if outcome.termination == .exited(0), FileManager.default.isExecutableFile(atPath: binaries + "/" + product) {
            return Build(product: product, succeeded: true, duration: outcome.duration, errors: [])
        }
        var errors = Self.errors(in: log, root: repository.root)
        if case .timedOut(let limit) = outcome.termination {
            errors.insert("the build did not finish within \(Format.seconds(limit))", at: 0)
        }
        if errors.isEmpty {
            errors = ["swift build failed (\(outcome.termination)): "
                      + log.split(separator: "\n").suffix(3).joined(separator: " | ")]
        }
        return Build(product: product, succeeded: false, duration: outcome.duration, errors: Array(errors.prefix(5)))
    }

    /// "exercises/09-stun-transaction/StunTransaction.swift:12:5: error: …", deduplicated, root prefix removed.
    static func errors(in log: String, root: String) -> [String] {
        var seen = Set<String>()
        return log.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("/") && $0.contains(": error: ") }
            .map { $0.replacingOccurrences(of: root + "/", with: "") }
            .filter { seen.insert($0).inserted }
    }
}
