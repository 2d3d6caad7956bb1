#!/usr/bin/env python3
"""Reference for the link-queueing benchmark: what an admin's own Python script would do.

Usage: queue_links.py DATABASE

For every student on roll with an email: a 256-bit URL-safe token (secrets), its BLAKE2b-256
digest (hashlib) stored in a links table, and the rendered message queued in an outbox table,
all in one sqlite3 transaction. The same work as `lanyard links send --no-deliver`, without
MIME encoding (Lanyard also builds a full RFC 5322 message through GMime).
"""

import hashlib
import secrets
import sqlite3
import sys

TEMPLATE = """Dear {name},

Your account at {school} is ready. Open this link to choose your password:

https://login.example.org/set-password?token={token}

The link works once and expires in 7 days.
"""


def main():
    database = sqlite3.connect(sys.argv[1])
    database.execute("CREATE TABLE IF NOT EXISTS ref_links (id INTEGER PRIMARY KEY, user_id INTEGER, digest BLOB, expires_at TEXT)")
    database.execute("CREATE TABLE IF NOT EXISTS ref_outbox (id INTEGER PRIMARY KEY, user_id INTEGER, recipient TEXT, subject TEXT, body TEXT)")
    with database:
        rows = database.execute(
            "SELECT id, coalesce(preferred_forename, legal_forename) || ' ' || legal_surname, email FROM users "
            "WHERE role = 'student' AND status = 'on-roll' AND email IS NOT NULL")
        for user_id, name, email in rows.fetchall():
            token = secrets.token_urlsafe(32)
            digest = hashlib.blake2b(token.encode(), digest_size=32).digest()
            database.execute("INSERT INTO ref_links (user_id, digest, expires_at) VALUES (?, ?, datetime('now', '+7 days'))", (user_id, digest))
            body = TEMPLATE.format(name=name, school="Bench School", token=token)
            database.execute(
                "INSERT INTO ref_outbox (user_id, recipient, subject, body) VALUES (?, ?, ?, ?)",
                (user_id, f"{name} <{email}>", "Your password link", body))


if __name__ == "__main__":
    main()
