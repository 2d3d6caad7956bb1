#!/usr/bin/python3
"""A real SMTP server for Lanyard's mail tests, and a parser of the messages it receives.

Run with Debian's /usr/bin/python3, for which python3-aiosmtpd is installed.

    smtp_server.py serve FOLDER [--tls-cert CERT --tls-key KEY [--implicit-tls]]
                                 [--require-auth USER] [--stall]
    smtp_server.py parse FILE

`serve` listens on 127.0.0.1 on a free port, writes "port N" on standard output once it
listens, and stops when standard input closes (so it never outlives the test that started
it). Each accepted message is written to FOLDER as NNNN.eml (the bytes as received, after
dot-unstuffing) and NNNN.json (the envelope, the connection and the parsed message).

The recipient's local part chooses how the server replies, so that one server can play
every failure:
    tempfail-once-*    451 to the first RCPT for that address, then accepts
    tempfail-*         451 to every RCPT
    reject-*           550 to every RCPT
    drop-once-*        drops the connection at the end of the first DATA, then accepts
    stall-*            accepts RCPT, then never answers DATA
With --stall the server accepts connections and never sends a greeting.
With --tls-cert and --tls-key it offers STARTTLS and requires it before MAIL; with
--implicit-tls as well, it speaks TLS from the start (smtps) instead.
With --require-auth USER it requires AUTH as USER with the password in the environment
variable SMTP_TEST_PASSWORD.
"""

import argparse
import asyncio
import email
import email.header
import email.policy
import email.utils
import json
import os
import re
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


# MARK: - Parsing


def parse_message(raw):
    """Returns what the tests check about a message: decoded headers, parts and line facts."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    lines = raw.split(b"\r\n")
    header_block = raw.split(b"\r\n\r\n", 1)[0].decode("ascii", errors="replace")

    # Headers are decoded with the older email.header API: the newer parser of Python 3.11
    # keeps the folding white space between adjacent encoded words in a display name (and
    # splits its own output mid-word), where RFC 2047 section 6.2 requires dropping it.
    legacy = email.message_from_bytes(raw, policy=email.policy.compat32)

    def decode(text):
        # Unfold (RFC 5322 section 2.2.3) first, because compat32 keeps folds in the value.
        unfolded = re.sub(r"\r?\n(?=[ \t])", "", text)
        return str(email.header.make_header(email.header.decode_header(unfolded)))

    def mailbox(name):
        header = legacy[name]
        if header is None:
            return None
        encoded_name, address = email.utils.getaddresses([header])[0]
        return {"name": decode(encoded_name), "address": address}

    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        parts.append({
            "contentType": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transferEncoding": part.get("Content-Transfer-Encoding"),
            # The wire form has CRLF line ends; the tests compare text with LF.
            "text": part.get_content().replace("\r\n", "\n"),
        })

    return {
        "from": mailbox("From"),
        "to": mailbox("To"),
        "replyTo": mailbox("Reply-To"),
        "subject": decode(legacy["Subject"]),
        "messageId": message["Message-ID"],
        "date": message["Date"],
        "mimeVersion": message["MIME-Version"],
        "contentType": message.get_content_type(),
        "parts": parts,
        "headerBlock": header_block,
        "encodedWordCharsets": sorted(set(c.lower() for c in re.findall(r"=\?([^?]+)\?[bBqQ]\?", header_block))),
        "maxLineLength": max(len(line) for line in lines),
        "bareLineFeeds": raw.count(b"\n") - raw.count(b"\r\n"),
        "bareCarriageReturns": raw.count(b"\r") - raw.count(b"\r\n"),
        "isASCII": all(byte < 128 for byte in raw),
    }


# MARK: - Serving


class RecordingHandler:
    """Records accepted messages to a folder and plays failures chosen by the recipient."""

    def __init__(self, folder):
        self.folder = folder
        self.count = 0
        self.seen = set()

    def first_time(self, key):
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    async def handle_RCPT(self, server, session, envelope, address, options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("tempfail-once-") and self.first_time(("rcpt", address)):
            return "451 4.3.0 Try again later: mailbox busy"
        if local.startswith("tempfail-") and not local.startswith("tempfail-once-"):
            return "451 4.3.0 Try again later: mailbox busy"
        if local.startswith("reject-"):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        address = envelope.rcpt_tos[0]
        local = address.split("@", 1)[0].lower()
        if local.startswith("drop-once-") and self.first_time(("data", address)):
            server.transport.abort()
            return "421 closing"
        if local.startswith("stall-"):
            await asyncio.sleep(3600)

        self.count += 1
        stem = os.path.join(self.folder, f"{self.count:04d}")
        raw = envelope.original_content
        with open(stem + ".eml", "wb") as file:
            file.write(raw)
        record = {
            "mailFrom": envelope.mail_from,
            "recipients": envelope.rcpt_tos,
            "connection": session.peer[1],
            "tls": session.ssl is not None,
            "login": session.auth_data.decode() if isinstance(session.auth_data, bytes) else None,
            "message": parse_message(raw),
        }
        with open(stem + ".json.tmp", "w") as file:
            json.dump(record, file)
        os.rename(stem + ".json.tmp", stem + ".json")
        return "250 2.0.0 Ok: queued"


class PasswordCheck:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login == self.user and auth_data.password == self.password:
            return AuthResult(success=True, auth_data=auth_data.login)
        return AuthResult(success=False, handled=False)


async def stall(reader, writer):
    await asyncio.sleep(3600)


async def serve(arguments):
    loop = asyncio.get_running_loop()
    if arguments.stall:
        server = await asyncio.start_server(stall, "127.0.0.1", 0)
    else:
        handler = RecordingHandler(arguments.folder)
        options = {"hostname": "mail.test.invalid"}
        implicit_context = None
        if arguments.tls_cert:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(arguments.tls_cert, arguments.tls_key)
            if arguments.implicit_tls:
                implicit_context = context
            else:
                options.update(tls_context=context, require_starttls=True)
        if arguments.require_auth:
            password = os.environ["SMTP_TEST_PASSWORD"]
            options.update(authenticator=PasswordCheck(arguments.require_auth, password), auth_required=True)
        server = await loop.create_server(lambda: SMTP(handler, **options), "127.0.0.1", 0, ssl=implicit_context)

    port = server.sockets[0].getsockname()[1]
    print(f"port {port}", flush=True)
    # Stop when the test closes our standard input or exits.
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    serving = commands.add_parser("serve")
    serving.add_argument("folder")
    serving.add_argument("--tls-cert")
    serving.add_argument("--tls-key")
    serving.add_argument("--implicit-tls", action="store_true")
    serving.add_argument("--require-auth")
    serving.add_argument("--stall", action="store_true")
    parsing = commands.add_parser("parse")
    parsing.add_argument("file")
    arguments = parser.parse_args()

    if arguments.command == "parse":
        with open(arguments.file, "rb") as file:
            json.dump(parse_message(file.read()), sys.stdout)
    else:
        asyncio.run(serve(arguments))
        # The executor thread may still be blocked on standard input; leave without waiting.
        os._exit(0)


if __name__ == "__main__":
    main()
