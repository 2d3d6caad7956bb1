extension Directory {
    /// Imports the pupils and contacts of a Common Transfer File.
    ///
    /// A CTF comes from the sending school's MIS, which issued its UPNs, so a UPN that fails
    /// the check letter is still imported (it is the key the DfE knows the pupil by), with a
    /// warning to correct it in the MIS. A CTF lists only the pupils who move, so it never
    /// marks anyone left.
    public func importCTF(path: String, options: ImportOptions, settings: Settings) throws -> ImportSummary {
        let document = try CTFDocument.read(path: path)
        var options = options
        options.isFull = false

        return try importRecords(kind: .ctf, source: path, options: options, settings: settings) { session in
            for pupil in document.pupils {
                try feed(pupil, path: path, into: session)
            }
        }
    }

    private func feed(_ pupil: CTFDocument.Pupil, path: String, into session: ImportSession) throws {
        let location = SourceLocation(file: path, line: pupil.line)
        let upnText = pupil.upn.trimmingSpaces().uppercased()
        guard !upnText.isEmpty else {
            try session.report(ImportProblem(at: location, "pupil '\(pupil.forename) \(pupil.surname)' has no <UPN>; add it in the MIS and export again"))
            return
        }
        if case .failure(let problem) = FieldChecks.upn(upnText, at: location) {
            var warning = problem
            warning.severity = .warning
            try session.report(warning)
        }
        guard !pupil.surname.isEmpty, !pupil.forename.isEmpty else {
            try session.report(ImportProblem(at: location, "pupil with UPN '\(upnText)' has no <Surname> or <Forename>"), protecting: upnText)
            return
        }

        var student = IncomingUser(role: .student, legalForename: pupil.forename, legalSurname: pupil.surname, location: location)
        student.upn = upnText
        student.formerUPN = pupil.formerUPN?.uppercased()
        student.preferredForename = pupil.preferredForename.flatMap { $0 == pupil.forename ? nil : $0 }
        student.preferredSurname = pupil.preferredSurname.flatMap { $0 == pupil.surname ? nil : $0 }
        student.dateOfBirth = pupil.dateOfBirth.flatMap(FieldChecks.date)
        if let year = pupil.year {
            switch FieldChecks.yearGroup(year, at: location) {
            case .success(let group): student.yearGroup = group
            case .failure(let problem): try session.report(problem, protecting: upnText)
            }
        }
        try session.add(user: student)

        for contact in pupil.contacts.sorted(by: { ($0.order ?? 99) < ($1.order ?? 99) }) {
            let contactLocation = SourceLocation(file: path, line: contact.line)
            guard !contact.surname.isEmpty || !contact.forename.isEmpty else { continue }
            var email: String?
            if let raw = contact.email {
                switch FieldChecks.email(raw, at: contactLocation) {
                case .success(let valid): email = valid
                case .failure(var problem):
                    problem.severity = .warning
                    problem.message += "; the contact is imported without an email"
                    try session.report(problem)
                }
            }
            let sourceId = FieldChecks.contactSourceId(email: email, forename: contact.forename, surname: contact.surname, studentUPN: upnText)
            var parent = IncomingUser(role: .parent, legalForename: contact.forename, legalSurname: contact.surname, location: contactLocation)
            parent.sourceId = sourceId
            parent.email = email
            parent.contactOfUPN = upnText
            try session.add(user: parent)
            session.add(
                link: IncomingLink(
                    parentSourceId: sourceId, student: .upn(upnText),
                    relationship: contact.relationship.map(CTFDocument.relationshipName), priority: contact.order,
                    parentalResponsibility: contact.hasParentalResponsibility, location: contactLocation))
        }
    }
}
