import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The log files of scheduled runs: one file per run holding the child's standard output and
/// standard error, at `<folder>/<schedule>/<scheduled time in UTC>-run<id>.log`.
public enum ScheduleLog {
    /// The bytes read from the end of a log to find its last lines.
    static let tailBytes = 64 * 1024

    /// The path of a run's log file.
    static func path(folder: String, scheduleName: String, scheduledAt: Date, runId: Int) -> String {
        let stamp = Timestamp.format(scheduledAt).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        return (folder as NSString).appendingPathComponent("\(scheduleName)/\(stamp)-run\(runId).log")
    }

    /// Opens (creating it and its folder) a log file for appending, mode 0600 because a script's
    /// output may name pupils.
    ///
    /// - Returns: the open descriptor, which the caller closes.
    /// - Throws: ``SchedulerError/logNotWritable(path:reason:)``.
    static func open(_ path: String) throws(SchedulerError) -> Int32 {
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw .logNotWritable(path: path, reason: error.localizedDescription)
        }
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .logNotWritable(path: path, reason: String(cString: strerror(errno))) }
        return descriptor
    }

    /// The last `count` non-empty lines of a log, oldest first; empty when it cannot be read.
    public static func lastLines(of path: String, count: Int) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > UInt64(tailBytes) ? size - UInt64(tailBytes) : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        var lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        if start > 0, !lines.isEmpty { lines.removeFirst() }
        return Array(lines.filter { !$0.trimmingSpaces().isEmpty }.suffix(count))
    }
}
