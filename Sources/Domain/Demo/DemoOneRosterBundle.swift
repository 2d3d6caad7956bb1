/// The OneRoster 1.1 CSV files of a demo school, as a data-sync service exports them from the
/// MIS: UTF-8 without a byte order mark, CRLF line ends, RFC 4180 quoting, and the columns of
/// each file in the order the OneRoster 1.1 CSV tables define.
///
/// Students' `identifier` contains their UPN and `userIds` contains `{MIS:admission number}`.
/// Staff's `identifier` contains their staff code. Students list their contacts in `agentSourcedIds`, and
/// contacts list their children the same way.
///
/// OneRoster 1.1 users.csv has no preferred-name column (that came with 1.2), so the bundle has
/// none either.
// NOTE: every row carries `status` and `dateLastModified`, and leavers are `tobedeleted` rows in
// files the manifest declares `bulk`. Some importers expect both fields blank in bulk files;
// an importer should accept either.
struct DemoOneRosterBundle {
    let school: DemoSchool
    let population: DemoPopulation
    let timetable: DemoTimetable
    /// The sourcedIds of the trust (a `district` org) and of the school.
    let trustId: String
    let schoolId: String

    /// The moment the export claims to have been made: the morning the school year starts.
    var exportTime: String { "\(school.academicYear)-09-01T05:30:00.000Z" }

    /// Makes the bundle's files with their names, `manifest.csv` first.
    func files() -> [(name: String, text: String)] {
        [
            ("manifest.csv", manifest()),
            ("orgs.csv", orgs()),
            ("academicSessions.csv", academicSessions()),
            ("courses.csv", courses()),
            ("classes.csv", classes()),
            ("users.csv", users()),
            ("enrollments.csv", enrollments()),
        ]
    }

    // MARK: - Manifest and orgs

    private func manifest() -> String {
        var csv = DemoCSVText(header: ["propertyName", "value"])
        let rows = [
            ("manifest.version", "1.0"), ("oneroster.version", "1.1"),
            ("file.academicSessions", "bulk"), ("file.categories", "absent"), ("file.classes", "bulk"),
            ("file.classResources", "absent"), ("file.courses", "bulk"), ("file.courseResources", "absent"),
            ("file.demographics", "absent"), ("file.enrollments", "bulk"), ("file.lineItems", "absent"),
            ("file.orgs", "bulk"), ("file.resources", "absent"), ("file.results", "absent"),
            ("file.users", "bulk"), ("source.systemName", "Lanyard demo data"), ("source.systemCode", "lanyard-demo"),
        ]
        for (name, value) in rows {
            csv.appendRow([name, value])
        }
        return csv.text
    }

    private func orgs() -> String {
        var csv = DemoCSVText(header: [
            "sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId",
        ])
        csv.appendRow([trustId, "active", exportTime, school.trustName, "district", "", ""])
        csv.appendRow([schoolId, "active", exportTime, school.schoolName, "school", school.dfeNumber, trustId])
        return csv.text
    }

    // MARK: - Sessions, courses and classes

    private func academicSessions() -> String {
        var csv = DemoCSVText(header: [
            "sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId",
            "schoolYear",
        ])
        for session in timetable.sessions {
            csv.appendRow([
                session.sourcedId, "active", exportTime, session.title, session.type, session.startDate,
                session.endDate, session.parentSourcedId, session.schoolYear,
            ])
        }
        return csv.text
    }

    private func courses() -> String {
        var csv = DemoCSVText(header: [
            "sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode", "grades",
            "orgSourcedId", "subjects", "subjectCodes",
        ])
        let schoolYearId = timetable.sessions.first { $0.type == "schoolYear" }?.sourcedId ?? ""
        for course in timetable.courses {
            csv.appendRow([
                course.sourcedId, "active", exportTime, schoolYearId, course.title, course.courseCode, course.grade,
                schoolId, course.subject, "",
            ])
        }
        return csv.text
    }

    private func classes() -> String {
        var csv = DemoCSVText(header: [
            "sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode",
            "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods",
        ])
        let terms = timetable.termSourcedIds.joined(separator: ",")
        for schoolClass in timetable.classes {
            csv.appendRow([
                schoolClass.sourcedId, "active", exportTime, schoolClass.title, schoolClass.grade,
                schoolClass.courseSourcedId, schoolClass.classCode, schoolClass.classType, schoolClass.location,
                schoolId, terms, schoolClass.subject, "", schoolClass.periods,
            ])
        }
        return csv.text
    }

    // MARK: - Users and enrolments

    private func users() -> String {
        var csv = DemoCSVText(header: [
            "sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username",
            "userIds", "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone",
            "agentSourcedIds", "grades", "password",
        ])

        for member in population.staff {
            csv.appendRow([
                member.sourcedId, "active", exportTime, "true", schoolId, member.role.rawValue, member.username,
                "{MIS:\(member.misID)}", member.forename, member.surname, member.middleName ?? "", member.staffCode,
                member.email, "", "", "", "", "",
            ])
        }

        let students = DemoSchoolOrder.students(population)
        for index in students {
            let student = population.students[index]
            let agents = student.contactIndices.map { population.contacts[$0].sourcedId }.joined(separator: ",")
            csv.appendRow([
                student.sourcedId, student.isLeaver ? "tobedeleted" : "active", exportTime, "true", schoolId, "student",
                student.username, "{MIS:\(student.admissionNumber)}", student.forename, student.surname,
                student.middleName ?? "", student.upn.value, student.email ?? "", "", "", agents,
                DemoStudentIdentifiers.zeroPadded(student.year, width: 2), "",
            ])
        }

        for index in DemoSchoolOrder.contacts(population, studentOrder: students) {
            let contact = population.contacts[index]
            let children = contact.childIndices.map { population.students[$0].sourcedId }.joined(separator: ",")
            // A contact without email still needs a username, which OneRoster 1.1 requires.
            let username = contact.email ?? "contact\(contact.misID)"
            csv.appendRow([
                contact.sourcedId, contact.isLeaverFamily ? "tobedeleted" : "active", exportTime, "true", schoolId,
                contact.oneRosterRole, username, "{MIS:\(contact.misID)}", contact.forename, contact.surname, "", "",
                contact.email ?? "", "", "", children, "", "",
            ])
        }
        return csv.text
    }

    private func enrollments() -> String {
        var csv = DemoCSVText(header: [
            "sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId", "role",
            "primary", "beginDate", "endDate",
        ])
        for enrolment in timetable.enrolments {
            csv.appendRow([
                enrolment.sourcedId, enrolment.status, exportTime, enrolment.classSourcedId, schoolId,
                enrolment.userSourcedId, enrolment.role, enrolment.isPrimary ? "true" : "false", timetable.beginDate,
                timetable.endDate,
            ])
        }
        return csv.text
    }
}

/// The order in which people appear in the demo files.
enum DemoSchoolOrder {
    /// Student indices by year group, registration group, surname and forename, as an MIS
    /// report sorts them.
    static func students(_ population: DemoPopulation) -> [Int] {
        population.students.indices.sorted { leftIndex, rightIndex in
            let left = population.students[leftIndex]
            let right = population.students[rightIndex]
            if left.year != right.year { return left.year < right.year }
            if left.form != right.form { return left.form < right.form }
            if left.surname != right.surname { return left.surname < right.surname }
            if left.forename != right.forename { return left.forename < right.forename }
            return leftIndex < rightIndex
        }
    }

    /// Contact indices in the order their first child appears.
    static func contacts(_ population: DemoPopulation, studentOrder: [Int]) -> [Int] {
        var seen = Set<Int>()
        var order: [Int] = []
        for student in studentOrder {
            for contact in population.students[student].contactIndices where seen.insert(contact).inserted {
                order.append(contact)
            }
        }
        return order
    }
}
