import Foundation
import LuaRuntime
import Testing

/// Runs `source` and returns the error it must fail with.
func runFailure(
    _ lua: LuaState,
    _ source: String,
    chunkName: String = "test.lua",
    sourceLocation: SourceLocation = #_sourceLocation
) -> LuaError? {
    do {
        let results = try lua.run(source, chunkName: chunkName)
        Issue.record("expected \(chunkName) to fail, but it returned \(results)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// Returns the message of a runtime error, or the description of any other error.
func message(of error: LuaError?) -> String? {
    guard let error else { return nil }
    if case .runtime(let message, _, _) = error { return message }
    return error.description
}

/// A fresh directory under the system's temporary folder, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("lanyard-lua-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `contents` to `relativePath`, creating folders on the way, and returns the full path.
    @discardableResult
    func write(_ relativePath: String, _ contents: String) throws -> String {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
