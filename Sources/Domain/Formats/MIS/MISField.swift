/// A field of an MIS CSV report, with the header names MIS reports use for it.
public enum MISField: String, CaseIterable, Sendable {
    case upn
    case formerUPN = "former-upn"
    case admissionNumber = "admission-number"
    case legalForename = "legal-forename"
    case legalSurname = "legal-surname"
    case preferredForename = "preferred-forename"
    case preferredSurname = "preferred-surname"
    case year
    case registrationGroup = "reg"
    case email
    case startDate = "start-date"
    case dateOfBirth = "date-of-birth"
    case staffCode = "staff-code"
    case staffRole = "staff-role"
    case contactId = "contact-id"
    case contactForename = "contact-forename"
    case contactSurname = "contact-surname"
    case relationship
    case priority
    case parentalResponsibility = "responsibility"

    /// The header names recognised for this field, compared without case, spaces or punctuation.
    /// The first names are the ones SIMS, Arbor and Bromcom reports print.
    var headerNames: [String] {
        switch self {
        case .upn: return ["UPN", "Unique Pupil Number", "Pupil UPN", "Student UPN"]
        case .formerUPN: return ["Former UPN", "Previous UPN", "FormerUPN"]
        case .admissionNumber: return ["Adno", "Admission No", "Admission Number", "Adm No"]
        case .legalForename: return ["Legal Forename", "Forename", "First Name", "Given Name", "Legal First Name"]
        case .legalSurname: return ["Legal Surname", "Surname", "Last Name", "Family Name", "Legal Last Name"]
        case .preferredForename: return ["Preferred Forename", "Preferred Name", "Preferred First Name", "Known As", "Chosen Name"]
        case .preferredSurname: return ["Preferred Surname", "Preferred Last Name"]
        case .year: return ["Year", "Year Group", "NC Year", "NCyearActual", "Curriculum Year", "Yr"]
        case .registrationGroup: return ["Reg", "Reg Group", "Registration Group", "Reg Grp", "Form", "Tutor Group", "Form Group"]
        case .email: return ["Email", "Primary Email", "Email Address", "School Email", "Pupil Email", "Student Email", "Work Email"]
        case .startDate: return ["Start Date", "Admission Date", "Date of Admission", "Entry Date", "Enrolment Date"]
        case .dateOfBirth: return ["DOB", "Date of Birth", "Birth Date"]
        case .staffCode: return ["Staff Code", "Staff ID", "Teacher Code", "Initials", "Code"]
        case .staffRole: return ["Staff Role", "Role", "Staff Type", "Post"]
        case .contactId: return ["Contact ID", "Contact Id", "Person ID"]
        case .contactForename: return ["Contact Forename", "Contact First Name", "Parent Forename", "Contact Legal Forename"]
        case .contactSurname: return ["Contact Surname", "Contact Last Name", "Parent Surname", "Contact Legal Surname"]
        case .relationship: return ["Relationship", "Contact Relationship", "Relationship to Pupil", "Relation"]
        case .priority: return ["Priority", "Contact Priority", "Contact Order", "Order"]
        case .parentalResponsibility: return ["Parental Responsibility", "Responsibility", "Has Parental Responsibility", "PR"]
        }
    }
}

/// What an MIS CSV report lists.
public enum MISReportKind: String, CaseIterable, Sendable {
    case students
    case staff
    case contacts

    var importKind: ImportKind {
        switch self {
        case .students: return .csvStudents
        case .staff: return .csvStaff
        case .contacts: return .csvContacts
        }
    }

    /// The fields this kind of report must have.
    var requiredFields: [MISField] {
        switch self {
        case .students: return [.upn, .legalForename, .legalSurname]
        case .staff: return [.legalForename, .legalSurname]
        case .contacts: return [.upn, .contactSurname]
        }
    }

    /// The fields read for this kind, in the order headers are matched.
    var fields: [MISField] {
        switch self {
        case .students:
            return [.upn, .formerUPN, .admissionNumber, .legalForename, .legalSurname, .preferredForename, .preferredSurname,
                .year, .registrationGroup, .email, .startDate, .dateOfBirth]
        case .staff:
            return [.staffCode, .legalForename, .legalSurname, .preferredForename, .preferredSurname, .email, .staffRole, .startDate]
        case .contacts:
            return [.upn, .contactId, .contactForename, .contactSurname, .relationship, .priority, .parentalResponsibility, .email]
        }
    }
}
