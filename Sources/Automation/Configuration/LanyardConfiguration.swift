import Domain
import Foundation

/// The effective configuration: each key's value and where it came from.
///
/// `lanyard.config.lua` in the working folder is Lua evaluated in a sandbox with no I/O: it
/// assigns globals, and tables group keys (`codes = { pin_length = 8 }`). Every key has a
/// documented default (``ConfigurationKey/all``). An unknown key is an error naming it and
/// the valid ones, so a typo never silently leaves a default in force.
public struct LanyardConfiguration: Sendable {
    public static let fileName = "lanyard.config.lua"

    /// A key's effective value and its origin.
    public struct Entry: Sendable, Encodable {
        public let key: String
        public let value: ConfigurationValue
        /// `default`, or the configuration file's path.
        public let source: String
        public let summary: String
    }

    public private(set) var entries: [Entry]

    /// The defaults alone, as used when there is no configuration file.
    public init() {
        entries = ConfigurationKey.all.map { Entry(key: $0.name, value: $0.defaultValue, source: "default", summary: $0.summary) }
    }

    /// Applies values read from a file, checking every key and value.
    /// - Throws: ``ConfigurationError`` naming the file, the key and what is wrong.
    public init(values: [String: ConfigurationValue], file: String) throws {
        self.init()
        for name in values.keys.sorted() {
            guard let key = ConfigurationKey.named(name) else {
                throw ConfigurationError.unknownKey(name, file: file, suggestion: Suggestion.closest(to: name, in: ConfigurationKey.all.map(\.name)))
            }
            let value = values[name]!
            try Self.check(value, for: key, file: file)
            if name == "mail.smtp_url", case .string(let url) = value, Self.hasPassword(url) {
                throw ConfigurationError.passwordInURL(key: name, file: file)
            }
            if let index = entries.firstIndex(where: { $0.key == name }) {
                entries[index] = Entry(key: name, value: value, source: file, summary: key.summary)
            }
        }
    }

    /// Reads `lanyard.config.lua` from the working folder, or the defaults when it is absent.
    public static func load(environment: [String: String], folder: String? = nil) throws -> LanyardConfiguration {
        let base = folder ?? FileManager.default.currentDirectoryPath
        let path = (base as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else { return LanyardConfiguration() }
        let values = try ConfigurationFile.evaluate(path: path)
        return try LanyardConfiguration(values: values, file: fileName)
    }

    /// Returns whether a URL carries a password (`smtp://user:secret@host`), which would then show in
    /// `lanyard config` and in error messages.
    static func hasPassword(_ url: String) -> Bool {
        guard let schemeEnd = url.range(of: "://") else { return false }
        let authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@") else { return false }
        return authority[..<at].contains(":")
    }

    private static func check(_ value: ConfigurationValue, for key: ConfigurationKey, file: String) throws {
        switch (key.kind, value) {
        case (.string, .string), (.boolean, .boolean):
            return
        case (.choice(let words), .string(let text)):
            guard words.contains(text) else {
                throw ConfigurationError.notAllowed(key: key.name, value: text, allowed: words, file: file)
            }
        case (.list(let words), .string(let text)):
            let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !items.isEmpty, let wrong = items.first(where: { !words.contains($0) }) ?? (items.contains("") ? "" : nil) else {
                if items.isEmpty { throw ConfigurationError.notAllowed(key: key.name, value: text, allowed: words, file: file) }
                return
            }
            throw ConfigurationError.notAllowed(key: key.name, value: wrong, allowed: words, file: file)
        case (.integer(let range), .integer(let number)):
            guard range.contains(number) else {
                throw ConfigurationError.outOfRange(key: key.name, value: number, range: range, file: file)
            }
        default:
            throw ConfigurationError.wrongType(key: key.name, value: value, expected: key.kind, file: file)
        }
    }

    // MARK: - Typed values

    public func value(_ name: String) -> ConfigurationValue {
        guard let entry = entries.first(where: { $0.key == name }) else {
            preconditionFailure("'\(name)' is not a configuration key; add it to ConfigurationKey.all")
        }
        return entry.value
    }

    public func integer(_ name: String) -> Int {
        guard case .integer(let number) = value(name) else { preconditionFailure("'\(name)' is not an integer key") }
        return number
    }

    public func string(_ name: String) -> String {
        guard case .string(let text) = value(name) else { preconditionFailure("'\(name)' is not a string key") }
        return text
    }

    public func boolean(_ name: String) -> Bool {
        guard case .boolean(let flag) = value(name) else { preconditionFailure("'\(name)' is not a boolean key") }
        return flag
    }

    /// The settings the directory's operations use.
    public var settings: Settings {
        var settings = Settings()
        settings.loginURL = string("login_url")
        settings.pinLength = integer("codes.pin_length")
        settings.parentCodeLength = integer("codes.parent_code_length")
        settings.pinLifetimeMonths = integer("codes.pin_lifetime_months")
        settings.parentCodeLifetimeMonths = integer("codes.parent_code_lifetime_months")
        settings.parentCodeMaxUses = integer("codes.parent_code_max_uses")
        settings.linkLifetimeDays = integer("links.lifetime_days")
        settings.linkBaseURL = string("links.base_url")
        settings.linkResendWindowHours = integer("links.resend_window_hours")
        settings.templatesFolder = string("templates.folder")
        settings.mailTransport = string("mail.transport")
        settings.mailOutboxFolder = string("mail.outbox_folder")
        settings.mailSMTPURL = string("mail.smtp_url")
        settings.mailSMTPUser = string("mail.smtp_user")
        settings.mailSMTPPasswordEnv = string("mail.smtp_password_env")
        settings.mailSMTPPasswordFile = string("mail.smtp_password_file")
        settings.mailSMTPRequireTLS = boolean("mail.smtp_require_tls")
        settings.mailFromAddress = string("mail.from_address")
        settings.mailFromName = string("mail.from_name")
        settings.mailMessagesPerMinute = integer("mail.messages_per_minute")
        return settings
    }
}

/// Why the configuration file was rejected.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case unknownKey(String, file: String, suggestion: String?)
    case wrongType(key: String, value: ConfigurationValue, expected: ConfigurationKey.Kind, file: String)
    case outOfRange(key: String, value: Int, range: ClosedRange<Int>, file: String)
    case notAllowed(key: String, value: String, allowed: [String], file: String)
    case invalidFile(file: String, message: String)
    /// A URL setting with a password in it; the value is not repeated, because it contains the secret.
    case passwordInURL(key: String, file: String)

    public var description: String {
        switch self {
        case .unknownKey(let key, let file, let suggestion):
            let hint = suggestion.map { " Did you mean '\($0)'?" } ?? ""
            return "unknown setting '\(key)' in \(file).\(hint) Valid settings: \(ConfigurationKey.all.map(\.name).joined(separator: ", "))"
        case .wrongType(let key, let value, let expected, let file):
            let wanted: String
            switch expected {
            case .string, .choice, .list: wanted = "a string in quotes"
            case .integer: wanted = "a whole number"
            case .boolean: wanted = "true or false"
            }
            return "invalid value \(value) for '\(key)' in \(file): expected \(wanted)"
        case .outOfRange(let key, let value, let range, let file):
            return "invalid value \(value) for '\(key)' in \(file): use a number from \(range.lowerBound) to \(range.upperBound)"
        case .notAllowed(let key, let value, let allowed, let file):
            return "invalid value \"\(value)\" for '\(key)' in \(file): use \(allowed.joined(separator: ", "))"
        case .invalidFile(let file, let message):
            return "cannot read \(file): \(message)"
        case .passwordInURL(let key, let file):
            return "'\(key)' in \(file) contains a password (user:password@); remove it from the URL and give the password "
                + "with mail.smtp_password_file or mail.smtp_password_env, so that it never shows in output or logs"
        }
    }
}
