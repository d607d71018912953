"""Named people of a small district, one per role, and the services some tests need.

王晓东 works at the SASAC office (staff); 李娜 reports for the city-construction company
(城投), 张伟 for the heating company (供热); 陈建国 is a district leader; 赵敏 an auditor.
"""

import datetime
import os
from pathlib import Path

import pytest
import time_machine
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orgs.choices import Role, UnitKind
from tests.factories import UnitFactory, UserFactory
from tests.processes import ROOT
from tests.services import service_unavailable_reason

UNDER_CI = os.environ.get("CI", "").lower() == "true"
# A moment to run the whole session at (ISO 8601 with its offset), the clock ticking on from it:
# CI runs the domain's tests again on days that trip calendar logic, to prove no test reads the real date.
FAKE_NOW = os.environ.get("TESTS_FAKE_NOW", "")
# CI's leg on PostgreSQL and Redis runs only the tests that use the test database: the rest (parsing,
# settings, processes with databases of their own) answer the same on every leg and ran on the first.
DATABASE_ONLY = os.environ.get("TESTS_DATABASE_ONLY", "").lower() == "true"
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


def pytest_configure(config):
    if FAKE_NOW:
        moment = datetime.datetime.fromisoformat(FAKE_NOW)
        if moment.tzinfo is None:
            raise pytest.UsageError(f"TESTS_FAKE_NOW={FAKE_NOW!r} needs its offset, e.g. 2027-01-01T00:30+08:00")
        config.fake_clock = time_machine.travel(moment, tick=True)
        config.fake_clock.start()
    config.session_started = datetime.datetime.now(datetime.UTC)


def pytest_unconfigure(config):
    if getattr(config, "fake_clock", None):
        config.fake_clock.stop()


def pytest_report_header(config):
    lines = []
    if FAKE_NOW:
        lines.append(f"clock: the session starts at {FAKE_NOW} (TESTS_FAKE_NOW), not at the real time")
    if DATABASE_ONLY:
        lines.append("selection: only the tests that use the test database (TESTS_DATABASE_ONLY)")
    return lines


def uses_the_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(DATABASE_FIXTURES & set(item.fixturenames))


def pytest_collection_modifyitems(config, items):
    if not DATABASE_ONLY:
        return
    kept = [item for item in items if uses_the_database(item)]
    config.hook.pytest_deselected(items=[item for item in items if not uses_the_database(item)])
    items[:] = kept


def skip_or_fail(reason: str):
    """A missing service or document skips a test on a laptop and fails it under CI."""
    if UNDER_CI:
        pytest.fail(f"{reason}: under CI that is a failure", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item):
    for service in ("redis", "postgres"):
        if item.get_closest_marker(service):
            reason = service_unavailable_reason(service)
            if reason:
                skip_or_fail(reason)


def find_shared_dir() -> Path:
    """The project's shared documents (plans, acceptance files, corpus), beside the checkout by default."""
    path = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
    if not (path / "acceptance").is_dir():
        skip_or_fail(f"the shared documents are not at {path} (set SHARED_DIR)")
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return find_shared_dir()


@pytest.fixture(autouse=True)
def _one_day_a_session(request):
    """Each test starts at the moment the session did, its clock ticking on from there: a day worked
    out when the tests were collected (a module's TODAY) is still the code's today after midnight.
    Tests of real processes keep the real clock, which is theirs too, even in a session at a fake moment;
    so do tests compared with the database server's clock."""
    if request.node.get_closest_marker("slow") or request.node.get_closest_marker("database_clock"):
        if not FAKE_NOW:
            yield
            return
        real_now = datetime.datetime.fromtimestamp(time_machine.escape_hatch.time.time(), datetime.UTC)
        with time_machine.travel(real_now, tick=True):
            yield
        return
    with time_machine.travel(request.config.session_started, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is slow by design; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    # Uploaded and imported files go to a folder of the test's own, never to DATA_DIR.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _a_cache_of_its_own(settings, request):
    # Cached dashboards keyed by ids must not outlive the test that made them (ids come back).
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.nodeid}
    }


@pytest.fixture(autouse=True)
def _chinese():
    # The platform's language; tests that read messages read them in Chinese.
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def sasac_office(db):
    return UnitFactory(name="立山区国有资产监督管理局", kind=UnitKind.SASAC)


@pytest.fixture
def chengtou_company(db):
    return UnitFactory(name="鞍山市立山区城市建设投资有限公司", kind=UnitKind.ENTERPRISE)


@pytest.fixture
def gongre_company(db):
    return UnitFactory(name="鞍山市立山区供热有限公司", kind=UnitKind.ENTERPRISE)


@pytest.fixture
def staff(sasac_office):
    return UserFactory(username="wangxiaodong", full_name="王晓东", role=Role.STAFF, unit=sasac_office)


@pytest.fixture
def chengtou_reporter(chengtou_company):
    return UserFactory(username="lina", full_name="李娜", role=Role.REPORTER, unit=chengtou_company)


@pytest.fixture
def gongre_reporter(gongre_company):
    return UserFactory(username="zhangwei", full_name="张伟", role=Role.REPORTER, unit=gongre_company)


@pytest.fixture
def leader(db):
    government = UnitFactory(name="立山区人民政府", kind=UnitKind.OTHER)
    return UserFactory(username="chenjianguo", full_name="陈建国", role=Role.LEADER, unit=government)


@pytest.fixture
def auditor(db):
    audit_office = UnitFactory(name="立山区审计局", kind=UnitKind.DEPARTMENT)
    return UserFactory(username="zhaomin", full_name="赵敏", role=Role.AUDITOR, unit=audit_office)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """Static files collected once for every production-mode process the tests start: compressing
    them (whitenoise) takes most of a minute, the same for each."""
    from tests.processes import production_env, run_script

    folder = tmp_path_factory.mktemp("static")
    env = production_env(folder, database_url="sqlite:///unused.sqlite3", redis_url=None, STATIC_ROOT=str(folder))
    run_script("collectstatic", env, folder.parent / "collectstatic.log", "--noinput", "-v0")
    return folder


@pytest.fixture
def api():
    """An API client signed in with a user's token: ``api(user)``."""

    def signed_in(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return signed_in
