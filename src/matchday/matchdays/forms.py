"""Forms of the Match Day pages. They parse input; the services decide."""

from __future__ import annotations

import zoneinfo

from django import forms

from matchday.companies.models import Role
from matchday.matchdays.models import (
    MAX_CANDIDATE_CAP,
    MAX_ROLE_CAP,
    BlindTerm,
    MatchDay,
    MatchDaySchedule,
    Proposal,
)
from matchday.matchdays.selectors import (
    DEFAULT_REVIEW_SORT,
    MISSING_NONE,
    MISSING_SOME,
    ReviewFilters,
)
from matchday.matchdays.services import (
    SWAP_ONE_SIDE,
    UNREVIEWED_APPROVE,
    UNREVIEWED_LEAVE_OUT,
    UNREVIEWED_REJECT,
)
from matchday.talent.models import CandidateProfile

TIMEZONE_CHOICES = [
    (z, z) for z in sorted(zoneinfo.available_timezones()) if "/" in z or z == "UTC"
]


class MatchDayForm(forms.Form):
    name = forms.CharField(max_length=120)
    release_at = forms.DateTimeField(
        label="Release date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="In the time zone below.",
    )
    interest_deadline = forms.DateTimeField(
        label="Interest deadline",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Companies decide before this moment (same time zone).",
    )
    release_timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES, initial="UTC")
    candidate_cap = forms.IntegerField(
        label="K: proposals per candidate", min_value=1, max_value=MAX_CANDIDATE_CAP, initial=3
    )
    role_cap = forms.IntegerField(
        label="M: proposals per role", min_value=1, max_value=MAX_ROLE_CAP, initial=10
    )
    policy = forms.ChoiceField(choices=MatchDay.Policy.choices, initial=MatchDay.Policy.OPTIMAL)

    def cleaned_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        zone = zoneinfo.ZoneInfo(data["release_timezone"])
        for key in ("release_at", "interest_deadline"):
            data[key] = data[key].replace(tzinfo=None).replace(tzinfo=zone)
        return data


class RescheduleForm(forms.Form):
    """New release time and interest deadline, typed in the Match Day's own time zone."""

    release_at = forms.DateTimeField(
        label="Release date and time", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    interest_deadline = forms.DateTimeField(
        label="Interest deadline", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, matchday: MatchDay, **kwargs) -> None:
        self.zone = zoneinfo.ZoneInfo(matchday.release_timezone)
        kwargs.setdefault(
            "initial",
            {
                key: getattr(matchday, key).astimezone(self.zone).strftime("%Y-%m-%dT%H:%M")
                for key in ("release_at", "interest_deadline")
            },
        )
        super().__init__(*args, **kwargs)
        for key in ("release_at", "interest_deadline"):
            self.fields[key].help_text = f"In {matchday.release_timezone}."

    def cleaned_for_service(self) -> dict:
        return {
            key: self.cleaned_data[key].replace(tzinfo=None).replace(tzinfo=self.zone)
            for key in ("release_at", "interest_deadline")
        }


class OpenInterestForm(forms.Form):
    """How to treat the proposals still awaiting review when the interest window opens."""

    unreviewed = forms.ChoiceField(
        label="Proposals still awaiting review",
        widget=forms.RadioSelect,
        choices=[
            (UNREVIEWED_APPROVE, "Approve them all: companies see them"),
            (UNREVIEWED_REJECT, "Reject them all, with the reason below"),
            (
                UNREVIEWED_LEAVE_OUT,
                "Leave them out: they stay awaiting review, companies do not see them",
            ),
        ],
    )
    reason = forms.CharField(
        label="Reason (for rejecting)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


# The largest id a query string may name (a 64-bit primary key); larger is a 400, not a 500.
MAX_ID = 2**63 - 1
SORT_CHOICES = [
    (f"{sign}{key}", f"{label} ({'descending' if sign else 'ascending'})")
    for key, label in (
        ("score", "Score"),
        ("role", "Role"),
        ("company", "Company"),
        ("candidate", "Candidate"),
        ("status", "Status"),
        ("missing", "Missing requirements"),
        ("reviewer", "Reviewer"),
        ("reviewed", "Decided at"),
    )
    for sign in ("-", "")
]
MISSING_CHOICES = [
    ("", "Any"),
    (MISSING_NONE, "None missing"),
    (MISSING_SOME, "Some missing"),
]


def _id_field(label: str, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=MAX_ID, **kwargs)


class ReviewFilterForm(forms.Form):
    """The review table's filters and sort, from the query string (or a bulk form's copy)."""

    role_q = forms.CharField(label="Role or company", required=False, max_length=100)
    candidate_q = forms.CharField(label="Candidate", required=False, max_length=100)
    company = _id_field("Company", widget=forms.Select)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any"), *Proposal.Status.choices]
    )
    min_score = forms.FloatField(label="Score from", required=False, min_value=0, max_value=1)
    max_score = forms.FloatField(label="Score to", required=False, min_value=0, max_value=1)
    missing = forms.ChoiceField(
        label="Missing requirements", required=False, choices=MISSING_CHOICES
    )
    reviewer = _id_field("Reviewer", widget=forms.Select)
    role = _id_field("Role", widget=forms.HiddenInput)
    candidate = _id_field("Candidate", widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        required=False, choices=[("", "Default"), *SORT_CHOICES], widget=forms.HiddenInput
    )

    def __init__(self, *args, companies=(), reviewers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["company"].widget.choices = [("", "Any"), *companies]
        self.fields["reviewer"].widget.choices = [("", "Anyone"), *reviewers]
        for name in ("min_score", "max_score"):
            self.fields[name].widget.attrs.update(step="0.01")

    def filters(self, ids: tuple[int, ...] = ()) -> ReviewFilters:
        d = self.cleaned_data
        return ReviewFilters(
            role_id=d.get("role"),
            candidate_id=d.get("candidate"),
            company_id=d.get("company"),
            role_q=d.get("role_q") or "",
            candidate_q=d.get("candidate_q") or "",
            status=d.get("status") or "",
            min_score=d.get("min_score"),
            max_score=d.get("max_score"),
            missing=d.get("missing") or "",
            reviewer_id=d.get("reviewer"),
            ids=ids,
        )

    def ordering(self) -> str:
        return self.cleaned_data.get("sort") or DEFAULT_REVIEW_SORT

    def params(self) -> list[tuple[str, str]]:
        """The valid, non-empty filter values as (name, value) pairs, to carry them along."""
        out = []
        for name in self.fields:
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                out.append((name, str(value)))
        return out


BULK_SCOPE_SELECTED, BULK_SCOPE_FILTERED = "selected", "filtered"
BULK_MAX_SELECTED = 500
BULK_TOO_MANY = "Select at most {n} proposals at once, or act on all that match the filters."
BULK_NONE_SELECTED = "Select at least one proposal."


BULK_CHOICES = [
    (f"approve-{BULK_SCOPE_SELECTED}", "Approve the selected proposals"),
    (f"reject-{BULK_SCOPE_SELECTED}", "Reject the selected proposals"),
    (f"approve-{BULK_SCOPE_FILTERED}", "Approve every pending proposal that matches"),
    (f"reject-{BULK_SCOPE_FILTERED}", "Reject every pending proposal that matches"),
]


class BulkForm(forms.Form):
    """A bulk approve/reject: the selected rows or everything pending the filters select."""

    do = forms.ChoiceField(choices=BULK_CHOICES)
    ids = forms.CharField(required=False, max_length=BULK_MAX_SELECTED * 21)
    reason = forms.CharField(
        label="Reason", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected = forms.IntegerField(required=False, min_value=0, max_value=MAX_ID)
    confirm = forms.BooleanField(required=False)

    @property
    def action(self) -> str:
        return self.cleaned_data["do"].split("-")[0]

    @property
    def scope(self) -> str:
        return self.cleaned_data["do"].split("-")[1]

    def __init__(self, data=None, *args, **kwargs) -> None:
        if data is not None and hasattr(data, "getlist"):
            # Checkboxes send ids=1&ids=2; the confirmation page sends them back as "1,2".
            data = data.copy()
            data["ids"] = ",".join(data.getlist("ids"))
        super().__init__(data, *args, **kwargs)

    def clean_ids(self) -> tuple[int, ...]:
        parts = [p for p in self.cleaned_data["ids"].split(",") if p.strip()]
        if len(parts) > BULK_MAX_SELECTED:
            raise forms.ValidationError(BULK_TOO_MANY.format(n=BULK_MAX_SELECTED))
        field = forms.IntegerField(min_value=1, max_value=MAX_ID)
        return tuple(sorted({field.clean(p.strip()) for p in parts}))

    def clean(self):
        data = super().clean()
        selected = data.get("do", "").endswith(BULK_SCOPE_SELECTED)
        if selected and not data.get("ids") and not self.errors:
            raise forms.ValidationError(BULK_NONE_SELECTED)
        return data


NO_SUCH_CANDIDATE = "No candidate with id {pk}."
NO_SUCH_ROLE = "No role with id {pk}."


class SwapForm(forms.Form):
    """A pick from the swap picker: a candidate for the proposal's role, or a role for its
    candidate, and why."""

    candidate = _id_field("Candidate")
    role = _id_field("Role")
    reason = forms.CharField(
        label="Why swap?", widget=forms.TextInput(attrs={"list": "swap-reasons"}), max_length=2000
    )

    def _existing(self, name: str, queryset, message: str):
        pk = self.cleaned_data[name]
        if pk is None:
            return None
        found = queryset.filter(pk=pk).first()
        if found is None:
            raise forms.ValidationError(message.format(pk=pk))
        return found

    def clean_candidate(self):
        profiles = CandidateProfile.objects.select_related("user")
        return self._existing("candidate", profiles, NO_SUCH_CANDIDATE)

    def clean_role(self):
        return self._existing("role", Role.objects.select_related("company"), NO_SUCH_ROLE)

    def clean(self):
        data = super().clean()
        sides = (data.get("candidate"), data.get("role"))
        if "candidate" in data and "role" in data and (sides[0] is None) == (sides[1] is None):
            raise forms.ValidationError(SWAP_ONE_SIDE)
        return data


class InterestForm(forms.Form):
    offered_salary = forms.IntegerField(label="Offered salary", min_value=1)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class SwapSearchForm(forms.Form):
    q = forms.CharField(label="Find a candidate by name or email", required=False, max_length=100)


class BlindTermForm(forms.Form):
    term = forms.CharField(max_length=120, label="Word or phrase")
    action = forms.ChoiceField(choices=BlindTerm.Action.choices, initial=BlindTerm.Action.REDACT)


class ScheduleForm(forms.Form):
    """A recurring Match Day's cadence, windows, caps and policy."""

    name = forms.CharField(
        max_length=100, help_text="Each Match Day is named after it and its date."
    )
    weekday = forms.TypedChoiceField(
        label="Release day", coerce=int, choices=MatchDaySchedule.Weekday.choices
    )
    every_weeks = forms.IntegerField(
        label="Every … weeks",
        min_value=1,
        max_value=8,
        initial=2,
        help_text="1 = weekly, 2 = every second week, …",
    )
    release_time = forms.TimeField(
        label="Release time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        initial="10:00",
    )
    timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES, initial="Europe/Berlin")
    starts_on = forms.DateField(
        label="Starting from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The first release is on the first such day from this date.",
    )
    interest_days = forms.IntegerField(
        label="Interest window (days)",
        min_value=1,
        max_value=14,
        initial=3,
        help_text="Companies decide during the days before the release.",
    )
    review_days = forms.IntegerField(
        label="Review (days)",
        min_value=0,
        max_value=14,
        initial=2,
        help_text="Curation runs this many days before the interest window opens.",
    )
    announce_days = forms.IntegerField(
        label="Announce (days before curation)",
        min_value=0,
        max_value=28,
        initial=7,
        help_text="Candidates and companies are told the dates this early.",
    )
    candidate_cap = forms.IntegerField(
        label="K: proposals per candidate", min_value=1, max_value=50, initial=3
    )
    role_cap = forms.IntegerField(
        label="M: proposals per role", min_value=1, max_value=200, initial=10
    )
    policy = forms.ChoiceField(choices=MatchDay.Policy.choices, initial=MatchDay.Policy.OPTIMAL)

    @classmethod
    def for_schedule(cls, schedule: MatchDaySchedule, data=None) -> ScheduleForm:
        initial = {key: getattr(schedule, key) for key in cls.base_fields}
        return cls(data, initial=initial)
