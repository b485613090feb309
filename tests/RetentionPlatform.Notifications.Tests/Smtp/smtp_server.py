"""A loopback SMTP server for the Notifications tests and benchmark (aiosmtpd, run by Debian's /usr/bin/python3).

    smtp_server.py PORT MAILDIR [--simulate-failures] [--auth USER:PASSWORD]

Every accepted message is written to MAILDIR as <queue id>.eml (written to a temporary name, then renamed, so a
reader never sees half a file), preceded by Return-Path and X-Envelope-To lines carrying the envelope. Every
connection appends an "open" line to MAILDIR/connections.log, and a "close" line when it ends, so a test can count
the sessions a client opened and closed.
"ready" is printed on stdout once the port is listening.

--simulate-failures: RCPT TO an address starting with "bounce" is answered 550, and DATA for a recipient starting
with "tempfail" is answered 451.
--auth USER:PASSWORD: AUTH (PLAIN, LOGIN) is offered on the plain connection and only these credentials pass.
"""

import argparse
import asyncio
import itertools
import logging
import os
import sys
import time

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class MailDirHandler:
    def __init__(self, directory, simulate_failures):
        self._directory = directory
        self._simulate_failures = simulate_failures
        self._sequence = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self._simulate_failures and address.lower().startswith("bounce"):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self._simulate_failures and any(r.lower().startswith("tempfail") for r in envelope.rcpt_tos):
            return "451 4.3.0 Temporary failure, try again later"
        queue_id = "Q%d%06d" % (os.getpid(), next(self._sequence))
        envelope_lines = "Return-Path: <%s>\r\nX-Envelope-To: %s\r\n" % (envelope.mail_from, ", ".join(envelope.rcpt_tos))
        content = envelope.original_content if envelope.original_content is not None else envelope.content
        temporary = os.path.join(self._directory, queue_id + ".tmp")
        with open(temporary, "wb") as file:
            file.write(envelope_lines.encode("utf-8"))
            file.write(content)
            # No fsync: the rename makes a whole file appear at once, which is all a reader here needs, and a disk
            # flush per message would make this sink, not the client under test, the bottleneck of a benchmark.
        os.replace(temporary, os.path.join(self._directory, queue_id + ".eml"))
        return "250 2.0.0 Ok: queued as " + queue_id


class CountingSMTP(SMTP):
    def __init__(self, handler, connections_log, **kwargs):
        super().__init__(handler, **kwargs)
        self._connections_log = connections_log
        self._peer = None

    def connection_made(self, transport):
        # A STARTTLS upgrade calls this again on the same session; only a new transport is a new connection.
        if self.transport is None:
            self._peer = transport.get_extra_info("peername")
            self._log("open")
        super().connection_made(transport)

    def connection_lost(self, error):
        self._log("close")
        super().connection_lost(error)

    def _log(self, event):
        with open(self._connections_log, "a", encoding="utf-8") as log:
            log.write("%s %f %s\n" % (event, time.time(), self._peer))


def make_authenticator(expected_user, expected_password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        passed = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode("utf-8") == expected_user
            and auth_data.password.decode("utf-8") == expected_password
        )
        # handled=False: aiosmtpd then answers a failure with 535 itself.
        return AuthResult(success=passed, handled=passed, auth_data=auth_data if passed else None)

    return authenticate


async def exit_when_orphaned(parent):
    # The test host may die without stopping us; a reparented process must not keep the port forever.
    while os.getppid() == parent:
        await asyncio.sleep(1)
    os._exit(0)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("maildir")
    parser.add_argument("--simulate-failures", action="store_true")
    parser.add_argument("--auth")
    arguments = parser.parse_args()

    # aiosmtpd warns about its own deprecated attribute on every login.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    os.makedirs(arguments.maildir, exist_ok=True)
    handler = MailDirHandler(arguments.maildir, arguments.simulate_failures)
    connections_log = os.path.join(arguments.maildir, "connections.log")
    options = {"hostname": "localhost", "enable_SMTPUTF8": True, "decode_data": False}
    if arguments.auth:
        user, _, password = arguments.auth.partition(":")
        options.update(authenticator=make_authenticator(user, password), auth_require_tls=False)

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: CountingSMTP(handler, connections_log, loop=loop, **options),
        host="127.0.0.1",
        port=arguments.port,
        reuse_address=True,
    )
    print("ready", flush=True)
    parent = os.getppid()
    async with server:
        await exit_when_orphaned(parent)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except OSError as error:
        print("error: %s" % error, file=sys.stderr, flush=True)
        sys.exit(2)
