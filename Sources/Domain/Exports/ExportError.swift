/// A failure to write an export file (mail merge, slips, MIS import file). Each case names the
/// file and carries the system's or the library's error text.
public enum ExportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The output folder does not exist and could not be created, or is not a folder.
    case folderUnavailable(path: String, reason: String)
    /// The destination exists and is not a regular file: a symbolic link, folder, FIFO, device
    /// or socket. `kind` names which, as in "symbolic link".
    case notRegularFile(path: String, kind: String)
    /// A temporary file next to the destination could not be created.
    case cannotCreate(path: String, reason: String)
    /// Writing the file's content failed in libxlsxwriter or cairo.
    case writeFailed(path: String, reason: String)
    /// The finished file could not be moved into place after the codes were saved. The
    /// temporary file was then deleted, because it contains login codes, unless
    /// `deletionFailure` gives the system's reason why it could not be.
    case cannotMoveIntoPlace(temporaryPath: String, path: String, reason: String, deletionFailure: String?)
    /// A plugin's layout returned a row with a different number of cells from its columns.
    case layoutRowWidth(layout: String, upn: String, cells: Int, columns: Int)

    public var description: String {
        switch self {
        case .folderUnavailable(let path, let reason):
            return "cannot use the output folder '\(path)': \(reason); give a folder you can write to with --out"
        case .notRegularFile(let path, let kind):
            return "cannot write '\(path)': it is a \(kind), and Lanyard replaces only regular files, so nothing was changed; move or remove it, or choose another path"
        case .cannotCreate(let path, let reason):
            return "cannot create the file '\(path)': \(reason); choose a folder you can write to"
        case .writeFailed(let path, let reason):
            return "cannot write the file '\(path)': \(reason); check the free space and try again"
        case .layoutRowWidth(let layout, let upn, let cells, let columns):
            return "layout '\(layout)' returned \(cells) cells for student \(upn) but has \(columns) columns; fix the layout's row function, so nothing was written"
        case .cannotMoveIntoPlace(let temporaryPath, let path, let reason, nil):
            return "the codes were saved, but the file '\(temporaryPath)' could not be renamed to '\(path)': \(reason); the temporary file was deleted because it holds login codes, so fix the cause and run the command again"
        case .cannotMoveIntoPlace(let temporaryPath, let path, let reason, let deletionFailure?):
            return "the codes were saved, but the file '\(temporaryPath)' could not be renamed to '\(path)': \(reason); it could not be deleted either (\(deletionFailure)), and it holds login codes, so delete it by hand"
        }
    }
}
