"""Pages of plans and tasks: every queryset comes from the access policy, every figure from selectors."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs import policy
from orgs.choices import Role
from reform import values
from reports.charts import milestone_gantt
from tasks import queue
from tasks.changes import task_history
from tasks.choices import CLOSED_STATUSES, AssignmentRole, AssignmentStatus, ExtensionStatus, NoticeGrade
from tasks.drafts import take_report_draft
from tasks.forms import ProgressReportForm
from tasks.lights import URGENCY, LightRules
from tasks.models import (
    Assignment,
    Delivery,
    ExtensionRequest,
    Milestone,
    MilestoneCompletion,
    NoticeEscalation,
    Plan,
    ProgressReport,
    Question,
    StatusChange,
    SupervisionNotice,
    Task,
)
from tasks.rounds import open_rounds_missing
from tasks.selectors import (
    combined_report,
    evidence_count,
    facts_of,
    filtered_task_rows,
    instructions_for,
    light_of,
    milestone_timeline,
    plan_overview,
    plan_tasks,
    plans_for,
    report_evidence,
    with_milestone_due,
    with_plan_counts,
    with_return_reason,
    work_by_task,
)
from tasks.services import allowed_actions, deliverables_of, undelivered
from tasks.work import OWING


@login_required
def plan_list(request):
    plans = plans_for(request.user).order_by("-issued_on", "-pk")
    query = request.GET.get("q", "").strip()
    if query:
        plans = plans.filter(Q(title__icontains=query) | Q(doc_number__icontains=query) | Q(issuer__icontains=query))
    page = values.page_of(Paginator(plans, 20), request.GET.get("page"))
    with_plan_counts(page.object_list, request.user)
    return render(request, "tasks/plan_list.html", {"page": page, "query": query})


# The plan page lists its tasks this many at a time (a province's plan has a thousand); its counts
# and lights are of them all.
PLAN_PAGE = 100


@login_required
def plan_detail(request, pk):
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    today = timezone.localdate()
    tasks = plan_tasks(plan, request.user).select_related("section", "plan")
    page = values.page_of(Paginator(tasks, PLAN_PAGE), request.GET.get("page"))
    overview = plan_overview(plan, request.user, today=today, rules=LightRules.from_settings(), shown=list(page))
    timeline = milestone_gantt(
        milestone_timeline(plan, request.user, today=today, tasks=[row.task for row in overview.rows]),
        title=_("Milestones by month"),
        today=today,
        link_of=lambda row: reverse("tasks:task_detail", args=[row.task_id]),
    )
    context = {"plan": plan, "overview": overview, "timeline": timeline, "page": page}
    return render(request, "tasks/plan_detail.html", context)


@login_required
def task_list(request):
    """Tasks by any combination of filters, each list shareable by its URL."""
    filters, rows = filtered_task_rows(request.user, request.GET or None)
    page = values.page_of(Paginator(rows, 50), request.GET.get("page"))
    return render(request, "tasks/task_list.html", {"filters": filters, "page": page})


@login_required
def plan_source(request, pk):
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).only("pk", "title", "doc_number", "source_text"), pk=pk
    )
    lines = list(enumerate(plan.source_text.splitlines(), start=1))
    return render(request, "tasks/plan_source.html", {"plan": plan, "lines": lines})


@login_required
def task_detail(request, pk):
    task = get_object_or_404(Task.objects.visible_to(request.user).select_related("plan", "section"), pk=pk)
    today, rules = timezone.localdate(), LightRules.from_settings()
    assignments = list(
        with_milestone_due(with_return_reason(Assignment.objects.visible_to(request.user)), today=today, rules=rules)
        .filter(task=task)
        .select_related("unit", "via_group")
        .annotate(evidence_count=evidence_count())
        .order_by("role", "unit__name")
    )
    work = [assignment.pk for assignment in assignments]
    context = {"task": task, "assignments": assignments, **_timeline(task, request.user, work=work)}
    pending = {e.assignment_id: e for e in context["extensions"] if e.status == ExtensionStatus.PENDING}
    for assignment in assignments:
        assignment.task = task  # already loaded: no query per row
        _with_actions(assignment, request.user, pending.get(assignment.pk), today=today, rules=rules)
    milestones = list(task.milestones.order_by("position"))
    done = context["completions"]
    mine = next((a for a in assignments if a.can_report), None)
    deliveries = list(Delivery.objects.visible_to(request.user).filter(milestone__task=task).select_related("evidence"))
    for milestone in milestones:
        milestone.done = [c for c in done if c.milestone_id == milestone.pk]
        milestone.mine_done = mine is not None and any(c.assignment_id == mine.pk for c in milestone.done)
        milestone.delivered = [
            (name, [d.evidence for d in deliveries if (d.milestone_id, d.deliverable) == (milestone.pk, name)])
            for name in milestone.deliverables
        ]
    context.update(
        combined=combined_report(task, request.user, work=work),
        milestones=milestones,
        undelivered=[name for m in milestones for name, files in m.delivered if not files],
        my_assignment=mine,
        asking=_own_work(assignments, request.user),
        **_questions_card(context["newest_questions"]),
        **_action_context(request, mine, deliverables_of(milestones)),
        can_instruct=policy.role_of(request.user) == Role.LEADER,
        history=task_history(task, request.user, limit=HISTORY_ON_TASK_PAGE),
        can_edit=policy.can_manage(request.user),
    )
    return render(request, "tasks/task_detail.html", context)


# The task page's card shows this many questions, the newest first; the dossier has them all.
QUESTIONS_SHOWN = 30


def _questions_card(newest: list[Question]) -> dict:
    """The card of the newest questions (of the task's work the user sees, newest first)."""
    return {"questions": newest[:QUESTIONS_SHOWN], "more_questions": len(newest) > QUESTIONS_SHOWN}


def _own_work(assignments, user) -> Assignment | None:
    """The user's unit's work on the task, not cancelled: what its questions to the office are about."""
    own = (a for a in assignments if policy.can_act_for_unit(user, a.unit_id))
    return next((a for a in own if a.status != AssignmentStatus.CANCELLED), None)


def _with_actions(assignment, user, pending_extension, *, today, rules) -> None:
    """What ``user`` may do on the assignment; ``inline`` when it waits for them, so its card is
    shown on the task page rather than opened from the units table."""
    assignment.light = light_of(assignment, today=today, rules=rules)
    assignment.light_facts = facts_of(assignment, today=today)
    assignment.actions = allowed_actions(user, assignment)
    closed = assignment.status in CLOSED_STATUSES
    manager = policy.can_manage(user)
    assignment.can_report = (
        policy.can_act_for_unit(user, assignment.unit_id)
        and assignment.status != AssignmentStatus.SUBMITTED
        and not closed
    )
    assignment.pending_extension = pending_extension
    assignment.can_extend = assignment.can_report and pending_extension is None
    assignment.can_notify = manager and not closed
    decides = manager and pending_extension is not None
    assignment.can_act = bool(assignment.can_report or assignment.actions or assignment.can_notify or decides)
    assignment.inline = (
        assignment.can_report or decides or (manager and assignment.status == AssignmentStatus.SUBMITTED)
    )


def _action_context(request, reporting: Assignment | None, deliverables=()) -> dict:
    """What the cards' forms need; the report form of ``reporting`` (the work the user reports on)
    holds what they typed into it before, if it was refused, and offers the task's ``deliverables``."""
    draft = take_report_draft(request.session, reporting.pk) if reporting is not None else {}
    return {
        "grades": NoticeGrade.choices,
        "report_form": ProgressReportForm(
            initial={**_period_asked(request), **draft},
            lead=reporting is not None and reporting.role == AssignmentRole.LEAD,
            deliverables=deliverables,
        ),
        "can_decide": policy.can_manage(request.user),
    }


def _period_asked(request) -> dict:
    """The month a link asks the report form for (a round's, from 我的任务); nothing if it names none."""
    try:
        return {"period": values.month(request.GET["period"], latest=timezone.localdate())}
    except (KeyError, values.BadValue):
        return {}


@login_required
def assignment_panel(request, pk):
    """One assignment's card of actions, opened from the task page's units table (or on its own without htmx)."""
    today, rules = timezone.localdate(), LightRules.from_settings()
    assignments = with_milestone_due(
        with_return_reason(Assignment.objects.visible_to(request.user)), today=today, rules=rules
    )
    assignment = get_object_or_404(assignments.select_related("task__plan", "task__section", "unit"), pk=pk)
    pending = ExtensionRequest.objects.filter(assignment=assignment, status=ExtensionStatus.PENDING).first()
    _with_actions(assignment, request.user, pending, today=today, rules=rules)
    if not assignment.can_act:
        raise PermissionDenied
    template = "tasks/includes/act_card.html" if request.htmx else "tasks/assignment_panel.html"
    milestones = Milestone.objects.filter(task=assignment.task_id).order_by("position")
    return render(
        request,
        template,
        {
            "assignment": assignment,
            "task": assignment.task,
            "undelivered": undelivered(assignment.task_id) if policy.can_manage(request.user) else [],
            **_action_context(request, assignment if assignment.can_report else None, deliverables_of(milestones)),
        },
    )


# The latest events on the task page; all of them, a page at a time, on the timeline page.
TIMELINE_LENGTH = 20
TIMELINE_PAGE = 100
TIMELINE_PAGES = 200
# The rest of the history is on a page of its own.
HISTORY_ON_TASK_PAGE = 10


def _timeline(task: Task, user, length: int = TIMELINE_LENGTH, work: list[int] | None = None) -> dict:
    """The latest events on a task, newest first: reports, status changes, extension requests and
    decisions, notices and instructions. Each source is cut at the timeline's length before merging,
    so a task with thousands of monthly reports costs no more than one with a hundred. ``work``: the
    ids of the task's assignments the user sees, when already loaded.

    Each source is asked for the records of those ids, not of the task through a join: the
    database then reads them off the (assignment, time) indexes, where asked by task it may walk
    the whole platform's records newest first until it has found the task's few."""
    if work is None:
        work = list(Assignment.objects.visible_to(user).filter(task=task).values_list("pk", flat=True))
    # The newest reports' ids from the (assignment, time, id) index alone, then those rows: rather
    # than every report of the task's work read and sorted (a city task's 1,440: 7 → 1 ms).
    newest = ProgressReport.objects.visible_to(user).filter(assignment__in=work).order_by("-created_at", "-pk")
    reports = (
        ProgressReport.objects.filter(pk__in=newest.values("pk")[:length])
        .select_related("assignment__unit", "author")
        .prefetch_related(report_evidence())
        .order_by("-created_at", "-pk")
    )
    changes = (
        StatusChange.objects.visible_to(user)
        .filter(assignment__in=work)
        .select_related("assignment__unit", "actor")
        .order_by("-created_at", "-pk")[:length]
    )
    extensions = list(
        ExtensionRequest.objects.visible_to(user)
        .filter(assignment__in=work)
        .select_related("assignment__unit", "requested_by", "decided_by")
    )
    events = [(r.created_at, "report", r) for r in reports]
    events += [(c.created_at, "status", c) for c in changes]
    events += [(e.created_at, "extension", e) for e in extensions]
    events += [(e.decided_at, "decision", e) for e in extensions if e.decided_at]
    events += [(i.created_at, "instruction", i) for i in instructions_for(user).filter(task=task)]
    notices = list(
        SupervisionNotice.objects.visible_to(user)
        .filter(assignment__in=work)
        .select_related("assignment__unit", "issued_by")
    )
    events += [(n.issued_at, "notice", n) for n in notices]
    escalations = (
        NoticeEscalation.objects.visible_to(user)
        .filter(notice__assignment__in=work)
        .select_related("notice__assignment__unit")
    )
    events += [(e.escalated_at, "escalation", e) for e in escalations]
    completions = list(
        MilestoneCompletion.objects.visible_to(user)
        .filter(milestone__task=task, assignment__in=work)
        .select_related("assignment__unit", "milestone", "done_by")
    )
    events += [(c.done_at, "milestone", c) for c in completions]
    questions = list(
        Question.objects.visible_to(user)
        .filter(assignment__in=work)
        .select_related("assignment__unit", "asked_by", "answered_by")
        # As many as the questions' card shows too: it takes them from here.
        .order_by("-asked_at", "-pk")[: max(length, QUESTIONS_SHOWN + 1)]
    )
    events += [(q.asked_at, "question", q) for q in questions]
    events += [(q.answered_at, "answer", q) for q in questions if q.answered_at]
    events.sort(key=lambda event: event[0], reverse=True)
    return {
        "timeline": events[:length],
        "extensions": extensions,
        "notices": notices,
        "completions": completions,
        "newest_questions": questions,
    }


@login_required
def task_timeline_page(request, pk):
    """Every event of a task, newest first, ``TIMELINE_PAGE`` at a time."""
    task = get_object_or_404(Task.objects.visible_to(request.user).select_related("plan", "section"), pk=pk)
    # Each page reads all newer events again: far pages are not offered.
    number = values.page_number(request.GET.get("page"), last=TIMELINE_PAGES)
    # One event more than the page needs tells whether there are older ones.
    events = _timeline(task, request.user, number * TIMELINE_PAGE + 1)["timeline"]
    context = {
        "task": task,
        "timeline": events[(number - 1) * TIMELINE_PAGE : number * TIMELINE_PAGE],
        "number": number,
        "has_older": len(events) > number * TIMELINE_PAGE,
    }
    return render(request, "tasks/task_timeline.html", context)


@login_required
def task_history_page(request, pk):
    task = get_object_or_404(Task.objects.visible_to(request.user).select_related("plan", "section"), pk=pk)
    page = values.page_of(Paginator(task_history(task, request.user, limit=None), 50), request.GET.get("page"))
    return render(request, "tasks/task_history.html", {"task": task, "page": page})


@login_required
def my_tasks(request):
    if policy.role_of(request.user) != Role.REPORTER:
        raise PermissionDenied
    today, rules = timezone.localdate(), LightRules.from_settings()
    own = Assignment.objects.visible_to(request.user).filter(unit_id=request.user.unit_id)  # not those it leads
    assignments = list(
        with_milestone_due(own, today=today, rules=rules)
        .exclude(status__in=CLOSED_STATUSES)
        .filter(task__withdrawn_at__isnull=True)
        .select_related("task__plan", "task__section")
        .order_by("task__due", "task__plan", "task__position")
    )
    groups = {light: [] for light in URGENCY}
    for assignment in assignments:
        assignment.light = light_of(assignment, today=today, rules=rules)
        groups[assignment.light].append(assignment)
    # One group asked for is shown alone, a page at a time; otherwise each shows its first few.
    asked = values.one_of(request.GET.get("light"), URGENCY)
    page = None
    if asked:
        page = values.page_of(Paginator(groups[asked], MY_TASKS_SHOWN), request.GET.get("page"))
        shown = {asked: (list(page), len(groups[asked]))}
    else:
        shown = {light: (work[:MY_TASKS_SHOWN], len(work)) for light, work in groups.items()}
    _with_my_task_details(request.user, [a for work, _ in shown.values() for a in work], today=today)
    instructions = instructions_for(request.user)[:10]
    owing = [a for a in assignments if a.status in OWING]
    # A round lists the first of the work it still misses; the groups below hold the rest.
    rounds = [
        (reporting_round, missing[:MY_TASKS_SHOWN], len(missing), (reporting_round.deadline - today).days)
        for reporting_round, missing in open_rounds_missing(request.user.unit_id, owing)
    ]
    context = {
        "groups": shown,
        "asked": asked,
        "page": page,
        "count": len(assignments),
        "instructions": instructions,
        "rounds": rounds,
    }
    return render(request, "tasks/my_tasks.html", context)


# 我的任务 shows this many of each group; a group's own page shows it all, so many at a time.
MY_TASKS_SHOWN = 50


def _with_my_task_details(user, assignments: list[Assignment], *, today) -> None:
    """What 我的任务 shows of each assignment besides its light, looked up for those shown only: the
    other units' work where it leads, why its light is what it is, its next milestone not done."""
    upcoming = Milestone.objects.filter(due__gte=today).order_by("due", "position")
    prefetch_related_objects(
        assignments, Prefetch("task__milestones", queryset=upcoming, to_attr="upcoming"), "completions"
    )
    led = [a.task_id for a in assignments if a.role == AssignmentRole.LEAD]
    co_work = work_by_task(user, led, besides_unit_id=user.unit_id) if led else {}
    for assignment in assignments:
        assignment.co_work = co_work.get(assignment.task_id, [])
        assignment.light_facts = facts_of(assignment, today=today)
        done = {completion.milestone_id for completion in assignment.completions.all()}
        assignment.next_milestone = next((m for m in assignment.task.upcoming if m.pk not in done), None)


@login_required
def review_queue(request):
    """Staff's queue (queue.py): submissions to review, a page at a time, several at once; and the
    first of the extension requests and notices waiting for them, with how many there are."""
    if not policy.can_manage(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    page = values.page_of(Paginator(queue.awaiting_review(request.user), 30), request.GET.get("page"))
    # A combined report is reviewed as the task's: beside it, the state of all the task's work.
    whole = work_by_task(request.user, [a.task_id for a in page if a.combined])
    for assignment in page:
        assignment.task_work = whole.get(assignment.task_id, []) if assignment.combined else []
    context = {
        "page": page,
        "counts": queue.queue_counts(request.user, today=today),
        "extensions": queue.extensions_to_decide(request.user)[:QUEUE_SHOWN],
        "answered": queue.notices_answered(request.user)[:QUEUE_SHOWN],
        "unanswered": queue.notices_unanswered(request.user, today=today)[:QUEUE_SHOWN],
        "questions": queue.questions_to_answer(request.user)[:QUEUE_SHOWN],
        "shown": QUEUE_SHOWN,
    }
    return render(request, "tasks/review_queue.html", context)


# The queue shows this many of each kind beside the submissions; the task pages hold the rest.
QUEUE_SHOWN = 50
