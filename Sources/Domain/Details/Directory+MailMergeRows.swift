import Storage

extension Directory {
    /// The students in `selection` who login details are for: students only, and only those
    /// who never logged in when asked.
    func detailsScope(_ selection: Selection, neverLoggedInOnly: Bool) -> Selection {
        var terms = selection.terms + [Selection.Term(key: .role, condition: .anyOf(["student"]))]
        if neverLoggedInOnly {
            terms.append(Selection.Term(key: .loggedIn, condition: .anyOf(["never"])))
        }
        return Selection(terms: terms)
    }

    /// Streams one mail merge row per student in `scope`, with the live codes of `kinds`,
    /// ordered by year group, registration group, surname and forename.
    ///
    /// One query joins each student to their live PIN and parent code (at most one of each,
    /// which the `credentials_live_per_student` index guarantees), so rows are never all held in
    /// memory. Reads no audit: callers write the audit rows for the codes they hand out.
    func forEachMailMergeRow(
        scope: Selection, kinds: [CredentialKind], settings: Settings, _ body: (_ studentId: Int, MailMergeRow) throws -> Void
    ) throws {
        let (condition, parameters) = scope.sqlCondition()
        let nowParameter = parameters.count + 1
        let sql = """
            SELECT \(Self.userColumns), pin.code, pin.expires_at, parent.code, parent.expires_at, schools.sso_provider
            FROM users
            JOIN schools ON schools.id = users.school_id
            LEFT JOIN credentials AS pin ON pin.student_id = users.id AND pin.kind = 'pin'
                AND pin.voided_at IS NULL AND pin.uses < pin.max_uses AND pin.expires_at > ?\(nowParameter)
            LEFT JOIN credentials AS parent ON parent.student_id = users.id AND parent.kind = 'parent-code'
                AND parent.voided_at IS NULL AND parent.uses < parent.max_uses AND parent.expires_at > ?\(nowParameter)
            WHERE \(condition)
            ORDER BY users.year_group, users.registration_group COLLATE NOCASE, users.legal_surname, users.legal_forename, users.id
            """
        let wantsPIN = kinds.contains(.pin)
        let wantsParentCode = kinds.contains(.parentCode)
        let codeColumn = 20

        try database.forEachRow(sql, parameters + [SQLValue.text(timestamp())]) { statement in
            let student = User(statement: statement)
            let pin = wantsPIN ? statement.optionalString(codeColumn) : nil
            let parentCode = wantsParentCode ? statement.optionalString(codeColumn + 2) : nil
            let sso = SSOProvider(rawValue: statement.optionalString(codeColumn + 4) ?? "none") ?? .none

            let row = MailMergeRow(
                upn: student.upn ?? "",
                admissionNumber: student.admissionNumber ?? "",
                legalForename: student.legalForename,
                surname: student.surname,
                preferredName: student.preferredForename ?? "",
                yearGroup: student.yearGroup?.description ?? "",
                registrationGroup: student.registrationGroup ?? "",
                email: student.email ?? "",
                loginName: student.email ?? student.upn ?? "",
                pin: pin ?? "",
                pinExpires: pin == nil ? "" : Timestamp.datePart(statement.optionalString(codeColumn + 1) ?? ""),
                parentCode: parentCode.map { CodeGenerator.parentCode.format($0) } ?? "",
                parentCodeExpires: parentCode == nil ? "" : Timestamp.datePart(statement.optionalString(codeColumn + 3) ?? ""),
                ssoProvider: sso == .none ? "" : sso.displayName,
                loginURL: settings.loginURL,
                note: sso == .none ? "" : MailMergeRow.ssoNote(sso))
            try body(student.id, row)
        }
    }
}
