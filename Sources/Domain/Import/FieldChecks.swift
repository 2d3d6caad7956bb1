/// Checks shared by every import format, each turning a raw cell into a value or a problem
/// that names the location, the value and what to do.
enum FieldChecks {
    /// A validated UPN, or the problem with it.
    static func upn(_ text: String, at location: SourceLocation) -> Result<String, ImportProblem> {
        do {
            return .success(try UPN(text).value)
        } catch {
            return .failure(ImportProblem(at: location, "\(error)"))
        }
    }

    /// A validated email address (domain lower-cased), or the problem with it.
    static func email(_ text: String, at location: SourceLocation) -> Result<String, ImportProblem> {
        do {
            return .success(try EmailAddress(text).value)
        } catch {
            return .failure(ImportProblem(at: location, "\(error)"))
        }
    }

    /// A year group from `7`, `07`, `Year 7`, `Y7` or `R`.
    static func yearGroup(_ text: String, at location: SourceLocation) -> Result<YearGroup, ImportProblem> {
        guard let year = YearGroup(parsing: text) else {
            return .failure(
                ImportProblem(at: location, "invalid year group '\(text)': use R for Reception or a number from 1 to 13"))
        }
        return .success(year)
    }

    /// A date as `YYYY-MM-DD` from the forms exports use: ISO 8601 (with or without a time)
    /// and the English day-first `dd/mm/yyyy`. Returns nil for other forms, which callers
    /// treat as "not given" because no decision depends on these dates yet.
    static func date(_ text: String) -> String? {
        let trimmed = text.trimmingSpaces()
        let isoDate = trimmed.prefix(10)
        if isoDate.count == 10, isoDate.dropFirst(4).first == "-", isoDate.dropFirst(7).first == "-" {
            return String(isoDate)
        }
        let parts = trimmed.split(separator: "/")
        if parts.count == 3, let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2].prefix(4)),
            (1...31).contains(day), (1...12).contains(month), parts[2].count == 4
        {
            return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
        }
        return nil
    }

    /// The made-up source id of a contact who has none in the file, so that a parent listed
    /// against several children (or in several files) is one person. It is their email and
    /// name, because two parents often share one family address and must stay two people;
    /// without an email it is their name against the child's UPN.
    static func contactSourceId(email: String?, forename: String, surname: String, studentUPN: String) -> String {
        let name = "\(forename.lowercased()) \(surname.lowercased())"
        if let email { return "contact:\(email.lowercased()):\(name)" }
        return "contact:\(studentUPN):\(name)"
    }
}

import Foundation
