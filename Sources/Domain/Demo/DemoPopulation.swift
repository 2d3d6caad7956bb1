/// The people of a generated demo school, before they are written to files. Each file writer
/// reads the same values, so the OneRoster bundle and the MIS contacts report describe the same
/// students and families.
struct DemoPopulation {
    var students: [DemoStudent]
    var contacts: [DemoContact]
    var staff: [DemoStaffMember]
    /// On-roll families (leavers' families left out) with two or more children at the school.
    var familiesWithSiblings: Int
    /// On-roll families.
    var familyCount: Int
}

/// A student as the MIS records them.
struct DemoStudent {
    let sourcedId: String
    var upn: UPN
    /// The admission number, six digits with leading zeros as SIMS shows it.
    var admissionNumber: String
    let forename: String
    let middleName: String?
    let surname: String
    let isFemale: Bool
    /// National Curriculum year, 7 to 13.
    let year: Int
    /// Registration group, such as `7A`; set once the year group is complete.
    var form: String
    var username: String
    var email: String?
    /// Indices into ``DemoPopulation/contacts``, in priority order (priority 1 first).
    let contactIndices: [Int]
    /// A leaver: written to OneRoster with status `tobedeleted` and left out of the MIS report.
    let isLeaver: Bool
}

/// A parent, carer or other contact, shared by every child of the family.
struct DemoContact {
    let sourcedId: String
    /// The MIS contact id, written to OneRoster `userIds` as `{MIS:id}`.
    let misID: Int
    let forename: String
    let surname: String
    /// The MIS relationship, such as `Mother`, `Grandparent` or `Carer`.
    let relationship: String
    let hasParentalResponsibility: Bool
    var email: String?
    /// Indices into ``DemoPopulation/students``.
    var childIndices: [Int]
    let isLeaverFamily: Bool

    /// The OneRoster 1.1 role: `parent` for mothers, fathers and step-parents, else `guardian`.
    var oneRosterRole: String {
        switch relationship {
        case "Mother", "Father", "Step-mother", "Step-father": return "parent"
        default: return "guardian"
        }
    }
}

/// A member of staff: a teacher, or support staff with the OneRoster role `administrator` or
/// `aide`.
struct DemoStaffMember {
    enum Role: String {
        case teacher, administrator, aide
    }

    let sourcedId: String
    let role: Role
    let forename: String
    let middleName: String?
    let surname: String
    /// The MIS staff code, such as `JSM`, written to OneRoster `identifier`.
    let staffCode: String
    let misID: Int
    let username: String
    let email: String
    /// The department of a teacher, such as `Science`; nil for support staff.
    let department: String?
}
