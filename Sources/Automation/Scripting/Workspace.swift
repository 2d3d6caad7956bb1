import Foundation

/// The folder a script may read and write files in. Every path a script gives is resolved
/// inside it: absolute paths, `..` that climbs out, and symbolic links that lead outside are
/// rejected.
public struct Workspace: Sendable {
    /// The workspace's real path, with symbolic links resolved.
    public let root: String

    /// Creates the folder if needed.
    public init(path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        root = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }

    /// The real path of `relative` inside the workspace.
    /// - Throws: ``WorkspaceError`` when the path is absolute or leads outside.
    public func resolve(_ relative: String) throws(WorkspaceError) -> String {
        guard !relative.isEmpty else { throw .outside(relative, root: root) }
        guard !relative.hasPrefix("/") else { throw .absolute(relative, root: root) }

        let joined = URL(fileURLWithPath: root).appendingPathComponent(relative).standardizedFileURL
        // Resolve links of the part that exists, so that a link inside the workspace that
        // points elsewhere is caught.
        var existing = joined
        var missing: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
            missing.insert(existing.lastPathComponent, at: 0)
            existing = existing.deletingLastPathComponent()
        }
        var resolved = existing.resolvingSymlinksInPath()
        for component in missing { resolved.appendPathComponent(component) }
        let path = resolved.standardizedFileURL.path
        guard path == root || path.hasPrefix(root + "/") else { throw .outside(relative, root: root) }
        return path
    }
}

/// A path a script gave that is not inside its workspace.
public enum WorkspaceError: Error, Equatable, CustomStringConvertible {
    case absolute(String, root: String)
    case outside(String, root: String)

    public var description: String {
        switch self {
        case .absolute(let path, let root):
            return "path '\(path)' is absolute; scripts may only use paths relative to the workspace '\(root)' (set it with --workspace)"
        case .outside(let path, let root):
            return "path '\(path)' leads outside the workspace '\(root)'; scripts may only read and write inside it (set it with --workspace)"
        }
    }
}
