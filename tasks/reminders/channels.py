"""Senders, one per channel that leaves the platform. Each raises TemporaryFailure for what a later
attempt may cure (a server away, a rate limit) and PermanentFailure for what it will not."""

import base64
import hashlib
import hmac
import json
import smtplib
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tasks.reminders.choices import Channel, WebhookFlavour
from tasks.reminders.models import Notification, UnitWebhook

WEBHOOK_TIMEOUT_SECONDS = 10
# WeCom 45009 and DingTalk 130101 / 660026: too many messages; worth trying again later.
RATE_LIMITED = {45009, 130101, 660026}


class TemporaryFailure(Exception):
    """A later attempt may succeed: the server away, a rate limit."""


class PermanentFailure(Exception):
    """No attempt will succeed: no address, an address refused, a bot that refuses the message."""


def send(notification: Notification) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        {Channel.EMAIL: send_email, Channel.WEBHOOK: send_webhook}[notification.channel](notification)


def _context(notification: Notification) -> dict:
    return {"notification": notification, "url": settings.SITE_URL + notification.link}


def send_email(notification: Notification) -> None:
    user = notification.recipient
    if user is None or not user.email:
        raise PermanentFailure(_("The recipient has no e-mail address."))
    context = _context(notification) | {"user": user}
    message = EmailMultiAlternatives(
        subject=notification.title,
        body=render_to_string("reminders/email.txt", context),
        to=[user.email],
        # One id per notification: a mail system that sees it twice can tell.
        headers={"X-Reform-Notification": str(notification.pk)},
    )
    message.attach_alternative(render_to_string("reminders/email.html", context), "text/html")
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        raise PermanentFailure(_("The mail server refused the address: %(error)s") % {"error": error}) from error
    except smtplib.SMTPResponseException as error:
        failure = PermanentFailure if 500 <= error.smtp_code < 600 else TemporaryFailure
        raise failure(f"{error.smtp_code} {error.smtp_error!r}") from error
    except (smtplib.SMTPException, OSError) as error:
        raise TemporaryFailure(_("The mail server could not be reached: %(error)s") % {"error": error}) from error


def send_webhook(notification: Notification) -> None:
    hook = UnitWebhook.objects.filter(unit_id=notification.unit_id, is_active=True).first()
    if hook is None:
        raise PermanentFailure(_("The unit has no active group-chat bot."))
    text = render_to_string("reminders/webhook.md", _context(notification)).strip()
    request = urllib.request.Request(
        _signed(hook),
        data=json.dumps(_payload(hook.flavour, notification, text), ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", "X-Reform-Notification": str(notification.pk)},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            answer = response.read()
    except urllib.error.HTTPError as error:
        failure = TemporaryFailure if error.code >= 500 or error.code == 429 else PermanentFailure
        raise failure(_("The bot answered HTTP %(code)s.") % {"code": error.code}) from error
    except (urllib.error.URLError, OSError) as error:
        raise TemporaryFailure(_("The bot could not be reached: %(error)s") % {"error": error}) from error
    _check_answer(answer)


def _payload(flavour: str, notification: Notification, text: str) -> dict:
    if flavour == WebhookFlavour.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": text}}
    if flavour == WebhookFlavour.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": notification.title, "text": text}}
    return {
        "kind": notification.kind,
        "title": notification.title,
        "text": notification.body,
        "link": settings.SITE_URL + notification.link,
    }


def _signed(hook: UnitWebhook) -> str:
    """DingTalk's 加签: the time and an HMAC of it added to the address."""
    if hook.flavour != WebhookFlavour.DINGTALK or not hook.secret:
        return hook.url
    timestamp = str(round(time.time() * 1000))
    digest = hmac.new(hook.secret.encode(), f"{timestamp}\n{hook.secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{hook.url}{'&' if '?' in hook.url else '?'}timestamp={timestamp}&sign={sign}"


def _check_answer(answer: bytes) -> None:
    """WeCom and DingTalk answer 200 with an error code in the body."""
    try:
        data = json.loads(answer or b"{}")
    except ValueError:
        return  # a plain-text answer from a generic receiver: the HTTP status said it all
    code = data.get("errcode", 0) if isinstance(data, dict) else 0
    if code in RATE_LIMITED:
        raise TemporaryFailure(_("The bot is rate-limited: %(message)s") % {"message": data.get("errmsg", "")})
    if code:
        raise PermanentFailure(
            _("The bot refused the message: %(code)s %(message)s") % {"code": code, "message": data.get("errmsg", "")}
        )
