import Foundation
import Testing

@testable import Storage

/// `forEachRow` reuses cached statements, so a nested use of the same SQL must not reset the
/// statement an outer loop is stepping through.
@Suite struct StatementCacheTests {
    static func numbers() throws -> Database {
        let database = try Database(path: ":memory:")
        try database.execute("CREATE TABLE numbers (value INTEGER)")
        for value in 1...3 {
            try database.execute("INSERT INTO numbers (value) VALUES (?1)", [value])
        }
        return database
    }

    static let all = "SELECT value FROM numbers ORDER BY value"

    @Test func nestedLoopOverTheSameQueryKeepsBothPositions() throws {
        let database = try Self.numbers()
        var pairs: [String] = []
        try database.forEachRow(Self.all) { outer in
            let first = outer.int(0)
            try database.forEachRow(Self.all) { inner in
                pairs.append("\(first)\(inner.int(0))")
            }
        }
        #expect(pairs == ["11", "12", "13", "21", "22", "23", "31", "32", "33"])
    }

    @Test func queryInsideALoopOverTheSameSQLLeavesTheLoopAlone() throws {
        let database = try Self.numbers()
        var seen: [Int] = []
        var innerCounts: [Int] = []
        try database.forEachRow(Self.all) { row in
            seen.append(row.int(0))
            innerCounts.append(try database.query(Self.all).count)
        }
        #expect(seen == [1, 2, 3])
        #expect(innerCounts == [3, 3, 3])
    }

    @Test func loopStoppedByAnErrorLeavesTheStatementReusable() throws {
        struct Stop: Error {}
        let database = try Self.numbers()
        #expect(throws: Stop.self) {
            try database.forEachRow(Self.all) { _ in throw Stop() }
        }
        var seen: [Int] = []
        try database.forEachRow(Self.all) { seen.append($0.int(0)) }
        #expect(seen == [1, 2, 3])
    }
}
