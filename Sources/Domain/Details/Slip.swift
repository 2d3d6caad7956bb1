/// The two printed slips: a student's login details and a parent's registration code.
enum Slip {
    private static let margin = 20.0

    // MARK: - Student

    /// Draws a student's slip: name, registration group, login name, login URL, and the PIN with
    /// its expiry, or for an SSO school the instruction to use the school account.
    static func drawStudent(_ row: MailMergeRow, in slot: SlipSheet.Slot, on document: PDFDocument) {
        let left = slot.x + margin
        let width = slot.width - 2 * margin
        var y = slot.y + margin + 12

        document.setFont(.regular, size: 9)
        document.draw("Login details · \(row.registrationGroup.isEmpty ? "no registration group" : row.registrationGroup)", x: left, y: y)
        y += 24
        document.drawFitted(row.displayName, x: left, y: y, maxWidth: width, style: .bold, size: 16, minimumSize: 9)
        y += 22

        y = drawLabelled("Login name", row.loginName, x: left, y: y, width: width, on: document)
        y = drawLabelled("Sign in at", row.loginURL, x: left, y: y, width: width, on: document)
        y += 6

        if !row.note.isEmpty {
            document.setFont(.bold, size: 10)
            for line in document.wrap(row.note, maxWidth: width) {
                document.draw(line, x: left, y: y)
                y += 13
            }
            return
        }
        document.setFont(.regular, size: 9)
        document.draw("PIN (use once, to set your password)", x: left, y: y)
        y += 20
        document.setFont(.code, size: 18)
        document.draw(row.pin.isEmpty ? "—" : row.pin, x: left, y: y)
        y += 16
        if !row.pinExpires.isEmpty {
            document.setFont(.regular, size: 9)
            document.draw("Expires \(LetterDate.format(row.pinExpires))", x: left, y: y)
        }
    }

    // MARK: - Parent

    /// Draws a parent's slip: the child's name and registration group, the parent code in
    /// groups, its expiry, and how to register at the login URL.
    static func drawParent(_ row: MailMergeRow, in slot: SlipSheet.Slot, on document: PDFDocument, maxUses: Int) {
        let left = slot.x + margin
        let width = slot.width - 2 * margin
        var y = slot.y + margin + 12

        document.setFont(.regular, size: 9)
        document.draw("Parent and carer registration", x: left, y: y)
        y += 22
        document.setFont(.regular, size: 9)
        document.draw("For the parents and carers of", x: left, y: y)
        y += 17
        document.drawFitted(row.displayName, x: left, y: y, maxWidth: width, style: .bold, size: 14, minimumSize: 8)
        y += 14
        document.setFont(.regular, size: 9)
        document.draw("Registration group: \(row.registrationGroup.isEmpty ? "none" : row.registrationGroup)", x: left, y: y)
        y += 24

        document.setFont(.code, size: 17)
        document.draw(row.parentCode, x: left, y: y)
        y += 15
        document.setFont(.regular, size: 9)
        document.draw("Expires \(LetterDate.format(row.parentCodeExpires))", x: left, y: y)
        y += 16

        let instruction =
            "To register, go to \(row.loginURL), choose to register as a parent and enter this code. Up to \(maxUses) parents or carers can use it."
        document.setFont(.regular, size: 8.5)
        for line in document.wrap(instruction, maxWidth: width) {
            document.draw(line, x: left, y: y)
            y += 11
        }
    }

    /// Draws a small label with the value under it, and returns the next line's baseline.
    private static func drawLabelled(_ label: String, _ value: String, x: Double, y: Double, width: Double, on document: PDFDocument) -> Double {
        document.setFont(.regular, size: 8)
        document.draw(label, x: x, y: y)
        document.drawFitted(value, x: x, y: y + 13, maxWidth: width, style: .bold, size: 11, minimumSize: 7)
        return y + 30
    }
}

/// Dates as printed on letters in England: `1 December 2026`.
enum LetterDate {
    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    /// Formats a `YYYY-MM-DD` date (or a stored timestamp); returns other text unchanged.
    static func format(_ date: String) -> String {
        let parts = date.prefix(10).split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month)
        else { return date }
        return "\(day) \(months[month - 1]) \(year)"
    }
}
