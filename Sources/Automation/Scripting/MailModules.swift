import Domain
import Foundation
import LuaRuntime

/// `links.*` and `parents.*`: password links and parent invitations, queued in the outbox
/// within the script's transaction. `lanyard run` delivers the outbox after the run commits,
/// unless `--no-deliver`.
enum LinksModule {
    static let functions: [APIFunction] = [
        APIFunction(
            module: "links", name: "send",
            parameters: [
                APIParameter(name: "selection", type: "Selection|string|table", summary: "The people to send links to."),
                APIParameter(
                    name: "options", type: "{purpose: \"first-login\"|\"recovery\"?, template: string?, limit: integer?, test_address: string?, dry_run: boolean?, resend: boolean?, report: string?}?",
                    summary: "As the command's flags; `report` writes the per-person CSV into the workspace."),
            ],
            returns: [APIReturn(type: "{queued: integer, skipped: table<string, integer>, outcomes: table[]}", summary: "What happened to each person.")],
            summary: "Queues a password link for each eligible person. Skipped, with the reason: missing-email, sso, not-registered, left, recently-sent, invalid-email, over-limit.",
            errors: "Raises an error when mail.from_address is not set, a template is missing, or a placeholder has no value (nothing is queued).",
            example: """
                local result = links.send(users.select("year:7"), {limit = 5, test_address = "office@castlemead.sch.uk"})
                print(result.queued .. " queued")
                """,
            make: { session in { call in
                let selection = try UsersModule.selection(from: call, at: 1, session: session)
                let table = call.type(at: 2) == .table ? try call.value(at: 2) : .nil
                var purpose = LinkPurpose.firstLogin
                if let text = table["purpose"]?.stringValue {
                    guard let chosen = LinkPurpose(rawValue: text) else { throw call.argumentError(at: 2, "unknown purpose '\(text)'; use first-login or recovery") }
                    purpose = chosen
                }
                let options = LinkSendOptions(
                    purpose: purpose, templateName: table["template"]?.stringValue, limit: table["limit"]?.integerValue,
                    testAddress: table["test_address"]?.stringValue, dryRun: table["dry_run"]?.booleanValue ?? false,
                    resend: table["resend"]?.booleanValue ?? false, origin: session.origin.via)
                let report = try session.directory.sendLinks(to: selection, options: options, settings: session.settings, templates: session.templates)
                if let path = table["report"]?.stringValue {
                    let resolved = try session.workspace.resolve(path)
                    try FileManager.default.createDirectory(atPath: (resolved as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try report.writeCSV(to: resolved)
                    session.writtenFiles.append(resolved)
                }
                var value = try LuaConversion.value(of: report)
                if case .table(var entries) = value {
                    entries[.string("queued")] = .integer(report.queued)
                    entries[.string("skipped")] = .table(Dictionary(uniqueKeysWithValues: report.skipped.map { (LuaValue.string($0.key.rawValue), LuaValue.integer($0.value)) }))
                    value = .table(entries)
                }
                session.queuedMessages += report.dryRun ? 0 : report.queued
                try call.push(value)
                return 1
            } }),
        APIFunction(
            module: "links", name: "preview",
            parameters: [
                APIParameter(name: "selection", type: "Selection|string|table", summary: "The people whose messages to render."),
                APIParameter(name: "count", type: "integer?", summary: "How many messages (default 3)."),
            ],
            returns: [APIReturn(type: "{to: string, subject: string, text: string, template: string}[]", summary: "The rendered messages, with PREVIEW-TOKEN in place of a link.")],
            summary: "Renders the first messages a send would queue, storing nothing.",
            errors: "Raises an error naming the template, line and placeholder when a placeholder has no value.",
            example: "for _, message in ipairs(links.preview(\"year:7\", 2)) do print(message.subject) end",
            make: { session in { call in
                let selection = try UsersModule.selection(from: call, at: 1, session: session)
                let count = try call.optionalInteger(at: 2) ?? 3
                let previews = try session.directory.previewLinks(
                    to: selection, options: LinkSendOptions(origin: session.origin.via), count: count, settings: session.settings, templates: session.templates)
                try call.push(try LuaConversion.value(of: previews))
                return 1
            } }),
        APIFunction(
            module: "links", name: "redeem",
            parameters: [
                APIParameter(name: "token", type: "string", summary: "The token from a password link."),
                APIParameter(name: "password", type: "string", summary: "The new password: at least 10 characters with a digit, a lower-case letter, an upper-case letter and a symbol."),
            ],
            returns: [APIReturn(type: "string?", summary: "The key of the person whose password was set, or nil."), APIReturn(type: "string?", summary: "Why not: unknown, used or expired link, or the password rule.")],
            summary: "Checks and consumes a link and stores the password as an Argon2id hash.",
            errors: nil,
            example: "local who, err = links.redeem(token, \"Correct-Horse-7\")",
            make: { session in { call in
                let token = try call.string(at: 1)
                let password = try call.string(at: 2)
                do {
                    let redeemed = try session.directory.redeemLink(token: token, password: password)
                    call.push(redeemed.userKey)
                    return 1
                } catch let error as LinkError {
                    call.pushNil()
                    call.push(error.description)
                    return 2
                }
            } }),
        APIFunction(
            module: "links", name: "forgot",
            parameters: [APIParameter(name: "email", type: "string", summary: "The address someone typed on the \"forgot password\" page.")],
            returns: [APIReturn(type: "string", summary: "The answer to show them, the same whether or not the address exists.")],
            summary: "Handles a forgotten password: a recovery link for most, the \"sign in with your school account\" notice for SSO users, nothing for unknown addresses.",
            errors: "Raises an error when mail.from_address is not set.",
            example: "print(links.forgot(\"zoe@castlemead.sch.uk\"))",
            make: { session in { call in
                let answer = try session.directory.forgotPassword(email: try call.string(at: 1), settings: session.settings, templates: session.templates)
                call.push(answer.message)
                return 1
            } }),
    ]
}

enum ParentsModule {
    static let functions: [APIFunction] = [
        APIFunction(
            module: "parents", name: "recipients",
            parameters: [
                APIParameter(name: "selection", type: "Selection|string|table", summary: "The students whose parents to list."),
                APIParameter(
                    name: "options", type: "{contacts: string?, include_without_responsibility: boolean?, all_priorities: boolean?, max_priority: integer?}?",
                    summary: "`contacts` is an MIS contacts export in the workspace; without it, the directory's parent links."),
            ],
            returns: [APIReturn(type: "{recipients: table[], unreached: table[], problems: string[]}", summary: "One entry per address listing its children, and the students no usable contact covers.")],
            summary: "Joins parent contacts with the students by UPN: first contact in priority order with parental responsibility and an email, siblings grouped. Codes are not included.",
            errors: "Raises an error when the contacts file cannot be read.",
            example: "local list = parents.recipients(\"year:7\", {contacts = \"contacts.csv\"})\nprint(#list.unreached .. \" students have no usable contact\")",
            make: { session in { call in
                let selection = try UsersModule.selection(from: call, at: 1, session: session)
                let table = call.type(at: 2) == .table ? try call.value(at: 2) : .nil
                let contacts = try table["contacts"]?.stringValue.map { try session.workspace.resolve($0) }
                let result = try session.directory.parentRecipients(
                    contactsCSV: contacts, selection: selection, options: recipientOptions(table, origin: session.origin))
                try call.push(try LuaConversion.value(of: result))
                return 1
            } }),
        APIFunction(
            module: "parents", name: "invite",
            parameters: [
                APIParameter(name: "selection", type: "Selection|string|table", summary: "The students whose parents to invite."),
                APIParameter(
                    name: "options", type: "{contacts: string?, limit: integer?, test_address: string?, dry_run: boolean?, resend: boolean?, template: string?, include_without_responsibility: boolean?, all_priorities: boolean?, max_priority: integer?}?",
                    summary: "As `lanyard parents invite`."),
            ],
            returns: [APIReturn(type: "{queued: integer, outcomes: table[], unreached: table[]}", summary: "Per parent: queued, recently-sent, over-limit or no-codes; and the unreached students.")],
            summary: "Emails each parent their children's parent codes (one message per address, siblings together) with the parent-invitation template. Reading the codes is audited.",
            errors: "Raises an error when mail.from_address is not set or the template is missing.",
            example: "local result = parents.invite(\"year:7\", {contacts = \"contacts.csv\"})\nprint(result.queued .. \" parents invited\")",
            make: { session in { call in
                let selection = try UsersModule.selection(from: call, at: 1, session: session)
                let table = call.type(at: 2) == .table ? try call.value(at: 2) : .nil
                var options = ParentInvitationOptions(contactsCSV: try table["contacts"]?.stringValue.map { try session.workspace.resolve($0) })
                options.recipients = recipientOptions(table, origin: session.origin)
                options.limit = table["limit"]?.integerValue
                options.testAddress = table["test_address"]?.stringValue
                options.dryRun = table["dry_run"]?.booleanValue ?? false
                options.resend = table["resend"]?.booleanValue ?? false
                options.templateName = table["template"]?.stringValue ?? options.templateName
                options.origin = session.origin.via
                let report = try session.directory.inviteParents(selection, options: options, settings: session.settings, templates: session.templates)
                var value = try LuaConversion.value(of: report)
                if case .table(var entries) = value {
                    entries[.string("queued")] = .integer(report.queued)
                    value = .table(entries)
                }
                session.queuedMessages += report.dryRun ? 0 : report.queued
                try call.push(value)
                return 1
            } }),
    ]

    private static func recipientOptions(_ table: LuaValue, origin: Directory.Origin) -> ParentRecipientOptions {
        var options = ParentRecipientOptions(origin: origin)
        options.includeWithoutResponsibility = table["include_without_responsibility"]?.booleanValue ?? false
        options.allPriorities = table["all_priorities"]?.booleanValue ?? false
        options.maxPriority = table["max_priority"]?.integerValue
        return options
    }
}
