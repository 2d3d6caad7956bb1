import Foundation
import Storage
import Testing

@testable import Domain

@Suite("sending password links")
struct LinksSendTests {
    /// The outcome for each person of the small school, by forename.
    func outcomes(_ report: LinkSendReport) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: report.outcomes.map { outcome in
                (String(outcome.name.split(separator: " ")[0]), outcome.reason?.rawValue ?? outcome.status.rawValue)
            })
    }

    @Test func eachPersonGetsAnOutcome() throws {
        let fixture = try LinkFixture()
        let report = try fixture.send("status:any")

        #expect(
            outcomes(report) == [
                "Zoë": "queued", "Łukasz": "queued", "Ruth": "queued", "Niamh": "missing-email", "Liam": "left", "Siân": "not-registered",
            ])
        #expect(report.queued == 3)
        #expect(report.skipped == [.missingEmail: 1, .left: 1, .notRegistered: 1])
        #expect(try fixture.count("outbox") == 3)
        #expect(try fixture.count("password_links") == 3)
    }

    @Test func ssoSchoolSkipsAllButParents() throws {
        let fixture = try LinkFixture(sso: .google)
        try fixture.register(try fixture.named("Siân"))
        let report = try fixture.send("all")
        #expect(outcomes(report) == ["Zoë": "sso", "Łukasz": "sso", "Ruth": "sso", "Niamh": "sso", "Siân": "queued"])
    }

    @Test func registeredParentGetsParentTemplate() throws {
        let fixture = try LinkFixture()
        try fixture.register(try fixture.named("Siân"))
        let report = try fixture.send("role:parent")
        #expect(report.outcomes.map(\.template) == ["first-login-parent"])
        let entry = try fixture.entry(report.outcomes[0])
        #expect(entry.recipient == "sian@example.org")
        #expect(entry.subject == "Castle Mead Academy: set your parent account password")
        #expect(entry.purpose == .firstLoginLink)
    }

    @Test func invalidStoredAddressIsSkipped() throws {
        let fixture = try LinkFixture()
        try fixture.directory.database.execute("UPDATE users SET email = 'zoe at castlemead' WHERE legal_forename = 'Zoë'")
        #expect(outcomes(try fixture.send("reg:7A")) == ["Zoë": "invalid-email"])
    }

    @Test func limitSendsToFirstEligible() throws {
        let fixture = try LinkFixture()
        let report = try fixture.send("all", LinkSendOptions(limit: 1))
        #expect(report.queued == 1)
        #expect(report.skipped[.overLimit] == 2)
        #expect(report.skipped[.missingEmail] == 1)
    }

    @Test func dryRunWritesNothing() throws {
        let fixture = try LinkFixture()
        let auditBefore = try fixture.count("audit_log")
        let report = try fixture.send("all", LinkSendOptions(dryRun: true))

        #expect(report.queued == 3)
        #expect(report.dryRun)
        #expect(report.outcomes.allSatisfy { $0.outboxId == nil })
        #expect(try fixture.count("outbox") == 0)
        #expect(try fixture.count("password_links") == 0)
        #expect(try fixture.count("audit_log") == auditBefore)
    }

    @Test func resendWindowSkipsRecentLinks() throws {
        let fixture = try LinkFixture()
        _ = try fixture.send("reg:7A")
        #expect(outcomes(try fixture.send("reg:7A")) == ["Zoë": "recently-sent"])
        #expect(outcomes(try fixture.send("reg:7A", LinkSendOptions(resend: true))) == ["Zoë": "queued"])
        #expect(outcomes(try fixture.send("reg:7A", LinkSendOptions(purpose: .recovery))) == ["Zoë": "queued"])
    }

    @Test func resendWindowEndsAfter24Hours() throws {
        let fixture = try LinkFixture()
        _ = try fixture.send("reg:7A")
        let dayLater = try Directory(path: fixture.test.path, actor: "tester", now: { TestDirectory.fixedNow.addingTimeInterval(86_400) })
        let report = try dayLater.sendLinks(
            to: try Selection(parsing: "reg:7A"), options: LinkSendOptions(), settings: fixture.settings, templates: fixture.templates)
        #expect(report.queued == 1)
    }

    @Test func cancelledMessageDoesNotCountAsSent() throws {
        let fixture = try LinkFixture()
        let first = try fixture.send("reg:7A")
        try fixture.directory.cancel(id: try #require(first.outcomes[0].outboxId))
        #expect(outcomes(try fixture.send("reg:7A")) == ["Zoë": "queued"])
    }

    @Test func testAddressGetsEveryMessageWithUnusableLinks() throws {
        let fixture = try LinkFixture()
        let live = try fixture.send("reg:7A")
        let liveToken = try fixture.token(inOutbox: try #require(live.outcomes[0].outboxId))

        let report = try fixture.send("all", LinkSendOptions(testAddress: "admin@castlemead.sch.uk", resend: true))

        #expect(report.queued == 3)
        #expect(report.testAddress == "admin@castlemead.sch.uk")
        for outcome in report.outcomes where outcome.status == .queued {
            #expect(outcome.testAddress == "admin@castlemead.sch.uk")
            let entry = try fixture.entry(outcome)
            #expect(entry.recipient == "admin@castlemead.sch.uk")
            #expect(entry.subject.hasPrefix("[Test for \(outcome.name)] "))
            let token = try fixture.token(inOutbox: entry.id)
            #expect(throws: LinkError.testLink(testAddress: "admin@castlemead.sch.uk")) {
                try fixture.directory.redeemLink(token: token, password: LinksTokenTests.strongPassword)
            }
        }
        // The live link sent before still works, and a real send is not held back by the test.
        try fixture.directory.redeemLink(token: liveToken, password: LinksTokenTests.strongPassword)
        #expect(outcomes(try fixture.send("reg:7B")) == ["Łukasz": "queued"])
    }

    @Test func missingSenderIsAnError() throws {
        var fixture = try LinkFixture()
        fixture.settings.mailFromAddress = ""
        #expect(throws: LinkSendError.missingSender) { try fixture.send("all") }
        #expect(
            LinkSendError.missingSender.description
                == "no sender address is set; set mail = { from_address = \"office@your-school.sch.uk\" } in lanyard.config.lua")
    }

    @Test func templateErrorQueuesNothing() throws {
        let fixture = try LinkFixture()
        let folder = TemporaryFolder()
        folder.write("first-login-staff.subject", "Welcome\n")
        folder.write("first-login-staff.txt", "Dear {{forename}} of {{reg}},\n{{link}}\n")
        let templates = TemplateLibrary(folders: [folder.path] + fixture.templates.folders)

        #expect(throws: TemplateError.self) {
            try fixture.directory.sendLinks(to: Selection(), options: LinkSendOptions(), settings: fixture.settings, templates: templates)
        }
        #expect(try fixture.count("outbox") == 0)
        #expect(try fixture.count("password_links") == 0)
    }

    @Test func reportWritesOneCSVRowPerPerson() throws {
        let fixture = try LinkFixture()
        let report = try fixture.send("reg:7A,9C")
        let path = fixture.test.folder.file("report.csv")
        try report.writeCSV(to: path)

        var reader = try CSVReader(path: path)
        #expect(reader.header == LinkSendReport.csvHeader)
        let rows = try reader.readAll().map(\.fields)
        let zoeKey = try fixture.named("Zoë").key
        #expect(rows.contains([zoeKey, "Zoë Ní Bhriain", "student", "zoe@castlemead.sch.uk", "queued", "", "zoe@castlemead.sch.uk", "1"]))
        #expect(rows.contains { $0[1] == "Niamh Ní Bhriain" && $0[4] == "skipped" && $0[5] == "missing-email" })
    }

    // MARK: - Preview

    @Test func previewUsesFakeTokenAndStoresNothing() throws {
        let fixture = try LinkFixture()
        let previews = try fixture.directory.previewLinks(
            to: Selection(parsing: "all"), options: LinkSendOptions(), count: 2, settings: fixture.settings, templates: fixture.templates)

        #expect(previews.map(\.to) == ["Zoë Ní Bhriain <zoe@castlemead.sch.uk>", "Łukasz Nowak <lukasz@castlemead.sch.uk>"])
        #expect(previews[0].subject == "Castle Mead Academy: set your password, Zoë")
        #expect(previews[0].text.contains("https://login.castlemead.example/set-password?token=PREVIEW-TOKEN\n"))
        #expect(previews[0].text.contains("You are in registration group 7A.\n"))
        #expect(try fixture.count("password_links") == 0)
        #expect(try fixture.count("outbox") == 0)
    }

    // MARK: - Forgot password

    func forgot(_ fixture: LinkFixture, _ email: String) throws -> Directory.ForgotPasswordAnswer {
        try fixture.directory.forgotPassword(email: email, settings: fixture.settings, templates: fixture.templates)
    }

    @Test func forgotPasswordAnswersTheSameForEveryone() throws {
        let fixture = try LinkFixture()
        let answers = try ["zoe@castlemead.sch.uk", "nobody@example.org", "sian@example.org", "not an address"].map { try forgot(fixture, $0) }
        #expect(Set(answers.map(\.message)) == ["If that address belongs to an account, we have emailed it with what to do next."])
    }

    @Test func forgotPasswordSendsRecoveryLink() throws {
        let fixture = try LinkFixture()
        _ = try forgot(fixture, "ZOE@Castlemead.sch.uk")

        let entries = try fixture.directory.outboxEntries()
        #expect(entries.map(\.purpose) == [.recoveryLink])
        #expect(entries.map(\.subject) == ["Castle Mead Academy: reset your password"])
        let token = try fixture.token(inOutbox: entries[0].id)
        let redeemed = try fixture.directory.redeemLink(token: token, password: LinksTokenTests.strongPassword)
        #expect(redeemed.userId == (try fixture.named("Zoë").id))
        #expect(redeemed.purpose == .recovery)
    }

    @Test func forgotPasswordAnswersAPersonOncePerInterval() throws {
        let fixture = try LinkFixture()
        _ = try forgot(fixture, "zoe@castlemead.sch.uk")
        _ = try forgot(fixture, "zoe@castlemead.sch.uk")
        #expect(try fixture.count("outbox") == 1)
        #expect(try fixture.count("password_links") == 1)

        fixture.directory.now = { TestDirectory.fixedNow.addingTimeInterval(Directory.forgotPasswordInterval + 60) }
        _ = try forgot(fixture, "zoe@castlemead.sch.uk")
        #expect(try fixture.count("outbox") == 2)
        let throttled = try fixture.directory.database.scalar("SELECT count(*) FROM audit_log WHERE action = 'forgot-password.throttled'")
        #expect(throttled?.intValue == 1)
    }

    @Test func forgotPasswordQueuesNothingForUnknownOrUnregistered() throws {
        let fixture = try LinkFixture()
        _ = try forgot(fixture, "nobody@example.org")
        _ = try forgot(fixture, "sian@example.org")
        #expect(try fixture.count("outbox") == 0)
        #expect(try fixture.count("password_links") == 0)
    }

    @Test func forgotPasswordTellsSSOUserToUseSchoolAccount() throws {
        let fixture = try LinkFixture(sso: .microsoft)
        _ = try forgot(fixture, "r.evans@castlemead.sch.uk")

        let entries = try fixture.directory.outboxEntries()
        #expect(entries.map(\.purpose) == [.ssoNotice])
        #expect(entries.map(\.subject) == ["Castle Mead Academy: sign in with your school account"])
        let parsed = try parseWithPython(try fixture.directory.outboxMessage(id: entries[0].id))
        #expect(parsed.parts[0].text.contains("signs you in with your Microsoft 365 school account"))
        #expect(!parsed.parts[0].text.contains("token="))
        #expect(try fixture.count("password_links") == 0)
    }
}
