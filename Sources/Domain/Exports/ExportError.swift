/// A failure to write an export file (mail merge, slips, MIS import file). Each case names the
/// file and carries the system's or the library's error text.
public enum ExportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The output folder does not exist and could not be created, or is not a folder.
    case folderUnavailable(path: String, reason: String)
    /// A temporary file next to the destination could not be created.
    case cannotCreate(path: String, reason: String)
    /// Writing the file's content failed in libxlsxwriter or cairo.
    case writeFailed(path: String, reason: String)
    /// The finished file could not be moved into place after the codes were saved.
    case cannotMoveIntoPlace(temporaryPath: String, path: String, reason: String)

    public var description: String {
        switch self {
        case .folderUnavailable(let path, let reason):
            return "cannot use the output folder '\(path)': \(reason); give a folder you can write to with --out"
        case .cannotCreate(let path, let reason):
            return "cannot create the file '\(path)': \(reason); choose a folder you can write to"
        case .writeFailed(let path, let reason):
            return "cannot write the file '\(path)': \(reason); check the free space and try again"
        case .cannotMoveIntoPlace(let temporaryPath, let path, let reason):
            return "the codes were saved, but the file '\(temporaryPath)' could not be renamed to '\(path)': \(reason); rename it by hand"
        }
    }
}
