/// The MIS contacts report of a demo school, as an admin exports it from SIMS or Arbor and
/// saves it from Excel: UTF-8 with a byte order mark, CRLF line ends, quotes only where needed.
///
/// One row per on-roll student and contact, contacts in priority order. Siblings' rows repeat
/// their shared contacts with the same names and emails. Leavers are not on roll, so they and
/// their contacts are left out.
enum DemoMISContactsReport {
    static let header = [
        "UPN", "Legal Surname", "Forename", "Contact Forename", "Contact Surname", "Relationship", "Priority",
        "Parental Responsibility", "Contact Email",
    ]

    /// Makes the report's text and counts its data rows.
    static func make(_ population: DemoPopulation) -> (text: String, rowCount: Int) {
        var csv = DemoCSVText(header: header, byteOrderMark: true)
        for index in DemoSchoolOrder.students(population) where !population.students[index].isLeaver {
            let student = population.students[index]
            for (offset, contactIndex) in student.contactIndices.enumerated() {
                let contact = population.contacts[contactIndex]
                csv.appendRow([
                    student.upn.value, student.surname, student.forename, contact.forename, contact.surname,
                    contact.relationship, String(offset + 1), contact.hasParentalResponsibility ? "Yes" : "No",
                    contact.email ?? "",
                ])
            }
        }
        return (csv.text, csv.rowCount)
    }
}
