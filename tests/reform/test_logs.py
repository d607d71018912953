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
