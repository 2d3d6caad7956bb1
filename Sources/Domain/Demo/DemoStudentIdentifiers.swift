/// A student drawn with their family, before the school gives them identifiers.
struct DemoStudentDraft {
    let forename: String
    let middleName: String?
    let surname: String
    let isFemale: Bool
    let year: Int
    let contactIndices: [Int]
    let isLeaver: Bool
}

/// Gives drafted students their registration group, UPN, admission number, username and email.
///
/// Exactly 1% of on-roll students (rounded) get a temporary UPN and exactly 4% have no email,
/// chosen at random, so that tests and demos can rely on those shares.
struct DemoStudentIdentifiers {
    private let school: DemoSchool
    private var random: DemoRandom
    private var usedUPNs = Set<UPN>()
    private var nextSerial: [String: Int] = [:]
    private var usedUsernames = Set<String>()

    /// Local authorities that pupils moved in from, besides the school's own.
    private static let otherAuthorities = [802, 803, 916, 933, 330, 202, 873, 926]

    init(school: DemoSchool, seed: UInt64) {
        self.school = school
        random = DemoRandom(seed: seed)
    }

    /// Registration groups of 32 or so, at least one and at most eight per year group.
    static func formCount(yearGroupSize: Int) -> Int {
        max(1, min(DemoNames.formLetters.count, Int((Double(yearGroupSize) / 32).rounded())))
    }

    // MARK: - Students

    mutating func makeStudents(from drafts: [DemoStudentDraft], sourcedIds: inout DemoRandom) -> [DemoStudent] {
        let forms = assignForms(drafts)
        let onRoll = drafts.indices.filter { !drafts[$0].isLeaver }

        // Exact shares, drawn among on-roll students only.
        let temporaryCount = Int((Double(onRoll.count) * 0.01).rounded())
        let withoutEmailCount = Int((Double(onRoll.count) * 0.04).rounded())
        let temporary = Set(random.sample(temporaryCount, from: onRoll.count).map { onRoll[$0] })
        let withoutEmail = Set(random.sample(withoutEmailCount, from: onRoll.count).map { onRoll[$0] })
        let admissionNumbers = assignAdmissionNumbers(drafts)

        var students: [DemoStudent] = []
        for (index, draft) in drafts.enumerated() {
            let upn = temporary.contains(index) ? makeTemporaryUPN() : makePermanentUPN(year: draft.year)
            let username = makeUsername(draft)
            students.append(
                DemoStudent(
                    sourcedId: sourcedIds.guid(),
                    upn: upn,
                    admissionNumber: admissionNumbers[index],
                    forename: draft.forename,
                    middleName: draft.middleName,
                    surname: draft.surname,
                    isFemale: draft.isFemale,
                    year: draft.year,
                    form: forms[index],
                    username: username,
                    email: withoutEmail.contains(index) ? nil : "\(username)@\(school.emailDomain)",
                    contactIndices: draft.contactIndices,
                    isLeaver: draft.isLeaver
                )
            )
        }
        return students
    }

    /// Spreads each year group's on-roll students over its registration groups in turn, and
    /// puts each leaver into a random group of their year.
    private mutating func assignForms(_ drafts: [DemoStudentDraft]) -> [String] {
        var sizes: [Int: Int] = [:]
        for draft in drafts where !draft.isLeaver {
            sizes[draft.year, default: 0] += 1
        }

        var placed: [Int: Int] = [:]
        var forms: [String] = []
        for draft in drafts {
            let count = Self.formCount(yearGroupSize: sizes[draft.year] ?? 0)
            let letterIndex: Int
            if draft.isLeaver {
                letterIndex = random.int(below: count)
            } else {
                letterIndex = (placed[draft.year] ?? 0) % count
                placed[draft.year, default: 0] += 1
            }
            forms.append("\(draft.year)\(DemoNames.formLetters[letterIndex])")
        }
        return forms
    }

    /// Admission numbers in order of joining: the oldest year groups have the lowest numbers.
    private func assignAdmissionNumbers(_ drafts: [DemoStudentDraft]) -> [String] {
        let order = drafts.indices.sorted {
            drafts[$0].year > drafts[$1].year || (drafts[$0].year == drafts[$1].year && $0 < $1)
        }
        var numbers = Array(repeating: "", count: drafts.count)
        for (position, index) in order.enumerated() {
            numbers[index] = Self.zeroPadded(1_001 + position, width: 6)
        }
        return numbers
    }

    // MARK: - UPNs

    /// Makes the UPN that the pupil's reception class gave them. Most come from a dozen feeder
    /// primaries in the school's own local authority, and 15% from another authority.
    private mutating func makePermanentUPN(year: Int) -> UPN {
        let allocationYear = (school.academicYear - year) % 100
        while true {
            let authority: Int
            let establishment: Int
            if random.chance(percent: 85) {
                authority = school.localAuthority
                establishment = 2_001 + 37 * random.int(below: 12)
            } else {
                authority = random.pick(Self.otherAuthorities)
                establishment = random.int(in: 2_000...3_999)
            }
            let key = "\(authority)/\(establishment)/\(allocationYear)"
            let serial = nextSerial[key] ?? random.int(in: 1...40)
            nextSerial[key] = serial + random.int(in: 1...3)
            guard serial <= 999 else {
                continue
            }
            let upn = UPN.make(la: authority, establishment: establishment, year: allocationYear, serial: serial)
            if usedUPNs.insert(upn).inserted {
                return upn
            }
        }
    }

    /// Makes a temporary UPN, allocated this year by this school to a pupil who arrived without one.
    private mutating func makeTemporaryUPN() -> UPN {
        while true {
            let serial = random.int(in: 1...99)
            let letter = random.pick(UPN.checkAlphabet)
            let upn = UPN.make(
                la: school.localAuthority,
                establishment: school.establishmentNumber,
                year: school.academicYear % 100,
                serial: serial,
                temporaryLetter: letter
            )
            if usedUPNs.insert(upn).inserted {
                return upn
            }
        }
    }

    // MARK: - Usernames

    /// Makes a username from the year of joining year 7, the surname and the first initial, such
    /// as `21obrienz`, as many schools' account tools do. A number follows when the name is taken.
    private mutating func makeUsername(_ draft: DemoStudentDraft) -> String {
        let joined = (school.academicYear - (draft.year - 7)) % 100
        let surname = DemoTextFolding.asciiLowercase(draft.surname)
        let initial = DemoTextFolding.asciiLowercase(draft.forename).prefix(1)
        let base = Self.zeroPadded(joined, width: 2) + surname + initial
        var username = base
        var suffix = 2
        while usedUsernames.contains(username) {
            username = base + String(suffix)
            suffix += 1
        }
        usedUsernames.insert(username)
        return username
    }

    static func zeroPadded(_ number: Int, width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
