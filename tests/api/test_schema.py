"""The OpenAPI schema: valid, served with its docs from this server alone, and every field, parameter
and operation described in Chinese and English."""

import re

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from reform.api.schema import BilingualSchemaGenerator, bilingual_descriptions

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(scope="module")
def schema():
    generator = BilingualSchemaGenerator()
    return generator.get_schema(request=None, public=True)


def _undescribed(schema) -> list[str]:
    missing = []

    def described(where, text):
        if not (text and CHINESE.search(text) and ENGLISH.search(text)):
            missing.append(f"{where}: {text!r}")

    for name, component in schema["components"]["schemas"].items():
        if component.get("description") or ("enum" in component and len(component["enum"]) > 1):
            described(f"schema {name}", component.get("description", ""))
        for field, spec in component.get("properties", {}).items():
            if "$ref" not in spec and "allOf" not in spec:
                described(f"{name}.{field}", spec.get("description", ""))
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            described(f"{method} {path}", operation.get("description", "") or operation.get("summary", ""))
            for parameter in operation.get("parameters", []):
                described(f"{method} {path} ?{parameter['name']}", parameter.get("description", ""))
    return missing


def test_the_schema_is_valid_openapi(schema):
    validate_schema(schema)
    assert schema["info"]["title"].startswith("改革任务督办平台")
    assert SchemaGenerator is not BilingualSchemaGenerator and bilingual_descriptions


def test_every_field_parameter_and_operation_is_described_in_chinese_and_english(schema):
    assert _undescribed(schema) == []


def test_choices_are_described_in_both_languages(schema):
    status = schema["components"]["schemas"]["AssignmentStatusEnum"]["description"]
    assert "* `accepted` - 已验收销号 / Accepted" in status


@pytest.mark.django_db
def test_the_schema_and_the_docs_are_served_with_local_assets(client, staff):
    client.force_login(staff)

    served = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    docs = client.get(reverse("api:docs")).content.decode()

    assert served.status_code == 200 and "/api/v1/assignments/{id}/accept/" in served.json()["paths"]
    assert "swagger-ui" in docs and "//cdn" not in docs and "https://" not in docs.split("</head>")[0]
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
