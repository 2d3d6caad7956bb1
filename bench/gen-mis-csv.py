#!/usr/bin/env python3
"""Write a large MIS students CSV, the benchmark input for `lanyard import csv`.

Usage:
    python3 bench/gen-mis-csv.py OUTPUT.csv [--rows 100000] [--seed 1]

The file looks like a students report exported from an MIS such as SIMS or Arbor:

    UPN,Adno,Legal Surname,Legal Forename,Preferred Forename,Year,Reg,Email,Start Date

UTF-8 without a byte order mark, CRLF line ends, and fields quoted only when they contain a
comma or a quote. About 1% of surnames contain a comma and about 0.5% of preferred forenames
contain quotes, so that a reader's quoted-field path is measured too. Names carry diacritics
(Zoë, Nguyễn, Łukasz, Ní Bhriain). Every UPN is valid and unique; about 1% are temporary.
About 4% of students have no email. Dates are dd/mm/yyyy, as English MIS reports write them.

The same rows and seed give byte-identical output (checked with Python 3.11). Only the
standard library is used.
"""

import argparse
import random
import sys

# The check letter of a UPN. This repeats the DfE rule that Sources/Domain/Identifiers/UPN.swift
# implements, on purpose: the benchmark input must not depend on the code under test.
# Characters 2 to 13 are weighted 2 to 13, and a final letter (temporary UPN) counts as its index
# in the alphabet below. The weighted sum modulo 23 picks the check letter. I, O and S are unused.
UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(body):
    """Return the check letter for the 12 characters after it."""
    total = 0
    for offset, character in enumerate(body):
        weight = offset + 2
        if character.isdigit():
            total += int(character) * weight
        else:
            total += UPN_ALPHABET.index(character) * weight
    return UPN_ALPHABET[total % 23]


# Invented names; no entry is a real person's data.
GIRLS = ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Freya", "Lily", "Zoë", "Siân", "Aoife",
         "Chloé", "Niamh", "Saoirse", "Róisín", "Aisha", "Fatima", "Priya", "Zara", "Maryam", "Zuzanna",
         "Wiktoria", "Minh Anh", "Ngọc Ánh", "Adaeze", "Amara", "Hodan", "Inês", "Léa", "Elif", "Gwên"]
BOYS = ["Oliver", "George", "Harry", "Jack", "Noah", "Leo", "Arthur", "Oscar", "Dafydd", "Llŷr",
        "Seán", "Oisín", "Ciarán", "Mohammed", "Yusuf", "Arjun", "Harjit", "Łukasz", "Jakub", "Paweł",
        "Minh", "Đức", "Chidi", "Kwame", "Abdirahman", "João", "Mathéo", "Jürgen", "Emir", "Barış"]
SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans", "Thompson",
            "O'Brien", "O'Connor", "Ní Bhriain", "Ó Súilleabháin", "Smith-Jones", "Hughes-Parry",
            "Llewellyn", "ap Rhys", "MacLeod", "Khan", "Patel", "Ahmed", "Hussain", "D'Souza", "Kaur",
            "Singh", "Kowalska", "Wiśniewski", "Dąbrowska", "Nguyễn", "Trần", "Okafor", "Adeyemi",
            "Mensah", "Müller", "Lefèvre", "Gonçalves", "Núñez", "Yılmaz", "Öztürk", "Da Costa"]
# Surnames with a comma, as some MIS reports write a second family name.
COMMA_SURNAMES = ["Garcia, Lopez", "Silva, Santos", "Pereira, Costa", "Fernández, Núñez"]
# Known-as names typed with quotes into the preferred forename field.
GIRL_NICKNAMES = ['Elizabeth "Liz"', 'Katarzyna "Kasia"', 'Oluwafunmilayo "Funmi"']
BOY_NICKNAMES = ['Robert "Bob"', 'Oluwaseun "Seun"', 'Christopher "Kit"']
AUTHORITIES = [801, 802, 803, 916, 933, 330, 202, 873, 926, 886, 340, 212]
FORM_LETTERS = "ABCDEFGH"
EMAIL_DOMAIN = "bench.example"

ASCII_FOLD = str.maketrans({
    "ë": "e", "â": "a", "é": "e", "á": "a", "ó": "o", "í": "i", "ú": "u", "ñ": "n", "ç": "c",
    "ü": "u", "è": "e", "ŷ": "y", "ê": "e", "ł": "l", "Ł": "l", "ś": "s", "ą": "a", "ę": "e",
    "ễ": "e", "ầ": "a", "ọ": "o", "Á": "a", "Đ": "d", "đ": "d", "ứ": "u", "ı": "i", "ş": "s",
    "ö": "o", "Ö": "o", "Ó": "o", "ğ": "g", "ấ": "a", "ặ": "a", "ơ": "o", "ư": "u", "ắ": "a",
})


def ascii_letters(name):
    """Return the name's ASCII letters in lower case, for usernames."""
    folded = name.lower().translate(ASCII_FOLD)
    return "".join(character for character in folded if character.isascii() and character.isalnum())


def csv_field(value):
    """Quote a field when it contains a comma, a quote or a line break (RFC 4180)."""
    if any(character in value for character in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def make_upn(rng, used, year_of_allocation, temporary):
    """Return a new valid UPN that is not in `used`, and add it."""
    while True:
        authority = rng.choice(AUTHORITIES)
        establishment = rng.randrange(2000, 8000)
        if temporary:
            body = "%03d%04d%02d%02d%s" % (authority, establishment, year_of_allocation,
                                           rng.randrange(0, 100), rng.choice(UPN_ALPHABET))
        else:
            body = "%03d%04d%02d%03d" % (authority, establishment, year_of_allocation,
                                         rng.randrange(0, 1000))
        upn = upn_check_letter(body) + body
        if upn not in used:
            used.add(upn)
            return upn


def make_start_date(rng, joined, academic_year):
    """Return 1 September of the year the student joined year 7, or for about 10% of those who
    joined before this school year, a day during a later school year (a mid-year arrival)."""
    if joined >= academic_year or rng.random() < 0.9:
        return "01/09/%d" % joined
    school_year = rng.randrange(joined, academic_year)
    month = rng.choice([10, 11, 12, 1, 2, 3, 4, 5, 6])
    calendar_year = school_year if month >= 9 else school_year + 1
    return "%02d/%02d/%d" % (rng.randrange(1, 29), month, calendar_year)


def generate(rows, seed, output):
    rng = random.Random(seed)
    used_upns = set()
    used_usernames = set()
    academic_year = 2025

    output.write("UPN,Adno,Legal Surname,Legal Forename,Preferred Forename,Year,Reg,Email,Start Date\r\n")
    for index in range(rows):
        year = rng.randrange(7, 14)
        is_girl = rng.random() < 0.5
        forename = rng.choice(GIRLS if is_girl else BOYS)
        surname = rng.choice(COMMA_SURNAMES) if rng.random() < 0.01 else rng.choice(SURNAMES)

        preferred = ""
        roll = rng.random()
        if roll < 0.005:
            preferred = rng.choice(GIRL_NICKNAMES if is_girl else BOY_NICKNAMES)
        elif roll < 0.10:
            preferred = rng.choice(GIRLS if is_girl else BOYS)

        # A reception place allocates the permanent UPN; arrivals from abroad get a temporary one.
        temporary = rng.random() < 0.01
        allocation_year = (academic_year if temporary else academic_year - year) % 100
        upn = make_upn(rng, used_upns, allocation_year, temporary)

        joined = academic_year - (year - 7)
        base = "%02d%s%s" % (joined % 100, ascii_letters(surname), ascii_letters(forename)[:1])
        username = base
        suffix = 2
        while username in used_usernames:
            username = "%s%d" % (base, suffix)
            suffix += 1
        used_usernames.add(username)
        email = "" if rng.random() < 0.04 else "%s@%s" % (username, EMAIL_DOMAIN)

        if rng.random() < 0.8:
            reg = "%d%s" % (year, rng.choice(FORM_LETTERS))
        else:
            reg = "%d%s%s" % (year, rng.choice("BCDFHJKLMNPRSTW"), rng.choice("ABEHJKMRSTW"))
        start_date = make_start_date(rng, joined, academic_year)

        fields = [upn, "%06d" % (index + 1), surname, forename, preferred, str(year), reg, email, start_date]
        output.write(",".join(csv_field(field) for field in fields) + "\r\n")


def main():
    parser = argparse.ArgumentParser(description="Write a large MIS students CSV for benchmarks.")
    parser.add_argument("output", help="path of the CSV file to write (replaced if it exists)")
    parser.add_argument("--rows", type=int, default=100_000, help="number of student rows (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the pseudo-random choices (default 1)")
    arguments = parser.parse_args()
    if not 1 <= arguments.rows <= 999_999:
        parser.error("--rows must be between 1 and 999999, because Adno has six digits")

    with open(arguments.output, "w", encoding="utf-8", newline="") as output:
        generate(arguments.rows, arguments.seed, output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
