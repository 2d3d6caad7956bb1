/// Malformed settings, templates, schedules, selections and scripts.
extension MalformedInputCorpus {
    // MARK: - Configuration files

    static let configurationFiles: [MalformedInputCase] = [
        MalformedInputCase(
            name: "configuration with a password in the SMTP URL does not repeat it",
            files: [.text("lanyard.config.lua", "mail = { smtp_url = \"smtp://office:Secret123@127.0.0.1:2525\" }\n")],
            arguments: ["users", "count"], status: 78,
            messages: ["'mail.smtp_url' in lanyard.config.lua contains a password (user:password@); remove it from the URL"]),
        MalformedInputCase(
            name: "configuration with a syntax error names its line",
            files: [.text("lanyard.config.lua", "mail = { from_address = \"office@castlemead.example\"\nlogin_url = 3\n")],
            arguments: ["users", "count"], status: 78,
            messages: ["cannot read lanyard.config.lua: ", "lanyard.config.lua:2: '}' expected (to close '{' at line 1) near 'login_url'"]),
        MalformedInputCase(
            name: "configuration with a misspelt key suggests the right one",
            files: [.text("lanyard.config.lua", "codes = { pin_lenght = 8 }\n")],
            arguments: ["users", "count"], status: 78,
            messages: ["unknown setting 'codes.pin_lenght' in lanyard.config.lua. Did you mean 'codes.pin_length'?"]),
        MalformedInputCase(
            name: "configuration with a string for a number says what is expected",
            files: [.text("lanyard.config.lua", "codes = { pin_length = \"eight\" }\n")],
            arguments: ["users", "count"], status: 78,
            messages: ["invalid value \"eight\" for 'codes.pin_length' in lanyard.config.lua: expected a whole number"]),
        MalformedInputCase(
            name: "configuration number out of range gives the range",
            files: [.text("lanyard.config.lua", "codes = { pin_length = 99 }\n")],
            arguments: ["users", "count"], status: 78,
            messages: ["invalid value 99 for 'codes.pin_length' in lanyard.config.lua: use a number from 4 to 12"]),
        MalformedInputCase(
            name: "configuration choice not offered lists the choices",
            files: [.text("lanyard.config.lua", "mail = { transport = \"pigeon\" }\n")],
            arguments: ["users", "count"], status: 78,
            messages: ["invalid value \"pigeon\" for 'mail.transport' in lanyard.config.lua: use file, smtp"]),
        MalformedInputCase(
            name: "configuration that loops forever is stopped",
            files: [.text("lanyard.config.lua", "while true do end\n")],
            arguments: ["users", "count"], status: 78,
            messages: ["lanyard.config.lua:1: the script was stopped after 10000000 instructions, its instruction limit"]),
        MalformedInputCase(
            name: "configuration cannot run commands",
            files: [.text("lanyard.config.lua", "os.execute(\"touch pwned\")\n")],
            arguments: ["users", "count"], status: 78,
            messages: ["lanyard.config.lua:1: attempt to call a nil value (field 'execute')"]),
    ]

    // MARK: - Message templates

    static let mailSettings = InputFile.text(
        "lanyard.config.lua", "mail = { from_address = \"office@castlemead.example\", from_name = \"Castle Mead Academy\" }\n")

    /// Returns a `welcome` template in the working folder's templates/, with the mail settings.
    static func welcomeTemplate(subject: String, text: String) -> [InputFile] {
        [mailSettings, .text("templates/welcome.subject", subject), .text("templates/welcome.txt", text)]
    }

    static let sendWelcome = ["links", "send", "--where", "role:student", "--template", "welcome"]

    static let templates: [MalformedInputCase] = [
        MalformedInputCase(
            name: "template with an unknown placeholder lists the known ones",
            files: welcomeTemplate(subject: "Welcome {{first_nmae}}\n", text: "Hello\n"),
            arguments: sendWelcome, status: 78,
            messages: ["template 'welcome' (welcome.subject, line 1) uses the unknown placeholder '{{first_nmae}}'. Use one of: forename, surname"]),
        MalformedInputCase(
            name: "template tag not closed on its line names the line",
            files: welcomeTemplate(subject: "Welcome\n", text: "Hello\nYour link: {{link\n"),
            arguments: sendWelcome, status: 78,
            messages: ["template 'welcome' (welcome.txt, line 2) opens a tag with '{{' but does not close it with '}}' on the same line; close it"]),
        MalformedInputCase(
            name: "template condition never closed asks for the end tag",
            files: welcomeTemplate(subject: "Welcome\n", text: "Hello\n{{#if email}}We have your address.\n"),
            arguments: sendWelcome, status: 78,
            messages: ["template 'welcome' (welcome.txt, line 2) opens '{{#if email}}' but never closes it; add {{/if}}"]),
        MalformedInputCase(
            name: "template end tag without a condition names it",
            files: welcomeTemplate(subject: "Welcome\n", text: "Hello {{/if}}\n"),
            arguments: sendWelcome, status: 78,
            messages: ["template 'welcome' (welcome.txt, line 1) has '{{/if}}' without a matching '{{#if ...}}'"]),
        MalformedInputCase(
            name: "template with a filter is not a placeholder",
            files: welcomeTemplate(subject: "Welcome\n", text: "Hello {{ link | upper }}\n"),
            arguments: sendWelcome, status: 78,
            messages: ["has the tag '{{ link | upper }}', which is not a placeholder; write {{name}}, {{#if name}}, {{else}} or {{/if}}"]),
        MalformedInputCase(
            name: "template subject of two lines asks for one",
            files: welcomeTemplate(subject: "Welcome\nto Castle Mead\n", text: "Hello\n"),
            arguments: sendWelcome, status: 78,
            messages: ["template 'welcome' (welcome.subject) has more than one line of text; a subject is one line"]),
    ]

    // MARK: - Schedules

    static let job = InputFile.text("job.lua", "print('links')\n")

    static func addSchedule(_ timing: [String]) -> [String] {
        ["schedule", "add", "links"] + timing + ["--script", "job.lua"]
    }

    static let schedules: [MalformedInputCase] = [
        MalformedInputCase(
            name: "cron expression with four fields gives an example",
            files: [job], arguments: addSchedule(["--cron", "30 7 * *"]), status: 64,
            messages: ["invalid cron expression '30 7 * *': expected 5 fields (minute hour day-of-month month day-of-week) but found 4"]),
        MalformedInputCase(
            name: "cron minute out of range gives the range",
            files: [job], arguments: addSchedule(["--cron", "61 7 * * *"]), status: 64,
            messages: ["invalid cron expression '61 7 * * *': minute '61' is outside 0-59"]),
        MalformedInputCase(
            name: "cron day name misspelt lists the names",
            files: [job], arguments: addSchedule(["--cron", "30 7 * * MOM"]), status: 64,
            messages: ["day-of-week 'MOM' is not a number or a name SUN-SAT"]),
        MalformedInputCase(
            name: "cron step of zero asks for one or more",
            files: [job], arguments: addSchedule(["--cron", "*/0 7 * * *"]), status: 64,
            messages: ["minute '*/0' has an invalid step; write the step as a whole number of 1 or more, as in */15"]),
        MalformedInputCase(
            name: "cron range that runs backwards asks for the smaller first",
            files: [job], arguments: addSchedule(["--cron", "30 7 * * FRI-MON"]), status: 64,
            messages: ["day-of-week range 'FRI-MON' runs backwards; write the smaller value first"]),
        MalformedInputCase(
            name: "cron shortcut not known lists the shortcuts",
            files: [job], arguments: addSchedule(["--cron", "@fortnightly"]), status: 64,
            messages: ["invalid cron expression '@fortnightly': unknown shortcut; use @yearly"]),
        MalformedInputCase(
            name: "cron on 30 February never runs",
            files: [job], arguments: addSchedule(["--cron", "0 7 30 2 *"]), status: 1,
            messages: ["schedule 'links' would never run: '0 7 30 2 *' has no time after now within its date window"]),
        MalformedInputCase(
            name: "one-off time in month 13 gives the format",
            files: [job], arguments: addSchedule(["--at", "2027-13-01 07:30"]), status: 64,
            messages: ["invalid local time '2027-13-01 07:30'; write it as YYYY-MM-DD HH:MM"]),
        MalformedInputCase(
            name: "misspelt time zone asks for an IANA name",
            files: [job], arguments: addSchedule(["--cron", "30 7 * * *", "--time-zone", "Europe/Londn"]), status: 64,
            messages: ["unknown time zone 'Europe/Londn'; use an IANA name such as Europe/London"]),
    ]

    // MARK: - Selections

    static let selections: [MalformedInputCase] = [
        MalformedInputCase(
            name: "selection with a misspelt key suggests the right one",
            files: [], arguments: ["codes", "regenerate", "--where", "yeer:7"], status: 64,
            messages: ["unknown selection key 'yeer' at column 1. Did you mean 'year'?"]),
        MalformedInputCase(
            name: "selection with an unknown role lists the roles",
            files: [], arguments: ["codes", "regenerate", "--where", "year:7 role:pupil"], status: 64,
            messages: ["unknown value 'pupil' for 'role' at column 8. Valid values: student, teacher, staff, parent"]),
        MalformedInputCase(
            name: "selection with year 14 gives the valid years",
            files: [], arguments: ["codes", "regenerate", "--where", "year:14"], status: 64,
            messages: ["invalid year group '14' at column 1: use R or 1 to 13"]),
        MalformedInputCase(
            name: "selection range that runs backwards names it",
            files: [], arguments: ["codes", "regenerate", "--where", "year:9..7"], status: 64,
            messages: ["invalid range '9..7' at column 1: the first number must not be greater than the second"]),
        MalformedInputCase(
            name: "selection with an open quote names its column",
            files: [], arguments: ["codes", "regenerate", "--where", "name:\"O'Brien"], status: 64,
            messages: ["unterminated quote starting at column 6 of the selection; close it with a matching \""]),
        MalformedInputCase(
            name: "selection list file that is missing names it",
            files: [], arguments: ["codes", "regenerate", "--where", "upn:@year7.csv"], status: 66,
            messages: ["cannot read the list file 'year7.csv': no such file; check the path after '@'"]),
    ]

    // MARK: - Scripts

    /// Writes to the directory first, so that a failure must undo something.
    static let regenerateYear7 = "codes.regenerate(users.select(\"year:7\"))\n"

    static func script(_ body: String) -> [InputFile] {
        [.text("job.lua", regenerateYear7 + body)]
    }

    static let scripts: [MalformedInputCase] = [
        MalformedInputCase(
            name: "script with a syntax error names its line",
            files: [.text("job.lua", "local total =\nfor\n")],
            arguments: ["run", "job.lua"], status: 1,
            messages: ["job.lua:2: unexpected symbol near 'for'", "nothing the script changed was saved"]),
        MalformedInputCase(
            name: "script failing after writes undoes them",
            files: script("local pupil = nil\nprint(pupil.name)\n"),
            arguments: ["run", "job.lua"], status: 1,
            messages: ["job.lua:3: attempt to index a nil value (local 'pupil')", "nothing the script changed was saved"]),
        MalformedInputCase(
            name: "script raising its own error after writes undoes them",
            files: script("error(\"the MIS export is out of date\")\n"),
            arguments: ["run", "job.lua"], status: 1,
            messages: ["job.lua:2: the MIS export is out of date", "nothing the script changed was saved"]),
        MalformedInputCase(
            name: "script with an invalid selection names the term",
            files: [.text("job.lua", "codes.regenerate(users.select(\"yeer:7\"))\n")],
            arguments: ["run", "job.lua"], status: 1,
            messages: ["job.lua:1: bad argument #1 to 'users.select' (unknown selection key 'yeer' at column 1. Did you mean 'year'?"]),
        MalformedInputCase(
            name: "script cannot reach the io library",
            files: script("local passwords = io.open(\"/etc/passwd\")\n"),
            arguments: ["run", "job.lua"], status: 1,
            messages: ["job.lua:2: attempt to index a nil value (global 'io')"]),
        MalformedInputCase(
            name: "script cannot write outside its workspace",
            files: script("files.write(\"../escape.txt\", \"x\")\n"),
            arguments: ["run", "job.lua"], status: 1,
            messages: ["job.lua:2: path '../escape.txt' leads outside the workspace", "scripts may only read and write inside it"]),
        MalformedInputCase(
            name: "script over its instruction limit is stopped",
            files: script("while true do end\n"),
            arguments: ["run", "job.lua", "--instruction-limit", "100000"], status: 1,
            messages: ["job.lua:2: the script was stopped after 100000 instructions, its instruction limit", "--instruction-limit 1000000"]),
        MalformedInputCase(
            name: "script over its memory limit is stopped",
            files: script("local rows = {}\nfor i = 1, 1e9 do rows[i] = string.rep(\"x\", 100) .. i end\n"),
            arguments: ["run", "job.lua", "--memory-limit", "16"], status: 1,
            messages: ["job.lua: the script was stopped because it needed more than 16 MiB of memory", "--memory-limit 32"]),
        MalformedInputCase(
            name: "script over its time limit is stopped",
            files: script("local n = 0\nwhile true do n = n + 1 end\n"),
            arguments: ["run", "job.lua", "--time-limit", "1"], status: 1,
            messages: ["job.lua:3: the script was stopped after 1", "its time limit; look for a loop that never ends, or raise the limit with --time-limit 2"]),
    ]
}
