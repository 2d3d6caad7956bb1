import LuaRuntime
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// One directory row as the Automation layer might expose it.
private final class BenchmarkRow {
    let upn: String
    let forename: String
    let surname: String
    let year: Int
    let registrationGroup: String

    init(number: Int) {
        upn = "B8012000\(String(100_000 + number).suffix(5))"
        forename = "Forename\(number)"
        surname = "Surname\(number % 977)"
        year = 7 + number % 7
        registrationGroup = "\(year)R\(number % 5)"
    }
}

private func seconds(_ body: () throws -> Void) rethrows -> Double {
    var start = timespec()
    var end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    try body()
    clock_gettime(CLOCK_MONOTONIC, &end)
    return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
}

/// Iterates 100,000 userdata rows from Lua, reading five fields of each, and prints the time.
/// Runs only when LANYARD_BENCHMARK is set, because a debug build on a shared machine gives no
/// useful numbers: `LANYARD_BENCHMARK=1 swift test -c release --filter userdataRowIteration`.
///
/// NOTE: on the 2-core development machine this took 80 to 120 ms, against 30 to 40 ms for
/// `sqlite3 db "select upn, forename, surname, year, reg from users" > /dev/null` over the same
/// 100,000 rows. Most of the gap is Lua creating three new strings per row, which pure Lua
/// (`s .. i`) pays as well, so the directory iterator should avoid any further per-row cost.
@Test(.enabled(if: getenv("LANYARD_BENCHMARK") != nil))
func userdataRowIteration() throws {
    let rowCount = 100_000
    let rows = (0..<rowCount).map(BenchmarkRow.init)
    let lua = try LuaState()

    var definition = LuaUserdataDefinition<BenchmarkRow>(name: "Benchmark.Row")
    definition.fields["upn"] = { row, call in call.push(row.upn) }
    definition.fields["forename"] = { row, call in call.push(row.forename) }
    definition.fields["surname"] = { row, call in call.push(row.surname) }
    definition.fields["year"] = { row, call in call.push(row.year) }
    definition.fields["reg"] = { row, call in call.push(row.registrationGroup) }
    let rowType = try lua.register(definition)

    try lua.register(function: "rows") { call in
        var next = 0
        call.push(function: "rows iterator") { call in
            guard next < rows.count else { return 0 }
            call.push(rows[next], as: rowType)
            next += 1
            return 1
        }
        return 1
    }
    try lua.register(function: "noop") { _ in 0 }
    let script = """
        local count, length = 0, 0
        for u in rows() do
          local upn, forename, surname, year, reg = u.upn, u.forename, u.surname, u.year, u.reg
          count = count + 1
          length = length + #upn + #reg
        end
        return count, length
        """
    var results: [LuaValue] = []
    let elapsed = try seconds { results = try lua.run(script, chunkName: "bench.lua") }
    #expect(results.first == .integer(rowCount))
    print("userdataRowIteration: \(rowCount) rows x 5 fields in \(elapsed * 1000) ms")
    // Reference points for the same state: the iteration alone, the same reads from a Lua
    // table, and the cost of a call into Swift against a call into C.
    let variants = [
        ("rows without field reads", "local n = 0 for u in rows() do n = n + 1 end return n"),
        (
            "same reads from one Lua table",
            "local t = {upn = 'x', forename = 'y', surname = 'z', year = 7, reg = '7R'} for i = 1, 100000 do local a, b, c, d, e = t.upn, t.forename, t.surname, t.year, t.reg end"
        ),
        ("500,000 calls of a Swift function", "local f = noop for i = 1, 500000 do f() end"),
        ("500,000 calls of a C function", "local f = rawequal for i = 1, 500000 do f(1, 2) end"),
    ]
    for (label, source) in variants {
        let time = try seconds { _ = try lua.run(source, chunkName: "variant.lua") }
        print("  \(label): \(time * 1000) ms")
    }
}
