/// An error from writing a CSV file. Each case names the destination and carries the system's
/// error text.
public enum CSVWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be created or truncated.
    case cannotCreate(path: String, reason: String)
    /// Writing to the destination failed, for example on a full disk.
    case writeFailed(destination: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreate(let path, let reason):
            return "cannot create the CSV file '\(path)': \(reason); choose a folder you can write to"
        case .writeFailed(let destination, let reason):
            return "cannot write the CSV file '\(destination)': \(reason); check the free space and try again"
        }
    }
}
