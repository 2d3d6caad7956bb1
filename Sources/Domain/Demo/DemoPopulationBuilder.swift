/// Builds the students, families and contacts of a demo school from its seed.
///
/// Families come first: each has one to three contacts and one to three children, so siblings
/// share the very same contact records (and so the same names and emails) in every file.
/// Identifiers (UPN, admission number, username) are given once every child exists, so that the
/// shares of temporary UPNs and of students without email are exact rather than left to chance.
struct DemoPopulationBuilder {
    private let school: DemoSchool
    private var random: DemoRandom
    /// A separate stream for GUIDs, so that a change to how people are drawn keeps other ids.
    private var identifiers: DemoRandom
    private var children: [DemoStudentDraft] = []
    private var contacts: [DemoContact] = []
    private var usedParentEmails = Set<String>()
    private var nextContactID = 30_001

    /// A contact before their forename and email are drawn.
    private struct ContactDraft {
        let relationship: String
        let isFemale: Bool
        let surname: String
        /// The heritage the forename is drawn from.
        let heritage: DemoHeritage
        /// Mothers and fathers hold it; other contacts only where the code sets it.
        var hasParentalResponsibility: Bool

        init(relationship: String, isFemale: Bool, surname: String, heritage: DemoHeritage) {
            self.relationship = relationship
            self.isFemale = isFemale
            self.surname = surname
            self.heritage = heritage
            hasParentalResponsibility = relationship == "Mother" || relationship == "Father"
        }
    }

    /// The rule by which a family's children take their surname.
    private enum SurnameStyle {
        case family, mothers, doubleBarrelled
    }

    init(school: DemoSchool) {
        self.school = school
        random = DemoRandom(seed: school.seed)
        identifiers = DemoRandom(seed: school.seed ^ 0x1D5_1D5_1D5)
    }

    // MARK: - Building

    mutating func build() -> DemoPopulation {
        // Families of on-roll students, until every year group is full.
        var remaining = Self.yearGroupSizes(studentCount: school.studentCount)
        var familyCount = 0
        var familiesWithSiblings = 0
        var unplaced = school.studentCount
        while unplaced > 0 {
            let childCount = min(unplaced, drawChildCount())
            let years = drawYears(childCount, remaining: &remaining)
            addFamily(years: years, isLeaver: false)
            familyCount += 1
            if childCount > 1 {
                familiesWithSiblings += 1
            }
            unplaced -= childCount
        }

        // Leavers, each an only child, so that their families can leave with them.
        for _ in 0..<school.leaverCount {
            addFamily(years: [random.int(in: 7...13)], isLeaver: true)
        }

        var identifierBuilder = DemoStudentIdentifiers(school: school, seed: random.next())
        let students = identifierBuilder.makeStudents(from: children, sourcedIds: &identifiers)
        var staffBuilder = DemoStaffBuilder(school: school, seed: random.next())
        let staff = staffBuilder.build(sourcedIds: &identifiers)
        return DemoPopulation(
            students: students,
            contacts: contacts,
            staff: staff,
            familiesWithSiblings: familiesWithSiblings,
            familyCount: familyCount
        )
    }

    /// Students per year group 7 to 13 (index 0 is year 7), split by fixed shares with the
    /// largest-remainder method so that the sizes add up to `studentCount` exactly. The sixth
    /// form (years 12 and 13) is about half the size of a lower-school year, as in many 11-18
    /// academies.
    static func yearGroupSizes(studentCount: Int) -> [Int] {
        let shares = [17, 17, 17, 16, 16, 9, 8]
        var sizes = shares.map { studentCount * $0 / 100 }
        let remainders = shares.map { studentCount * $0 % 100 }
        var missing = studentCount - sizes.reduce(0, +)
        let order = remainders.indices.sorted {
            remainders[$0] > remainders[$1] || (remainders[$0] == remainders[$1] && $0 < $1)
        }
        for index in order where missing > 0 {
            sizes[index] += 1
            missing -= 1
        }
        return sizes
    }

    /// Draws the number of a family's children at the school: two or three in about 10% of families.
    private mutating func drawChildCount() -> Int {
        let roll = random.int(below: 100)
        if roll < 90 {
            return 1
        }
        return roll < 97 ? 2 : 3
    }

    /// Draws years for a family's children, in different year groups while any has room (else twins).
    private mutating func drawYears(_ count: Int, remaining: inout [Int]) -> [Int] {
        var years: [Int] = []
        for _ in 0..<count {
            var weights = remaining.enumerated().map { index, size in years.contains(index + 7) ? 0 : size }
            if weights.allSatisfy({ $0 == 0 }) {
                weights = remaining
            }
            let index = random.weightedIndex(weights)
            remaining[index] -= 1
            years.append(index + 7)
        }
        return years
    }

    // MARK: - Families

    private mutating func addFamily(years: [Int], isLeaver: Bool) {
        let heritage = drawHeritage()
        let familySurname = random.pick(heritage.surnames)
        let (contactIndices, motherSurname, fatherSurname) = addContacts(
            heritage: heritage,
            familySurname: familySurname,
            isLeaver: isLeaver
        )

        // Siblings follow one rule for their surname.
        var style = SurnameStyle.family
        let roll = random.int(below: 100)
        if let motherSurname, let fatherSurname, motherSurname != familySurname.female {
            let canJoin = !(motherSurname + fatherSurname).contains { $0 == "-" || $0 == " " }
            if roll < 5 && canJoin {
                style = .doubleBarrelled
            } else if roll < 10 {
                style = .mothers
            }
        }

        var forenames: [String] = []
        for year in years {
            let isFemale = random.int(below: 2) == 0
            let pool = isFemale ? heritage.girls : heritage.boys
            var forename = random.pick(pool)
            for _ in 0..<4 where forenames.contains(forename) {
                forename = random.pick(pool)
            }
            forenames.append(forename)
            let middleName = random.chance(percent: 30) ? random.pick(pool.filter { $0 != forename }) : nil

            let surname: String
            switch style {
            case .family: surname = familySurname.form(female: isFemale)
            case .mothers: surname = motherSurname ?? familySurname.form(female: isFemale)
            case .doubleBarrelled: surname = "\(motherSurname ?? "")-\(fatherSurname ?? "")"
            }

            let childIndex = children.count
            children.append(
                DemoStudentDraft(
                    forename: forename,
                    middleName: middleName,
                    surname: surname,
                    isFemale: isFemale,
                    year: year,
                    contactIndices: contactIndices,
                    isLeaver: isLeaver
                )
            )
            for contactIndex in contactIndices {
                contacts[contactIndex].childIndices.append(childIndex)
            }
        }
    }

    private mutating func drawHeritage() -> DemoHeritage {
        DemoNames.heritages[random.weightedIndex(DemoNames.heritages.map(\.weight))]
    }

    /// Adds one to three contacts in priority order, and returns their indices with the
    /// mother's and father's surnames when the family has both parents.
    private mutating func addContacts(
        heritage: DemoHeritage,
        familySurname: DemoSurname,
        isLeaver: Bool
    ) -> (indices: [Int], motherSurname: String?, fatherSurname: String?) {
        let familyMother = ContactDraft(
            relationship: "Mother", isFemale: true, surname: familySurname.female, heritage: heritage)
        let father = ContactDraft(
            relationship: "Father", isFemale: false, surname: familySurname.male, heritage: heritage)
        var people: [ContactDraft] = []

        let pattern = random.int(below: 100)
        if pattern < 25 {
            // One contact: mostly a lone parent, sometimes a kinship carer or a foster carer.
            let soleContact = random.int(below: 100)
            if soleContact < 70 {
                people.append(familyMother)
            } else if soleContact < 88 {
                people.append(father)
            } else if soleContact < 96 {
                // A grandparent bringing the child up has parental responsibility.
                let isFemale = random.int(below: 2) == 0
                var grandparent = ContactDraft(
                    relationship: "Grandparent", isFemale: isFemale, surname: familySurname.form(female: isFemale),
                    heritage: heritage
                )
                grandparent.hasParentalResponsibility = true
                people.append(grandparent)
            } else {
                people.append(
                    drawPerson(relationship: "Foster Carer", isFemale: random.int(below: 2) == 0, near: heritage))
            }
        } else {
            // Both parents; three mothers in ten kept a surname of their own.
            let mother =
                random.chance(percent: 70)
                ? familyMother : drawPerson(relationship: "Mother", isFemale: true, near: heritage)
            people += random.chance(percent: 20) ? [father, mother] : [mother, father]
            if pattern >= 80 {
                people.append(drawExtraContact(heritage: heritage, familySurname: familySurname))
            }
        }

        var indices: [Int] = []
        var forenames: [String] = []
        for (priority, person) in people.enumerated() {
            indices.append(contacts.count)
            let contact = makeContact(person, priority: priority + 1, isLeaver: isLeaver, avoiding: forenames)
            forenames.append(contact.forename)
            contacts.append(contact)
        }

        guard people.count >= 2, let mother = people.first(where: { $0.relationship == "Mother" }) else {
            return (indices, nil, nil)
        }
        return (indices, mother.surname, father.surname)
    }

    /// Draws a grandparent, aunt, uncle, step-parent or other relative as the third contact.
    private mutating func drawExtraContact(heritage: DemoHeritage, familySurname: DemoSurname) -> ContactDraft {
        let relationship = random.pick([
            "Grandparent", "Grandparent", "Aunt", "Uncle", "Step-father", "Step-mother", "Other Relative",
        ])
        let isFemale: Bool
        switch relationship {
        case "Aunt", "Step-mother": isFemale = true
        case "Uncle", "Step-father": isFemale = false
        default: isFemale = random.int(below: 2) == 0
        }

        // Step-parents have a surname of their own; relatives share the family's half the time.
        let isStepParent = relationship.hasPrefix("Step-")
        var person = drawPerson(relationship: relationship, isFemale: isFemale, near: heritage)
        if !isStepParent && random.chance(percent: 50) {
            person = ContactDraft(
                relationship: relationship, isFemale: isFemale, surname: familySurname.form(female: isFemale),
                heritage: heritage
            )
        }
        // Some grandparents hold parental responsibility under a child arrangements order.
        person.hasParentalResponsibility = relationship == "Grandparent" && random.chance(percent: 15)
        return person
    }

    /// A person outside the family name: mostly of the family's heritage, now and then of
    /// another (mixed families), with a surname of that heritage.
    private mutating func drawPerson(relationship: String, isFemale: Bool, near heritage: DemoHeritage) -> ContactDraft
    {
        let source = random.chance(percent: 25) ? drawHeritage() : heritage
        let surname = random.pick(source.surnames).form(female: isFemale)
        return ContactDraft(relationship: relationship, isFemale: isFemale, surname: surname, heritage: source)
    }

    private mutating func makeContact(
        _ person: ContactDraft,
        priority: Int,
        isLeaver: Bool,
        avoiding familyForenames: [String]
    ) -> DemoContact {
        let pool = person.isFemale ? person.heritage.women : person.heritage.men
        var forename = random.pick(pool)
        for _ in 0..<4 where familyForenames.contains(forename) || forename == person.surname {
            forename = random.pick(pool)
        }
        // Office staff sometimes type a known-as name into the forename field, quotes and all.
        if let nickname = Self.nicknames[forename], random.chance(percent: 15) {
            forename += " \"\(nickname)\""
        }
        let hasEmail = random.chance(percent: priority == 1 ? 96 : 88)
        let email = hasEmail ? makeParentEmail(forename: forename, surname: person.surname) : nil
        let contact = DemoContact(
            sourcedId: identifiers.guid(),
            misID: nextContactID,
            forename: forename,
            surname: person.surname,
            relationship: person.relationship,
            hasParentalResponsibility: person.hasParentalResponsibility,
            email: email,
            childIndices: [],
            isLeaverFamily: isLeaver
        )
        nextContactID += 1
        return contact
    }

    private static let nicknames: [String: String] = [
        "Christopher": "Chris", "Jonathan": "Jon", "Victoria": "Vicky", "Katarzyna": "Kasia",
        "Małgorzata": "Gosia", "Chukwuemeka": "Emeka", "Funmilayo": "Funmi", "Babatunde": "Tunde",
    ]

    // MARK: - Parent emails

    /// Makes a personal address at a reserved example domain (RFC 2606), so that demo mail
    /// cannot reach a real mailbox. Addresses are unique across all contacts.
    private mutating func makeParentEmail(forename: String, surname: String) -> String {
        let first = DemoTextFolding.asciiLowercase(String(forename.prefix { $0 != " " }))
        let last = DemoTextFolding.asciiLowercase(surname)
        let initial = String(first.prefix(1))
        let number = random.int(in: 1...99)
        let candidates = [
            "\(first).\(last)@example.com",
            "\(first)\(last)\(number)@example.net",
            "\(initial)\(last)@example.org",
            "\(last).\(first)\(number)@example.com",
        ]
        var email = candidates[random.int(below: candidates.count)]
        var suffix = 2
        while usedParentEmails.contains(email) {
            email = "\(first).\(last)\(suffix)@example.com"
            suffix += 1
        }
        usedParentEmails.insert(email)
        return email
    }
}
