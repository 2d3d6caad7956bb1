/// The placeholders a message template may use, each with what it stands for.
///
/// A template that names any other placeholder is rejected when it is loaded, so a typo such
/// as `{{forname}}` never reaches an email.
public enum TemplatePlaceholder {
    /// Every placeholder name with a sentence for help text and docs.
    public static let all: [(name: String, meaning: String)] = [
        ("forename", "The forename the person goes by (the preferred one when the MIS has it)."),
        ("surname", "The surname the person goes by."),
        ("full_name", "Forename and surname."),
        ("role", "student, teacher, staff or parent."),
        ("upn", "The student's UPN."),
        ("staff_code", "The staff code of a teacher or member of staff."),
        ("email", "The address the message goes to."),
        ("year", "The student's year group (R for Reception)."),
        ("reg", "The student's registration group."),
        ("school_name", "The school's name."),
        ("sso", "A condition: whether the person signs in with the school's single sign-on."),
        ("sso_provider", "The single sign-on's name, such as Google or Microsoft 365."),
        ("login_url", "Where users sign in (the login_url setting)."),
        ("link", "The password link."),
        ("link_expiry", "The date the link expires, such as 8 September 2026."),
        ("link_lifetime_days", "Days the link stays valid."),
        ("children", "For a parent invitation: one line per child, with registration group, parent code and its expiry."),
        ("child_count", "For a parent invitation: how many children the message lists."),
    ]

    /// The set of valid names.
    public static let names: Set<String> = Set(all.map(\.name))
}

/// A value a template placeholder stands for: text to insert, or a condition for `{{#if}}`.
public enum TemplateValue: Sendable, Equatable {
    case text(String)
    case flag(Bool)

    /// Whether `{{#if name}}` takes its first branch: a true flag or non-empty text.
    var isTrue: Bool {
        switch self {
        case .text(let text): return !text.isEmpty
        case .flag(let flag): return flag
        }
    }

    /// The text inserted for `{{name}}`; a flag inserts yes or no.
    var text: String {
        switch self {
        case .text(let text): return text
        case .flag(let flag): return flag ? "yes" : "no"
        }
    }
}
