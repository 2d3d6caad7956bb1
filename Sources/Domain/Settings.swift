/// The settings the directory's operations use. Each has the default a school gets without a
/// configuration file; `lanyard.config.lua` overrides them (`lanyard config` lists them all).
public struct Settings: Sendable, Equatable {
    /// Characters in a student PIN.
    public var pinLength = 6
    /// Characters in a parent code, before grouping for print.
    public var parentCodeLength = 12
    /// Months until a new PIN expires (3 months is what schools' platforms use).
    public var pinLifetimeMonths = 3
    /// Months until a new parent code expires.
    public var parentCodeLifetimeMonths = 3
    /// How many parents or guardians may register with one parent code.
    public var parentCodeMaxUses = 5
    /// Where students and parents sign in, printed on letters and in emails.
    public var loginURL = "https://login.example.org"

    // MARK: - Password links and templates

    /// Days until a password link expires.
    public var linkLifetimeDays = 7
    /// The page a password link opens, before `?token=`; empty means ``loginURL`` followed by
    /// `/set-password`. Read it through ``passwordLinkBase``.
    public var linkBaseURL = ""
    /// Hours during which a user who was sent a link is not sent another for the same purpose,
    /// unless the sender asks to resend.
    public var linkResendWindowHours = 24
    /// The folder of template overrides, relative to the working folder unless absolute.
    public var templatesFolder = "templates"
    /// The templates/ folders of enabled plugins, in load order: searched after
    /// ``templatesFolder`` and before the shipped templates.
    public var pluginTemplateFolders: [String] = []

    /// The page a password link opens, with the default applied.
    public var passwordLinkBase: String {
        guard linkBaseURL.isEmpty else { return linkBaseURL }
        return (loginURL.hasSuffix("/") ? String(loginURL.dropLast()) : loginURL) + "/set-password"
    }

    // MARK: - Mail

    /// How the outbox is delivered: `file` (``mailOutboxFolder``) or `smtp` (``mailSMTPURL``).
    public var mailTransport = "file"
    /// The folder the file transport writes `.eml` files into.
    public var mailOutboxFolder = "out/outbox"
    /// The mail server, as `smtp://host:587` or `smtps://host:465`.
    public var mailSMTPURL = ""
    /// The SMTP login; empty sends without logging in.
    public var mailSMTPUser = ""
    /// The environment variable that contains the SMTP password.
    public var mailSMTPPasswordEnv = ""
    /// The file whose first line is the SMTP password, used when ``mailSMTPPasswordEnv`` is empty.
    public var mailSMTPPasswordFile = ""
    /// Whether an `smtp://` server must offer STARTTLS.
    public var mailSMTPRequireTLS = true
    /// The sender address of every message.
    public var mailFromAddress = ""
    /// The sender's display name, such as the school's name; empty shows the bare address.
    public var mailFromName = ""
    /// The maximum number of messages handed to the mail server per minute.
    public var mailMessagesPerMinute = 30

    public init() {}
}
