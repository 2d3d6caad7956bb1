/// Builds the school year, courses, classes and enrolments from a demo population.
///
/// Every student is in the homeroom class of their registration group. In years 7 to 11 each
/// student also has Mathematics in a set across the year group, and English and Science with
/// their registration group. In the sixth form each student takes three A level subjects, taught
/// in groups of at most 22. Form tutors and subject teachers come from the staff, by department.
struct DemoTimetableBuilder {
    private let school: DemoSchool
    private let population: DemoPopulation
    private var random: DemoRandom
    private var timetable = DemoTimetable()
    private var courseIds: [String: String] = [:]
    private var nextTeacher: [String: Int] = [:]

    private static let sixthFormGroupSize = 22

    init(school: DemoSchool, population: DemoPopulation, seed: UInt64) {
        self.school = school
        self.population = population
        random = DemoRandom(seed: seed)
    }

    mutating func build(sourcedIds: inout DemoRandom) -> DemoTimetable {
        addSessions(sourcedIds: &sourcedIds)
        addRegistrationGroups(sourcedIds: &sourcedIds)
        for year in 7...11 {
            addLowerSchoolClasses(year: year, sourcedIds: &sourcedIds)
        }
        for year in 12...13 {
            addSixthFormClasses(year: year, sourcedIds: &sourcedIds)
        }
        addAides(sourcedIds: &sourcedIds)
        return timetable
    }

    // MARK: - Sessions

    /// Adds the school year and its three terms.
    private mutating func addSessions(sourcedIds: inout DemoRandom) {
        let start = school.academicYear
        let end = start + 1
        // NOTE: the term dates follow a typical English calendar but are not any real authority's.
        let yearId = sourcedIds.guid()
        let yearTitle = "\(start)/\(DemoStudentIdentifiers.zeroPadded(end % 100, width: 2))"

        timetable.sessions.append(
            DemoAcademicSession(
                sourcedId: yearId, title: yearTitle, type: "schoolYear",
                startDate: "\(start)-09-01", endDate: "\(end)-08-31", parentSourcedId: "", schoolYear: "\(end)"
            )
        )
        let terms = [
            ("Autumn term \(start)", "\(start)-09-01", "\(start)-12-19"),
            ("Spring term \(end)", "\(end)-01-05", "\(end)-03-27"),
            ("Summer term \(end)", "\(end)-04-13", "\(end)-07-22"),
        ]

        var ids: [String] = []
        for (title, startDate, endDate) in terms {
            let id = sourcedIds.guid()
            ids.append(id)
            timetable.sessions.append(
                DemoAcademicSession(
                    sourcedId: id, title: title, type: "term",
                    startDate: startDate, endDate: endDate, parentSourcedId: yearId, schoolYear: "\(end)"
                )
            )
        }
        timetable.termSourcedIds = ids
        timetable.beginDate = terms[0].1
        timetable.endDate = terms[2].2
    }

    // MARK: - Registration groups

    private mutating func addRegistrationGroups(sourcedIds: inout DemoRandom) {
        var members: [String: [Int]] = [:]
        for (index, student) in population.students.enumerated() {
            members[student.form, default: []].append(index)
        }
        let forms = members.keys.sorted { Self.formOrder($0, $1) }
        let teachers = population.staff.filter { $0.role == .teacher }

        for (position, form) in forms.enumerated() {
            let year = population.students[members[form]![0]].year
            let classId = addClass(
                title: "Registration \(form)", year: year, subject: "Registration", code: form,
                type: "homeroom", periods: "", sourcedIds: &sourcedIds
            )
            if !teachers.isEmpty {
                let tutor = teachers[position % teachers.count]
                enrol(tutor.sourcedId, in: classId, role: "teacher", primary: true, sourcedIds: &sourcedIds)
            }
            for index in members[form]! {
                let student = population.students[index]
                enrol(
                    student.sourcedId, in: classId, role: "student",
                    status: student.isLeaver ? "tobedeleted" : "active", sourcedIds: &sourcedIds)
            }
        }
    }

    /// Year group first (so `7A` before `10A`), then the group's letter.
    static func formOrder(_ left: String, _ right: String) -> Bool {
        let leftYear = Int(left.prefix { $0.isNumber }) ?? 0
        let rightYear = Int(right.prefix { $0.isNumber }) ?? 0
        return leftYear != rightYear ? leftYear < rightYear : left < right
    }

    // MARK: - Teaching groups

    private mutating func addLowerSchoolClasses(year: Int, sourcedIds: inout DemoRandom) {
        let students = onRollStudents(year: year)
        guard !students.isEmpty else {
            return
        }
        let forms = Set(students.map { population.students[$0].form }).sorted()

        // Mathematics in sets across the year group, as many sets as registration groups.
        let shuffled = random.shuffled(students)
        for set in 0..<forms.count {
            let lower = shuffled.count * set / forms.count
            let upper = shuffled.count * (set + 1) / forms.count
            let classId = addClass(
                title: "Year \(year) Mathematics set \(set + 1)", year: year, subject: "Mathematics",
                code: "\(year)x/Ma\(set + 1)", type: "scheduled", periods: drawPeriods(), sourcedIds: &sourcedIds
            )
            enrolTeacher(department: "Mathematics", in: classId, sourcedIds: &sourcedIds)
            for index in shuffled[lower..<upper] {
                enrol(population.students[index].sourcedId, in: classId, role: "student", sourcedIds: &sourcedIds)
            }
        }

        // English and Science with the registration group.
        for (subject, code) in [("English", "En"), ("Science", "Sc")] {
            for form in forms {
                let classId = addClass(
                    title: "\(form) \(subject)", year: year, subject: subject, code: "\(form)/\(code)",
                    type: "scheduled", periods: drawPeriods(), sourcedIds: &sourcedIds
                )
                enrolTeacher(department: subject, in: classId, sourcedIds: &sourcedIds)
                for index in students where population.students[index].form == form {
                    enrol(population.students[index].sourcedId, in: classId, role: "student", sourcedIds: &sourcedIds)
                }
            }
        }
    }

    private mutating func addSixthFormClasses(year: Int, sourcedIds: inout DemoRandom) {
        let students = onRollStudents(year: year)
        guard !students.isEmpty else {
            return
        }

        // Three different subjects per student.
        let subjects = DemoNames.sixthFormSubjects
        var takers = Array(repeating: [Int](), count: subjects.count)
        for index in students {
            for choice in random.shuffled(Array(subjects.indices)).prefix(3) {
                takers[choice].append(index)
            }
        }

        for (choice, subject) in subjects.enumerated() where !takers[choice].isEmpty {
            let groupCount = (takers[choice].count + Self.sixthFormGroupSize - 1) / Self.sixthFormGroupSize
            for group in 0..<groupCount {
                let lower = takers[choice].count * group / groupCount
                let upper = takers[choice].count * (group + 1) / groupCount
                let classId = addClass(
                    title: "Year \(year) \(subject.name) group \(group + 1)", year: year, subject: subject.name,
                    code: "\(year)/\(subject.code)\(group + 1)", type: "scheduled", periods: drawPeriods(),
                    sourcedIds: &sourcedIds
                )
                enrolTeacher(department: Self.department(of: subject.name), in: classId, sourcedIds: &sourcedIds)
                for index in takers[choice][lower..<upper] {
                    enrol(population.students[index].sourcedId, in: classId, role: "student", sourcedIds: &sourcedIds)
                }
            }
        }
    }

    /// Enrols each teaching assistant in two classes of years 7 to 9.
    private mutating func addAides(sourcedIds: inout DemoRandom) {
        let lowerYearGrades: Set<String> = ["07", "08", "09"]
        let candidates = timetable.classes.filter { $0.classType == "scheduled" && lowerYearGrades.contains($0.grade) }
        guard !candidates.isEmpty else {
            return
        }
        for aide in population.staff where aide.role == .aide {
            for classIndex in random.sample(min(2, candidates.count), from: candidates.count).sorted() {
                enrol(aide.sourcedId, in: candidates[classIndex].sourcedId, role: "aide", sourcedIds: &sourcedIds)
            }
        }
    }

    // MARK: - Helpers

    private func onRollStudents(year: Int) -> [Int] {
        population.students.indices.filter { population.students[$0].year == year && !population.students[$0].isLeaver }
    }

    /// Returns the department that teaches a subject. Sixth-form sciences belong to Science.
    static func department(of subject: String) -> String {
        switch subject {
        case "Biology", "Chemistry", "Physics": return "Science"
        case "English Literature": return "English"
        default: return subject
        }
    }

    /// Two different lesson periods of the five in a day, in order.
    private mutating func drawPeriods() -> String {
        let periods = random.sample(2, from: 5).sorted().map { String($0 + 1) }
        return periods.joined(separator: ",")
    }

    private mutating func addClass(
        title: String, year: Int, subject: String, code: String, type: String, periods: String,
        sourcedIds: inout DemoRandom
    ) -> String {
        let grade = DemoStudentIdentifiers.zeroPadded(year, width: 2)
        let courseKey = "\(year)/\(subject)"
        if courseIds[courseKey] == nil {
            let courseId = sourcedIds.guid()
            courseIds[courseKey] = courseId
            let codeLetters = DemoTextFolding.asciiLowercase(subject).uppercased().prefix(3)
            timetable.courses.append(
                DemoCourse(
                    sourcedId: courseId, title: "Year \(year) \(subject)", courseCode: "\(codeLetters)\(grade)",
                    grade: grade, subject: subject
                )
            )
        }

        let classId = sourcedIds.guid()
        timetable.classes.append(
            DemoClass(
                sourcedId: classId, title: title, grade: grade, courseSourcedId: courseIds[courseKey]!,
                classCode: code, classType: type, location: random.pick(DemoNames.rooms), periods: periods,
                subject: type == "homeroom" ? "" : subject
            )
        )
        return classId
    }

    /// Enrols the next teacher of the department in turn, or of the whole staff when the
    /// department has no teacher (a small demo school).
    private mutating func enrolTeacher(department: String, in classId: String, sourcedIds: inout DemoRandom) {
        var teachers = population.staff.filter { $0.role == .teacher && $0.department == department }
        if teachers.isEmpty {
            teachers = population.staff.filter { $0.role == .teacher }
        }
        guard !teachers.isEmpty else {
            return
        }
        let turn = nextTeacher[department, default: 0]
        nextTeacher[department] = turn + 1
        enrol(
            teachers[turn % teachers.count].sourcedId, in: classId, role: "teacher", primary: true,
            sourcedIds: &sourcedIds)
    }

    private mutating func enrol(
        _ userId: String, in classId: String, role: String, primary: Bool = false, status: String = "active",
        sourcedIds: inout DemoRandom
    ) {
        timetable.enrolments.append(
            DemoEnrolment(
                sourcedId: sourcedIds.guid(), classSourcedId: classId, userSourcedId: userId, role: role,
                isPrimary: primary, status: status
            )
        )
    }
}
