import Foundation
import Testing

@testable import Domain

@Suite("message templates")
struct TemplatesTests {
    let location = TemplateLocation(template: "first-login-student", file: "first-login-student.txt")

    func render(_ source: String, _ values: [String: TemplateValue], escape: @escaping (String) -> String = { $0 }) throws -> String {
        try TextTemplate(parsing: source, location: location).render(values, recipient: "Zoë Ní Bhriain (B801401219001)", escape: escape)
    }

    @Test(
        "conditions choose a branch",
        arguments: [
            ("{{#if sso}}school account{{else}}{{link}}{{/if}}", ["sso": TemplateValue.flag(true)], "school account"),
            ("{{#if sso}}school account{{else}}{{link}}{{/if}}", ["sso": .flag(false), "link": .text("https://x/?token=t")], "https://x/?token=t"),
            ("{{#if reg}}Form {{reg}}.{{/if}}", ["reg": .text("7A")], "Form 7A."),
            ("{{#if reg}}Form {{reg}}.{{/if}}", [:], ""),
            ("{{#if reg}}Form {{reg}}.{{/if}}", ["reg": .text("")], ""),
            ("{{#if sso}}{{#if reg}}A{{else}}B{{/if}}{{else}}C{{/if}}", ["sso": .flag(true)], "B"),
        ] as [(String, [String: TemplateValue], String)])
    func conditions(source: String, values: [String: TemplateValue], expected: String) throws {
        #expect(try render(source, values) == expected)
    }

    @Test func blockTagLinesLeaveNoBlankLines() throws {
        let source = "Dear {{forename}},\n{{#if sso}}\nUse your school account.\n{{else}}\nSet a password.\n{{/if}}\nThanks\n"
        #expect(try render(source, ["forename": .text("Zoë"), "sso": .flag(false)]) == "Dear Zoë,\nSet a password.\nThanks\n")
    }

    @Test func crlfLinesKeepTheirEnds() throws {
        #expect(try render("A {{forename}}\r\n  {{#if sso}}  \r\nB\r\n{{/if}}\r\n", ["forename": .text("Zoë"), "sso": .flag(true)]) == "A Zoë\r\nB\r\n")
    }

    @Test func htmlPartEscapesValues() throws {
        let html = try render(
            "<p>{{full_name}}</p><a href=\"{{link}}\">", ["full_name": .text("Zoë <b>O'Brien</b> & co"), "link": .text("https://x/?a=1&token=t\"")],
            escape: TextTemplate.escapeHTML)
        #expect(html == "<p>Zoë &lt;b&gt;O&#39;Brien&lt;/b&gt; &amp; co</p><a href=\"https://x/?a=1&amp;token=t&quot;\">")
    }

    @Test func missingValueNamesTemplateLineAndPlaceholder() throws {
        #expect(throws: TemplateError.self) { try render("Dear {{forename}},\n\nForm {{reg}}\n", ["forename": .text("Zoë")]) }
        do {
            _ = try render("Dear {{forename}},\n\nForm {{reg}}\n", ["forename": .text("Zoë")])
        } catch {
            #expect(
                "\(error)"
                    == "template 'first-login-student' (first-login-student.txt, line 3) uses '{{reg}}', which has no value for Zoë Ní Bhriain (B801401219001); fill it in the directory, or wrap it in {{#if reg}}...{{/if}}"
            )
        }
    }

    @Test(
        "invalid templates are rejected when parsed",
        arguments: [
            (
                "Dear {{forname}},", "template 'first-login-student' (first-login-student.txt, line 1) uses the unknown placeholder '{{forname}}'. Did you mean '{{forename}}'? Use one of: forename, surname, full_name, role, upn, staff_code, email, year, reg, school_name, sso, sso_provider, login_url, link, link_expiry, link_lifetime_days, children, child_count"
            ),
            ("a\n{{#if sso}}\nb\n", "template 'first-login-student' (first-login-student.txt, line 2) opens '{{#if sso}}' but never closes it; add {{/if}}"),
            ("a\n{{/if}}\n", "template 'first-login-student' (first-login-student.txt, line 2) has '{{/if}}' without a matching '{{#if ...}}'; add the {{#if}} or remove the tag"),
            ("{{#if sso}}a{{else}}b{{else}}c{{/if}}", "template 'first-login-student' (first-login-student.txt, line 1) has '{{else}}' without a matching '{{#if ...}}'; add the {{#if}} or remove the tag"),
            ("Dear {{forename}", "template 'first-login-student' (first-login-student.txt, line 1) opens a tag with '{{' but does not close it with '}}' on the same line; close it"),
            ("{{#each users}}", "template 'first-login-student' (first-login-student.txt, line 1) has the tag '{{#each users}}', which is not a placeholder; write {{name}}, {{#if name}}, {{else}} or {{/if}}"),
            ("{{#if nickname}}x{{/if}}", "template 'first-login-student' (first-login-student.txt, line 1) uses the unknown placeholder '{{nickname}}'. Use one of: forename, surname, full_name, role, upn, staff_code, email, year, reg, school_name, sso, sso_provider, login_url, link, link_expiry, link_lifetime_days, children, child_count"),
        ] as [(String, String)])
    func invalidTemplate(source: String, message: String) {
        do {
            _ = try TextTemplate(parsing: source, location: location)
            Issue.record("the template parsed")
        } catch {
            #expect("\(error)" == message)
        }
    }

    // MARK: - Files and the library

    @Test func overrideFolderWinsOverShipped() throws {
        let folder = TemporaryFolder()
        folder.write("first-login-student.subject", "Hello {{forename}}\n")
        folder.write("first-login-student.txt", "Link: {{link}}\n")
        let shipped = try #require(TemplateLibrary.shippedFolder(environment: [:], executablePath: nil))
        let library = TemplateLibrary(folders: [folder.path, shipped])

        let overridden = try library.template(named: "first-login-student")
        #expect(overridden.folder == folder.path)
        #expect(overridden.html == nil)
        #expect(try library.template(named: "recovery-student").folder == shipped)
    }

    @Test func unknownPlaceholderFailsWhenLoaded() throws {
        let folder = TemporaryFolder()
        folder.write("notice.subject", "Hello\n")
        folder.write("notice.txt", "Hi\n{{fore_name}}\n")
        #expect(throws: TemplateError.unknownPlaceholder("fore_name", at: TemplateLocation(template: "notice", file: "notice.txt", line: 2), suggestion: "forename")) {
            try TemplateLibrary(folders: [folder.path]).template(named: "notice")
        }
    }

    @Test func missingTemplateNamesFolders() {
        #expect(throws: TemplateError.notFound(name: "welcome", searched: ["/nowhere"])) {
            try TemplateLibrary(folders: ["/nowhere"]).template(named: "welcome")
        }
        #expect(
            TemplateError.notFound(name: "welcome", searched: ["/nowhere"]).description
                == "no template 'welcome' (welcome.subject and welcome.txt) in '/nowhere'; check the name with 'lanyard links preview', or add the files")
    }

    @Test func subjectMustBeOneLine() {
        let folder = TemporaryFolder()
        folder.write("notice.subject", "Hello\nSecond line\n")
        folder.write("notice.txt", "Hi\n")
        #expect(throws: TemplateError.multilineSubject(at: TemplateLocation(template: "notice", file: "notice.subject"))) {
            try TemplateLibrary(folders: [folder.path]).template(named: "notice")
        }
    }

    @Test(arguments: ["first-login-student", "first-login-staff", "first-login-parent", "recovery-student", "recovery-staff", "recovery-parent", "sso-notice"])
    func shippedTemplateLoadsWithHTML(name: String) throws {
        let shipped = try #require(TemplateLibrary.shippedFolder(environment: [:], executablePath: nil))
        let template = try TemplateLibrary(folders: [shipped]).template(named: name)
        #expect(template.html != nil)
        #expect(template.text.placeholders.contains(name == "sso-notice" ? "sso_provider" : "link"))
    }
}
