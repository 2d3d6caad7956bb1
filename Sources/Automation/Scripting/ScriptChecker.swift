import Domain
import Foundation
import LuaRuntime

/// `lanyard check`: compiles a script without running it and warns about API names that do not
/// exist (`users.selct`), with a suggestion.
public enum ScriptChecker {
    public struct Finding: Sendable, Encodable, CustomStringConvertible {
        public enum Severity: String, Sendable, Encodable { case error, warning }
        public var severity: Severity
        public var line: Int
        public var column: Int
        public var message: String
        public var file: String

        public var description: String { "\(file):\(line):\(column): \(severity.rawValue): \(message)" }
    }

    /// Checks the script at `path`.
    /// - Throws: ``LuaError/fileNotReadable(path:reason:)`` when the file cannot be read.
    public static func check(path: String) throws -> [Finding] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LuaError.fileNotReadable(path: path, reason: "no such file")
        }
        let source = String(decoding: data, as: UTF8.self)
        var findings: [Finding] = []
        if let syntax = try syntaxError(source: source, name: path) {
            findings.append(syntax)
        }
        findings += unknownNames(source: source, file: path)
        return findings
    }

    /// Compiles the source with Lua's own `load` in an empty sandbox.
    static func syntaxError(source: String, name: String) throws -> Finding? {
        let state = try LuaState(limits: LuaLimits(instructions: 1_000_000, memoryBytes: 64 << 20))
        let results = try state.run(
            "local source, name = ...\nlocal chunk, problem = load(source, '=' .. name, 't')\nreturn problem",
            chunkName: "check", arguments: [.string(source), .string(name)])
        guard case .string(let message)? = results.first else { return nil }
        // Lua writes "name:LINE: message".
        var line = 1
        if let range = message.range(of: #":(\d+):"#, options: .regularExpression) {
            line = Int(message[range].dropFirst().dropLast()) ?? 1
        }
        return Finding(severity: .error, line: line, column: 1, message: message, file: name)
    }

    /// Finds `module.name` uses whose name the module does not have, outside strings and comments.
    static func unknownNames(source: String, file: String) -> [Finding] {
        var findings: [Finding] = []
        let modules = Dictionary(grouping: ScriptAPI.functions.filter { $0.module != nil }, by: { $0.module! }).mapValues { $0.map(\.name) }
        let tableFields = Dictionary(uniqueKeysWithValues: ScriptAPI.valueTables.filter { !$0.fields.isEmpty }.map { ($0.name, $0.fields.map(\.name)) })
        let known = modules.merging(tableFields) { first, _ in first }

        for (index, rawLine) in source.components(separatedBy: "\n").enumerated() {
            let line = codeOnly(rawLine)
            let pattern = #"(?<![\w.:])([A-Za-z_]\w*)\.([A-Za-z_]\w*)"#
            guard let expression = try? NSRegularExpression(pattern: pattern) else { continue }
            let range = NSRange(line.startIndex..., in: line)
            for match in expression.matches(in: line, range: range) {
                guard let moduleRange = Range(match.range(at: 1), in: line), let nameRange = Range(match.range(at: 2), in: line) else { continue }
                let module = String(line[moduleRange])
                let name = String(line[nameRange])
                guard let names = known[module], !names.contains(name) else { continue }
                let suggestion = Suggestion.closest(to: name, in: names).map { " Did you mean '\(module).\($0)'?" } ?? ""
                let column = line.distance(from: line.startIndex, to: moduleRange.lowerBound) + 1
                findings.append(
                    Finding(
                        severity: .warning, line: index + 1, column: column,
                        message: "unknown API name '\(module).\(name)'.\(suggestion) See docs/lua-api.md", file: file))
            }
        }
        return findings
    }

    /// The line with string literals blanked and a trailing `--` comment removed, so that names
    /// in text are not checked.
    static func codeOnly(_ line: String) -> String {
        var result = ""
        var quote: Character?
        var previous: Character = " "
        var characters = Array(line)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                if character == open && previous != "\\" { quote = nil }
                result.append(" ")
            } else if character == "\"" || character == "'" {
                quote = character
                result.append(" ")
            } else if character == "-", index + 1 < characters.count, characters[index + 1] == "-" {
                break
            } else {
                result.append(character)
            }
            previous = character
            index += 1
        }
        characters.removeAll()
        return result
    }
}
