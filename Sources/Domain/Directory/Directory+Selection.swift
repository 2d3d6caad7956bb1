import Storage

extension Directory {
    /// The users in a selection, ordered by registration group, surname and forename.
    public func users(matching selection: Selection, limit: Int? = nil) throws -> [User] {
        var result: [User] = []
        try forEachUser(matching: selection, limit: limit) { result.append($0) }
        return result
    }

    /// Streams the users in a selection without holding them all in memory.
    public func forEachUser(matching selection: Selection, limit: Int? = nil, _ body: (User) throws -> Void) throws {
        let (condition, parameters) = selection.sqlCondition()
        var sql = """
            SELECT \(Self.userColumns) FROM users WHERE \(condition)
            ORDER BY users.role, users.year_group, users.registration_group, users.legal_surname, users.legal_forename, users.id
            """
        var values = parameters
        if let limit {
            sql += " LIMIT ?\(parameters.count + 1)"
            values.append(.integer(Int64(limit)))
        }
        try database.forEachRow(sql, values) { statement in
            try body(User(statement: statement))
        }
    }

    /// How many users a selection holds.
    public func count(matching selection: Selection) throws -> Int {
        let (condition, parameters) = selection.sqlCondition()
        return try database.scalar("SELECT count(*) FROM users WHERE \(condition)", parameters)?.intValue ?? 0
    }

    /// The ids of the users in a selection, for operations over the whole set.
    public func userIds(matching selection: Selection) throws -> [Int] {
        let (condition, parameters) = selection.sqlCondition()
        var ids: [Int] = []
        try database.forEachRow("SELECT users.id FROM users WHERE \(condition) ORDER BY users.id", parameters) { statement in
            ids.append(statement.int(0))
        }
        return ids
    }
}
