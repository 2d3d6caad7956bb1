/// Builds the teachers and support staff of a demo school.
struct DemoStaffBuilder {
    private let school: DemoSchool
    private var random: DemoRandom
    private var usedCodes = Set<String>()
    private var usedUsernames = Set<String>()

    /// Teachers' departments with their relative sizes; sixth-form sciences belong to Science.
    private static let departments: [(name: String, weight: Int)] =
        [
            ("Mathematics", 12), ("English", 12), ("Science", 14), ("History", 4), ("Psychology", 2),
            ("Sociology", 2), ("Art and Design", 3),
        ] + DemoNames.otherSubjects.map { ($0, 4) }

    init(school: DemoSchool, seed: UInt64) {
        self.school = school
        random = DemoRandom(seed: seed)
    }

    /// Teachers first, then administrators, then aides.
    mutating func build(sourcedIds: inout DemoRandom) -> [DemoStaffMember] {
        var staff: [DemoStaffMember] = []
        let roles =
            Array(repeating: DemoStaffMember.Role.teacher, count: school.teacherCount)
            + Array(repeating: .administrator, count: school.administratorCount)
            + Array(repeating: .aide, count: school.aideCount)

        for (offset, role) in roles.enumerated() {
            let heritage = DemoNames.heritages[random.weightedIndex(DemoNames.heritages.map(\.weight))]
            let isFemale = random.chance(percent: 62)
            let pool = isFemale ? heritage.women : heritage.men
            let forename = random.pick(pool)
            let middleName = random.chance(percent: 20) ? random.pick(pool.filter { $0 != forename }) : nil
            let surname = random.pick(heritage.surnames).form(female: isFemale)
            let username = makeUsername(forename: forename, surname: surname)
            // Every department gets a teacher before the rest are shared out by size.
            let department: String? =
                role == .teacher
                ? (offset < Self.departments.count
                    ? Self.departments[offset].name
                    : Self.departments[random.weightedIndex(Self.departments.map(\.weight))].name)
                : nil

            staff.append(
                DemoStaffMember(
                    sourcedId: sourcedIds.guid(),
                    role: role,
                    forename: forename,
                    middleName: middleName,
                    surname: surname,
                    staffCode: makeStaffCode(forename: forename, surname: surname),
                    misID: 5_001 + offset,
                    username: username,
                    email: "\(username)@\(school.emailDomain)",
                    department: department
                )
            )
        }
        return staff
    }

    // MARK: - Identifiers

    /// `s.okafor`, then `s.okafor2` and so on when the name is taken.
    private mutating func makeUsername(forename: String, surname: String) -> String {
        let base = DemoTextFolding.asciiLowercase(forename).prefix(1) + "." + DemoTextFolding.asciiLowercase(surname)
        var username = base
        var suffix = 2
        while usedUsernames.contains(username) {
            username = base + String(suffix)
            suffix += 1
        }
        usedUsernames.insert(username)
        return username
    }

    /// Three capital letters, as SIMS staff codes usually are: the forename's initial and the
    /// surname's first two letters (`SOK`), or another letter of the surname when that is taken,
    /// then a digit in place of the last letter.
    private mutating func makeStaffCode(forename: String, surname: String) -> String {
        let first = DemoTextFolding.asciiLowercase(forename).uppercased().prefix(1)
        let letters = Array(DemoTextFolding.asciiLowercase(surname).uppercased() + "XX")
        var candidates: [String] = []
        for index in 1..<letters.count {
            candidates.append(first + String(letters[0]) + String(letters[index]))
        }
        for digit in 1...9 {
            candidates.append(first + String(letters[0]) + String(digit))
        }
        for candidate in candidates where !usedCodes.contains(candidate) {
            usedCodes.insert(candidate)
            return candidate
        }
        // Every letter and digit is taken for these initials: fall back to a numbered code.
        var number = usedCodes.count
        while usedCodes.contains("S\(number)") {
            number += 1
        }
        usedCodes.insert("S\(number)")
        return "S\(number)"
    }
}
