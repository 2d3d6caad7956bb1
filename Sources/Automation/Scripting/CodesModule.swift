import Domain
import LuaRuntime

/// `codes.*`: reading a student's PIN and parent code (audited) and regenerating en masse.
enum CodesModule {
    static let functions: [APIFunction] = [
        APIFunction(
            module: "codes", name: "pin",
            parameters: [APIParameter(name: "student", type: "User", summary: "A student.")],
            returns: [
                APIReturn(type: "string?", summary: "The live PIN, or nil when the student has none."),
                APIReturn(type: "string?", summary: "Its expiry date (YYYY-MM-DD)."),
            ],
            summary: "Reads a student's live PIN. The read is recorded in the audit log with the script's name.",
            errors: "Raises an error when the argument is not a student.",
            example: """
                local pupil = users.get("B801200005001")
                local pin, expires = codes.pin(pupil)
                """,
            make: { session in { call in try readCode(.pin, call: call, session: session) } }),
        APIFunction(
            module: "codes", name: "parent_code",
            parameters: [APIParameter(name: "student", type: "User", summary: "A student.")],
            returns: [
                APIReturn(type: "string?", summary: "The live parent code, formatted in groups of four, or nil."),
                APIReturn(type: "string?", summary: "Its expiry date (YYYY-MM-DD)."),
            ],
            summary: "Reads a student's live parent code. The read is recorded in the audit log with the script's name.",
            errors: "Raises an error when the argument is not a student.",
            example: """
                for pupil in users.select("reg:7B"):each() do
                  print(pupil.name, codes.parent_code(pupil))
                end
                """,
            make: { session in { call in try readCode(.parentCode, call: call, session: session) } }),
        APIFunction(
            module: "codes", name: "regenerate",
            parameters: [
                APIParameter(name: "selection", type: "Selection|string|table", summary: "The students whose codes to regenerate."),
                APIParameter(name: "options", type: "{kind: \"pin\"|\"parent-code\"|\"both\"}?", summary: "Which codes; both by default."),
            ],
            returns: [APIReturn(type: "{students: integer, voided: integer, issued: integer, pin_expiry: string, parent_code_expiry: string}", summary: "What was done.")],
            summary: "Voids the unused codes of the students in a selection and issues new ones sharing one expiry. Part of the script's transaction.",
            errors: "Raises an error for an invalid selection or kind.",
            example: """
                local result = codes.regenerate(users.select("year:7"))
                log.info(result.issued .. " new codes, expiring " .. result.pin_expiry)
                """,
            make: { session in { call in
                let selection = try UsersModule.selection(from: call, at: 1, session: session)
                var kinds = CredentialKind.allCases
                if call.type(at: 2) == .table, let kind = try call.value(at: 2)["kind"]?.stringValue {
                    switch kind {
                    case "pin": kinds = [.pin]
                    case "parent-code", "parent_code": kinds = [.parentCode]
                    case "both": kinds = CredentialKind.allCases
                    default: throw call.argumentError(at: 2, "unknown kind '\(kind)'; use pin, parent-code or both")
                    }
                }
                let result = try session.directory.regenerateCodes(for: selection, kinds: kinds, settings: session.settings, origin: session.origin)
                try call.push(
                    LuaValue.table([
                        .string("students"): .integer(result.students), .string("voided"): .integer(result.voided),
                        .string("issued"): .integer(result.issued), .string("pin_expiry"): .string(Timestamp.datePart(result.pinExpiry)),
                        .string("parent_code_expiry"): .string(Timestamp.datePart(result.parentCodeExpiry)),
                    ]))
                return 1
            } }),
    ]

    private static func readCode(_ kind: CredentialKind, call: LuaCall, session: ScriptSession) throws -> Int {
        let student = try call.userdata(at: 1, as: session.userType).user
        guard student.role == .student else {
            throw call.argumentError(at: 1, "\(student.key) is a \(student.role.rawValue); only students have codes")
        }
        guard let credential = try session.directory.readCode(kind, studentId: student.id, origin: session.origin) else {
            call.pushNil()
            call.pushNil()
            return 2
        }
        call.push(kind == .parentCode ? CodeGenerator.parentCode.format(credential.code) : credential.code)
        call.push(Timestamp.datePart(credential.expiresAt))
        return 2
    }
}
