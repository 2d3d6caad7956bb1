import Domain
import LuaRuntime
import Testing

@testable import Automation

@Suite("REPL engine")
struct InteractiveSessionTests {
    // MARK: - Helpers

    /// A REPL on the fixture's directory, with printed lines collected.
    final class Repl {
        let fixture: ScriptFixture
        let session: InteractiveSession
        var printed: [String] = []

        init(dryRun: Bool = false) throws {
            fixture = try ScriptFixture()
            var options = InteractiveSession.Options()
            options.dryRun = dryRun
            options.selectionPreviewRows = 2
            session = try InteractiveSession(directory: fixture.directory, settings: Settings(), workspace: fixture.workspace, options: options)
            session.output = { [unowned self] line in printed.append(line) }
        }

        /// Enters each line and returns the last evaluation, or nil while the chunk is unfinished.
        @discardableResult
        func enter(_ lines: String...) -> InteractiveEvaluation? {
            var last: InteractiveEvaluation?
            for line in lines {
                switch session.enter(line) {
                case .needsMore: last = nil
                case .evaluated(let evaluation): last = evaluation
                }
            }
            return last
        }

        func count(_ sql: String) throws -> Int { try fixture.count(sql) }

        /// Credential rows, issued and voided; the fixture's import issues some.
        func credentials() throws -> Int { try fixture.count("SELECT count(*) FROM credentials") }
    }

    // MARK: - Expressions and statements

    @Test(
        "an expression's value is shown",
        arguments: [
            ("1 + 1", [InteractiveValue.scalar(.integer(2))]),
            ("'a' .. 'b'", [.scalar(.string("ab"))]),
            ("1, nil, true", [.scalar(.integer(1)), .scalar(.nil), .scalar(.boolean(true))]),
            ("school.name", [.scalar(.string("Castle Mead Academy"))]),
            ("users.select('year:9'):count();", [.scalar(.integer(1))]),
            ("2 * 3 -- a comment", [.scalar(.integer(6))]),
            ("print('no value')", []),
        ])
    func expressionValue(source: String, expected: [InteractiveValue]) throws {
        let repl = try Repl()
        let evaluation = try #require(repl.enter(source))
        #expect(evaluation.failure == nil)
        #expect(evaluation.values == expected)
    }

    @Test("a statement's globals last for later statements")
    func globalsPersist() throws {
        let repl = try Repl()
        #expect(repl.enter("x = 40")?.values == [])
        #expect(repl.enter("x + 2")?.values == [.scalar(.integer(42))])
        #expect(repl.enter("local y = 1")?.failure == nil)
        #expect(repl.enter("y")?.values == [.scalar(.nil)])
    }

    @Test("print sends lines to the output handler")
    func printGoesToOutput() throws {
        let repl = try Repl()
        repl.enter("print(users.select('year:7'):count())")
        #expect(repl.printed == ["2"])
    }

    @Test("a table is read with sorted keys and nested tables")
    func tableValue() throws {
        let repl = try Repl()
        let evaluation = try #require(repl.enter("{ b = 2, a = { 10 }, 'first' }"))
        #expect(
            evaluation.values == [
                .table(
                    entries: [
                        InteractiveTableEntry(key: .integer(1), value: .scalar(.string("first"))),
                        InteractiveTableEntry(key: .string("a"), value: .table(entries: [InteractiveTableEntry(key: .integer(1), value: .scalar(.integer(10)))], count: 1)),
                        InteractiveTableEntry(key: .string("b"), value: .scalar(.integer(2))),
                    ], count: 3)
            ])
    }

    @Test("a table that contains itself stops at the depth limit")
    func cyclicTable() throws {
        let repl = try Repl()
        let evaluation = try #require(repl.enter("(function() local t = {} t.me = t return t end)()"))
        guard case .table(let entries, 1)? = evaluation.values.first,
            case .table(let inner, 1) = entries[0].value,
            case .table(let innermost, 1) = inner[0].value
        else {
            Issue.record("expected three nested tables, got \(evaluation.values)")
            return
        }
        #expect(innermost[0].value == .nestedTable)
    }

    @Test("a selection shows its query, count and first rows")
    func selectionValue() throws {
        let repl = try Repl()
        let evaluation = try #require(repl.enter("users.select('role:student')"))
        guard case .selection(let query, let count, let rows)? = evaluation.values.first else {
            Issue.record("expected a selection, got \(evaluation.values)")
            return
        }
        #expect(query == "role:student")
        #expect(count == 3)
        #expect(rows.count == 2)
    }

    @Test("a user and a list of users are read as users")
    func userValues() throws {
        let repl = try Repl()
        let single = try #require(repl.enter("users.get('\(ScriptFixture.zoe)')"))
        guard case .user(let user)? = single.values.first else {
            Issue.record("expected a user, got \(single.values)")
            return
        }
        #expect(user.displayName == "Zoë Ní Bhriain")

        let list = try #require(repl.enter("users.select('year:7'):list()"))
        guard case .table(let entries, 2)? = list.values.first else {
            Issue.record("expected a table of two, got \(list.values)")
            return
        }
        #expect(entries.allSatisfy { if case .user = $0.value { true } else { false } })
    }

    @Test("functions read as opaque values")
    func functionValue() throws {
        let repl = try Repl()
        #expect(repl.enter("print")?.values == [.opaque(typeName: "function")])
    }

    // MARK: - Errors

    @Test(
        "errors are reported and the session goes on",
        arguments: [
            ("nosuch()", "repl:1: attempt to call a nil value (global 'nosuch')"),
            ("x = = 1", "repl:1: unexpected symbol near '='"),
            ("error('stop here')", "repl:1: stop here"),
            ("users.select('yaer:7')", "repl:1: bad argument #1 to 'users.select' (unknown selection key 'yaer'"),
        ])
    func errorIsReported(source: String, messageStart: String) throws {
        let repl = try Repl()
        let evaluation = try #require(repl.enter(source))
        let failure = try #require(evaluation.failure)
        #expect(failure.hasPrefix(messageStart), "got: \(failure)")
        #expect(repl.enter("1")?.values == [.scalar(.integer(1))])
    }

    // MARK: - Multi-line chunks

    @Test("an unfinished chunk waits for more lines")
    func multiLineChunk() throws {
        let repl = try Repl()
        #expect(repl.session.enter("function double(n)") == .needsMore)
        #expect(repl.session.hasPendingInput)
        #expect(repl.session.enter("  return n * 2") == .needsMore)
        #expect(repl.enter("end")?.failure == nil)
        #expect(repl.enter("double(21)")?.values == [.scalar(.integer(42))])
    }

    @Test("a table constructor over several lines is shown")
    func multiLineExpression() throws {
        let repl = try Repl()
        #expect(repl.session.enter("t = {") == .needsMore)
        #expect(repl.enter("  1, 2,", "}")?.failure == nil)
        #expect(repl.enter("#t")?.values == [.scalar(.integer(2))])
    }

    @Test("an unfinished chunk at the end of input is a syntax error")
    func unfinishedAtEnd() throws {
        let repl = try Repl()
        #expect(repl.session.enter("for i = 1, 3 do") == .needsMore)
        let evaluation = try #require(repl.session.finishInput())
        #expect(evaluation.failure == "repl:1: 'end' expected near <eof>")
        #expect(repl.session.finishInput() == nil)
    }

    @Test("discarding pending input starts a fresh chunk")
    func discardPending() throws {
        let repl = try Repl()
        #expect(repl.session.enter("if true then") == .needsMore)
        repl.session.discardPendingInput()
        #expect(repl.enter("3")?.values == [.scalar(.integer(3))])
    }

    // MARK: - Transactions

    static let regenerate = "codes.regenerate(users.select('year:7'))"

    @Test("each statement commits on its own")
    func statementCommits() throws {
        let repl = try Repl()
        let before = try repl.credentials()
        #expect(repl.enter(Self.regenerate)?.failure == nil)
        #expect(!repl.session.isTransactionOpen)
        #expect(try repl.credentials() == before + 4)
        #expect(!repl.fixture.directory.database.isInTransaction)
    }

    @Test("a failing statement is rolled back")
    func failingStatementRollsBack() throws {
        let repl = try Repl()
        let before = try repl.credentials()
        let evaluation = repl.enter(Self.regenerate + "; error('after')")
        #expect(evaluation?.failure == "repl:1: after")
        #expect(try repl.credentials() == before)
    }

    @Test("begin and commit group statements")
    func beginCommit() throws {
        let repl = try Repl()
        let before = try repl.credentials()
        #expect(repl.enter("begin()")?.transactionChange == .began)
        #expect(repl.session.isTransactionOpen)
        #expect(repl.enter(Self.regenerate)?.failure == nil)
        #expect(repl.fixture.directory.database.isInTransaction)
        #expect(repl.enter("commit()")?.transactionChange == .committed)
        #expect(!repl.session.isTransactionOpen)
        #expect(!repl.fixture.directory.database.isInTransaction)
        #expect(try repl.credentials() == before + 4)
    }

    @Test("rollback undoes every statement since begin")
    func beginRollback() throws {
        let repl = try Repl()
        let before = try repl.credentials()
        repl.enter("begin()")
        repl.enter(Self.regenerate)
        repl.enter(Self.regenerate)
        #expect(repl.enter("rollback()")?.transactionChange == .rolledBack)
        #expect(try repl.credentials() == before)
    }

    @Test("a failing statement inside a transaction undoes only itself")
    func failureInsideTransaction() throws {
        let repl = try Repl()
        let before = try repl.credentials()
        repl.enter("begin()")
        repl.enter(Self.regenerate)
        #expect(repl.enter(Self.regenerate + "; error('second')")?.failure == "repl:1: second")
        #expect(repl.session.isTransactionOpen)
        repl.enter("commit()")
        #expect(try repl.credentials() == before + 4)
    }

    @Test("leaving with an open transaction can roll it back")
    func rollBackOnExit() throws {
        let repl = try Repl()
        let before = try repl.credentials()
        repl.enter("begin()", Self.regenerate)
        try repl.session.rollBackTransaction()
        #expect(!repl.session.isTransactionOpen)
        #expect(try repl.credentials() == before)
    }

    @Test(
        "misused transaction functions raise errors",
        arguments: [
            ("commit()", "repl:1: commit() found no open transaction; call begin() first to group statements"),
            ("rollback()", "repl:1: rollback() found no open transaction; call begin() first to group statements"),
            ("begin() begin()", "repl:1: a transaction is already open; call commit() or rollback() before begin()"),
        ])
    func transactionMisuse(source: String, message: String) throws {
        let repl = try Repl()
        if source == "begin() begin()" {
            repl.enter("begin()")
            #expect(repl.enter("begin()")?.failure == message)
        } else {
            #expect(repl.enter(source)?.failure == message)
        }
    }

    // MARK: - Dry run

    @Test("a dry run rolls back each statement and reports its changes")
    func dryRun() throws {
        let repl = try Repl(dryRun: true)
        let before = try repl.credentials()
        let evaluation = try #require(repl.enter(Self.regenerate))
        #expect(evaluation.failure == nil)
        let changes = try #require(evaluation.dryRunChanges)
        #expect(changes.rowsByTable == ["credentials rows": 4])
        #expect(changes.total >= 4)
        #expect(changes.actions.count == 1, "got \(changes.actions)")
        #expect(try repl.credentials() == before)
        #expect(!repl.fixture.directory.database.isInTransaction)
    }

    @Test("begin is not available in a dry run")
    func dryRunRejectsBegin() throws {
        let repl = try Repl(dryRun: true)
        #expect(
            repl.enter("begin()")?.failure
                == "repl:1: begin() is not available in a dry run, where every statement is rolled back; restart the REPL without --dry-run to group statements"
        )
    }

    // MARK: - Audit

    @Test("reading a code is audited as repl")
    func codeReadAudited() throws {
        let repl = try Repl()
        repl.enter(Self.regenerate)
        #expect(repl.enter("codes.pin(users.get('\(ScriptFixture.zoe)'))")?.failure == nil)
        #expect(try repl.count("SELECT count(*) FROM audit_log WHERE via = 'repl' AND action LIKE '%read%'") == 1)
    }

    // MARK: - Completion

    @Test(
        "names complete from the API and the environment",
        arguments: [
            ("users.se", "se", ["select"]),
            ("x = us", "us", ["users"]),
            ("school.", "", ["dfe_number", "login_url", "name", "sso"]),
            ("string.up", "up", ["upper"]),
            ("u.leg", "leg", ["legal_forename", "legal_surname"]),
            ("s:c", "c", ["count"]),
            ("t.na", "na", ["name"]),
            ("mysel", "mysel", []),
            ("ret", "ret", ["return"]),
        ])
    func completion(text: String, prefix: String, candidates: [String]) throws {
        let repl = try Repl()
        repl.enter("u = users.get('\(ScriptFixture.zoe)')")
        repl.enter("s = users.select('year:7')")
        repl.enter("t = { name = 1, other = 2 }")
        let completion = repl.session.completions(for: text)
        #expect(completion.prefix == prefix)
        #expect(completion.candidates == candidates)
    }

    @Test("the common prefix of candidates is what TAB inserts")
    func commonPrefix() {
        #expect(InteractiveCompletion(prefix: "l", candidates: ["legal_forename", "legal_surname"]).commonPrefix == "legal_")
        #expect(InteractiveCompletion(prefix: "x", candidates: []).commonPrefix == "x")
    }

    // MARK: - Help

    @Test("help lists modules and shows a function's documentation")
    func help() {
        #expect(InteractiveHelp.overview().contains("  users      select, get"))
        #expect(InteractiveHelp.overview().contains(":help NAME"))
        #expect(InteractiveHelp.help(for: "users.select")?.hasPrefix("### users.select(query)") == true)
        #expect(InteractiveHelp.help(for: "begin")?.hasPrefix("### begin()") == true)
        #expect(InteractiveHelp.help(for: "users.nosuch") == nil)
    }
}
