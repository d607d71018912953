"""The dashboard page: the figures of ``reports.dashboard`` with their drill-down links and charts."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from orgs import policy
from reports.charts import Bar, Point, burn_up, completion_bars
from reports.dashboard import HEADLINE, Dashboard, Group, dashboard
from tasks.forms import ScopeForm
from tasks.work import MEASURES, Scope, month_end, work_list_url

# Which way a figure's change is good news: more accepted is; more overdue, or more units' work without
# this month's report, is bad; the rest (tasks, work in hand, due soon) is neither.
GOOD_WHEN = {"accepted": 1, "overdue": -1, "report_missing": -1}


@dataclass(frozen=True)
class Card:
    label: str
    value: int
    change: int  # since the end of last month
    link: str
    percent: int | None = None
    good_when: int = 0  # 1: more is good news, -1: more is bad news, 0: neither

    @property
    def trend(self) -> str:
        """The change's meaning, as its colour shows it: good, bad, or neither (also for no change)."""
        sense = self.change * self.good_when
        return "good" if sense > 0 else "bad" if sense < 0 else "same"

    @property
    def change_text(self) -> str:
        return f"▲{self.change}" if self.change > 0 else f"▼{-self.change}" if self.change < 0 else "—"


def cards(board: Dashboard) -> list[Card]:
    scope, now, then = board.scope, board.figures, board.previous
    found = [Card(_("Tasks"), now.tasks, now.tasks - then.tasks, work_list_url(scope))]
    for measure in HEADLINE:
        value = now.counts[measure]
        found.append(
            Card(
                str(MEASURES[measure]),
                value,
                value - then.counts[measure],
                work_list_url(scope, measure=measure),
                percent=round(now.accepted_share * 100) if measure == "accepted" else None,
                good_when=GOOD_WHEN.get(measure, 0),
            )
        )
    return found


def _bars(groups: list[Group], scope: Scope, narrow: str) -> list[Bar]:
    def link(group, measure=None):
        # Work with no area or no deadline has no list of its own to narrow to.
        return work_list_url(scope, **{narrow: group.key}, measure=measure) if group.key is not None else ""

    return [
        Bar(
            label=group.label or _("Other tasks"),
            note=group.plan,
            done=group.accepted,
            late=group.overdue,
            total=group.total,
            link=link(group),
            done_link=link(group, "accepted"),
            late_link=link(group, "overdue"),
        )
        for group in groups
    ]


def charts(board: Dashboard) -> dict[str, str]:
    scope = board.scope
    points = [
        Point(
            label=f"{m.month:%Y-%m}",
            due=m.due,
            done=None if m.to_come else m.accepted,
            link=work_list_url(scope, due_by=month_end(m.month)),
        )
        for m in board.burn_up
    ]
    # Laid out by the browser at the screen's width, their text at the body's size (charts.py).
    return {
        "sections": completion_bars(_bars(board.by_section, scope, "section"), title=_("Completion by reform area")),
        "years": completion_bars(_bars(board.by_year, scope, "year"), title=_("Completion by year of deadline")),
        "burn_up": burn_up(points, title=_("Work accepted against work falling due")) if points else "",
    }


def _unit_links(scope: Scope, group: Group) -> tuple[str, str, str]:
    """A ranked unit's work, its accepted work and its overdue work."""
    return tuple(work_list_url(scope, unit=group.key, measure=measure) for measure in ("all", "accepted", "overdue"))


@login_required
def dashboard_page(request):
    """Where the reform stands: everything for SASAC staff, leaders and auditors; a unit's own work for
    its reporters."""
    form = ScopeForm(request.GET or None, user=request.user)
    scope = form.scope()
    board = dashboard(request.user, scope)
    context = {
        "form": form,
        "board": board,
        "cards": cards(board),
        # 本月未报送进展 leads to urging those units at once, where the viewer may urge and it is today's.
        "urge_link": work_list_url(scope, page="tasks:reports_urge")
        if policy.can_manage(request.user) and scope.as_of is None and board.figures.counts["report_missing"]
        else "",
        "charts": charts(board),
        "scope": scope,
        "rankings": [
            (title, [(group, *_unit_links(scope, group)) for group in groups])
            for title, groups in (
                (_("Enterprises"), board.enterprises),
                (_("Departments and others"), board.departments),
            )
            if groups
        ],
    }
    return render(request, "reports/dashboard.html", context)
