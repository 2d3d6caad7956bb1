import Domain
import Foundation

/// `lanyard init`: creates the directory database and, optionally, its school.
enum InitCommand: Command {
    static let school = Option<String?>("school", valueName: "NAME", help: "Adds a school with this name.")
    static let dfe = Option<String?>("dfe", valueName: "NUMBER", help: "The school's DfE number, LA code and establishment number, such as 801/2000.")
    static let sso = Option<SSOProvider?>("sso", help: "The single sign-on the school uses.")

    static let configuration = CommandConfiguration(
        name: "init", abstract: "Creates the school directory database.",
        discussion: """
            Creates the database (mode 0600) at --db, $LANYARD_DB or ./lanyard.db, brings its schema \
            up to date, and adds a school when --school is given. Running it again on an existing \
            directory only updates the schema. CSV and CTF imports need a school; a OneRoster import \
            brings its own.
            """,
        examples: [
            Example("Create a directory for a school that signs in with Google.", "lanyard init --school 'Castle Mead Academy' --dfe 801/4012 --sso google")
        ],
        arguments: [school, dfe, sso])

    static func run(_ invocation: Invocation) async throws -> ExitCode {
        let context = try CommandContext(invocation)
        let directory = context.directory
        if let name = invocation[school] {
            try directory.addSchool(name: name, dfeNumber: invocation[dfe], ssoProvider: invocation[sso] ?? .none)
        } else if let provider = invocation[sso] {
            try directory.setSSOProvider(provider, schoolId: try directory.onlySchool().id)
        }
        let schools = try directory.schools()
        if context.wantsJSON {
            struct Output: Encodable {
                var database: String
                var schools: [School]
            }
            invocation.console.write(try JSONOutput.encode(Output(database: invocation.databasePath, schools: schools)))
        } else {
            invocation.console.write("Directory ready at \(invocation.databasePath)\n")
            for school in schools {
                invocation.console.write("  \(school.name) (\(school.dfeNumber ?? "no DfE number"), sign-in: \(school.ssoProvider.displayName))\n")
            }
        }
        return .success
    }
}

