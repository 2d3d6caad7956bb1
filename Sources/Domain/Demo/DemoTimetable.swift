/// The school year, courses, classes and enrolments of a demo school, as OneRoster models them.
struct DemoTimetable {
    var sessions: [DemoAcademicSession] = []
    /// The terms of the school year, which every class runs through.
    var termSourcedIds: [String] = []
    /// The first day of the autumn term and the last day of the summer term (ISO 8601).
    var beginDate = ""
    var endDate = ""
    var courses: [DemoCourse] = []
    var classes: [DemoClass] = []
    var enrolments: [DemoEnrolment] = []
}

/// A OneRoster academic session: the school year or one of its three terms.
struct DemoAcademicSession {
    let sourcedId: String
    let title: String
    /// `schoolYear` or `term`.
    let type: String
    /// ISO 8601 dates (`2025-09-01`).
    let startDate: String
    let endDate: String
    let parentSourcedId: String
    /// The calendar year in which the school year ends, as OneRoster 1.1 writes it (`2026`).
    let schoolYear: String
}

struct DemoCourse {
    let sourcedId: String
    let title: String
    let courseCode: String
    /// The year group as a two-digit grade (`07`).
    let grade: String
    let subject: String
}

/// A registration group (`homeroom`) or a teaching group (`scheduled`).
struct DemoClass {
    let sourcedId: String
    let title: String
    let grade: String
    let courseSourcedId: String
    let classCode: String
    let classType: String
    let location: String
    /// Lesson periods as a comma list (`2,4`); empty for registration groups.
    let periods: String
    let subject: String
}

struct DemoEnrolment {
    let sourcedId: String
    let classSourcedId: String
    let userSourcedId: String
    /// `student`, `teacher` or `aide`.
    let role: String
    let isPrimary: Bool
    /// `active`, or `tobedeleted` for a leaver's enrolment.
    let status: String
}
