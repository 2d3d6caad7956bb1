/// A value a configuration key can take.
public enum ConfigurationValue: Sendable, Equatable, CustomStringConvertible, Encodable {
    case string(String)
    case integer(Int)
    case boolean(Bool)

    public var description: String {
        switch self {
        case .string(let text): return "\"\(text)\""
        case .integer(let number): return String(number)
        case .boolean(let flag): return flag ? "true" : "false"
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .integer(let number): try container.encode(number)
        case .boolean(let flag): try container.encode(flag)
        }
    }
}

/// One documented setting of `lanyard.config.lua`: its dotted name, default and meaning.
public struct ConfigurationKey: Sendable {
    public enum Kind: Sendable, Equatable {
        case string
        /// One of these words.
        case choice([String])
        /// Words from this list, joined by commas.
        case list([String])
        case integer(ClosedRange<Int>)
        case boolean
    }

    /// The dotted name: `codes.pin_length` is `codes = { pin_length = 6 }` in the file.
    public let name: String
    public let kind: Kind
    public let defaultValue: ConfigurationValue
    /// What the setting sets, with its unit.
    public let summary: String

    /// Every setting Lanyard reads; `lanyard config` prints them with their values and sources.
    public static let all: [ConfigurationKey] = [
        ConfigurationKey(
            name: "login_url", kind: .string, defaultValue: .string("https://login.example.org"),
            summary: "Where students and parents sign in; printed on letters and in emails."),
        ConfigurationKey(
            name: "codes.pin_length", kind: .integer(4...12), defaultValue: .integer(6),
            summary: "Characters in a student PIN."),
        ConfigurationKey(
            name: "codes.parent_code_length", kind: .integer(8...24), defaultValue: .integer(12),
            summary: "Characters in a parent code."),
        ConfigurationKey(
            name: "codes.pin_lifetime_months", kind: .integer(1...24), defaultValue: .integer(3),
            summary: "Months until a new PIN expires."),
        ConfigurationKey(
            name: "codes.parent_code_lifetime_months", kind: .integer(1...24), defaultValue: .integer(3),
            summary: "Months until a new parent code expires."),
        ConfigurationKey(
            name: "codes.parent_code_max_uses", kind: .integer(1...20), defaultValue: .integer(5),
            summary: "Parents or guardians who may register with one parent code."),
        ConfigurationKey(
            name: "plugins.folder", kind: .string, defaultValue: .string("plugins"),
            summary: "The school's own plugin folder, searched after the shipped plugins (relative to the working folder)."),
        ConfigurationKey(
            name: "scripts.workspace", kind: .string, defaultValue: .string("out"),
            summary: "The folder scripts may read and write files in (overridden by --workspace)."),
        ConfigurationKey(
            name: "scripts.instruction_limit", kind: .integer(1_000...10_000_000_000), defaultValue: .integer(1_000_000_000),
            summary: "Lua instructions a script run may execute (overridden by --instruction-limit)."),
        ConfigurationKey(
            name: "scripts.memory_limit_mb", kind: .integer(8...16_384), defaultValue: .integer(512),
            summary: "Memory a script run may allocate, in MiB (overridden by --memory-limit)."),
        ConfigurationKey(
            name: "scripts.time_limit_seconds", kind: .integer(1...86_400), defaultValue: .integer(1_800),
            summary: "Wall-clock seconds a script run may take (overridden by --time-limit)."),
        ConfigurationKey(
            name: "details.folder", kind: .string, defaultValue: .string("details"),
            summary: "The folder 'lanyard details generate' writes to (overridden by --out)."),
        ConfigurationKey(
            name: "details.formats", kind: .list(["csv", "xlsx", "pdf"]), defaultValue: .string("csv"),
            summary: "The files 'lanyard details generate' writes: csv, xlsx and pdf, joined by commas (overridden by --format)."),
        ConfigurationKey(
            name: "links.lifetime_days", kind: .integer(1...90), defaultValue: .integer(7),
            summary: "Days until a password link expires."),
        ConfigurationKey(
            name: "links.base_url", kind: .string, defaultValue: .string(""),
            summary: "The page a password link opens, before ?token=; empty means login_url followed by /set-password."),
        ConfigurationKey(
            name: "links.resend_window_hours", kind: .integer(0...720), defaultValue: .integer(24),
            summary: "Hours after sending a link during which the same user gets no other link for that purpose, unless --resend."),
        ConfigurationKey(
            name: "templates.folder", kind: .string, defaultValue: .string("templates"),
            summary: "The folder of email template overrides; templates not found there come from the shipped ones."),
        ConfigurationKey(
            name: "mail.transport", kind: .choice(["file", "smtp"]), defaultValue: .string("file"),
            summary: "How the outbox is delivered: \"file\" (.eml files in mail.outbox_folder) or \"smtp\" (mail.smtp_url)."),
        ConfigurationKey(
            name: "mail.outbox_folder", kind: .string, defaultValue: .string("out/outbox"),
            summary: "The folder the file transport writes .eml files into."),
        ConfigurationKey(
            name: "mail.smtp_url", kind: .string, defaultValue: .string(""),
            summary: "The mail server, as smtp://host:587 (STARTTLS) or smtps://host:465."),
        ConfigurationKey(
            name: "mail.smtp_user", kind: .string, defaultValue: .string(""),
            summary: "The SMTP login; empty sends without logging in."),
        ConfigurationKey(
            name: "mail.smtp_password_env", kind: .string, defaultValue: .string(""),
            summary: "The environment variable that holds the SMTP password."),
        ConfigurationKey(
            name: "mail.smtp_password_file", kind: .string, defaultValue: .string(""),
            summary: "The file whose first line is the SMTP password, when mail.smtp_password_env is empty."),
        ConfigurationKey(
            name: "mail.smtp_require_tls", kind: .boolean, defaultValue: .boolean(true),
            summary: "Whether an smtp:// server must offer STARTTLS; turn off only for a relay on the same machine."),
        ConfigurationKey(
            name: "mail.from_address", kind: .string, defaultValue: .string(""),
            summary: "The sender address of every message, such as office@school.sch.uk."),
        ConfigurationKey(
            name: "mail.from_name", kind: .string, defaultValue: .string(""),
            summary: "The sender's display name, such as the school's name."),
        ConfigurationKey(
            name: "mail.messages_per_minute", kind: .integer(0...100_000), defaultValue: .integer(30),
            summary: "The maximum number of messages handed to the mail server per minute; 0 for no limit (a relay on the same machine)."),
        ConfigurationKey(
            name: "scheduler.log_folder", kind: .string, defaultValue: .string("logs"),
            summary: "The folder of scheduled runs' log files, one subfolder per schedule."),
        ConfigurationKey(
            name: "scheduler.grace_seconds", kind: .integer(0...86_400), defaultValue: .integer(30),
            summary: "Seconds a running scheduled job may take to finish after the scheduler is told to stop, before it is stopped."),
        ConfigurationKey(
            name: "scheduler.admin_email", kind: .string, defaultValue: .string(""),
            summary: "The address told by email when a scheduled run fails or is interrupted; empty sends no email."),
    ]

    public static func named(_ name: String) -> ConfigurationKey? {
        all.first { $0.name == name }
    }
}
