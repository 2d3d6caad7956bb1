import Foundation
import Storage

/// Login codes: issuing, reading (audited) and regenerating en masse.
extension Directory {
    /// Where a read or a change of codes came from, for the audit log: a command or a script.
    public struct Origin: Sendable, Equatable {
        public var via: String
        public init(_ via: String) { self.via = via }
    }

    // MARK: - Issuing

    /// Gives a student a new code of `kind` that expires at `expiresAt`, voiding their
    /// current one. The code is unique among the school's codes that are not voided.
    @discardableResult
    func issueCode(_ kind: CredentialKind, studentId: Int, schoolId: Int, expiresAt: String, settings: Settings) throws -> String {
        let createdAt = timestamp()
        try database.execute(
            "UPDATE credentials SET voided_at = ?1 WHERE student_id = ?2 AND kind = ?3 AND voided_at IS NULL",
            [createdAt, studentId, kind.rawValue])

        let length = kind == .pin ? settings.pinLength : settings.parentCodeLength
        let maxUses = kind == .pin ? 1 : settings.parentCodeMaxUses
        // A clash is vanishingly rare (1 in 30^6 per live code for a PIN), so retrying is enough.
        for _ in 0..<20 {
            let code = CodeGenerator(length: length, groupSize: nil).generate()
            if try insertCode(code, kind: kind, studentId: studentId, schoolId: schoolId, createdAt: createdAt, expiresAt: expiresAt, maxUses: maxUses) {
                return code
            }
        }
        throw CredentialError.noUniqueCode(kind)
    }

    /// Inserts a code; returns false when it clashes with a live code of the school.
    private func insertCode(
        _ code: String, kind: CredentialKind, studentId: Int, schoolId: Int, createdAt: String, expiresAt: String, maxUses: Int
    ) throws -> Bool {
        do {
            try database.execute(
                """
                INSERT INTO credentials (school_id, student_id, kind, code, created_at, expires_at, max_uses)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                """,
                values: [
                    .integer(Int64(schoolId)), .integer(Int64(studentId)), .text(kind.rawValue), .text(code), .text(createdAt),
                    .text(expiresAt), .integer(Int64(maxUses)),
                ])
            return true
        } catch {
            if error.isConstraintViolation { return false }
            throw error
        }
    }

    /// The expiry for codes made now: `months` months ahead, at the same time of day.
    func expiry(months: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(byAdding: .month, value: months, to: now()) ?? now()
        return timestamp(date)
    }

    /// The creation time and expiries shared by the codes an import issues, worked out once.
    struct FirstCodes {
        let createdAt: String
        let pinExpiry: String
        let parentCodeExpiry: String
        let pin: CodeGenerator
        let parentCode: CodeGenerator
        let parentCodeMaxUses: Int
    }

    func firstCodes(settings: Settings) -> FirstCodes {
        FirstCodes(
            createdAt: timestamp(), pinExpiry: expiry(months: settings.pinLifetimeMonths),
            parentCodeExpiry: expiry(months: settings.parentCodeLifetimeMonths),
            pin: CodeGenerator(length: settings.pinLength, groupSize: nil),
            parentCode: CodeGenerator(length: settings.parentCodeLength, groupSize: 4), parentCodeMaxUses: settings.parentCodeMaxUses)
    }

    /// Gives a student who has no codes yet (new to the directory) a PIN and a parent code.
    func issueFirstCodes(studentId: Int, schoolId: Int, codes: FirstCodes) throws {
        let kinds: [(CredentialKind, CodeGenerator, String, Int)] = [
            (.pin, codes.pin, codes.pinExpiry, 1), (.parentCode, codes.parentCode, codes.parentCodeExpiry, codes.parentCodeMaxUses),
        ]
        for (kind, generator, expiresAt, maxUses) in kinds {
            var issued = false
            for _ in 0..<20 where !issued {
                issued = try insertCode(
                    generator.generate(), kind: kind, studentId: studentId, schoolId: schoolId, createdAt: codes.createdAt,
                    expiresAt: expiresAt, maxUses: maxUses)
            }
            guard issued else { throw CredentialError.noUniqueCode(kind) }
        }
    }

    // MARK: - Reading

    /// A student's live code of `kind`, or nil when they have none. Writes an audit row, because
    /// reading a code is a privileged act.
    public func readCode(_ kind: CredentialKind, studentId: Int, origin: Origin) throws -> Credential? {
        let now = timestamp()
        let rows = try database.query(
            """
            SELECT id, student_id, kind, code, created_at, expires_at, max_uses, uses, voided_at FROM credentials
            WHERE student_id = ?1 AND kind = ?2 AND voided_at IS NULL AND uses < max_uses AND expires_at > ?3
            ORDER BY id DESC LIMIT 1
            """, [studentId, kind.rawValue, now])
        guard let row = rows.first else { return nil }
        try audit(action: "code.read", via: origin.via, userId: studentId, detail: kind.rawValue)
        return Credential(row: row)
    }

    // MARK: - Regenerating

    /// The outcome of regenerating codes for a selection.
    public struct Regeneration: Sendable, Equatable, Codable {
        public var students: Int
        public var voided: Int
        public var issued: Int
        public var pinExpiry: String
        public var parentCodeExpiry: String
    }

    /// Voids the unused codes of every student in `selection` and gives each a new PIN and
    /// parent code, all sharing one expiry, in one transaction.
    ///
    /// Codes of the given kinds only; parents who already registered keep their link.
    public func regenerateCodes(
        for selection: Selection, kinds: [CredentialKind] = CredentialKind.allCases, settings: Settings, origin: Origin
    ) throws -> Regeneration {
        try database.transaction {
            let studentSelection = selection.narrowed(by: Selection(terms: [.init(key: .role, condition: .anyOf(["student"]))]))
            let (condition, parameters) = studentSelection.sqlCondition()
            let students = try database.query(
                "SELECT users.id, users.school_id FROM users WHERE \(condition) ORDER BY users.id", parameters)

            let voidedAt = timestamp()
            let pinExpiry = expiry(months: settings.pinLifetimeMonths)
            let parentCodeExpiry = expiry(months: settings.parentCodeLifetimeMonths)
            var voided = 0
            var issued = 0
            for row in students {
                let studentId = row.int("id")!
                let schoolId = row.int("school_id")!
                for kind in kinds {
                    try database.execute(
                        """
                        UPDATE credentials SET voided_at = ?1
                        WHERE student_id = ?2 AND kind = ?3 AND voided_at IS NULL AND uses < max_uses
                        """, [voidedAt, studentId, kind.rawValue])
                    voided += database.changes
                    try issueCode(
                        kind, studentId: studentId, schoolId: schoolId,
                        expiresAt: kind == .pin ? pinExpiry : parentCodeExpiry, settings: settings)
                    issued += 1
                }
            }
            try audit(
                action: "codes.regenerate", via: origin.via, userId: nil,
                detail: "\(students.count) students, selection: \(selection)")
            return Regeneration(
                students: students.count, voided: voided, issued: issued, pinExpiry: pinExpiry, parentCodeExpiry: parentCodeExpiry)
        }
    }

    // MARK: - Audit

    /// Records who did what, through which command or script.
    public func audit(action: String, via: String, userId: Int?, detail: String?) throws {
        try database.execute(
            "INSERT INTO audit_log (at, actor, action, via, user_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            [timestamp(), actor, action, via, userId, detail])
    }
}

/// Failures of code operations.
public enum CredentialError: Error, Equatable, CustomStringConvertible {
    case noUniqueCode(CredentialKind)

    public var description: String {
        switch self {
        case .noUniqueCode(let kind):
            return "could not find an unused \(kind.displayName) after 20 tries; raise the code length in lanyard.config.lua"
        }
    }
}

extension Credential {
    init(row: Row) {
        self.init(
            id: row.int("id") ?? 0, studentId: row.int("student_id") ?? 0,
            kind: CredentialKind(rawValue: row.string("kind") ?? "") ?? .pin, code: row.string("code") ?? "",
            createdAt: row.string("created_at") ?? "", expiresAt: row.string("expires_at") ?? "",
            maxUses: row.int("max_uses") ?? 1, uses: row.int("uses") ?? 0, voidedAt: row.string("voided_at"))
    }
}
