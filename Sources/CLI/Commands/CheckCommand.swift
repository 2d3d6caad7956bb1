import Automation
import Foundation

/// `lanyard check SCRIPT`: a syntax check and warnings for unknown API names.
enum CheckCommand: Command {
    static let script = Argument<String>("SCRIPT", help: "The Lua script to check.")

    static let configuration = CommandConfiguration(
        name: "check", abstract: "Checks a script's syntax and the API names it uses, without running it.",
        discussion: "Exits 65 when the script does not compile, 2 when it uses unknown API names, and 0 when both checks pass.",
        examples: [Example("Check a script before running it.", "lanyard check scripts/term-start.lua")],
        arguments: [script])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let path = try ScriptLocator.locate(invocation[script], environment: invocation.environment)
        let findings = try ScriptChecker.check(path: path)
        if invocation.globals.json {
            invocation.console.write(try JSONOutput.encode(findings))
        } else {
            for finding in findings {
                invocation.console.writeError(finding.description + "\n")
            }
            if findings.isEmpty { invocation.console.write("\(path): no problems found\n") }
        }
        if findings.contains(where: { $0.severity == .error }) { return .dataError }
        return findings.isEmpty ? .success : .partial
    }
}
