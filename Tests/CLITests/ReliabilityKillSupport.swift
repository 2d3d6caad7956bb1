import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// When to send SIGKILL to a command that writes in one transaction.
enum KillPoint: CustomStringConvertible, Sendable {
    /// After this fraction of the wall time that an uninterrupted run took.
    case elapsed(Double)
    /// As soon as the write-ahead log grows, that is when SQLite starts writing the
    /// transaction's pages. That happens at the commit, or earlier when the page cache spills.
    case walFirstWritten
    /// Once the write-ahead log has grown to half the bytes an uninterrupted run wrote to it. For
    /// a transaction whose pages fit in the page cache, that is the middle of the commit.
    case walHalfWritten

    var description: String {
        switch self {
        case .elapsed(let fraction): return "at \(Int(fraction * 100))% of the run time"
        case .walFirstWritten: return "at the first write to the WAL"
        case .walHalfWritten: return "with the WAL half written"
        }
    }
}

/// What a killed run left in the database.
enum KilledRunState: Equatable, CustomStringConvertible {
    /// Exactly the rows and schema from before the run.
    case unchanged
    /// The schema of an uninterrupted run, and in each table as many rows removed and added
    /// (a row changed in place counts once each way) as an uninterrupted run changes. The rows
    /// themselves cannot be compared, because each run makes new random codes and timestamps.
    case fullyApplied
    /// Neither: the tables named differ from the state before the run.
    case partial([String])

    var description: String {
        switch self {
        case .unchanged: return "unchanged"
        case .fullyApplied: return "fully applied"
        case .partial(let differences): return "partly applied (\(differences.joined(separator: "; ")))"
        }
    }
}

/// One killed run and what it left.
struct KillAttempt: CustomStringConvertible {
    var point: KillPoint
    /// False when the run finished before the kill point came, so no signal was sent.
    var killed: Bool
    var secondsBeforeKill: Double
    var walBytesAtKill: Int
    var state: KilledRunState
    /// The result of `PRAGMA integrity_check`, "ok" for a sound file.
    var integrity: String
    /// `lanyard users count` on the file the killed run left.
    var reopened: LanyardProcess.Result

    var description: String {
        String(
            format: "%@: killed after %.2f s with %d WAL bytes, %@", point.description, secondsBeforeKill, walBytesAtKill, state.description
        )
    }
}

/// Runs one `lanyard` command against the same starting database again and again: once to the
/// end, to learn its run time and the state it leaves, then killed with SIGKILL at chosen
/// points. The database file is put back to its starting state before every run.
final class TransactionKillHarness {
    let folder: WorkFolder
    let arguments: [String]
    let database: String
    /// A copy of the starting state, with its WAL checkpointed into it.
    private let startingCopy: String
    let before: DatabaseSnapshot
    private(set) var after: DatabaseSnapshot?
    private(set) var fullRunSeconds = 0.0
    /// The largest size the WAL reached in the uninterrupted run, as sampled every half
    /// millisecond.
    private(set) var fullRunWALBytes = 0

    /// Takes the current lanyard.db in `folder` as the starting state.
    init(folder: WorkFolder, arguments: [String]) throws {
        self.folder = folder
        self.arguments = arguments
        database = folder.path + "/lanyard.db"
        startingCopy = folder.path + "/starting-state.db"
        _ = try SQLiteShell.run(database, "PRAGMA wal_checkpoint(TRUNCATE)")
        try FileManager.default.copyItem(atPath: database, toPath: startingCopy)
        before = try DatabaseSnapshot(path: database)
    }

    /// Puts the database back to the starting state, removing any WAL and shared-memory file.
    func restore() throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: database + suffix) {
            try FileManager.default.removeItem(atPath: database + suffix)
        }
        try FileManager.default.copyItem(atPath: startingCopy, toPath: database)
    }

    var walBytes: Int {
        var status = stat()
        return stat(database + "-wal", &status) == 0 ? Int(status.st_size) : 0
    }

    // MARK: - Runs

    /// Runs the command to the end from the starting state, and records its time, the WAL's
    /// largest size and the state it leaves.
    ///
    /// - Throws: when the command fails.
    func runToEnd() throws {
        try restore()
        let started = Date()
        let run = try BackgroundLanyard(arguments, in: folder)
        var largest = 0
        while run.process.isRunning {
            largest = max(largest, walBytes)
            usleep(500)
        }
        fullRunSeconds = Reliability.seconds(since: started)
        fullRunWALBytes = largest
        try #require(run.process.terminationStatus == 0, "lanyard \(arguments.joined(separator: " ")) failed: \(run.errorText)")
        after = try DatabaseSnapshot(path: database)
    }

    /// Runs the command from the starting state and kills it at `point`. Call ``runToEnd()``
    /// first, because the kill points are judged against that run.
    func kill(at point: KillPoint) throws -> KillAttempt {
        try restore()
        let started = Date()
        let run = try BackgroundLanyard(arguments, in: folder)

        // Wait for the kill point
        switch point {
        case .elapsed(let fraction):
            let deadline = started.addingTimeInterval(fullRunSeconds * fraction)
            while run.process.isRunning, Date() < deadline { usleep(500) }
        case .walFirstWritten:
            while run.process.isRunning, walBytes == 0 { usleep(200) }
        case .walHalfWritten:
            let half = max(1, fullRunWALBytes / 2)
            while run.process.isRunning, walBytes < half { usleep(200) }
        }
        let walAtKill = walBytes
        let killed = run.killAbruptly()
        let seconds = Reliability.seconds(since: started)

        // Lanyard opens the file first and recovers from the WAL it left, then the sqlite3 shell reads it
        let reopened = try folder.run(["users", "count", "--where", "status:any"])
        let state = self.state(of: try DatabaseSnapshot(path: database))
        let integrity = try SQLiteShell.run(database, "PRAGMA integrity_check").trimmingCharacters(in: .whitespacesAndNewlines)
        return KillAttempt(
            point: point, killed: killed, secondsBeforeKill: seconds, walBytesAtKill: walAtKill, state: state, integrity: integrity,
            reopened: reopened)
    }

    /// Runs the command to the end once more and returns the state it leaves, which must be
    /// ``KilledRunState/fullyApplied``: a check that ``state(of:)`` recognises a committed run.
    ///
    /// It also keeps the shorter of the two run times as ``fullRunSeconds``, so that a first
    /// run slowed by cold caches does not put the late kill points after the end of later runs.
    func rerunToEnd() throws -> KilledRunState {
        try restore()
        let started = Date()
        let run = try BackgroundLanyard(arguments, in: folder)
        _ = run.waitForExit(seconds: 3_600)
        fullRunSeconds = min(fullRunSeconds, Reliability.seconds(since: started))
        try #require(run.process.terminationStatus == 0, "lanyard \(arguments.joined(separator: " ")) failed: \(run.errorText)")
        return state(of: try DatabaseSnapshot(path: database))
    }

    /// Compares `snapshot` with the starting state and with the uninterrupted run's result.
    func state(of snapshot: DatabaseSnapshot) -> KilledRunState {
        if snapshot == before { return .unchanged }
        if let after, snapshot.schema == after.schema, snapshot.rowChanges(since: before) == after.rowChanges(since: before) {
            return .fullyApplied
        }
        return .partial(before.differences(from: snapshot))
    }

    /// Kills a run at each point and checks that it left either the starting state or the
    /// complete result, a sound file, and a directory `lanyard` opens. Each point is tried up to
    /// three times, because a run can finish before its kill point: between two looks at the
    /// WAL, or sooner than the uninterrupted run when other work shares the processors.
    ///
    /// - Returns: the attempts, for the record.
    @discardableResult
    func checkAllOrNothing(at points: [KillPoint]) throws -> [KillAttempt] {
        try runToEnd()
        try #require(
            after != before, "lanyard \(arguments.joined(separator: " ")) changed nothing, so a kill could not show a partial write")
        #expect(try rerunToEnd() == .fullyApplied, "a second uninterrupted run is not recognised as a complete one")

        var attempts: [KillAttempt] = []
        for point in points {
            var attempt = try kill(at: point)
            var tries = 1
            while !attempt.killed, tries < 3 {
                // The run beat the kill point: take its time as the new estimate of a full run.
                fullRunSeconds = min(fullRunSeconds, attempt.secondsBeforeKill)
                attempt = try kill(at: point)
                tries += 1
            }
            attempts.append(attempt)

            #expect(attempt.killed, "the run finished before the kill point: \(attempt)")
            if case .partial = attempt.state { Issue.record("a killed run left a partial write: \(attempt)") }
            #expect(attempt.integrity == "ok")
            #expect(attempt.reopened.status == 0, "lanyard could not open the directory after \(attempt): \(attempt.reopened.error)")
        }
        return attempts
    }

    /// Returns one line for the record: the full run and each kill.
    func summary(_ attempts: [KillAttempt]) -> String {
        String(format: "%.2f s and %d WAL bytes uninterrupted, %d rows before; ", fullRunSeconds, fullRunWALBytes, before.rowCount)
            + attempts.map(\.description).joined(separator: "; ")
    }
}
