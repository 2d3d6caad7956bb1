/// Invented name pools for the demo school, grouped by heritage so that a family's names fit
/// together. The mix is meant to look like an English secondary school's roll: apostrophes
/// (O'Brien, D'Souza), hyphens (Smith-Jones), spaces (Ní Bhriain, Minh Anh) and diacritics
/// (Zoë, Siân, Nguyễn, Łukasz, Chloé, Müller, Llŷr). No entry is a real person's data.
struct DemoHeritage: Sendable {
    /// Relative share of families with this heritage.
    let weight: Int
    let girls: [String]
    let boys: [String]
    let women: [String]
    let men: [String]
    let surnames: [DemoSurname]
}

/// A family name with its male and female forms, which differ in Polish (Kowalski, Kowalska),
/// Irish (Ó Briain, Ní Bhriain) and Sikh (Singh, Kaur) naming.
struct DemoSurname: Sendable {
    let male: String
    let female: String

    /// Parses `"Kowalski/Kowalska"` as two forms, or a plain name as both.
    init(_ text: String) {
        if let slash = text.firstIndex(of: "/") {
            male = String(text[..<slash])
            female = String(text[text.index(after: slash)...])
        } else {
            male = text
            female = text
        }
    }

    func form(female isFemale: Bool) -> String {
        isFemale ? female : male
    }
}

enum DemoNames {
    // MARK: - Heritage groups

    static let heritages: [DemoHeritage] = [
        DemoHeritage(
            weight: 52,
            girls: [
                "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Freya", "Lily", "Ella", "Poppy",
                "Evie", "Zoë", "Phoebe", "Harriet", "Imogen", "Jessica", "Sophie", "Charlotte", "Ruby",
                "Matilda", "Daisy", "Florence", "Eleanor", "Rosie", "Holly", "Niamh", "Chloe",
            ],
            boys: [
                "Oliver", "George", "Harry", "Jack", "Noah", "Leo", "Arthur", "Oscar", "Charlie", "Alfie",
                "Freddie", "Thomas", "William", "James", "Joshua", "Reuben", "Archie", "Theo", "Henry",
                "Alexander", "Samuel", "Finley", "Toby", "Edward", "Max", "Louis", "Jacob",
            ],
            women: [
                "Sarah", "Emma", "Claire", "Rebecca", "Lisa", "Michelle", "Joanne", "Helen", "Kate",
                "Laura", "Nicola", "Victoria", "Gemma", "Rachel", "Louise", "Kirsty", "Hannah", "Zoë",
            ],
            men: [
                "Mark", "Paul", "David", "Richard", "Stephen", "Darren", "Andrew", "Christopher", "Matthew",
                "Daniel", "Lee", "Gareth", "Simon", "Neil", "Jonathan", "Craig", "Ben", "Robert",
            ],
            surnames: [
                "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
                "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
                "Harris", "Clarke", "Cooper", "King", "Baker", "Fletcher", "Ashworth", "Pemberton",
                "Smith-Jones", "Hughes-Parry", "Lloyd-Webber", "Barnes", "Chapman", "Marsh", "Holt",
                "Whitfield", "Blackwood", "Carter", "Fox", "Ellis", "Mason", "Hobbs", "Page",
            ].map(DemoSurname.init)
        ),
        DemoHeritage(
            weight: 6,
            girls: ["Aoife", "Siobhán", "Niamh", "Saoirse", "Caoimhe", "Róisín", "Clodagh", "Orla", "Éabha"],
            boys: ["Seán", "Cian", "Oisín", "Darragh", "Ciarán", "Pádraig", "Conor", "Eoin", "Tadhg"],
            women: ["Siobhán", "Máire", "Sinéad", "Deirdre", "Aisling", "Gráinne", "Orla"],
            men: ["Pádraig", "Séamus", "Declan", "Colm", "Fergal", "Dónal", "Kieran"],
            surnames: [
                "O'Brien", "O'Connor", "Murphy", "Ó Briain/Ní Bhriain", "Ó Súilleabháin/Ní Shúilleabháin",
                "Kelly", "Byrne", "McCarthy", "Doyle", "O'Neill", "Gallagher", "Ó Ceallaigh/Ní Cheallaigh",
            ]
            .map(DemoSurname.init)
        ),
        DemoHeritage(
            weight: 5,
            girls: ["Siân", "Cerys", "Megan", "Ffion", "Eirlys", "Gwenllian", "Mared", "Carys", "Gwên", "Nia"],
            boys: ["Dafydd", "Llŷr", "Iolo", "Rhodri", "Emrys", "Tomos", "Gruffydd", "Owain", "Rhys", "Ioan"],
            women: ["Siân", "Rhian", "Bethan", "Catrin", "Angharad", "Eleri", "Lowri"],
            men: ["Dafydd", "Huw", "Gareth", "Emyr", "Geraint", "Aled", "Iwan"],
            surnames: [
                "Jones", "Davies", "Evans", "Pryce", "ap Rhys", "Llewellyn", "Griffiths", "Pritchard",
                "Vaughan", "Morgan", "Bowen", "Prosser",
            ].map(DemoSurname.init)
        ),
        DemoHeritage(
            weight: 3,
            girls: ["Mhairi", "Eilidh", "Catriona", "Isla", "Kirsty", "Morven"],
            boys: ["Callum", "Hamish", "Ruaridh", "Euan", "Fraser", "Angus"],
            women: ["Fiona", "Morag", "Shona", "Ailsa"],
            men: ["Alasdair", "Iain", "Duncan", "Murdo"],
            surnames: ["MacLeod", "McKenzie", "Fraser", "Campbell", "MacDonald", "Ross", "Stewart", "McIntyre"]
                .map(DemoSurname.init)
        ),
        // South Asian: Pakistani and Bangladeshi, Gujarati and other Indian, Punjabi Sikh, Goan.
        DemoHeritage(
            weight: 7,
            girls: [
                "Aisha", "Fatima", "Zara", "Maryam", "Hafsa", "Inaya", "Amira", "Noor", "Aaliyah", "Khadijah",
                "Safiya", "Zainab",
            ],
            boys: [
                "Mohammed", "Muhammad", "Ibrahim", "Yusuf", "Zain", "Hamza", "Ayaan", "Rayan", "Omar", "Bilal",
                "Musa", "Ismail",
            ],
            women: ["Shazia", "Nasreen", "Parveen", "Farah", "Ayesha", "Rubina", "Shamima", "Nadia"],
            men: ["Imran", "Tariq", "Asif", "Naveed", "Kamal", "Shahid", "Abdul", "Faisal"],
            surnames: [
                "Khan", "Ahmed", "Hussain", "Ali", "Rahman", "Chaudhry", "Akhtar", "Iqbal", "Miah", "Uddin",
                "Mahmood", "Ahmed-Khan",
            ].map(DemoSurname.init)
        ),
        DemoHeritage(
            weight: 3,
            girls: ["Priya", "Anjali", "Diya", "Isha", "Kavya", "Riya", "Aanya"],
            boys: ["Arjun", "Rohan", "Aarav", "Vikram", "Dev", "Krish", "Veer"],
            women: ["Sunita", "Deepa", "Meena", "Nisha", "Pooja", "Hetal"],
            men: ["Rajesh", "Sanjay", "Sunil", "Ashok", "Vijay", "Hitesh"],
            surnames: ["Patel", "Shah", "Mistry", "Sharma", "Parmar", "Joshi", "Desai", "Chauhan"].map(DemoSurname.init)
        ),
        DemoHeritage(
            weight: 2,
            girls: ["Simran", "Harleen", "Jasleen", "Gurleen", "Manpreet"],
            boys: ["Harjit", "Arjan", "Jasdeep", "Gurvir", "Ranveer"],
            women: ["Rupinder", "Kulwinder", "Harpreet", "Jaspreet"],
            men: ["Gurpreet", "Jaswinder", "Sukhdev", "Balwinder"],
            surnames: ["Singh/Kaur", "Singh/Kaur", "Sandhu", "Gill", "Dhillon", "Bains", "Sidhu"].map(DemoSurname.init)
        ),
        DemoHeritage(
            weight: 1,
            girls: ["Sonia", "Melissa", "Anita", "Natasha"],
            boys: ["Joel", "Ryan", "Dylan", "Aaron"],
            women: ["Sonia", "Anita", "Lavina", "Joanna"],
            men: ["Clive", "Francis", "Anthony", "Cedric"],
            surnames: ["D'Souza", "Fernandes", "Pereira", "Rodrigues", "D'Mello", "D'Costa"].map(DemoSurname.init)
        ),

        // Eastern European.
        DemoHeritage(
            weight: 5,
            girls: ["Zuzanna", "Julia", "Maja", "Oliwia", "Wiktoria", "Zofia", "Agnieszka"],
            boys: ["Łukasz", "Jakub", "Mateusz", "Szymon", "Kacper", "Paweł", "Wojciech"],
            women: ["Małgorzata", "Katarzyna", "Anna", "Magdalena", "Ewa", "Agata"],
            men: ["Łukasz", "Tomasz", "Piotr", "Marek", "Grzegorz", "Krzysztof"],
            surnames: [
                "Kowalski/Kowalska", "Nowak", "Wiśniewski/Wiśniewska", "Wójcik", "Lewandowski/Lewandowska",
                "Dąbrowski/Dąbrowska", "Zieliński/Zielińska", "Kamiński/Kamińska", "Szymański/Szymańska",
            ]
            .map(DemoSurname.init)
        ),
        DemoHeritage(
            weight: 2,
            girls: ["Ana-Maria", "Ioana", "Elena", "Andreea", "Bianca"],
            boys: ["Andrei", "Bogdan", "Ștefan", "Mihai", "Luca"],
            women: ["Elena", "Mihaela", "Simona", "Cristina"],
            men: ["Ionuț", "Florin", "Cătălin", "Adrian"],
            surnames: ["Popescu", "Ionescu", "Constantinescu", "Dumitrescu", "Stan", "Munteanu"].map(DemoSurname.init)
        ),

        // East and South-East Asian.
        DemoHeritage(
            weight: 2,
            girls: ["Minh Anh", "Thu Trang", "Linh", "Ngọc Ánh", "Hoa"],
            boys: ["Minh", "Đức", "Bảo", "Quang", "Khánh"],
            women: ["Thu Hà", "Lan", "Mai", "Hương"],
            men: ["Tuấn", "Hùng", "Long", "Dũng"],
            surnames: ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Đặng"].map(DemoSurname.init)
        ),
        DemoHeritage(
            weight: 2,
            girls: ["Mei", "Xinyi", "Yuxuan", "Jiayi", "Zixuan"],
            boys: ["Wei", "Hao", "Jun", "Yichen", "Haoran"],
            women: ["Hui", "Xiu", "Ling", "Yan"],
            men: ["Jian", "Cheng", "Ming", "Qiang"],
            surnames: ["Wang", "Li", "Chen", "Zhang", "Wong", "Liu", "Lam"].map(DemoSurname.init)
        ),

        // African and Caribbean: West African, Caribbean, Somali.
        DemoHeritage(
            weight: 4,
            girls: ["Adaeze", "Chiamaka", "Amara", "Ifeoma", "Abena", "Kemi", "Tolu"],
            boys: ["Chidi", "Oluwaseun", "Tobi", "Kwame", "Kofi", "Emeka", "Kayode"],
            women: ["Ngozi", "Funmilayo", "Akosua", "Yetunde", "Grace", "Blessing"],
            men: ["Chukwuemeka", "Olumide", "Kwabena", "Babatunde", "Samuel", "Emmanuel"],
            surnames: ["Okafor", "Adeyemi", "Mensah", "Osei", "Okonkwo", "Asante", "Adebayo-Smith", "Oyelaran"]
                .map(DemoSurname.init)
        ),
        DemoHeritage(
            weight: 2,
            girls: ["Nia", "Jada", "Shanice", "Kiara", "Imani"],
            boys: ["Jayden", "Tyrese", "Kai", "Malachi", "Jermaine"],
            women: ["Marcia", "Sandra", "Beverley", "Paulette"],
            men: ["Delroy", "Winston", "Leroy", "Clive"],
            surnames: ["Campbell", "Brown", "Williams", "Thompson", "Grant", "Francis", "Clarke-Reid"]
                .map(DemoSurname.init)
        ),
        DemoHeritage(
            weight: 2,
            girls: ["Hodan", "Ayan", "Sagal", "Hibo", "Nasra"],
            boys: ["Abdirahman", "Abdullahi", "Mahad", "Yusuf", "Liban"],
            women: ["Hawa", "Fadumo", "Amina", "Sahra"],
            men: ["Abdi", "Mohamed", "Ahmed", "Hassan"],
            surnames: ["Abdi", "Mohamed", "Hassan", "Farah", "Warsame", "Ali", "Jama"].map(DemoSurname.init)
        ),

        // Western and Southern European.
        DemoHeritage(
            weight: 1,
            girls: ["Chloé", "Léa", "Inès", "Anaïs", "Maëlle"],
            boys: ["Mathéo", "Lucas", "Théo", "Raphaël", "Noé"],
            women: ["Hélène", "Sophie", "Céline", "Aurélie"],
            men: ["Stéphane", "François", "Jérôme", "Olivier"],
            surnames: ["Dubois", "Lefèvre", "Moreau", "Girard", "Lemaître"].map(DemoSurname.init)
        ),
        DemoHeritage(
            weight: 1,
            girls: ["Lena", "Mia", "Hannah", "Jana"],
            boys: ["Jonas", "Felix", "Lukas", "Jannik"],
            women: ["Sabine", "Katrin", "Anke", "Birgit"],
            men: ["Jürgen", "Stefan", "Björn", "Matthias"],
            surnames: ["Müller", "Schäfer", "Schröder", "Weiß", "Köhler"].map(DemoSurname.init)
        ),
        DemoHeritage(
            weight: 2,
            girls: ["Inês", "Beatriz", "Lucía", "Mariana", "Sofía"],
            boys: ["João", "Tiago", "José", "Martín", "Gonçalo"],
            women: ["Ana", "Mónica", "Rosário", "Begoña"],
            men: ["Miguel", "André", "Jesús", "Rui"],
            surnames: ["Silva", "Gonçalves", "García", "Fernández", "Núñez", "Da Costa", "Pereira"].map(
                DemoSurname.init)
        ),
        DemoHeritage(
            weight: 1,
            girls: ["Giulia", "Francesca", "Chiara", "Sofia"],
            boys: ["Luca", "Matteo", "Lorenzo", "Niccolò"],
            women: ["Francesca", "Giovanna", "Paola"],
            men: ["Giorgio", "Marco", "Paolo"],
            surnames: ["Rossi", "De Luca", "Esposito", "Russo", "Bianchi"].map(DemoSurname.init)
        ),
        DemoHeritage(
            weight: 1,
            girls: ["Elif", "Zeynep", "Ecem", "Defne"],
            boys: ["Emir", "Yusuf", "Kerem", "Barış"],
            women: ["Ayşe", "Gül", "Hülya"],
            men: ["Mehmet", "Mustafa", "Oğuz"],
            surnames: ["Yılmaz", "Şahin", "Öztürk", "Çelik", "Aydın"].map(DemoSurname.init)
        ),
    ]

    // MARK: - School

    /// Subjects taught in years 7 to 11, each with a two-letter code used in class codes.
    static let lowerSchoolSubjects: [(name: String, code: String)] = [
        ("Mathematics", "Ma"), ("English", "En"), ("Science", "Sc"),
    ]

    /// A level subjects in the sixth form (years 12 and 13).
    static let sixthFormSubjects: [(name: String, code: String)] = [
        ("Mathematics", "Ma"), ("Biology", "Bi"), ("Chemistry", "Ch"), ("Physics", "Ph"),
        ("Psychology", "Py"), ("History", "Hi"), ("English Literature", "El"), ("Sociology", "So"),
        ("Art and Design", "Ar"),
    ]

    /// Subjects a teacher may belong to when no class needs them; they still tutor forms.
    static let otherSubjects = [
        "Geography", "French", "Spanish", "Computing", "Music", "Drama",
        "Physical Education", "Religious Education", "Design and Technology",
    ]

    /// Letters for registration groups within a year (`7A`, `7B`, ...).
    static let formLetters: [Character] = Array("ABCDEFGH")

    /// Rooms for registration and lessons; the Welsh block name keeps ŵ in the export.
    static let rooms = ["M1", "M2", "M3", "M4", "S1", "S2", "S3", "E1", "E2", "E3", "H5", "L2", "Tŵr 1", "Tŵr 2"]
}
