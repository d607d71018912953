"""Deployment: docker-compose.yml runs exactly the scripts that run natively, and that native set —
gunicorn, worker and beat on PostgreSQL and Redis — carries a reporter's work to staff's acceptance.
Scale-out: two web nodes share everything a user touches; two beats by mistake send nothing twice."""

import json
import re
import subprocess
import sys
import time
from collections import Counter

import pytest
import redis
import requests
import yaml

from tests.processes import NATIVE_SCRIPTS, ROOT, browser_session, native_services, production_env, run_script
from tests.reminders.servers import bot_server, mail_server
from tests.services import fresh_postgres_database, wait_until

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
APP_SERVICES = {"migrate", "web", "worker", "beat"}
LONG_RUNNING = {"web", "worker", "beat", "proxy", "db", "redis"}
PASSWORD = "Native-Set-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A Redis database of its own, emptied before use: queues and cache of these tests only.
REDIS_DB = "redis://127.0.0.1:6379/13"


def test_compose_runs_exactly_the_native_scripts():
    services = COMPOSE["services"]
    built = {name for name, service in services.items() if service.get("image") == "reform-platform"}

    assert built == APP_SERVICES
    commands = {name: services[name]["command"] for name in built}
    assert commands == {name: [f"scripts/{name}"] for name in APP_SERVICES}
    assert set(NATIVE_SCRIPTS) == APP_SERVICES
    for name in NATIVE_SCRIPTS:
        script = ROOT / "scripts" / name
        assert script.is_file() and script.stat().st_mode & 0o111, f"{script} must be an executable script"
        assert f"scripts/{name}" in (ROOT / "README.md").read_text(), f"the README documents scripts/{name}"


def test_compose_has_volumes_health_checks_and_restart_policies():
    services = COMPOSE["services"]

    assert set(services) == APP_SERVICES | {"proxy", "db", "redis"}
    for name in LONG_RUNNING:
        assert services[name]["restart"] == "unless-stopped", name
        assert services[name]["healthcheck"]["test"], name
    assert services["migrate"]["restart"] == "no"
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "db:/var/lib/postgresql/data" in services["db"]["volumes"]
    for name in ("web", "worker"):
        assert "media:/data/media" in services[name]["volumes"]  # evidence and generated reports
    assert set(COMPOSE["volumes"]) >= {"db", "media", "backups"}
    assert "/healthz" in str(services["web"]["healthcheck"]["test"])


def test_nginx_sends_files_only_after_djangos_check_and_bounds_uploads_as_django_does():
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    environment = COMPOSE["x-app"]["environment"]
    prefix = environment["FILES_X_ACCEL_REDIRECT"]

    internal = re.search(rf"location {re.escape(prefix)} \{{(.*?)\}}", nginx, re.S).group(1)
    assert "internal;" in internal
    assert f"alias {environment['MEDIA_ROOT']}/;" in internal
    assert "media:/data/media:ro" in COMPOSE["services"]["proxy"]["volumes"]
    assert re.search(r"client_max_body_size 200m;", nginx)  # REQUEST_MAX_MB's default
    assert environment["TRUST_X_FORWARDED_FOR"] == environment["TRUST_X_FORWARDED_PROTO"] == "true"


def test_the_image_installs_pango_and_the_cjk_fonts_through_the_projects_own_script():
    dockerfile = (ROOT / "Dockerfile").read_text()
    packages = (ROOT / "scripts" / "system-packages").read_text()

    assert "bash scripts/system-packages" in dockerfile
    for package in ("libpango-1.0-0", "fonts-noto-cjk", "postgresql-client"):
        assert package in packages


# --- The native set, for real ---------------------------------------------------------------------------


SET_PASSWORDS = f"""
from orgs.models import User
for user in User.objects.filter(username__in=["guozi_staff", "chengtou_reporter", "gongre_reporter"]):
    user.set_password("{PASSWORD}")
    user.save()
"""


@pytest.fixture(scope="module")
def production_database(tmp_path_factory, collected_static):
    """A fresh PostgreSQL database brought up as an operator would: scripts/migrate, demo data. One
    for the module's tests, as one platform serves many requests: each test takes other work."""
    redis.Redis.from_url(REDIS_DB).flushdb()
    data = tmp_path_factory.mktemp("platform")
    with fresh_postgres_database() as url:
        # Reports of any size are made by the worker; beat beats every second.
        env = production_env(
            data,
            database_url=url,
            redis_url=REDIS_DB,
            STATIC_ROOT=str(collected_static),
            HEARTBEAT_SECONDS="1",
            REPORT_INLINE_ROWS="0",
        )
        log = data / "setup.log"
        run_script("migrate", env, log)
        run_script("load_demo", env, log)
        run_script("shell", env, log, "--no-imports", "-c", SET_PASSWORDS)
        yield env


class Api:
    def __init__(self, base: str, username: str):
        self.base = base
        self.session = requests.Session()
        token = self.post("/auth/token/", json={"username": username, "password": PASSWORD}).json()["token"]
        self.session.headers["Authorization"] = f"Token {token}"

    def url(self, path: str) -> str:
        # Links the API gives (downloads) are whole paths; the rest are under /api/v1.
        return f"{self.base}{path}" if path.startswith("/api/") else f"{self.base}/api/v1{path}"

    def get(self, path, **kwargs):
        return self._checked(self.session.get(self.url(path), timeout=30, **kwargs))

    def post(self, path, **kwargs):
        return self._checked(self.session.post(self.url(path), timeout=30, **kwargs))

    @staticmethod
    def _checked(answer):
        assert answer.status_code < 400, (
            f"{answer.request.method} {answer.url}: {answer.status_code} {answer.text[:500]}"
        )
        return answer


def report(api: Api, assignment: dict, *, text: str, files=()):
    return api.post(
        "/reports/",
        data={
            "assignment": assignment["id"],
            "period": time.strftime("%Y-%m"),
            "percent": 100,
            "text": text,
            "done": "true",
        },
        files=[("files", (name, content, "application/pdf")) for name, content in files],
    ).json()


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.redis
def test_the_native_set_carries_a_report_from_the_unit_to_staffs_acceptance(production_database, tmp_path):
    with native_services(production_database, tmp_path) as (base,):
        # Beat's heartbeat reaches the worker, which makes the platform ready.
        wait_until(lambda: requests.get(f"{base}/readyz", timeout=5).status_code == 200, timeout=60, what="ready")
        login = requests.get(f"{base}/accounts/login/", timeout=10)
        assert login.status_code == 200 and "登录" in login.text  # static files collected, Chinese served
        unit, staff = Api(base, "chengtou_reporter"), Api(base, "guozi_staff")

        work = unit.get("/assignments/", params={"status": "not_started"}).json()["results"][0]
        sent = report(unit, work, text="已完成制度初稿", files=[("制度初稿.pdf", PDF)])
        staff.post(f"/assignments/{work['id']}/return/", json={"comment": "请补充会议纪要"})
        heard = unit.get("/notifications/", params={"unread": "true"}).json()["results"]
        assert any("请补充会议纪要" in notification["body"] for notification in heard)
        report(unit, work, text="已补充会议纪要", files=[("会议纪要.pdf", PDF + b"%minutes")])
        current = staff.get(f"/assignments/{work['id']}/").json()
        staff.post(f"/assignments/{work['id']}/accept/", json={"version": current["version"]})

        assert unit.get(f"/assignments/{work['id']}/").json()["status"] == "accepted"
        evidence = staff.get("/evidence/", params={"assignment": work["id"]}).json()["results"]
        first = next(item for item in evidence if item["id"] == sent["evidence"][0]["id"])
        assert staff.get(first["download"]).content == PDF
        # The PDF is made by the worker (REPORT_INLINE_ROWS=0 sends every report there).
        job = staff.post("/report-jobs/", json={"kind": "progress", "plan": current["plan"]}).json()
        made = wait_until(
            lambda: (found := staff.get(f"/report-jobs/{job['id']}/").json())["status"] == "done" and found,
            timeout=60,
            what="the worker to make the PDF",
        )
        assert staff.get(made["download"]).content.startswith(b"%PDF")

    web_log = (tmp_path / "web0.log").read_text()
    assert '"request_id"' in web_log or "rid=" in web_log


# --- Scale-out ------------------------------------------------------------------------------------------


def django_shell(env: dict, code: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


# The sweep of a day chosen from the data, not the day the test runs (most days remind nobody): the
# first digest day after every deadline of the demo, a working day, when each unit with open work
# hears of all of it — by e-mail and by its bot.
DIGEST_FOR_EVERYONE = """
import datetime
from django.db.models import Max
from orgs.models import User
from tasks.models import Task
from tasks.reminders import workdays
from tasks.reminders.models import ReminderSettings, UnitWebhook
from tasks.reminders.sweep import sweep
for user in User.objects.filter(role="reporter"):
    user.email = f"{user.username}@example.gov.cn"
    user.save()
    UnitWebhook.objects.get_or_create(unit=user.unit, defaults={"url": "%(bot)s"})
rules = ReminderSettings.current().as_rules()
day = Task.objects.aggregate(latest=Max("due"))["latest"] + datetime.timedelta(days=1)
while day.weekday() != rules.digest_weekday or not workdays.is_workday(day):
    day += datetime.timedelta(days=1)
print("SWEPT", day, sweep(today=day).created)
"""

DELIVERIES = """
import json
from tasks.reminders.models import Notification
rows = Notification.objects.exclude(channel="in_app").filter(id__gt=%(after)d).values_list("id", "channel", "status")
print("ROWS", json.dumps([list(row) for row in rows]))
"""


def deliveries(env: dict, after: int = 0) -> list[list]:
    """(id, channel, status) of every notification after ``after`` sent outside the platform."""
    out = django_shell(env, DELIVERIES % {"after": after})
    line = next((line for line in out.splitlines() if line.startswith("ROWS ")), None)
    assert line, out
    return json.loads(line.removeprefix("ROWS "))


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.redis
def test_two_web_nodes_share_sessions_files_and_changes_and_two_beats_send_each_reminder_once(
    production_database, tmp_path
):
    with mail_server() as (mailbox, smtp_port), bot_server() as bot:
        env = {
            **production_database,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "REMINDER_DISPATCH_SECONDS": "1",
        }
        with native_services(env, tmp_path, webs=2, beats=2) as (one, two):
            # A session begun on one node is good on the other (sessions live in the database).
            browser = browser_session(one, "guozi_staff", PASSWORD)
            assert browser.get(f"{two}/tasks/", allow_redirects=False, timeout=10).status_code == 200

            # An upload through one node downloads through the other (one shared MEDIA_ROOT).
            unit_on_one, staff_on_two = Api(one, "chengtou_reporter"), Api(two, "guozi_staff")
            work = unit_on_one.get("/assignments/", params={"status": "not_started"}).json()["results"][0]
            sent = report(unit_on_one, work, text="节点一报送", files=[("节点一.pdf", PDF + b"%one")])
            download = staff_on_two.get(sent["evidence"][0]["download"]).content
            assert download == PDF + b"%one"

            # An accept through one node is seen by the other, in its lists and its cached figures.
            before = staff_on_two.get("/dashboard/").json()["figures"]["counts"]["accepted"]
            staff_on_one = Api(one, "guozi_staff")
            current = staff_on_one.get(f"/assignments/{work['id']}/").json()
            staff_on_one.post(f"/assignments/{work['id']}/accept/", json={"version": current["version"]})
            assert staff_on_two.get(f"/assignments/{work['id']}/").json()["status"] == "accepted"
            assert staff_on_two.get("/dashboard/").json()["figures"]["counts"]["accepted"] == before + 1

            # Two beats, each asking for the queue to be sent every second, while the sweep's own
            # jobs send it too: every reminder reaches its mailbox and its bot exactly once.
            # Only the sweep's: the platform has sent others before (the module's other test).
            before = max((row[0] for row in deliveries(env)), default=0)
            swept = django_shell(env, DIGEST_FOR_EVERYONE % {"bot": bot.url})
            wanted = deliveries(env, after=before)
            assert len(wanted) >= 4, swept

            def all_sent():
                rows = deliveries(env, after=before)
                return all(status == "sent" for _, _, status in rows) and rows

            sent_rows = wait_until(all_sent, timeout=120, step=1, what="every reminder sent")
            time.sleep(3)  # several more dispatches from both beats: nothing is sent again

        # Nothing reached a mailbox twice (the accept above sent its own e-mail too), and every
        # reminder of the sweep arrived.
        emails = Counter(message["X-Reform-Notification"] for message in mailbox.messages)
        assert set(emails.values()) == {1}, emails
        assert {str(i) for i, channel, _ in sent_rows if channel == "email"} <= set(emails)
        assert len(bot.received) == sum(channel == "webhook" for _, channel, _ in sent_rows)
    for n in (0, 1):
        assert "Scheduler: Sending due task dispatch-notifications" in (tmp_path / f"beat{n}.log").read_text()
