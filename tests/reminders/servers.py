"""Local stand-ins for what reminders are sent to: a group-chat bot (HTTP) and a mail server (SMTP)."""

import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from tests.processes import free_port


@dataclass
class Bot:
    """Answers each POST with the next of ``answers`` (status, JSON body), the last one repeated."""

    answers: list[tuple[int, dict]] = field(default_factory=lambda: [(200, {"errcode": 0, "errmsg": "ok"})])
    received: list[dict] = field(default_factory=list)
    url: str = ""


@contextmanager
def bot_server(bot: Bot | None = None):
    bot = bot or Bot()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            bot.received.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body)})
            status, answer = bot.answers[min(len(bot.received), len(bot.answers)) - 1]
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            """Quiet: the test reads what was received."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    bot.url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=test"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield bot
    finally:
        server.shutdown()
        server.server_close()


class Mailbox:
    """An aiosmtpd handler keeping each message it accepts. ``pause`` seconds before accepting
    each recipient: a worker killed meanwhile has not handed the message over."""

    def __init__(self, pause: float = 0.0):
        self.pause = pause
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.pause:
            import asyncio

            await asyncio.sleep(self.pause)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@contextmanager
def mail_server(mailbox: Mailbox | None = None):
    mailbox = mailbox or Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()
