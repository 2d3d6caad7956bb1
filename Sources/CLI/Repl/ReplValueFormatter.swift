import Automation
import Domain
import Foundation
import LuaRuntime

/// Writes the values of REPL expressions as text: scalars as Lua writes them, tables as
/// `{ a = 1, ... }` (one entry per line when that is too wide), a Selection as its count and a
/// small table of its first people, a User as its key fields.
///
/// ```swift
/// let formatter = ReplValueFormatter(width: 100)
/// formatter.lines(for: .table(entries: [...], count: 2))   // ["{ a = 1, b = \"x\" }"]
/// ```
struct ReplValueFormatter {
    /// The terminal width; nil on a pipe, where nothing is cut.
    var width: Int?
    /// The line width past which a table breaks onto several lines when there is no terminal.
    static let pipeLineWidth = 100
    static let indent = "  "

    /// Returns the lines that show the values of one expression. Several plain values share a line,
    /// separated by tabs, as Lua's `print` writes them.
    func lines(for values: [InteractiveValue]) -> [String] {
        let rendered = values.map { lines(for: $0) }
        if rendered.allSatisfy({ $0.count == 1 }) {
            return rendered.isEmpty ? [] : [rendered.map { $0[0] }.joined(separator: "\t")]
        }
        return rendered.flatMap { $0 }
    }

    /// Returns the lines of one top-level value. A string is written without quotes.
    func lines(for value: InteractiveValue) -> [String] {
        switch value {
        case .scalar(.string(let text)):
            return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        case .selection(let query, let count, let rows):
            return selectionLines(query: query, count: count, rows: rows)
        case .table(let entries, let count) where !entries.isEmpty && entries.allSatisfy({ Self.isUser($0.value) }):
            let users = entries.compactMap { entry -> User? in
                if case .user(let user) = entry.value { return user }
                return nil
            }
            return ["\(count) \(count == 1 ? "user" : "users")"] + userTable(users, more: count - users.count)
        default:
            return block(value, indent: "")
        }
    }

    // MARK: - Directory objects

    private func selectionLines(query: String, count: Int, rows: [User]) -> [String] {
        let people = count == 1 ? "1 person" : "\(count) people"
        let header = "Selection \(Self.quoted(query)): \(people)"
        guard !rows.isEmpty else { return [header] }
        return [header] + userTable(rows, more: count - rows.count)
    }

    private func userTable(_ users: [User], more: Int) -> [String] {
        var table = TextTable(columns: [.init("Key"), .init("Name"), .init("Role"), .init("Year", alignment: .right), .init("Reg"), .init("Email")])
        for user in users {
            table.append([
                user.key, user.displayName, user.role.rawValue, user.yearGroup.map { String($0.number) } ?? "",
                user.registrationGroup ?? "", user.email ?? "",
            ])
        }
        // An empty last cell leaves the padding of the column before it.
        var lines = table.render(maxWidth: width).split(separator: "\n").map { line in
            String(line.reversed().drop { $0 == " " }.reversed())
        }
        if more > 0 { lines.append("... \(more) more") }
        return lines
    }

    /// `User(B801200005001, Zoë Ní Bhriain; student, year 7, 7A, zoe@castlemead.example)`.
    static func summary(of user: User) -> String {
        var facts = [user.role.rawValue]
        if let year = user.yearGroup { facts.append("year \(year.number)") }
        if let reg = user.registrationGroup { facts.append(reg) }
        facts.append(user.email ?? "no email")
        if user.status.rawValue != "on-roll" { facts.append(user.status.rawValue) }
        return "User(\(user.key), \(user.displayName); \(facts.joined(separator: ", ")))"
    }

    private static func isUser(_ value: InteractiveValue) -> Bool {
        if case .user = value { return true }
        return false
    }

    // MARK: - Tables

    /// Returns a value nested in a table, on one line when it fits and over several otherwise.
    private func block(_ value: InteractiveValue, indent: String) -> [String] {
        let single = inline(value)
        let limit = (width ?? Self.pipeLineWidth) - indent.count
        guard case .table(let entries, let count) = value, single.count > limit, !entries.isEmpty else {
            return [single]
        }
        var lines = ["{"]
        let inner = indent + Self.indent
        for (position, entry) in entries.enumerated() {
            let key = Self.isPositional(entry, at: position, in: entries) ? "" : Self.keyText(entry.key) + " = "
            var valueLines = block(entry.value, indent: inner)
            valueLines[0] = key + valueLines[0]
            valueLines[valueLines.count - 1] += ","
            lines += valueLines.map { Self.indent + $0 }
        }
        if count > entries.count { lines.append(Self.indent + "... \(count - entries.count) more") }
        lines.append("}")
        return lines
    }

    /// Returns a value on one line: `{ 1, 2, name = "x" }`.
    private func inline(_ value: InteractiveValue) -> String {
        switch value {
        case .scalar(let scalar): return Self.literal(scalar)
        case .nestedTable: return "{...}"
        case .user(let user): return Self.summary(of: user)
        case .selection(let query, let count, _): return "Selection(\(Self.quoted(query)), \(count))"
        case .opaque(let typeName): return "<\(typeName)>"
        case .table(let entries, let count):
            guard !entries.isEmpty else { return "{}" }
            var parts = entries.enumerated().map { position, entry in
                (Self.isPositional(entry, at: position, in: entries) ? "" : Self.keyText(entry.key) + " = ") + inline(entry.value)
            }
            if count > entries.count { parts.append("... \(count - entries.count) more") }
            return "{ " + parts.joined(separator: ", ") + " }"
        }
    }

    /// Returns whether an entry is element `position + 1` of the table's sequence, written without its key.
    private static func isPositional(_ entry: InteractiveTableEntry, at position: Int, in entries: [InteractiveTableEntry]) -> Bool {
        entry.key == .integer(position + 1)
    }

    /// `name`, or `["two words"]`, or `[3]`.
    private static func keyText(_ key: LuaValue) -> String {
        if case .string(let name) = key, isIdentifier(name) { return name }
        return "[" + literal(key) + "]"
    }

    private static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        let isWord = text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
        }
        return isWord && !InteractiveSession.luaKeywords.contains(text)
    }

    // MARK: - Scalars

    /// Returns a scalar as Lua source would write it: strings quoted, floats with a decimal point.
    static func literal(_ value: LuaValue) -> String {
        switch value {
        case .nil: return "nil"
        case .boolean(let flag): return flag ? "true" : "false"
        case .integer(let number): return String(number)
        case .number(let number): return numberText(number)
        case .string(let text): return quoted(text)
        case .bytes(let bytes): return "\"" + bytes.map { String(format: "\\x%02X", $0) }.joined() + "\""
        case .array, .table: return "{...}"
        case .opaque(let typeName): return "<\(typeName)>"
        }
    }

    /// `1.0`, `0.1`, `1e+100`, `inf`, `nan`, as Lua 5.4 writes floats (`%.14g`).
    static func numberText(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        let text = String(format: "%.14g", number)
        return text.contains(where: { $0 == "." || $0 == "e" || $0 == "n" || $0 == "i" }) ? text : text + ".0"
    }

    /// `"text"` with backslashes, quotes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: result += String(format: "\\%d", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    // MARK: - Layout

    /// `names` in columns that fit `width`, for the list of completions.
    static func columns(_ names: [String], width: Int) -> [String] {
        let columnWidth = (names.map { DisplayWidth.columns(of: $0) }.max() ?? 0) + 2
        let perLine = max(1, width / max(1, columnWidth))
        return stride(from: 0, to: names.count, by: perLine).map { start in
            names[start..<min(start + perLine, names.count)].map { DisplayWidth.pad($0, toColumns: columnWidth) }.joined()
                .trimmingCharacters(in: .whitespaces)
        }
    }

    /// Fits `lines` into a terminal of `height` rows and `width` columns: long lines cut with
    /// `…`, and the lines past the screen replaced by `... N more lines`.
    static func fitted(_ lines: [String], height: Int, width: Int) -> [String] {
        let room = max(3, height - 2)
        var shown = lines
        if lines.count > room {
            shown = Array(lines.prefix(room - 1)) + ["... \(lines.count - (room - 1)) more lines"]
        }
        return shown.map { DisplayWidth.truncate($0, toColumns: width) }
    }
}
