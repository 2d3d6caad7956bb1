/// Malformed MIS exports: CSV reports, OneRoster bundles and Common Transfer Files.
extension MalformedInputCorpus {
    // MARK: - MIS CSV reports

    static let csvReports: [MalformedInputCase] = [
        MalformedInputCase(
            name: "CSV with a quoted field never closed names its line and column",
            files: [.text("students.csv", "UPN,Surname,Forename\nH801200005005,\"Ní Bhriain,Zoë\nM801200006001,Okafor,Chidi\n")],
            arguments: ["import", "csv", "--kind", "students", "students.csv"], status: 65,
            messages: ["invalid CSV in 'students.csv' at line 2, column 2 (Surname): the quoted field that starts there has no closing quote; add the missing quote"]),
        MalformedInputCase(
            name: "CSV with text after a closing quote quotes the field",
            files: [.text("students.csv", "UPN,Surname,Forename\nH801200005005,\"Smith\"x,Jo\n")],
            arguments: ["import", "csv", "--kind", "students", "students.csv"], status: 65,
            messages: ["at line 2, column 2 (Surname): text follows the closing quote in '\"Smith\"x'; put the whole field in quotes"]),
        MalformedInputCase(
            name: "CSV UPN with the wrong check letter gives the right one",
            files: [.text("students.csv", "UPN,Surname,Forename\nA801200005005,Smith,Jo\n")],
            arguments: ["import", "csv", "--kind", "students", "students.csv"], status: 1,
            messages: [
                "import of 'students.csv' rejected: 1 invalid row; nothing was written",
                "students.csv:2, column 'UPN': invalid UPN 'A801200005005': the check letter should be 'H'; check the UPN in the MIS",
            ]),
        MalformedInputCase(
            name: "CSV with one UPN on two rows names the second",
            files: [.text("students.csv", "UPN,Surname,Forename\nH801200005005,Smith,Jo\nH801200005005,Smith,Joe\n")],
            arguments: ["import", "csv", "--kind", "students", "students.csv"], status: 1,
            messages: ["students.csv:3: duplicate UPN 'H801200005005' in this file; each person must appear once, so remove or correct the second row"]),
        MalformedInputCase(
            name: "CSV mapping to an unknown field lists the fields",
            files: [.text("students.csv", "UPN,Surname,Forename,Pupil Colour\nH801200005005,Smith,Jo,Red\n")],
            arguments: ["import", "csv", "--kind", "students", "students.csv", "--map", "Pupil Colour=colour"], status: 64,
            messages: ["unknown field 'colour' in --map 'Pupil Colour=colour'. Valid fields: upn, former-upn"]),
        MalformedInputCase(
            name: "CSV mapping a column the file lacks lists its columns",
            files: [.text("students.csv", "UPN,Surname,Forename\nH801200005005,Smith,Jo\n")],
            arguments: ["import", "csv", "--kind", "students", "students.csv", "--map", "Main Email=email"], status: 64,
            messages: ["--map 'Main Email=email' names column 'Main Email', which the file does not have; its columns are: UPN, Surname, Forename"]),
        MalformedInputCase(
            name: "CSV mixing UTF-8 and Windows-1252 names the first bad line",
            files: [
                .bytes(
                    "students.csv",
                    Array("UPN,Surname,Forename\nH801200005005,Ní Bhriain,Zoë\nM801200006001,Caf".utf8) + [0xE9] + Array(",Jo\n".utf8))
            ],
            arguments: ["import", "csv", "--kind", "students", "students.csv"], status: 65,
            messages: ["invalid text in 'students.csv': the file mixes UTF-8 with another encoding (first invalid byte at line 3); save it again from Excel as CSV UTF-8"]),
        MalformedInputCase(
            name: "CSV in UTF-16 cut off mid-character names the line",
            files: [.bytes("students.csv", [0xFF, 0xFE] + Array("UPN,Surname\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [0x41])],
            arguments: ["import", "csv", "--kind", "students", "students.csv"], status: 65,
            messages: ["invalid UTF-16 in 'students.csv' at line 2: the text is cut off or has a broken character"]),
        MalformedInputCase(
            name: "CSV with an unknown encoding name lists the known ones",
            files: [.text("students.csv", "UPN,Surname,Forename\nH801200005005,Smith,Jo\n")],
            arguments: ["import", "csv", "--kind", "students", "students.csv", "--encoding", "latin-9"], status: 64,
            messages: ["unknown encoding 'latin-9'; use one of utf-8, utf-16, windows-1252"]),
        MalformedInputCase(
            name: "empty CSV file asks for a header line",
            files: [.text("students.csv", "")],
            arguments: ["import", "csv", "--kind", "students", "students.csv"], status: 65,
            messages: ["invalid CSV in 'students.csv': the file has no header line; export it again with the column names in the first line"]),
        MalformedInputCase(
            name: "header-only CSV without a UPN column names the columns it has",
            files: [.text("students.csv", "Forename,Surname\r\n")],
            arguments: ["import", "csv", "--kind", "students", "--full", "students.csv"], status: 65,
            messages: ["'students.csv' has no column for upn; its columns are: Forename, Surname. Name the column with --map COLUMN=field"]),
        MalformedInputCase(
            name: "CSV row longer than its header names the row",
            files: [.text("students.csv", "UPN,Surname,Forename\nH801200005005,Smith,Jo,extra,more\n")],
            arguments: ["import", "csv", "--kind", "students", "students.csv"], status: 1,
            messages: ["students.csv:2: the row has 5 fields but the header has 3; check for an unquoted comma in a name"]),
        MalformedInputCase(
            name: "CSV email with two at signs quotes it",
            files: [.text("students.csv", "UPN,Surname,Forename,Email\nH801200005005,Smith,Jo,jo@@castlemead\n")],
            arguments: ["import", "csv", "--kind", "students", "students.csv"], status: 1,
            messages: ["students.csv:2, column 'Email': invalid email 'jo@@castlemead': it has 2 @ signs, but an address has one"]),
        MalformedInputCase(
            name: "CSV year group out of range quotes it",
            files: [.text("students.csv", "UPN,Surname,Forename,Year\nH801200005005,Smith,Jo,Year 14\n")],
            arguments: ["import", "csv", "--kind", "students", "students.csv"], status: 1,
            messages: ["students.csv:2, column 'Year': invalid year group 'Year 14': use R for Reception or a number from 1 to 13"]),
        MalformedInputCase(
            name: "email update for a UPN nobody has says how to look it up",
            files: [.text("emails.csv", "UPN,Email\nH801200005005,jo@castlemead.example\n")],
            arguments: ["users", "update-emails", "emails.csv"], status: 1,
            messages: ["emails.csv:2, column 'UPN': no student or member of staff has the key 'H801200005005'; check it with 'lanyard users list --where upn:H801200005005'"]),
    ]

    // MARK: - OneRoster bundles

    static let oneRosterManifest = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.users,bulk\nfile.orgs,bulk\n"
    static let oneRosterOrgs = """
        sourcedId,status,dateLastModified,name,type,identifier
        org-1,active,,Castle Mead Academy,school,801/4012
        org-2,active,,Castle Mead Juniors,school,801/4013

        """
    static let oneRosterUsersHeader =
        "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,identifier,email,agentSourcedIds,grades\n"

    /// Returns the files of a bundle folder `bundle/`, leaving out each one given as nil.
    static func bundle(manifest: String? = oneRosterManifest, orgs: String? = oneRosterOrgs, users: String?) -> [InputFile] {
        [("manifest.csv", manifest), ("orgs.csv", orgs), ("users.csv", users)].compactMap { name, text in
            text.map { InputFile.text("bundle/" + name, $0) }
        }
    }

    static let oneRosterBundles: [MalformedInputCase] = [
        MalformedInputCase(
            name: "OneRoster bundle without users.csv lists the files it has",
            files: bundle(users: nil),
            arguments: ["import", "oneroster", "bundle"], status: 65,
            messages: ["bundle/users.csv: the bundle has no users.csv (files found: manifest.csv, orgs.csv); give the folder or .zip"]),
        MalformedInputCase(
            name: "OneRoster bundle without manifest or orgs.csv asks for the orgs file",
            files: bundle(manifest: nil, orgs: nil, users: oneRosterUsersHeader + "u1,active,,true,org-1,student,zoe,{UPN:H801200005005},Jo,Smith,,,,07\n"),
            arguments: ["import", "oneroster", "bundle"], status: 65,
            messages: ["bundle/orgs.csv: the bundle has no orgs.csv, so there is no school to import into; export the bundle with its orgs file"]),
        MalformedInputCase(
            name: "OneRoster users file without sourcedId is not OneRoster",
            files: bundle(users: "id,first,last\n1,Jo,Smith\n"),
            arguments: ["import", "oneroster", "bundle"], status: 65,
            messages: ["bundle/users.csv:1: the header has no 'sourcedId' column, so this is not a OneRoster users file"]),
        MalformedInputCase(
            name: "OneRoster user naming an org not in orgs.csv names the row",
            files: bundle(users: oneRosterUsersHeader + "u1,active,,true,org-9,student,jo,{UPN:H801200005005},Jo,Smith,,,,07\n"),
            arguments: ["import", "oneroster", "bundle"], status: 1,
            messages: ["bundle/users.csv:2, column 'orgSourcedIds': user 'u1' belongs to no school listed in orgs.csv; fix orgSourcedIds"]),
        MalformedInputCase(
            name: "OneRoster role that is not OneRoster's lists the roles",
            files: bundle(users: oneRosterUsersHeader + "u1,active,,true,org-1,faculty,jo,,Jo,Smith,,,,\n"),
            arguments: ["import", "oneroster", "bundle"], status: 1,
            messages: ["bundle/users.csv:2, column 'role': unknown role 'faculty' for user 'u1'; use student, teacher"]),
        MalformedInputCase(
            name: "OneRoster UPN with the wrong check letter names the userIds column",
            files: bundle(users: oneRosterUsersHeader + "u1,active,,true,org-1,student,jo,{UPN:C801200005005},Jo,Smith,,,,07\n"),
            arguments: ["import", "oneroster", "bundle"], status: 1,
            messages: ["bundle/users.csv:2, column 'userIds': invalid UPN 'C801200005005': the check letter should be 'H'"]),
        MalformedInputCase(
            name: "bulk OneRoster bundle with a header-only users.csv marks nobody left",
            files: bundle(users: oneRosterUsersHeader),
            arguments: ["import", "oneroster", "bundle"], status: 65,
            messages: [
                "bundle: the import lists no students or staff, so as a full import it would mark all 4 people on roll as left",
                "import it as a partial update (OneRoster: --delta; CSV: without --full)",
            ]),
        MalformedInputCase(
            name: "file named .zip that is not a zip says so",
            files: [.bytes("bundle.zip", Array("PK\u{03}\u{04}this is not a zip".utf8))],
            arguments: ["import", "oneroster", "bundle.zip"], status: 65,
            messages: ["bundle.zip: not a readable zip file (libzip error 19); give the bundle's folder or a valid .zip"]),
    ]

    // MARK: - Common Transfer Files

    /// Returns a CTF with one pupil.
    static func ctf(upn: String, year: String = "7") -> String {
        """
        <?xml version="1.0" encoding="utf-8"?>
        <CTfile>
        <Header>
        <DocumentName>Common Transfer File</DocumentName>
        </Header>
        <CTFpupilData>
        <Pupil>
        <UPN>\(upn)</UPN>
        <Surname>Richie</Surname>
        <Forename>Lionel</Forename>
        <BasicDetails>
        <NCyearActual>\(year)</NCyearActual>
        </BasicDetails>
        </Pupil>
        </CTFpupilData>
        </CTfile>

        """
    }

    /// Nested entities that expand to 10^8 characters ("billion laughs", scaled down).
    static let entityExpansion = """
        <?xml version="1.0"?>
        <!DOCTYPE CTfile [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>
        <CTfile><CTFpupilData><Pupil><UPN>H801200005005</UPN><Surname>&h;</Surname><Forename>A</Forename></Pupil></CTFpupilData></CTfile>

        """

    static let commonTransferFiles: [MalformedInputCase] = [
        MalformedInputCase(
            name: "CTF that is not XML names line 1",
            files: [.text("pupils.xml", "UPN,Surname\nH801200005005,Richie\n")],
            arguments: ["import", "ctf", "pupils.xml"], status: 65,
            messages: ["pupils.xml:1: not well-formed XML (the file has no XML element; XMLParser error 4); export the CTF from the MIS again"]),
        MalformedInputCase(
            name: "CTF cut short says it ends before the root closes",
            files: [.text("pupils.xml", String(ctf(upn: "H801200005005").prefix(150)))],
            arguments: ["import", "ctf", "pupils.xml"], status: 65,
            messages: ["pupils.xml:8: the file ends before </CTfile>: it may have been cut short; export the CTF from the MIS again"]),
        MalformedInputCase(
            name: "XML with another root element is not a CTF",
            files: [.text("pupils.xml", "<?xml version=\"1.0\"?>\n<Roster>\n<Pupil/>\n</Roster>\n")],
            arguments: ["import", "ctf", "pupils.xml"], status: 65,
            messages: ["pupils.xml: not a Common Transfer File: the root element must be <CTfile>"]),
        MalformedInputCase(
            name: "CTF pupil without a UPN names the pupil",
            files: [.text("pupils.xml", ctf(upn: ""))],
            arguments: ["import", "ctf", "pupils.xml"], status: 1,
            messages: ["pupils.xml:7: pupil 'Lionel Richie' has no <UPN>; add it in the MIS and export again"]),
        MalformedInputCase(
            name: "CTF year group out of range quotes it",
            files: [.text("pupils.xml", ctf(upn: "H801200005005", year: "Year 15"))],
            arguments: ["import", "ctf", "pupils.xml"], status: 1,
            messages: ["pupils.xml:7: invalid year group 'Year 15': use R for Reception or a number from 1 to 13"]),
        MalformedInputCase(
            name: "CTF with exponential entity expansion is rejected",
            files: [.text("pupils.xml", entityExpansion)],
            arguments: ["import", "ctf", "pupils.xml"], status: 65,
            messages: ["pupils.xml:2: the file declares an XML entity (<!ENTITY>), which a Common Transfer File never does; export the CTF from the MIS again"]),
        MalformedInputCase(
            name: "CTF external entity is not read from disk",
            files: [
                .text(
                    "pupils.xml",
                    """
                    <?xml version="1.0"?>
                    <!DOCTYPE CTfile [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
                    <CTfile><CTFpupilData><Pupil><UPN>H801200005005</UPN><Surname>&secret;</Surname><Forename>A</Forename></Pupil></CTFpupilData></CTfile>

                    """)
            ],
            arguments: ["import", "ctf", "pupils.xml"], status: 65,
            messages: ["pupils.xml:2: the file declares an XML entity (<!ENTITY>), which a Common Transfer File never does"]),
    ]
}
