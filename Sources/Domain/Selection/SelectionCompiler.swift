import Foundation
import Storage

/// Compiles a ``Selection`` into a SQL condition with bound parameters.
struct SelectionCompiler {
    var nextParameter: Int
    private var parameters: [SQLValue] = []

    init(nextParameter: Int) {
        self.nextParameter = nextParameter
    }

    mutating func compile(_ selection: Selection) -> (sql: String, parameters: [SQLValue]) {
        var clauses: [String] = []
        let hasStatusTerm = selection.terms.contains { $0.key == .status }
        if !hasStatusTerm {
            clauses.append("users.status = 'on-roll'")
        }
        for term in selection.terms {
            if let clause = clause(for: term) { clauses.append(clause) }
        }
        let sql = clauses.isEmpty ? "1" : clauses.map { "(\($0))" }.joined(separator: " AND ")
        return (sql, parameters)
    }

    private mutating func bind(_ value: SQLValue) -> String {
        parameters.append(value)
        defer { nextParameter += 1 }
        return "?\(nextParameter)"
    }

    /// The inside of an `IN (...)`: one parameter per value for a short list, else a JSON
    /// array in one parameter read by `json_each`. SQLite looks numbered parameters up one by
    /// one, so a list of 100,000 UPNs from `upn:@file` took half a minute as placeholders.
    private mutating func list(_ values: [String]) -> String {
        guard values.count > Self.longestPlaceholderList else {
            return values.map { bind(.text($0)) }.joined(separator: ", ")
        }
        let array = (try? JSONEncoder().encode(values)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return "SELECT value FROM json_each(\(bind(.text(array))))"
    }

    static let longestPlaceholderList = 100

    private mutating func clause(for term: Selection.Term) -> String? {
        let values = term.condition.values
        switch term.key {
        case .role:
            return "users.role IN (\(list(values)))"

        case .year, .id:
            guard case .ranges(let ranges) = term.condition else { return nil }
            let column = term.key == .year ? "users.year_group" : "users.id"
            return ranges.map { range in
                range.lowerBound == range.upperBound
                    ? "\(column) = \(bind(.integer(Int64(range.lowerBound))))"
                    : "\(column) BETWEEN \(bind(.integer(Int64(range.lowerBound)))) AND \(bind(.integer(Int64(range.upperBound))))"
            }.joined(separator: " OR ")

        case .reg:
            return "users.registration_group COLLATE NOCASE IN (\(list(values)))"

        case .email:
            return values.map { value in
                value == "missing"
                    ? "users.email IS NULL OR users.email = ''"
                    : "users.email IS NOT NULL AND users.email <> ''"
            }.joined(separator: " OR ")

        case .sso:
            let ssoUser = "users.role <> 'parent' AND users.school_id IN (SELECT id FROM schools WHERE sso_provider <> 'none')"
            return values.map { $0 == "yes" ? "(\(ssoUser))" : "NOT (\(ssoUser))" }.joined(separator: " OR ")

        case .status:
            if values.contains("any") { return nil }
            return "users.status IN (\(list(values)))"

        case .loggedIn:
            return values.map { $0 == "never" ? "users.last_login IS NULL" : "users.last_login IS NOT NULL" }
                .joined(separator: " OR ")

        case .codesRead:
            // A code counts as handed out once it has been read: every read writes an audit row.
            let read = "EXISTS (SELECT 1 FROM audit_log WHERE audit_log.action = 'code.read' AND audit_log.user_id = users.id)"
            return values.map { $0 == "never" ? "NOT \(read)" : read }.joined(separator: " OR ")

        case .registered:
            return values.map { $0 == "yes" ? "users.registered = 1" : "users.registered = 0" }.joined(separator: " OR ")

        case .upn:
            let placeholders = list(values)
            return "users.upn IN (\(placeholders)) OR users.former_upn IN (\(placeholders))"

        case .staff:
            return "users.staff_code COLLATE NOCASE IN (\(list(values)))"

        case .name:
            // NOTE: SQLite's LIKE folds case for ASCII letters only, so name:zoë does not match "ZOË".
            return values.map { value in
                let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
                let pattern = bind(.text("%\(escaped)%"))
                let columns = [
                    "users.legal_forename", "users.legal_surname", "users.preferred_forename",
                    "users.preferred_surname", "(users.legal_forename || ' ' || users.legal_surname)",
                    "(coalesce(users.preferred_forename, users.legal_forename) || ' ' || users.legal_surname)",
                ]
                return columns.map { "\($0) LIKE \(pattern) ESCAPE '\\'" }.joined(separator: " OR ")
            }.joined(separator: " OR ")

        case .school:
            let placeholders = list(values)
            return "users.school_id IN (SELECT id FROM schools WHERE dfe_number IN (\(placeholders)) OR name IN (\(placeholders)))"
        }
    }
}
