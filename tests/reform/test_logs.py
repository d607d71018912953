"""Every request has an id: sent back in X-Request-ID, on each of its log lines (JSON in production),
and on the error page instead of what went wrong."""

import io
import json
import logging

import pytest

from reform.logs import JsonFormatter, RequestIdFilter, RequestIdMiddleware


def _logged(request_headers: dict) -> tuple[dict, str]:
    from django.http import HttpResponse
    from django.test import RequestFactory

    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.request")
    logger.addHandler(handler)

    def view(request):
        logger.warning("报送失败：%s", "附件过大")
        return HttpResponse("ok")

    try:
        answer = RequestIdMiddleware(view)(RequestFactory().get("/", headers=request_headers))
    finally:
        logger.removeHandler(handler)
    return json.loads(out.getvalue()), answer["X-Request-ID"]


def test_a_log_line_names_its_request_in_json():
    line, sent = _logged({})

    assert line["request_id"] == sent and len(sent) == 32
    assert line["message"] == "报送失败：附件过大" and line["level"] == "WARNING" and "+08:00" in line["time"]


@pytest.mark.parametrize(("given", "kept"), [("lb-7f3a9c2e-0001", True), ("x", False), ("<script>", False)])
def test_a_proxys_request_id_is_kept_when_sound(given, kept):
    line, sent = _logged({"X-Request-ID": given})

    assert (sent == given) is kept and line["request_id"] == sent


@pytest.mark.django_db
def test_an_error_shows_its_number_and_logs_it_never_the_fault(client, settings, caplog):
    settings.ROOT_URLCONF = "tests.reform.failing_urls"
    client.raise_request_exception = False

    page = client.get("/broken/")
    api = client.get("/api/v1/broken/")

    number = page["X-Request-ID"]
    assert page.status_code == 500 and number in page.content.decode() and "a fault" not in page.content.decode()
    assert api.status_code == 500 and api.json()["request_id"] == api["X-Request-ID"]
    assert "a fault for the test" not in api.content.decode()
    logged = [record for record in caplog.records if record.name == "django.request"]
    assert logged and logged[0].exc_info and "a fault for the test" in str(logged[0].exc_info[1])


def _reached(logger: logging.Logger) -> list[logging.Handler]:
    """The platform's handlers a record of ``logger`` passes through, as logging walks up to the root
    (pytest's own capturing handlers left out)."""
    found = []
    while logger:
        found += [handler for handler in logger.handlers if not type(handler).__module__.startswith("_pytest")]
        logger = logger.parent if logger.propagate else None
    return found


@pytest.mark.parametrize("name", ["django.request", "django.security.DisallowedHost", "django.db.backends", "tasks"])
def test_every_record_reaches_one_handler(name):
    (console,) = _reached(logging.getLogger())
    assert _reached(logging.getLogger(name)) == [console]


@pytest.fixture
def printed(settings):
    """What the platform's console handler prints, as DEBUG on would (Django's own console handler,
    were it still attached, prints only then)."""
    settings.DEBUG = True
    (handler,) = _reached(logging.getLogger())
    out = io.StringIO()
    previous = handler.setStream(out)
    yield out
    handler.setStream(previous)


def test_a_refusal_is_one_line_without_its_traceback(client, printed, chengtou_reporter, leader):
    from django.test import Client

    client.force_login(leader)
    client.get("/no/such/page/")
    client.get("/tasks/review/")  # a leader: PermissionDenied, 403
    Client(raise_request_exception=False).get("/", HTTP_HOST="not-this-site.example")

    lines = printed.getvalue().splitlines()
    assert len([line for line in lines if "/no/such/page/" in line]) == 1, lines
    assert len([line for line in lines if "/tasks/review/" in line]) == 1, lines
    assert len([line for line in lines if "not-this-site.example" in line]) == 1, lines
    assert "Traceback" not in printed.getvalue()


def test_a_fault_is_logged_once_with_its_traceback(client, printed, settings):
    settings.ROOT_URLCONF = "tests.reform.failing_urls"
    client.raise_request_exception = False
    settings.DEBUG = False  # the platform's 500 page, not Django's debugging one

    client.get("/broken/")

    text = printed.getvalue()
    assert text.count("Internal Server Error: /broken/") == 1 and text.count("Traceback") == 1
    assert "a fault for the test" in text
