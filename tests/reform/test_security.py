"""Production settings pass Django's deployment checks; every response carries the browser-enforced headers."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.processes import ROOT, process_env

# Settings and headers: no date in them.
pytestmark = pytest.mark.undated

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 60 + "-a-long-random-production-key",
    "ALLOWED_HOSTS": "reform.example",
}


def deploy_check(tmp_path, **env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        # The browser tests lift the async guard in this process; a deployment never does.
        env=process_env(
            DATA_DIR=str(tmp_path),
            DATABASE_URL=None,
            REDIS_URL=None,
            DJANGO_ALLOW_ASYNC_UNSAFE=None,
            **{**PRODUCTION, **env},
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_check_without_a_warning(tmp_path):
    answer = deploy_check(tmp_path)

    assert answer.returncode == 0, answer.stderr
    assert "no issues" in answer.stdout


def test_hsts_is_configurable_and_the_check_says_when_it_is_off(tmp_path):
    answer = deploy_check(tmp_path, HSTS_SECONDS="0")

    assert answer.returncode == 1
    assert "security.W004" in answer.stderr


def test_plain_http_for_a_test_rig_is_a_choice_the_check_reports(tmp_path):
    answer = deploy_check(tmp_path, HTTPS="false")

    assert answer.returncode == 1
    for check in ("security.W008", "security.W012", "security.W016"):  # no redirect, cookies not secure
        assert check in answer.stderr


@pytest.mark.django_db
def test_pages_carry_the_policy_and_the_security_headers(client, staff):
    client.force_login(staff)

    response = client.get(reverse("tasks:task_list"))

    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_login_page_and_the_api_carry_the_policy_too(client):
    assert "script-src 'self'" in client.get(reverse("login")).headers["Content-Security-Policy"]
    assert "script-src 'self'" in client.get("/api/v1/plans/").headers["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["api:docs", "api:redoc"])
def test_the_api_documentation_pages_run_no_inline_script(client, staff, name):
    client.force_login(staff)

    response = client.get(reverse(name))

    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script"
    assert "fonts.googleapis.com" not in html
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self' 'unsafe-inline'" in policy  # their widgets style themselves from script


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)|\son[a-z]+=|javascript:", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style|\sstyle=", re.IGNORECASE)
# Rendered to PDF by WeasyPrint or sent as e-mail, never served to a browser under the policy.
NOT_SERVED = ("reports/pdf/", "reminders/email")


def served_templates():
    for path in sorted((ROOT / "templates").rglob("*.html")):
        name = path.relative_to(ROOT / "templates").as_posix()
        if not name.startswith(NOT_SERVED):
            yield name, path


@pytest.mark.parametrize(("name", "path"), [pytest.param(*pair, id=pair[0]) for pair in served_templates()])
def test_no_template_served_to_a_browser_holds_inline_script_or_style(name, path: Path):
    text = path.read_text()

    assert not INLINE_SCRIPT.search(text), name
    assert not INLINE_STYLE.search(text), name


@pytest.mark.django_db
def test_a_page_request_holding_a_nul_is_refused_plainly_and_changes_nothing(client, staff):
    # Found by tests/reliability/test_form_fuzz.py: a view reading a field without a form passed it on.
    from tasks.choices import AssignmentStatus
    from tasks.models import ExtensionRequest
    from tests.factories import AssignmentFactory

    work = AssignmentFactory(status=AssignmentStatus.IN_PROGRESS)
    asked = ExtensionRequest.objects.create(
        assignment=work, reason="等待批复", proposed_due="2031-01-01", requested_by=staff
    )
    client.force_login(staff)

    posted = client.post(
        reverse("tasks:extension_decide", args=[asked.pk]), {"decision": "approve", "comment": "同意\x00"}
    )
    searched = client.get(reverse("tasks:task_list"), {"q": "改革\x00"})

    for answer in (posted, searched):
        assert answer.status_code == 400
        assert "无法保存的字符" in answer.content.decode()
    asked.refresh_from_db()
    assert asked.status == "pending"
    assert (
        client.post("/api/v1/auth/token/", {"username": "x\x00", "password": "y"}).status_code == 400
    )  # the API's own
