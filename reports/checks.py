"""System checks of what the PDF reports need from the machine."""

from django.core import checks


@checks.register()
def font_subsetting(app_configs, **kwargs):
    """Without HarfBuzz's subsetter WeasyPrint falls back to fontTools, which takes seconds for each
    Chinese face in every report (a CJK font has some 65,000 glyphs)."""
    from weasyprint.text.ffi import harfbuzz_subset

    if harfbuzz_subset is not None:
        return []
    return [
        checks.Warning(
            "HarfBuzz's font subsetter (libharfbuzz-subset0) is missing: PDF reports take seconds longer.",
            hint="Run scripts/system-packages, or apt-get install libharfbuzz-subset0.",
            id="reports.W001",
        )
    ]
