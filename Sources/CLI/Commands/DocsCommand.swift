import Automation
import Foundation

/// `lanyard docs`: regenerates the scripting API reference and the LuaLS annotation file.
enum DocsCommand: Command {
    static let folder = Option<String>("root", valueName: "FOLDER", default: ".", help: "The repository folder to write docs/lua-api.md and types/lanyard.lua into.")

    static let configuration = CommandConfiguration(
        name: "docs", abstract: "Writes docs/lua-api.md and types/lanyard.lua from the API's declarations.",
        discussion: "Both files come from the same declarations as the API itself, so they cannot drift; a test fails when the committed copies are out of date.",
        examples: [Example("Regenerate the reference after changing the API.", "lanyard docs")],
        arguments: [folder])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let root = invocation[folder]
        let files = [
            ("docs/lua-api.md", APIDocumentation.markdown()),
            ("types/lanyard.lua", APIDocumentation.luaLanguageServerAnnotations()),
        ]
        for (relative, contents) in files {
            let path = (root as NSString).appendingPathComponent(relative)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            invocation.console.write("Wrote \(path)\n")
        }
        return .success
    }
}
