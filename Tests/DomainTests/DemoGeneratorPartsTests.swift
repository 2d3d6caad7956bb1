import Testing

@testable import Domain

@Suite("Demo school generator parts")
struct DemoGeneratorPartsTests {
    // MARK: - Seeded generator

    @Test func splitMix64MatchesReferenceOutput() {
        // The first outputs of the reference SplitMix64 (Steele, Lea and Flood, 2014) from seed 0.
        var random = DemoRandom(seed: 0)

        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(random.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func boundedIntegersStayInRangeAndCoverIt() {
        var random = DemoRandom(seed: 5)
        var seen = Set<Int>()
        for _ in 0..<1_000 {
            let value = random.int(below: 7)
            #expect((0..<7).contains(value))
            seen.insert(value)
        }
        #expect(seen.count == 7)
    }

    @Test func guidHasVersionFourLayout() {
        var random = DemoRandom(seed: 11)
        let guid = Array(random.guid())

        #expect(guid.count == 36)
        #expect([guid[8], guid[13], guid[18], guid[23]] == ["-", "-", "-", "-"])
        #expect(guid[14] == "4")
        #expect("89ab".contains(guid[19]))
        #expect(guid.allSatisfy { "0123456789abcdef-".contains($0) })
    }

    // MARK: - Names to ASCII

    @Test(arguments: [
        ("Nguyễn", "nguyen"), ("Łukasz", "lukasz"), ("O'Brien", "obrien"), ("Ní Bhriain", "nibhriain"),
        ("Smith-Jones", "smithjones"), ("Müller", "muller"), ("Đặng", "dang"), ("Llŷr", "llyr"), ("Siân", "sian"),
        ("Weiß", "weiss"), ("Ștefan", "stefan"), ("Yılmaz", "yilmaz"), ("Zoë", "zoe"),
    ])
    func nameFoldsToASCII(name: String, expected: String) {
        #expect(DemoTextFolding.asciiLowercase(name) == expected)
    }

    // MARK: - CSV fields

    @Test(arguments: [
        ("plain", "plain"), ("", ""), ("Smith, Jones", "\"Smith, Jones\""),
        ("Christopher \"Chris\"", "\"Christopher \"\"Chris\"\"\""), ("two\r\nlines", "\"two\r\nlines\""),
        ("line\nfeed", "\"line\nfeed\""), ("Nguyễn", "Nguyễn"), ("=1+1", "=1+1"),
    ])
    func csvFieldIsQuotedOnlyWhenNeeded(field: String, expected: String) {
        var csv = DemoCSVText(header: ["a", "b"])
        csv.appendRow([field, "z"])
        #expect(csv.text == "a,b\r\n\(expected),z\r\n")
    }

    @Test func csvRowsEndInCRLFAfterByteOrderMark() {
        var csv = DemoCSVText(header: ["a", "b"], byteOrderMark: true)
        csv.appendRow(["1", "x,y"])

        #expect(csv.text == "\u{FEFF}a,b\r\n1,\"x,y\"\r\n")
        #expect(csv.rowCount == 1)
    }

    // MARK: - Year groups

    @Test(arguments: [1, 3, 7, 10, 99, 1_200, 20_000])
    func yearGroupSizesAddUpToStudentCount(studentCount: Int) {
        let sizes = DemoPopulationBuilder.yearGroupSizes(studentCount: studentCount)

        #expect(sizes.count == 7)
        #expect(sizes.reduce(0, +) == studentCount)
        #expect(sizes.allSatisfy { $0 >= 0 })
    }

    @Test func defaultSchoolHasSixFormsInLowerYears() {
        let sizes = DemoPopulationBuilder.yearGroupSizes(studentCount: 1_200)

        #expect(sizes == [204, 204, 204, 192, 192, 108, 96])
        #expect(sizes.map { DemoStudentIdentifiers.formCount(yearGroupSize: $0) } == [6, 6, 6, 6, 6, 3, 3])
    }
}
