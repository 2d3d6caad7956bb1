#!/usr/bin/env python3
"""Reference for the delivery benchmark: the queued messages sent with smtplib on one connection.

Usage: send_smtplib.py DATABASE PORT

Reads every queued message's bytes from Lanyard's outbox and sends them to 127.0.0.1:PORT over
one SMTP connection, as an admin's script would.
"""

import smtplib
import sqlite3
import sys


def main():
    database = sqlite3.connect(sys.argv[1])
    rows = database.execute("SELECT sender, recipient, message FROM outbox WHERE state = 'queued' ORDER BY id").fetchall()
    with smtplib.SMTP("127.0.0.1", int(sys.argv[2])) as server:
        for sender, recipient, message in rows:
            address = recipient.split("<")[-1].rstrip(">")
            server.sendmail(sender.split("<")[-1].rstrip(">"), [address], message)


if __name__ == "__main__":
    main()
