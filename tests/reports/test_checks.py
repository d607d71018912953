"""The system check that the machine can subset fonts quickly for the PDF reports."""

from django.core.management import call_command

from reports import checks


def test_this_machine_subsets_fonts_with_harfbuzz(capsys):
    # scripts/system-packages installs libharfbuzz-subset0; the check stays quiet.
    assert checks.font_subsetting(None) == []
    call_command("check")
    assert "reports.W001" not in capsys.readouterr().err


def test_a_machine_without_the_subsetter_is_warned(monkeypatch):
    import weasyprint.text.ffi

    monkeypatch.setattr(weasyprint.text.ffi, "harfbuzz_subset", None)
    [warning] = checks.font_subsetting(None)
    assert warning.id == "reports.W001"
    assert "libharfbuzz-subset0" in warning.msg
