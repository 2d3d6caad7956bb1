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

    // MARK: - Names and other text

    /// The maximum number of characters in a name. Real names in MIS exports are far shorter, and
    /// the limit keeps a corrupted cell of millions of characters out of the directory, its
    /// slips and its terminal output.
    static let maxNameLength = 200

    /// Returns the problem with a name: longer than ``maxNameLength`` characters, or containing a
    /// control character (see ``controlCharacterProblem(_:at:)``). Nil when it is fine.
    static func nameProblem(_ text: String, at location: SourceLocation) -> ImportProblem? {
        // A name within the limit has at most 4 bytes a character; counting characters, which
        // walks the whole string, is left for longer ones.
        if text.utf8.count > maxNameLength, text.count > maxNameLength {
            return ImportProblem(
                at: location,
                "the value \(columnPhrase(location))has \(text.count) characters; names have at most \(maxNameLength), so shorten it in the MIS and export again")
        }
        return controlCharacterProblem(text, at: location)
    }

    /// Returns the problem with text that contains a C0 control character (U+0000 to U+001F) or DEL
    /// (U+007F), such as the ESC that starts a terminal escape sequence. Names, emails and
    /// registration groups never need one. The message shows the first such character
    /// escaped, as `\u{1B}`, so that printing it is safe. Nil when there is none.
    static func controlCharacterProblem(_ text: String, at location: SourceLocation) -> ImportProblem? {
        guard let control = text.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        let escaped = "\\u{\(String(control.value, radix: 16, uppercase: true))}"
        return ImportProblem(
            at: location,
            "the value \(columnPhrase(location))contains the control character \(escaped); names, emails and registration groups never contain one, so remove it in the MIS and export again")
    }

    /// Returns the problems in one record's name and other text cells, the names' first: `names` get
    /// ``nameProblem(_:at:)`` and `plainText` gets ``controlCharacterProblem(_:at:)``.
    static func textProblems(in table: CSVTable, _ record: CSVRecord, names: [Int?], plainText: [Int?]) -> [ImportProblem] {
        var problems: [ImportProblem] = []
        for column in names {
            guard let value = table.value(record, column) else { continue }
            if let problem = nameProblem(value, at: table.location(record, column)) { problems.append(problem) }
        }
        for column in plainText {
            guard let value = table.value(record, column) else { continue }
            if let problem = controlCharacterProblem(value, at: table.location(record, column)) { problems.append(problem) }
        }
        return problems
    }

    /// `in column 'Forename' ` for a location with a column, else nothing.
    private static func columnPhrase(_ location: SourceLocation) -> String {
        location.column.map { "in column '\($0)' " } ?? ""
    }

    // MARK: - Values

    /// A year group from `7`, `07`, `Year 7`, `Y7` or `R`.
    static func yearGroup(_ text: String, at location: SourceLocation) -> Result<YearGroup, ImportProblem> {
        guard let year = YearGroup(parsing: text) else {
            return .failure(
                ImportProblem(at: location, "invalid year group '\(text)': use R for Reception or a number from 1 to 13"))
        }
        return .success(year)
    }

    /// A date as `YYYY-MM-DD` from the forms exports use: ISO 8601 (with or without a time)
    /// and the English day-first `dd/mm/yyyy`. Returns nil for other forms and for days that
    /// do not exist (31/02), which callers treat as "not given" because no decision depends on
    /// these dates yet.
    static func date(_ text: String) -> String? {
        let trimmed = text.trimmingSpaces()
        let isoDate = trimmed.prefix(10)
        if isoDate.count == 10, isoDate.dropFirst(4).first == "-", isoDate.dropFirst(7).first == "-" {
            let parts = isoDate.split(separator: "-")
            guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
                isCalendarDate(year: year, month: month, day: day)
            else { return nil }
            return String(isoDate)
        }
        let parts = trimmed.split(separator: "/")
        if parts.count == 3, let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2].prefix(4)),
            parts[2].count == 4, isCalendarDate(year: year, month: month, day: day)
        {
            return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
        }
        return nil
    }

    /// Returns whether the day exists in the Gregorian calendar: 31/02 and 29/02/2027 do not.
    static func isCalendarDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let isLeapYear = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, isLeapYear ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
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
