import Foundation
import SDP

/// Reads the committed SDP fixtures (never a live browser: CI needs no Chromium).
enum FixtureLoader {
    /// Every `.sdp` file in Fixtures/, sorted by name.
    static var names: [String] {
        let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".sdp") }.sorted()
    }

    /// The fixture's exact text.
    static func text(_ name: String) throws -> String {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(name)
        return String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }

    /// The fixture parsed.
    static func parse(_ name: String) throws -> SessionDescription {
        try SessionDescription(parsing: text(name))
    }
}
