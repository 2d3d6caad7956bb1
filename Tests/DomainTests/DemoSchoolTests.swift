import Foundation
import Testing

@testable import Domain

/// A demo school written into its own temporary folder, with its files read back.
struct GeneratedDemoSchool {
    let folder: DemoTemporaryFolder
    let summary: DemoSchoolSummary
    let users: DemoCSVTable
    let classes: DemoCSVTable
    let enrollments: DemoCSVTable
    let contacts: DemoCSVTable

    init(_ school: DemoSchool = DemoSchool()) throws {
        folder = try DemoTemporaryFolder()
        summary = try school.write(to: folder.path)
        users = try DemoCSVTable(path: folder.appending("oneroster/users.csv"))
        classes = try DemoCSVTable(path: folder.appending("oneroster/classes.csv"))
        enrollments = try DemoCSVTable(path: folder.appending("oneroster/enrollments.csv"))
        contacts = try DemoCSVTable(path: folder.appending("mis-contacts.csv"))
    }

    var students: [DemoCSVTable.Row] { users.rows(where: "role", is: "student") }
    var activeStudents: [DemoCSVTable.Row] { students.filter { $0["status"] == "active" } }

    func agents(of user: DemoCSVTable.Row) -> [String] {
        (user["agentSourcedIds"] ?? "").split(separator: ",").map(String.init)
    }

    func usersById() -> [String: DemoCSVTable.Row] {
        Dictionary(uniqueKeysWithValues: users.rows.map { ($0["sourcedId"]!, $0) })
    }
}

@Suite("Demo school")
struct DemoSchoolTests {
    // MARK: - Summary and counts

    @Test func summaryGivesSchoolAndCounts() throws {
        let school = try GeneratedDemoSchool()
        let summary = school.summary

        #expect(summary.schoolName == "Castle Mead Academy")
        #expect(summary.dfeNumber == "801/4012")
        #expect(summary.studentCount == 1_200)
        #expect(summary.leaverCount == 5)
        #expect(summary.teacherCount == 90)
        #expect(summary.supportStaffCount == 30)
        #expect(summary.staffCount == 120)
        #expect(summary.studentsWithoutEmail == 48)
        #expect(summary.temporaryUPNCount == 12)
        #expect(summary.familiesWithSiblings > 0)
        #expect(summary.oneRosterFiles.map { ($0 as NSString).lastPathComponent } == DemoSchool.oneRosterFileNames)
        for path in summary.oneRosterFiles + [summary.misContactsFile] {
            #expect(FileManager.default.fileExists(atPath: path), "missing \(path)")
        }
    }

    @Test func usersFileHasOneRowPerPerson() throws {
        let school = try GeneratedDemoSchool()
        let roles = Dictionary(grouping: school.users.rows) { $0["role"] ?? "" }.mapValues(\.count)

        #expect(roles["student"] == 1_205)
        #expect(school.students.filter { $0["status"] == "tobedeleted" }.count == 5)
        #expect(roles["teacher"] == 90)
        #expect(roles["administrator"] == 12)
        #expect(roles["aide"] == 18)
        #expect((roles["parent"] ?? 0) + (roles["guardian"] ?? 0) == school.summary.parentCount)
        #expect(Set(roles.keys) == ["student", "teacher", "administrator", "aide", "parent", "guardian"])
        #expect(Set(school.users.rows.map { $0["sourcedId"]! }).count == school.users.rows.count)
    }

    // MARK: - Students

    @Test func studentUPNsAreValidAndUnique() throws {
        let school = try GeneratedDemoSchool()
        var upns = Set<UPN>()
        for student in school.students {
            let upn = try UPN(student["identifier"] ?? "")
            #expect(upn.value == student["identifier"], "UPN not normalised: \(upn)")
            upns.insert(upn)
        }

        #expect(upns.count == school.students.count)
        let temporary = school.activeStudents.filter { try! UPN($0["identifier"]!).isTemporary }
        #expect(temporary.count == 12)
        #expect(temporary.count == school.summary.temporaryUPNCount)
    }

    @Test func aboutFourPercentOfStudentsHaveNoEmail() throws {
        let school = try GeneratedDemoSchool()
        let withoutEmail = school.activeStudents.filter { $0["email"] == "" }

        #expect(withoutEmail.count == 48)
        #expect(withoutEmail.count == school.summary.studentsWithoutEmail)
        for student in school.students where student["email"] != "" {
            #expect(student["email"] == "\(student["username"]!)@castlemead.example")
        }
        let usernames = school.students.map { $0["username"] ?? "" }
        #expect(!usernames.contains(""))
        #expect(Set(usernames).count == usernames.count)
    }

    @Test func studentsAreInYearsSevenToThirteen() throws {
        let school = try GeneratedDemoSchool()
        let grades = Set(school.students.map { $0["grades"] ?? "" })

        #expect(grades == ["07", "08", "09", "10", "11", "12", "13"])
        for student in school.students {
            #expect(student["userIds"]?.hasPrefix("{MIS:") == true, "no admission number: \(student)")
        }
    }

    // MARK: - Families

    @Test func agentSourcedIdsResolveToParentsAndBack() throws {
        let school = try GeneratedDemoSchool()
        let byId = school.usersById()

        for student in school.students {
            let agents = school.agents(of: student)
            #expect((1...3).contains(agents.count), "\(student["sourcedId"]!) has \(agents.count) contacts")
            for agentId in agents {
                let agent = try #require(byId[agentId], "unresolved agent \(agentId)")
                #expect(["parent", "guardian"].contains(agent["role"]))
                #expect(school.agents(of: agent).contains(student["sourcedId"]!))
            }
        }
        for parent in school.users.rows where ["parent", "guardian"].contains(parent["role"]) {
            for childId in school.agents(of: parent) {
                #expect(byId[childId]?["role"] == "student", "parent \(parent["sourcedId"]!) points to \(childId)")
            }
        }
    }

    @Test func siblingsShareTheirParents() throws {
        let school = try GeneratedDemoSchool()
        let families = Dictionary(grouping: school.activeStudents) { school.agents(of: $0).joined(separator: ",") }
        let withSiblings = families.values.filter { $0.count >= 2 }
        let parentsOfSeveral = school.users.rows.filter { school.agents(of: $0).count >= 2 && $0["role"] != "student" }

        #expect(withSiblings.count == school.summary.familiesWithSiblings)
        #expect(families.count == school.summary.familyCount)
        #expect(!parentsOfSeveral.isEmpty)
        // About 10% of families have two or three children at the school.
        let share = Double(withSiblings.count) / Double(families.count)
        #expect(share > 0.05, "share of families with siblings: \(share)")
        #expect(share < 0.15, "share of families with siblings: \(share)")
    }

    // MARK: - MIS contacts report

    @Test func contactsReportHasByteOrderMarkAndCRLF() throws {
        let school = try GeneratedDemoSchool()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: school.summary.misContactsFile)))

        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(Array(bytes.suffix(2)) == [13, 10])
        for (index, byte) in bytes.enumerated() where byte == 10 {
            let previous = index > 0 ? bytes[index - 1] : nil
            #expect(previous == 13, "bare line feed at byte \(index)")
        }
        for (index, byte) in bytes.enumerated() where byte == 13 {
            let next = index + 1 < bytes.count ? bytes[index + 1] : nil
            #expect(next == 10, "bare carriage return at byte \(index)")
        }
        #expect(
            school.contacts.header == [
                "UPN", "Legal Surname", "Forename", "Contact Forename", "Contact Surname", "Relationship", "Priority",
                "Parental Responsibility", "Contact Email",
            ])
    }

    @Test func contactsReportDescribesTheSameFamilies() throws {
        let school = try GeneratedDemoSchool()
        let byId = school.usersById()
        let studentsByUPN = Dictionary(uniqueKeysWithValues: school.students.map { ($0["identifier"]!, $0) })
        let relationships: Set = [
            "Mother", "Father", "Grandparent", "Aunt", "Uncle", "Step-father", "Step-mother", "Other Relative",
            "Foster Carer",
        ]

        for row in school.contacts.rows {
            let student = try #require(studentsByUPN[row["UPN"]!], "unknown UPN \(row["UPN"]!)")
            #expect(student["status"] == "active", "leaver \(row["UPN"]!) is in the report")
            #expect(row["Legal Surname"] == student["familyName"])
            #expect(row["Forename"] == student["givenName"])

            let priority = try #require(Int(row["Priority"] ?? ""))
            let agents = school.agents(of: student)
            try #require((1...agents.count).contains(priority))
            let contact = try #require(byId[agents[priority - 1]])
            #expect(row["Contact Forename"] == contact["givenName"])
            #expect(row["Contact Surname"] == contact["familyName"])
            #expect(row["Contact Email"] == contact["email"])
            #expect(relationships.contains(row["Relationship"] ?? ""))
            #expect(["Yes", "No"].contains(row["Parental Responsibility"]))
        }

        let expectedRows = school.activeStudents.map { school.agents(of: $0).count }.reduce(0, +)
        #expect(school.contacts.rows.count == expectedRows)
        #expect(school.contacts.rows.count == school.summary.contactRowCount)
        #expect(school.contacts.rows.contains { $0["Parental Responsibility"] == "No" })
        #expect(school.contacts.rows.contains { $0["Contact Email"] == "" })
    }

    // MARK: - Text

    @Test func namesWithDiacriticsSurvive() throws {
        let school = try GeneratedDemoSchool()
        var names = Set<String>()
        for user in school.users.rows {
            names.formUnion([user["givenName"]!, user["familyName"]!, user["middleName"]!])
        }

        for name in [
            "Zoë", "Siân", "Nguyễn", "Łukasz", "Chloé", "Aoife", "Müller", "Ní Bhriain", "Dafydd", "Llŷr",
            "O'Brien", "D'Souza", "Smith-Jones",
        ] {
            #expect(names.contains(name), "\(name) is missing from users.csv")
        }
        #expect(school.classes.rows.contains { $0["location"] == "Tŵr 1" })
        let reportNames = Set(school.contacts.rows.flatMap { [$0["Legal Surname"]!, $0["Contact Surname"]!] })
        #expect(reportNames.contains("Nguyễn"))
        #expect(reportNames.contains("Ní Bhriain"))
    }

    @Test func sameSeedWritesIdenticalBytes() throws {
        let first = try DemoTemporaryFolder()
        let second = try DemoTemporaryFolder()
        let one = try DemoSchool(seed: 42).write(to: first.path)
        let other = try DemoSchool(seed: 42).write(to: second.path)

        for (left, right) in zip(
            one.oneRosterFiles + [one.misContactsFile], other.oneRosterFiles + [other.misContactsFile])
        {
            let leftBytes = try Data(contentsOf: URL(fileURLWithPath: left))
            let rightBytes = try Data(contentsOf: URL(fileURLWithPath: right))
            #expect(leftBytes == rightBytes, "\((left as NSString).lastPathComponent) differs")
        }
    }

    @Test func differentSeedWritesDifferentStudents() throws {
        let first = try DemoTemporaryFolder()
        let second = try DemoTemporaryFolder()
        var school = DemoSchool(seed: 1)
        school.studentCount = 100
        let one = try school.write(to: first.path)
        school.seed = 2
        let other = try school.write(to: second.path)

        let oneUsers = try Data(contentsOf: URL(fileURLWithPath: one.oneRosterFolder + "/users.csv"))
        let otherUsers = try Data(contentsOf: URL(fileURLWithPath: other.oneRosterFolder + "/users.csv"))
        #expect(oneUsers != otherUsers)
    }

    // MARK: - Classes

    @Test func everyStudentHasOneRegistrationGroup() throws {
        let school = try GeneratedDemoSchool()
        let classesById = Dictionary(uniqueKeysWithValues: school.classes.rows.map { ($0["sourcedId"]!, $0) })
        let userIds = Set(school.users.rows.map { $0["sourcedId"]! })
        var homerooms: [String: [DemoCSVTable.Row]] = [:]

        for enrolment in school.enrollments.rows {
            let schoolClass = try #require(classesById[enrolment["classSourcedId"]!])
            #expect(userIds.contains(enrolment["userSourcedId"]!))
            if schoolClass["classType"] == "homeroom" && enrolment["role"] == "student" {
                homerooms[enrolment["userSourcedId"]!, default: []].append(schoolClass)
            }
        }

        for student in school.students {
            let groups = homerooms[student["sourcedId"]!] ?? []
            #expect(groups.count == 1, "\(student["sourcedId"]!) is in \(groups.count) registration groups")
            let code = groups.first?["classCode"] ?? ""
            #expect(code.dropLast() == String(Int(student["grades"]!)!), "\(code) in grade \(student["grades"]!)")
            #expect(DemoNames.formLetters.contains(code.last ?? "?"))
        }
    }

    @Test func everyClassHasAPrimaryTeacher() throws {
        let school = try GeneratedDemoSchool()
        let teacherIds = Set(school.users.rows(where: "role", is: "teacher").map { $0["sourcedId"]! })
        let taught = Set(
            school.enrollments.rows
                .filter {
                    $0["role"] == "teacher" && $0["primary"] == "true" && teacherIds.contains($0["userSourcedId"]!)
                }
                .map { $0["classSourcedId"]! }
        )

        #expect(taught == Set(school.classes.rows.map { $0["sourcedId"]! }))
        #expect(school.classes.rows.contains { $0["classType"] == "scheduled" })
    }

    @Test func leaversEnrolmentsAreToBeDeleted() throws {
        let school = try GeneratedDemoSchool()
        let leaverIds = Set(school.students.filter { $0["status"] == "tobedeleted" }.map { $0["sourcedId"]! })

        #expect(leaverIds.count == 5)
        for enrolment in school.enrollments.rows where leaverIds.contains(enrolment["userSourcedId"]!) {
            #expect(enrolment["status"] == "tobedeleted")
        }
        for enrolment in school.enrollments.rows where !leaverIds.contains(enrolment["userSourcedId"]!) {
            #expect(enrolment["status"] == "active")
        }
    }

    // MARK: - Orgs and manifest

    @Test func schoolOrgSitsUnderTheTrust() throws {
        let folder = try DemoTemporaryFolder()
        let summary = try DemoSchool().write(to: folder.path)
        let orgs = try DemoCSVTable(path: summary.oneRosterFolder + "/orgs.csv")
        let manifest = try DemoCSVTable(path: summary.oneRosterFolder + "/manifest.csv")

        let trust = try #require(orgs.rows(where: "type", is: "district").first)
        let school = try #require(orgs.rows(where: "type", is: "school").first)
        #expect(trust["name"] == "Severn Vale Learning Trust")
        #expect(school["name"] == "Castle Mead Academy")
        #expect(school["identifier"] == "801/4012")
        #expect(school["parentSourcedId"] == trust["sourcedId"])

        let properties = Dictionary(uniqueKeysWithValues: manifest.rows.map { ($0["propertyName"]!, $0["value"]!) })
        #expect(properties["oneroster.version"] == "1.1")
        for name in ["orgs", "users", "classes", "enrollments", "academicSessions", "courses"] {
            #expect(properties["file.\(name)"] == "bulk", "file.\(name)")
        }
        #expect(properties["file.demographics"] == "absent")
    }

    // MARK: - Settings and failures

    @Test func smallSchoolStillGetsEveryFile() throws {
        var settings = DemoSchool(seed: 9)
        settings.studentCount = 3
        settings.leaverCount = 0
        settings.teacherCount = 1
        settings.administratorCount = 0
        settings.aideCount = 0
        let school = try GeneratedDemoSchool(settings)

        #expect(school.summary.studentCount == 3)
        #expect(school.students.count == 3)
        #expect(school.users.rows(where: "role", is: "teacher").count == 1)
        #expect(school.summary.oneRosterFiles.count == 7)
    }

    @Test func folderInsideAFileIsReported() throws {
        let folder = try DemoTemporaryFolder()
        let blocker = folder.appending("not-a-folder")
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))

        #expect {
            try DemoSchool().write(to: blocker + "/demo")
        } throws: { error in
            guard case .folderNotCreated(let path, _) = error as? DemoSchoolError else {
                return false
            }
            return path == blocker + "/demo/oneroster"
        }
    }

    @Test func failureMessagesNameThePathAndTheFix() {
        let folder = DemoSchoolError.folderNotCreated(path: "/srv/demo/oneroster", reason: "Permission denied")
        let file = DemoSchoolError.fileNotWritten(path: "/srv/demo/users.csv", reason: "No space left on device")

        #expect(
            folder.description
                == "could not create the folder '/srv/demo/oneroster': Permission denied; check that its parent exists and is writable"
        )
        #expect(
            file.description
                == "could not write the file '/srv/demo/users.csv': No space left on device; check the folder's permissions and the free disk space"
        )
    }

    struct InvalidSetting: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let change: @Sendable (inout DemoSchool) -> Void
        let message: String
    }

    static let invalidSettings = [
        InvalidSetting(
            testDescription: "no students",
            change: { $0.studentCount = 0 },
            message: "invalid demo school setting 'studentCount': 0 is outside 1...20000; choose a value in that range"
        ),
        InvalidSetting(
            testDescription: "no teachers",
            change: { $0.teacherCount = 0 },
            message: "invalid demo school setting 'teacherCount': 0 is outside 1...2000; choose a value in that range"
        ),
        InvalidSetting(
            testDescription: "two-digit local authority",
            change: { $0.localAuthority = 80 },
            message:
                "invalid demo school setting 'localAuthority': 80 is outside 100...999; choose a value in that range"
        ),
        InvalidSetting(
            testDescription: "five-digit establishment number",
            change: { $0.establishmentNumber = 40_120 },
            message:
                "invalid demo school setting 'establishmentNumber': 40120 is outside 1000...9999; choose a value in that range"
        ),
        InvalidSetting(
            testDescription: "negative leavers",
            change: { $0.leaverCount = -1 },
            message: "invalid demo school setting 'leaverCount': -1 is outside 0...500; choose a value in that range"
        ),
        InvalidSetting(
            testDescription: "blank school name",
            change: { $0.schoolName = "  " },
            message: "invalid demo school setting 'schoolName': '  ' is blank; give the school a name"
        ),
        InvalidSetting(
            testDescription: "email domain without a dot",
            change: { $0.emailDomain = "castlemead" },
            message:
                "invalid demo school setting 'emailDomain': 'castlemead' is not a domain name; use lower-case letters, digits, hyphens and dots, as in castlemead.example"
        ),
        InvalidSetting(
            testDescription: "email domain in capitals",
            change: { $0.emailDomain = "CastleMead.example" },
            message:
                "invalid demo school setting 'emailDomain': 'CastleMead.example' is not a domain name; use lower-case letters, digits, hyphens and dots, as in castlemead.example"
        ),
        InvalidSetting(
            testDescription: "email domain with an empty label",
            change: { $0.emailDomain = "castlemead..example" },
            message:
                "invalid demo school setting 'emailDomain': 'castlemead..example' is not a domain name; use lower-case letters, digits, hyphens and dots, as in castlemead.example"
        ),
    ]

    @Test(arguments: invalidSettings)
    func invalidSettingIsRejected(_ setting: InvalidSetting) throws {
        let folder = try DemoTemporaryFolder()
        var school = DemoSchool()
        setting.change(&school)

        let error = #expect(throws: DemoSchoolError.self) {
            try school.write(to: folder.path)
        }
        #expect(error?.description == setting.message)
        #expect(!FileManager.default.fileExists(atPath: folder.appending("oneroster")))
    }

    // MARK: - Speed

    @Test func defaultSchoolIsGeneratedQuickly() throws {
        let folder = try DemoTemporaryFolder()
        let start = ContinuousClock.now
        _ = try DemoSchool().write(to: folder.path)
        let elapsed = ContinuousClock.now - start

        // It took 0.3 to 0.7 s in a debug build on a 2-core machine shared with other builds.
        // The bound catches an accidental quadratic step, not a slow machine.
        #expect(elapsed < .seconds(5), "took \(elapsed)")
    }
}
