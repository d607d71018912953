"""What a person typed into a form that was refused, kept for the page they are sent back to.

The report form posts, and is answered by a redirect to the task page (or by htmx, which follows
it): a refusal (a bad file, a stale version, a month in the future) must not cost the person the
text they wrote. The typed fields wait in the session, once, for the form's next showing; files
cannot be put back into a browser's file input, so the message asks for them again.
"""

REPORT_FIELDS = ("period", "percent", "text", "done", "combined")
TICKED = ("done", "combined")


def _key(assignment_id: int) -> str:
    return f"report-draft:{assignment_id}"


def keep_report_draft(session, assignment_id: int, posted) -> None:
    session[_key(assignment_id)] = {name: posted.get(name, "") for name in REPORT_FIELDS}


def take_report_draft(session, assignment_id: int) -> dict:
    """The draft kept for the assignment's report form, as the form's initial values; gone once taken."""
    draft = session.pop(_key(assignment_id), None) or {}
    kept = {name: value for name, value in draft.items() if value not in ("", None)}
    for box in TICKED:
        if box in kept:
            kept[box] = True  # a ticked box posts "on"
    return kept
