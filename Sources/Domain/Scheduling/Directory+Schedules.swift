import Foundation
import Storage

/// Stored schedules: adding, reading, enabling and removing them.
extension Directory {
    // MARK: - Tables

    /// The scheduling tables, to become a numbered migration of ``Schema``.
    ///
    /// `checked_until` is the instant up to which every scheduled time of the schedule was
    /// handled (run, skipped or recorded as missed), so a scheduler that restarts only looks at
    /// later times. A `schedule_runs` row is inserted before its child process starts, and the
    /// UNIQUE pair `(schedule_id, scheduled_at)` is the claim that keeps a scheduled time from
    /// running twice.
    /// Schema version 4 (see Schema.migrator).
    static let schedulingTables = """
        CREATE TABLE schedules (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            cron TEXT,
            run_at TEXT,
            time_zone TEXT NOT NULL,
            first_date TEXT,
            last_date TEXT,
            script TEXT NOT NULL,
            arguments TEXT NOT NULL DEFAULT '[]',
            overlap TEXT NOT NULL CHECK (overlap IN ('forbid', 'allow', 'replace')),
            catch_up_seconds INTEGER NOT NULL CHECK (catch_up_seconds >= 0),
            enabled INTEGER NOT NULL DEFAULT 1,
            checked_until TEXT NOT NULL,
            created_at TEXT NOT NULL,
            CHECK ((cron IS NULL) <> (run_at IS NULL))
        );

        CREATE TABLE schedule_runs (
            id INTEGER PRIMARY KEY,
            schedule_id INTEGER NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
            scheduled_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            status TEXT NOT NULL
                CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted', 'skipped', 'missed')),
            exit_code INTEGER,
            summary TEXT,
            log_path TEXT,
            process_id INTEGER,
            UNIQUE (schedule_id, scheduled_at)
        );
        CREATE INDEX schedule_runs_by_status ON schedule_runs(status);
        """

    static let scheduleColumns = """
        id, name, cron, run_at, time_zone, first_date, last_date, script, arguments, overlap,
        catch_up_seconds, enabled, checked_until
        """

    // MARK: - Writing

    /// Stores a new schedule, checking that it has a time to run at.
    ///
    /// - Returns: the schedule with its id.
    /// - Throws: ``ScheduleError`` when the name is taken or invalid, the window is backwards, or
    ///   the schedule would never run after now.
    @discardableResult
    public func addSchedule(_ schedule: Schedule) throws -> Schedule {
        try schedule.validate()
        let created = now()
        guard schedule.nextRun(after: created) != nil else {
            throw ScheduleError.neverRuns(name: schedule.name, timing: schedule.timing.description)
        }

        var cron: String?
        var runAt: String?
        switch schedule.timing {
        case .cron(let expression): cron = expression.source
        case .once(let local): runAt = local.description
        }
        let arguments = String(decoding: try JSONEncoder().encode(schedule.arguments), as: UTF8.self)
        return try database.transaction {
            if try database.scalar("SELECT id FROM schedules WHERE name = ?1", [schedule.name]) != nil {
                throw ScheduleError.alreadyExists(name: schedule.name)
            }
            try database.execute(
                """
                INSERT INTO schedules (name, cron, run_at, time_zone, first_date, last_date, script, arguments, overlap,
                    catch_up_seconds, enabled, checked_until, created_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)
                """,
                [
                    schedule.name, cron, runAt, schedule.timeZone.identifier, schedule.firstDate?.description,
                    schedule.lastDate?.description, schedule.script, arguments, schedule.overlap.rawValue,
                    schedule.catchUpSeconds, schedule.enabled, timestamp(created),
                ])
            var stored = schedule
            stored.id = database.lastInsertRowID
            try audit(action: "schedule.add", via: "lanyard schedule add", userId: nil, detail: "\(schedule.name): \(schedule.timing)")
            return stored
        }
    }

    /// Removes a schedule and its run history.
    ///
    /// - Throws: ``ScheduleError/notFound(name:)``.
    public func removeSchedule(named name: String) throws {
        let schedule = try schedule(named: name)
        try database.transaction {
            try database.execute("DELETE FROM schedules WHERE id = ?1", [schedule.id])
            try audit(action: "schedule.remove", via: "lanyard schedule remove", userId: nil, detail: name)
        }
    }

    /// Enables or disables a schedule. Enabling starts from now: times that passed while the
    /// schedule was disabled are not caught up.
    ///
    /// - Throws: ``ScheduleError/notFound(name:)``.
    public func setScheduleEnabled(_ enabled: Bool, named name: String) throws {
        let schedule = try schedule(named: name)
        try database.transaction {
            if enabled, !schedule.enabled {
                try database.execute("UPDATE schedules SET enabled = 1, checked_until = ?2 WHERE id = ?1", [schedule.id, timestamp()])
            } else {
                try database.execute("UPDATE schedules SET enabled = ?2 WHERE id = ?1", [schedule.id, enabled])
            }
            try audit(action: enabled ? "schedule.enable" : "schedule.disable", via: "lanyard schedule", userId: nil, detail: name)
        }
    }

    /// Moves the instant up to which a schedule's times were handled; never moves it back.
    func advanceCheckedUntil(scheduleId: Int, to instant: Date) throws {
        try database.execute(
            "UPDATE schedules SET checked_until = ?2 WHERE id = ?1 AND checked_until < ?2", [scheduleId, timestamp(instant)])
    }

    // MARK: - Reading

    /// Returns every schedule, by name.
    public func schedules() throws -> [Schedule] {
        return try database.query("SELECT \(Self.scheduleColumns) FROM schedules ORDER BY name").map(Self.schedule(row:))
    }

    /// Returns the schedule called `name`.
    ///
    /// - Throws: ``ScheduleError/notFound(name:)``.
    public func schedule(named name: String) throws -> Schedule {
        guard let row = try database.queryRow("SELECT \(Self.scheduleColumns) FROM schedules WHERE name = ?1", [name]) else {
            throw ScheduleError.notFound(name: name)
        }
        return try Self.schedule(row: row)
    }

    /// Returns the instant up to which the schedule's times were handled.
    func checkedUntil(scheduleId: Int) throws -> Date {
        let text = try database.scalar("SELECT checked_until FROM schedules WHERE id = ?1", [scheduleId])?.stringValue
        return text.flatMap(Timestamp.parse) ?? now()
    }

    /// Reads a stored schedule; values were checked when it was added.
    private static func schedule(row: Row) throws -> Schedule {
        let timing: ScheduleTiming
        if let cron = row.string("cron") {
            timing = .cron(try CronExpression(parsing: cron))
        } else {
            timing = .once(try LocalDateTime(parsing: row.string("run_at") ?? ""))
        }
        let arguments = try JSONDecoder().decode([ScheduleArgument].self, from: Data((row.string("arguments") ?? "[]").utf8))
        return Schedule(
            id: row.int("id") ?? 0, name: row.string("name") ?? "", timing: timing,
            timeZone: try Schedule.timeZone(named: row.string("time_zone") ?? ""),
            firstDate: row.string("first_date").flatMap(LocalDate.init(exactly:)),
            lastDate: row.string("last_date").flatMap(LocalDate.init(exactly:)),
            script: row.string("script") ?? "", arguments: arguments,
            overlap: OverlapPolicy(rawValue: row.string("overlap") ?? "") ?? .forbid,
            catchUpSeconds: row.int("catch_up_seconds") ?? Schedule.defaultCatchUpSeconds,
            enabled: (row.int("enabled") ?? 0) != 0)
    }
}
