import Storage

/// The directory's schema, as numbered migrations.
///
/// Times are stored as ISO 8601 text in UTC (`2026-09-01T07:30:00Z`), dates as `YYYY-MM-DD`.
/// Year groups are integers: 0 is Reception, 1 to 13 are the National Curriculum years.
enum Schema {
    static let migrator = Migrator([
        .init(version: 1, sql: version1),
        .init(version: 2, sql: version2),
        .init(version: 3, sql: version3),
        .init(version: 4, sql: Directory.schedulingTables),
        .init(version: 5, sql: Directory.pluginTables),
    ])

    private static let version1 = """
        CREATE TABLE schools (
            id INTEGER PRIMARY KEY,
            source_id TEXT UNIQUE,
            name TEXT NOT NULL,
            dfe_number TEXT UNIQUE,
            sso_provider TEXT NOT NULL DEFAULT 'none'
                CHECK (sso_provider IN ('none', 'google', 'microsoft', 'ldap', 'rm-unify')),
            created_at TEXT NOT NULL
        );

        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            school_id INTEGER NOT NULL REFERENCES schools(id),
            role TEXT NOT NULL CHECK (role IN ('student', 'teacher', 'staff', 'parent')),
            source_id TEXT,
            upn TEXT,
            former_upn TEXT,
            staff_code TEXT,
            admission_number TEXT,
            legal_forename TEXT NOT NULL,
            legal_surname TEXT NOT NULL,
            preferred_forename TEXT,
            preferred_surname TEXT,
            email TEXT,
            year_group INTEGER CHECK (year_group BETWEEN 0 AND 13),
            registration_group TEXT,
            status TEXT NOT NULL DEFAULT 'on-roll' CHECK (status IN ('on-roll', 'left')),
            start_date TEXT,
            date_of_birth TEXT,
            registered INTEGER NOT NULL DEFAULT 0,
            last_login TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX users_by_source_id ON users(school_id, source_id) WHERE source_id IS NOT NULL;
        CREATE UNIQUE INDEX users_by_upn ON users(school_id, upn) WHERE upn IS NOT NULL;
        CREATE UNIQUE INDEX users_by_staff_code ON users(school_id, staff_code) WHERE staff_code IS NOT NULL;
        CREATE INDEX users_by_former_upn ON users(school_id, former_upn) WHERE former_upn IS NOT NULL;
        CREATE INDEX users_by_year ON users(school_id, role, year_group);
        CREATE INDEX users_by_registration_group ON users(school_id, registration_group);
        CREATE INDEX users_by_email ON users(school_id, email COLLATE NOCASE);

        CREATE TABLE parent_links (
            parent_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            relationship TEXT,
            priority INTEGER,
            parental_responsibility INTEGER,
            PRIMARY KEY (parent_id, student_id)
        ) WITHOUT ROWID;
        CREATE INDEX parent_links_by_student ON parent_links(student_id);

        CREATE TABLE credentials (
            id INTEGER PRIMARY KEY,
            school_id INTEGER NOT NULL REFERENCES schools(id),
            student_id INTEGER NOT NULL REFERENCES users(id),
            kind TEXT NOT NULL CHECK (kind IN ('pin', 'parent-code')),
            code TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            max_uses INTEGER NOT NULL,
            uses INTEGER NOT NULL DEFAULT 0,
            voided_at TEXT
        );
        CREATE UNIQUE INDEX credentials_live_code ON credentials(school_id, code) WHERE voided_at IS NULL;
        CREATE UNIQUE INDEX credentials_live_per_student ON credentials(student_id, kind) WHERE voided_at IS NULL;

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            via TEXT NOT NULL,
            user_id INTEGER,
            detail TEXT
        );
        CREATE INDEX audit_log_by_user ON audit_log(user_id);

        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            source TEXT NOT NULL,
            new_count INTEGER NOT NULL,
            updated_count INTEGER NOT NULL,
            unchanged_count INTEGER NOT NULL,
            left_count INTEGER NOT NULL,
            invalid_count INTEGER NOT NULL
        );
        """

    /// The outbox: one row per message, rendered when queued and kept after it is sent.
    ///
    /// `state` moves `queued -> sending -> sent`; a temporary failure moves it back to
    /// `queued` with a later `next_attempt_at`, a permanent one to `failed`. `message` is the
    /// rendered RFC 5322 message, so it contains whatever link or code the message carries.
    private static let version2 = """
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            purpose TEXT NOT NULL,
            user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            sender TEXT NOT NULL,
            recipient TEXT NOT NULL,
            subject TEXT NOT NULL,
            message BLOB NOT NULL,
            message_id TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            sent_at TEXT
        );
        CREATE INDEX outbox_due ON outbox(state, next_attempt_at, id);
        CREATE INDEX outbox_by_user ON outbox(user_id) WHERE user_id IS NOT NULL;
        """

    /// Password links and the passwords set with them.
    ///
    /// A link row stores only the BLAKE2b-256 digest of its token. A live link is one with no
    /// `used_at` and no `voided_at`; a user has at most one live link per purpose, because a new
    /// one voids the old. A link sent in test mode keeps the admin's address in `test_address`
    /// and can never be redeemed. `passwords.hash` is an Argon2id hash in libsodium's string form.
    private static let version3 = """
        CREATE TABLE password_links (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            purpose TEXT NOT NULL CHECK (purpose IN ('first-login', 'recovery')),
            digest BLOB NOT NULL UNIQUE CHECK (length(digest) = 32),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            voided_at TEXT,
            test_address TEXT,
            outbox_id INTEGER REFERENCES outbox(id) ON DELETE SET NULL
        );
        CREATE UNIQUE INDEX password_links_live ON password_links(user_id, purpose)
            WHERE used_at IS NULL AND voided_at IS NULL AND test_address IS NULL;
        CREATE INDEX password_links_by_user ON password_links(user_id, purpose, created_at);

        CREATE TABLE passwords (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            hash TEXT NOT NULL,
            set_at TEXT NOT NULL
        );
        """
}
