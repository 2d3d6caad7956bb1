import Domain
import Foundation
import LuaRuntime

/// `log.info`, `log.warn`, `log.error`: messages on standard error, under the script's name.
enum LogModule {
    static let functions: [APIFunction] = [
        level("info", .info, "Logs a message for the admin running the script."),
        level("warn", .warning, "Logs a warning: something the admin should look at."),
        level("error", .error, "Logs an error without stopping the script; use `error()` to stop it."),
    ]

    private static func level(_ name: String, _ level: Log.Level, _ summary: String) -> APIFunction {
        APIFunction(
            module: "log", name: name,
            parameters: [APIParameter(name: "message", type: "string", summary: "The message. Never put a code or a password in it.")],
            returns: [], summary: summary, errors: nil, example: "log.\(name)(\"12 students still have no email\")",
            make: { session in { call in
                let message = try call.string(at: 1)
                session.log.log(level, message)
                return 0
            } })
    }
}

/// `report.*`: a run report written into the workspace as CSV or Markdown.
enum ReportModule {
    static let functions: [APIFunction] = [
        APIFunction(
            module: "report", name: "add",
            parameters: [APIParameter(name: "row", type: "table<string, string|number|boolean>", summary: "One row; its keys become the CSV columns, a new key added after those already seen (each row's own keys in alphabetical order).")],
            returns: [], summary: "Adds a row to the run report.", errors: nil,
            example: "report.add{upn = pupil.upn, name = pupil.name, outcome = \"no email\"}",
            make: { session in { call in
                guard let fields = try call.value(at: 1).fields else { throw call.typeError(at: 1, expected: "table") }
                var row: [String: String] = [:]
                for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
                    if !session.report.columns.contains(key) { session.report.columns.append(key) }
                    row[key] = text(of: value)
                }
                session.report.rows.append(row)
                return 0
            } }),
        APIFunction(
            module: "report", name: "line",
            parameters: [APIParameter(name: "text", type: "string", summary: "A line of Markdown.")],
            returns: [], summary: "Adds a line of text to the Markdown report.", errors: nil,
            example: "report.line(\"## Year 7: \" .. count .. \" without email\")",
            make: { session in { call in
                session.report.lines.append(try call.string(at: 1))
                return 0
            } }),
        APIFunction(
            module: "report", name: "save",
            parameters: [APIParameter(name: "path", type: "string", summary: "A path in the workspace ending in .csv or .md.")],
            returns: [APIReturn(type: "string", summary: "The full path written.")],
            summary: "Writes the report: the rows as CSV (UTF-8 with BOM, for Excel), or the lines then a table of the rows as Markdown.",
            errors: "Raises an error for a path outside the workspace or another extension.",
            example: "report.save(\"missing-emails.csv\")",
            make: { session in { call in
                let relative = try call.string(at: 1)
                let path = try session.workspace.resolve(relative)
                let data: Data
                if relative.lowercased().hasSuffix(".csv") {
                    let writer = CSVWriter(options: CSVWriteOptions())
                    try writer.writeRow(session.report.columns)
                    for row in session.report.rows {
                        try writer.writeRow(session.report.columns.map { row[$0] ?? "" })
                    }
                    try writer.finish()
                    data = Data(writer.bytes)
                } else if relative.lowercased().hasSuffix(".md") {
                    data = Data(markdown(session.report).utf8)
                } else {
                    throw call.argumentError(at: 1, "the report path must end in .csv or .md")
                }
                try FilesModule.writeAtomically(data, to: path)
                session.writtenFiles.append(path)
                call.push(path)
                return 1
            } }),
    ]

    static func text(of value: LuaValue) -> String {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .number(let number): return String(number)
        case .boolean(let flag): return flag ? "yes" : "no"
        default: return ""
        }
    }

    static func markdown(_ report: ScriptReport) -> String {
        var lines = report.lines
        if !report.rows.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines.append("| " + report.columns.joined(separator: " | ") + " |")
            lines.append("|" + String(repeating: " --- |", count: report.columns.count))
            for row in report.rows {
                let cells = report.columns.map { (row[$0] ?? "").replacingOccurrences(of: "|", with: "\\|") }
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `files.read`, `files.write`, `files.exists`: text files inside the workspace only.
enum FilesModule {
    static let functions: [APIFunction] = [
        APIFunction(
            module: "files", name: "read",
            parameters: [APIParameter(name: "path", type: "string", summary: "A path relative to the workspace.")],
            returns: [APIReturn(type: "string?", summary: "The contents, or nil when the file does not exist."), APIReturn(type: "string?", summary: "Why not.")],
            summary: "Reads a file of the workspace.", errors: "Raises an error for a path outside the workspace.",
            example: "local list = files.read(\"upns.txt\")",
            make: { session in { call in
                let path = try session.workspace.resolve(try call.string(at: 1))
                guard let data = FileManager.default.contents(atPath: path) else {
                    call.pushNil()
                    call.push("no such file in the workspace")
                    return 2
                }
                call.push(bytes: data)
                return 1
            } }),
        APIFunction(
            module: "files", name: "write",
            parameters: [
                APIParameter(name: "path", type: "string", summary: "A path relative to the workspace; folders are created."),
                APIParameter(name: "contents", type: "string", summary: "The text to write."),
            ],
            returns: [APIReturn(type: "string", summary: "The full path written.")],
            summary: "Writes a file in the workspace, atomically and readable only by you (mode 0600).",
            errors: "Raises an error for a path outside the workspace.",
            example: "files.write(\"notes/summary.txt\", \"done\\n\")",
            make: { session in { call in
                let path = try session.workspace.resolve(try call.string(at: 1))
                let contents = try call.bytes(at: 2)
                try writeAtomically(Data(contents), to: path)
                session.writtenFiles.append(path)
                call.push(path)
                return 1
            } }),
        APIFunction(
            module: "files", name: "exists",
            parameters: [APIParameter(name: "path", type: "string", summary: "A path relative to the workspace.")],
            returns: [APIReturn(type: "boolean", summary: "Whether the file exists.")],
            summary: "Tells whether a file of the workspace exists.", errors: "Raises an error for a path outside the workspace.",
            example: "if files.exists(\"contacts.csv\") then import.csv(\"contacts.csv\", {kind = \"contacts\"}) end",
            make: { session in { call in
                call.push(FileManager.default.fileExists(atPath: try session.workspace.resolve(try call.string(at: 1))))
                return 1
            } }),
    ]

    /// Writes through a temporary file and a rename, with mode 0600, so a reader never sees half a file.
    ///
    /// The temporary file is created with mode 0600 from the start (`O_EXCL`), so no other user
    /// can open it between its creation and the rename, and new folders are 0700.
    static func writeAtomically(_ data: Data, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = folder + "/.\((path as NSString).lastPathComponent).\(UUID().uuidString).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ScriptError.cannotWrite(path) }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += count
            }
            return true
        }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written, synced else {
            unlink(temporary)
            throw ScriptError.cannotWrite(path)
        }
        if rename(temporary, path) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ScriptError.cannotWrite(path)
        }
    }
}

/// `json.encode`, `json.decode`.
enum JSONModule {
    static let functions: [APIFunction] = [
        APIFunction(
            module: "json", name: "encode",
            parameters: [APIParameter(name: "value", type: "any", summary: "Nil, a boolean, number, string or a table of them.")],
            returns: [APIReturn(type: "string", summary: "The value as JSON with sorted keys.")],
            summary: "Turns a Lua value into JSON text. A table with keys 1..n becomes an array.",
            errors: "Raises an error for functions, userdata and tables that contain themselves.",
            example: "files.write(\"summary.json\", json.encode{sent = 12, skipped = 3})",
            make: { _ in { call in
                let value = try call.value(at: 1)
                let object = try foundationObject(value, call: call)
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
                call.push(String(decoding: data, as: UTF8.self))
                return 1
            } }),
        APIFunction(
            module: "json", name: "decode",
            parameters: [APIParameter(name: "text", type: "string", summary: "JSON text.")],
            returns: [APIReturn(type: "any", summary: "The value; JSON null becomes nil.")],
            summary: "Turns JSON text into a Lua value.",
            errors: "Raises an error naming the problem when the text is not valid JSON.",
            example: "local settings = json.decode(files.read(\"settings.json\"))",
            make: { _ in { call in
                let text = try call.string(at: 1)
                let object: Any
                do {
                    object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
                } catch {
                    throw call.argumentError(at: 1, "invalid JSON: \(error.localizedDescription)")
                }
                try call.push(luaValue(object))
                return 1
            } }),
    ]

    private static func foundationObject(_ value: LuaValue, call: LuaCall) throws -> Any {
        switch value {
        case .nil: return NSNull()
        case .boolean(let flag): return flag
        case .integer(let number): return number
        case .number(let number): return number
        case .string(let text): return text
        case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .array(let elements): return try elements.map { try foundationObject($0, call: call) }
        case .table(let entries):
            var object: [String: Any] = [:]
            for (key, element) in entries {
                guard case .string(let name) = key else {
                    throw call.argumentError(at: 1, "JSON objects need string keys; a table mixes a list with named keys")
                }
                object[name] = try foundationObject(element, call: call)
            }
            return object
        case .opaque(let typeName):
            throw call.argumentError(at: 1, "a \(typeName) cannot be written as JSON")
        }
    }

    static func luaValue(_ object: Any) -> LuaValue {
        switch object {
        case is NSNull: return .nil
        case let flag as Bool where type(of: object) == Bool.self: return .boolean(flag)
        case let number as Int where type(of: object) == Int.self: return .integer(number)
        case let number as NSNumber:
            // JSON booleans arrive as NSNumber of Objective-C type "c" on some platforms.
            if String(cString: number.objCType) == "c" { return .boolean(number.boolValue) }
            if let whole = Int(exactly: number.doubleValue), !String(describing: number).contains(".") { return .integer(whole) }
            return .number(number.doubleValue)
        case let text as String: return .string(text)
        case let list as [Any]: return .array(list.map(luaValue))
        case let dictionary as [String: Any]:
            var entries: [LuaValue: LuaValue] = [:]
            for (key, element) in dictionary { entries[.string(key)] = luaValue(element) }
            return .table(entries)
        default: return .nil
        }
    }
}

/// `school`: the school the directory serves.
enum SchoolTable {
    static let documentation = APIValueTable(
        name: "school", summary: "The school the directory serves (the first, in a trust's directory).",
        fields: [
            APIField(name: "name", type: "string", summary: "The school's name."),
            APIField(name: "dfe_number", type: "string?", summary: "LA code and establishment number, such as 801/4012."),
            APIField(name: "sso", type: "string", summary: "The single sign-on: none, google, microsoft, ldap or rm-unify."),
            APIField(name: "login_url", type: "string", summary: "Where students and parents sign in."),
        ])

    static func value(session: ScriptSession) throws -> LuaValue {
        guard let school = try session.directory.schools().first else {
            return .table([.string("login_url"): .string(session.settings.loginURL), .string("sso"): .string("none"), .string("name"): .string("")])
        }
        return .table([
            .string("name"): .string(school.name), .string("dfe_number"): school.dfeNumber.map { .string($0) } ?? .nil,
            .string("sso"): .string(school.ssoProvider.rawValue), .string("login_url"): .string(session.settings.loginURL),
        ])
    }
}

/// `args`: the `--arg key=value` pairs of `lanyard run`.
enum ArgsTable {
    static let documentation = APIValueTable(
        name: "args", summary: "The values given with `--arg key=value`, as strings; a key not given reads as nil.",
        fields: [])

    static func value(_ arguments: [String: String]) -> LuaValue {
        .table(Dictionary(uniqueKeysWithValues: arguments.map { (LuaValue.string($0.key), LuaValue.string($0.value)) }))
    }
}

/// `run`: facts about the current run.
enum RunTable {
    static let documentation = APIValueTable(
        name: "run", summary: "The current run.",
        fields: [
            APIField(name: "dry_run", type: "boolean", summary: "True under --dry-run: everything will be rolled back, so write no files."),
            APIField(name: "script", type: "string", summary: "The script's file name."),
        ])

    static func value(dryRun: Bool, script: String) -> LuaValue {
        .table([.string("dry_run"): .boolean(dryRun), .string("script"): .string(script)])
    }
}

/// Failures of the scripting host that are not Lua errors.
public enum ScriptError: Error, CustomStringConvertible {
    case cannotWrite(String)

    public var description: String {
        switch self {
        case .cannotWrite(let path): return "cannot write '\(path)'; check that the workspace folder is writable"
        }
    }
}
