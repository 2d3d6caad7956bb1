/// Brings a database schema up to date, one numbered step at a time.
///
/// The schema version lives in `PRAGMA user_version`. Each migration runs in its own
/// transaction together with the version bump, so a crash leaves the schema at a whole step.
/// Migrations are append-only: never edit one that has shipped, add the next.
public struct Migrator: Sendable {
    public struct Migration: Sendable {
        public let version: Int
        public let sql: String

        public init(version: Int, sql: String) {
            self.version = version
            self.sql = sql
        }
    }

    public let migrations: [Migration]

    public init(_ migrations: [Migration]) {
        precondition(
            migrations.map(\.version) == Array(1...migrations.count),
            "migrations must be numbered 1, 2, 3... without gaps")
        self.migrations = migrations
    }

    /// The version the database is at now.
    public static func currentVersion(of database: Database) throws(DatabaseError) -> Int {
        try database.scalar("PRAGMA user_version")?.intValue ?? 0
    }

    /// Applies the migrations the database has not seen.
    ///
    /// - Throws: ``DatabaseError`` when a migration fails, or when the database is newer than
    ///   this build of Lanyard knows.
    public func migrate(_ database: Database) throws {
        let current = try Self.currentVersion(of: database)
        let latest = migrations.count
        if current > latest {
            throw DatabaseError(
                code: 1,
                message: "database '\(database.path)' has schema version \(current), but this Lanyard "
                    + "knows versions up to \(latest); upgrade Lanyard before using this database")
        }
        for migration in migrations where migration.version > current {
            try database.transaction {
                try database.execute(migration.sql)
                try database.execute("PRAGMA user_version = \(migration.version)")
            }
        }
    }
}
