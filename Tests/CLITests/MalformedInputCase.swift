import Foundation
import Testing

/// One malformed input for the real `lanyard` binary: the files to write beside a copy of the
/// prepared school's database, the command to run on them, and the message the admin must get.
///
/// A case passes when the command exits with `status`, standard error contains every fragment
/// of `messages`, and every row of every table is as it was before. To cover a new kind of
/// input (plugin manifests, say), add a table of cases in a `MalformedInput*.swift` file and
/// append it to ``MalformedInputCorpus/all``.
struct MalformedInputCase: Sendable, CustomTestStringConvertible {
    /// A sentence naming the input and what is wrong with it; the test's name in reports.
    var name: String
    /// Files written into the case's working folder, paths relative to it.
    var files: [InputFile]
    /// The arguments after `lanyard`.
    var arguments: [String]
    /// The exit status expected, one of ``CLI/ExitCode``'s raw values.
    var status: Int32
    /// Fragments of the exact error text: where the fault is (file and line, key or value)
    /// and what to do.
    var messages: [String]

    var testDescription: String { name }
}

/// A file a case writes before running, as bytes so that invalid encodings can be written.
struct InputFile: Sendable {
    var path: String
    var bytes: [UInt8]

    /// Returns a file with this UTF-8 text.
    static func text(_ path: String, _ text: String) -> InputFile {
        InputFile(path: path, bytes: Array(text.utf8))
    }

    /// Returns a file with exactly these bytes.
    static func bytes(_ path: String, _ bytes: [UInt8]) -> InputFile {
        InputFile(path: path, bytes: bytes)
    }

    /// Writes the file under `folder`, creating the folders on its path.
    func write(into folder: String) throws {
        let url = URL(fileURLWithPath: folder).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }
}

/// Every case, grouped by the kind of input.
enum MalformedInputCorpus {
    static var all: [MalformedInputCase] {
        csvReports + oneRosterBundles + commonTransferFiles + configurationFiles + templates + schedules + selections + scripts
            + pluginManifests
    }
}
