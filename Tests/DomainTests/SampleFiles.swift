import Foundation
import Testing

/// The real public rostering files kept beside the project in ../shared/samples. They are never
/// copied into the repository, so tests that read them are skipped when the folder is absent.
enum SampleFiles {
    static let root: String = {
        let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let packageRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/samples").path
    }()

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: root) }

    static let skipNote: Comment = "skipped: the real sample files in ../shared/samples are not beside the project"

    static func path(_ relative: String) -> String {
        (root as NSString).appendingPathComponent(relative)
    }
}
