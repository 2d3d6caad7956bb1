import Domain
import Foundation
import LuaRuntime
import Storage

/// The Swift object behind a Selection userdata.
final class SelectionObject {
    let selection: Selection
    init(_ selection: Selection) { self.selection = selection }
}

/// The Swift object behind a User userdata: a copy of the row when it was read.
final class UserObject {
    let user: User
    init(_ user: User) { self.user = user }
}

/// `users.*`, the Selection type and the User type.
enum UsersModule {
    // MARK: - Functions

    static let functions: [APIFunction] = [
        APIFunction(
            module: "users", name: "select",
            parameters: [APIParameter(name: "query", type: "string|table", summary: "A selection such as \"role:student year:7\", or a table such as {role=\"student\", year=7}.")],
            returns: [APIReturn(type: "Selection", summary: "The people in the selection; nothing is read until you use it.")],
            summary: "Selects people with the selection syntax. Without a `status` term, only people on roll are selected.",
            errors: "Raises an error naming the term, its column and the valid keys or values when the query is invalid.",
            example: """
                local year7 = users.select("role:student year:7 email:missing")
                print(year7:count() .. " Year 7 students have no email")
                """,
            make: { session in { call in
                let selection = try selection(from: call, at: 1, session: session)
                call.push(SelectionObject(selection), as: session.selectionType)
                return 1
            } }),
        APIFunction(
            module: "users", name: "get",
            parameters: [APIParameter(name: "key", type: "string", summary: "A UPN, former UPN, staff code or source id.")],
            returns: [
                APIReturn(type: "User?", summary: "The person, or nil when nobody has that key."),
                APIReturn(type: "string?", summary: "Why nobody was found."),
            ],
            summary: "Finds one person by the key an admin would quote.",
            errors: nil,
            example: """
                local pupil, err = users.get("B801200005001")
                if not pupil then log.warn(err) end
                """,
            make: { session in { call in
                let key = try call.string(at: 1)
                guard let user = try session.directory.user(key: key) else {
                    call.pushNil()
                    call.push("no user with UPN, staff code or id '\(key)'")
                    return 2
                }
                call.push(UserObject(user), as: session.userType)
                return 1
            } }),
    ]

    /// Reads a selection argument: the query string, a table of terms, or a Selection.
    static func selection(from call: LuaCall, at index: Int, session: ScriptSession) throws -> Selection {
        switch call.type(at: index) {
        case .string:
            let query = try call.string(at: index)
            do {
                return try Selection(parsing: query, baseDirectory: session.workspace.root)
            } catch {
                throw call.argumentError(at: index, error.description)
            }
        case .table:
            let query = try queryText(fromTable: try call.value(at: index), call: call, index: index)
            do {
                return try Selection(parsing: query, baseDirectory: session.workspace.root)
            } catch {
                throw call.argumentError(at: index, error.description)
            }
        case .userdata:
            return try call.userdata(at: index, as: session.selectionType).selection
        default:
            throw call.typeError(at: index, expected: "string or table")
        }
    }

    /// `{role="student", year={7, 8}, name="O'Brien"}` as `role:student year:7,8 name:"O'Brien"`.
    private static func queryText(fromTable value: LuaValue, call: LuaCall, index: Int) throws -> String {
        guard let fields = value.fields else {
            throw call.argumentError(at: index, "a selection table needs named keys, such as {role=\"student\", year=7}")
        }
        var terms: [String] = []
        for (key, item) in fields.sorted(by: { $0.key < $1.key }) {
            let values: [LuaValue] = item.arrayValue ?? [item]
            let words = try values.map { element -> String in
                switch element {
                case .string(let text): return text.contains(" ") ? "\"\(text)\"" : text
                case .integer(let number): return String(number)
                case .boolean(let flag): return flag ? "yes" : "no"
                default:
                    throw call.argumentError(at: index, "the value of '\(key)' must be a string, a number or a list of them")
                }
            }
            terms.append("\(key):\(words.joined(separator: ","))")
        }
        return terms.joined(separator: " ")
    }

    // MARK: - Selection

    static let selectionType = APIType(
        name: "Selection",
        summary: "A set of people described by a selection. It is a query, not a copy: each method reads the directory as it is at that moment.",
        fields: [APIField(name: "query", type: "string", summary: "The selection in the selection syntax.")],
        methods: [
            APIMethod(name: "count", parameters: [], returns: [APIReturn(type: "integer", summary: "How many people the selection holds.")], summary: "Counts the people; `#selection` does the same.", example: "print(#users.select(\"year:7\"))"),
            APIMethod(
                name: "each", parameters: [], returns: [APIReturn(type: "fun(): User?", summary: "An iterator for a generic `for`.")],
                summary: "Streams the people one at a time, ordered by role, year, registration group and name, without loading them all.",
                example: "for pupil in users.select(\"reg:7B\"):each() do print(pupil.upn, pupil.name) end"),
            APIMethod(
                name: "list", parameters: [APIParameter(name: "limit", type: "integer?", summary: "The most people to return.")],
                returns: [APIReturn(type: "User[]", summary: "The people, as a list.")], summary: "Reads the people into a list.", example: "local first = users.select(\"year:7\"):list(10)"),
            APIMethod(
                name: "where", parameters: [APIParameter(name: "more", type: "string|table", summary: "More terms, as for `users.select`.")],
                returns: [APIReturn(type: "Selection", summary: "A narrower selection.")], summary: "Narrows the selection by more terms, which AND with its own.",
                example: "local missing = users.select(\"year:7\"):where(\"email:missing\")"),
            APIMethod(
                name: "filter", parameters: [APIParameter(name: "keep", type: "fun(user: User): boolean", summary: "Returns true for the people to keep.")],
                returns: [APIReturn(type: "Selection", summary: "The people for whom `keep` returned true.")],
                summary: "Narrows the selection with a Lua function, for rules the selection syntax cannot express.",
                example: "local hyphenated = users.select(\"role:student\"):filter(function(u) return u.surname:find(\"-\") end)"),
        ])

    static func selectionDefinition(session: ScriptSession) -> LuaUserdataDefinition<SelectionObject> {
        var definition = LuaUserdataDefinition<SelectionObject>(name: "Selection")
        definition.fields["query"] = { object, call in call.push(object.selection.description) }
        definition.length = { object in try session.directory.count(matching: object.selection) }
        definition.description = { object in "Selection(\(object.selection))" }
        definition.methods["count"] = { object, call in
            call.push(try session.directory.count(matching: object.selection))
            return 1
        }
        definition.methods["list"] = { object, call in
            let limit = try call.optionalInteger(at: 2)
            let people = try session.directory.users(matching: object.selection, limit: limit)
            call.pushTable(arrayCapacity: people.count)
            for (offset, user) in people.enumerated() {
                call.push(UserObject(user), as: session.userType)
                call.setElement(offset + 1)
            }
            return 1
        }
        definition.methods["where"] = { object, call in
            let more = try selection(from: call, at: 2, session: session)
            call.push(SelectionObject(object.selection.narrowed(by: more)), as: session.selectionType)
            return 1
        }
        definition.methods["each"] = { object, call in
            let cursor = try UserCursor(directory: session.directory, selection: object.selection)
            call.push(function: "Selection:each iterator") { iteration in
                guard let user = try cursor.next() else {
                    iteration.pushNil()
                    return 1
                }
                iteration.push(UserObject(user), as: session.userType)
                return 1
            }
            return 1
        }
        definition.methods["filter"] = { object, call in
            guard call.type(at: 2) == .function else { throw call.typeError(at: 2, expected: "function") }
            var kept: [Int] = []
            let cursor = try UserCursor(directory: session.directory, selection: object.selection)
            while let user = try cursor.next() {
                call.pushCopy(of: 2)
                call.push(UserObject(user), as: session.userType)
                try call.callFunction(argumentCount: 1, resultCount: 1)
                if call.boolean(at: call.top) { kept.append(user.id) }
                call.pop()
            }
            let narrowed = object.selection.narrowed(by: Selection(terms: [.init(key: .id, condition: .ranges(Self.ranges(of: kept)))]))
            call.push(SelectionObject(kept.isEmpty ? Selection(terms: [.init(key: .id, condition: .ranges([0...0]))]) : narrowed), as: session.selectionType)
            return 1
        }
        return definition
    }

    /// Sorted ids as the fewest ranges, so that a filtered selection stays a short SQL condition.
    static func ranges(of ids: [Int]) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for id in ids.sorted() {
            if let last = result.last, last.upperBound + 1 == id {
                result[result.count - 1] = last.lowerBound...id
            } else {
                result.append(id...id)
            }
        }
        return result
    }

    // MARK: - User

    static let userType = APIType(
        name: "User",
        summary: "One person as the directory held them when they were read. Fields are read-only.",
        fields: [
            APIField(name: "id", type: "integer", summary: "The directory's own id."),
            APIField(name: "role", type: "string", summary: "student, teacher, staff or parent."),
            APIField(name: "upn", type: "string?", summary: "A student's UPN."),
            APIField(name: "former_upn", type: "string?", summary: "The UPN the student had before, such as a temporary one."),
            APIField(name: "staff_code", type: "string?", summary: "A member of staff's code."),
            APIField(name: "admission_number", type: "string?", summary: "A student's admission number."),
            APIField(name: "key", type: "string", summary: "UPN, staff code or source id: the key an admin quotes."),
            APIField(name: "legal_forename", type: "string", summary: "The legal forename."),
            APIField(name: "legal_surname", type: "string", summary: "The legal surname."),
            APIField(name: "preferred_forename", type: "string?", summary: "The preferred forename, when different."),
            APIField(name: "forename", type: "string", summary: "The forename the person goes by."),
            APIField(name: "surname", type: "string", summary: "The surname the person goes by."),
            APIField(name: "name", type: "string", summary: "Forename and surname as the person goes by them."),
            APIField(name: "email", type: "string?", summary: "The email address, or nil."),
            APIField(name: "year", type: "integer?", summary: "The year group: 0 for Reception, 1 to 13."),
            APIField(name: "reg", type: "string?", summary: "The registration group, such as 7B."),
            APIField(name: "status", type: "string", summary: "on-roll or left."),
            APIField(name: "registered", type: "boolean", summary: "For a parent: whether they have registered with a parent code."),
            APIField(name: "last_login", type: "string?", summary: "When the person last signed in (ISO 8601), or nil if never."),
            APIField(name: "sso", type: "boolean", summary: "Whether the person signs in with the school's single sign-on."),
            APIField(name: "parents", type: "User[]", summary: "A student's parents and guardians, in priority order."),
            APIField(name: "children", type: "User[]", summary: "A parent's children in the school."),
        ],
        methods: [])

    static func userDefinition(session: ScriptSession) -> LuaUserdataDefinition<UserObject> {
        var definition = LuaUserdataDefinition<UserObject>(name: "User")
        definition.description = { object in "User(\(object.user.key), \(object.user.displayName))" }
        definition.fields = [
            "id": { object, call in call.push(object.user.id) },
            "role": { object, call in call.push(object.user.role.rawValue) },
            "upn": { object, call in call.push(object.user.upn) },
            "former_upn": { object, call in call.push(object.user.formerUPN) },
            "staff_code": { object, call in call.push(object.user.staffCode) },
            "admission_number": { object, call in call.push(object.user.admissionNumber) },
            "key": { object, call in call.push(object.user.key) },
            "legal_forename": { object, call in call.push(object.user.legalForename) },
            "legal_surname": { object, call in call.push(object.user.legalSurname) },
            "preferred_forename": { object, call in call.push(object.user.preferredForename) },
            "forename": { object, call in call.push(object.user.forename) },
            "surname": { object, call in call.push(object.user.surname) },
            "name": { object, call in call.push(object.user.displayName) },
            "email": { object, call in call.push(object.user.email) },
            "year": { object, call in
                if let year = object.user.yearGroup { call.push(year.number) } else { call.pushNil() }
            },
            "reg": { object, call in call.push(object.user.registrationGroup) },
            "status": { object, call in call.push(object.user.status.rawValue) },
            "registered": { object, call in call.push(object.user.registered) },
            "last_login": { object, call in call.push(object.user.lastLogin) },
            "sso": { object, call in call.push(try session.usesSSO(object.user)) },
            "parents": { object, call in
                pushList(try session.directory.parents(ofStudent: object.user.id), call: call, session: session)
            },
            "children": { object, call in
                pushList(try session.directory.children(ofParent: object.user.id), call: call, session: session)
            },
        ]
        definition.metamethods["__eq"] = { call in
            let first = try call.userdata(at: 1, as: session.userType)
            let second = try call.userdata(at: 2, as: session.userType)
            call.push(first.user.id == second.user.id)
            return 1
        }
        return definition
    }

    static func pushList(_ people: [User], call: LuaCall, session: ScriptSession) {
        call.pushTable(arrayCapacity: people.count)
        for (offset, user) in people.enumerated() {
            call.push(UserObject(user), as: session.userType)
            call.setElement(offset + 1)
        }
    }
}

/// Steps through a selection's rows one at a time, for `Selection:each()`.
final class UserCursor {
    private let statement: Statement
    private var finished = false

    init(directory: Directory, selection: Selection) throws {
        let (condition, parameters) = selection.sqlCondition()
        statement = try directory.database.prepare(
            """
            SELECT \(Directory.userColumns) FROM users WHERE \(condition)
            ORDER BY users.role, users.year_group, users.registration_group, users.legal_surname, users.legal_forename, users.id
            """)
        try statement.bind(parameters)
    }

    func next() throws -> User? {
        guard !finished else { return nil }
        guard try statement.step() else {
            finished = true
            statement.reset()
            return nil
        }
        return User(statement: statement)
    }
}

extension ScriptSession {
    /// Whether a person signs in through the school's SSO (parents never do).
    func usesSSO(_ user: User) throws -> Bool {
        guard user.role != .parent else { return false }
        return try ssoProvider(schoolId: user.schoolId) != .none
    }

    func ssoProvider(schoolId: Int) throws -> SSOProvider {
        try directory.schools().first { $0.id == schoolId }?.ssoProvider ?? .none
    }
}
