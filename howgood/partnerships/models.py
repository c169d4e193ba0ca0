"""Partnerships, their agencies and members, invitations, and the programme of activities."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from howgood.core.models import TimeStamped
from howgood.partnerships.roles import Role


class Partnership(TimeStamped):
    """A children's services partnership (community planning partnership area)."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    # Invented data for demonstration; shown with a banner everywhere.
    is_demo = models.BooleanField(default=False)
    suppression_threshold = models.PositiveSmallIntegerField(
        default=5,
        help_text="Counts below this are hidden in anything shared outside the partnership.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return self.name

    @property
    def partnership(self) -> Partnership:  # lets audit.log find the partnership of any target
        return self


class AgencyType(models.TextChoices):
    SOCIAL_WORK = "social_work", "Social work"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    POLICE = "police", "Police"
    REPORTER = "reporter", "Children's Reporter"
    THIRD_SECTOR = "third_sector", "Third sector"
    OTHER = "other", "Other"


class Agency(TimeStamped):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=AgencyType.choices)
    headcount = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Staff who work with children at risk of harm: the denominator for survey response rates.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="agency_name_unique_in_partnership"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return self.name


class Membership(TimeStamped):
    """A person's role in one partnership. One membership (and role) per person per partnership."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["partnership__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership"], name="one_membership_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.partnership})"

    def audit_label(self) -> str:
        return f"{self.user.email} as {self.get_role_display()}"

    def clean(self) -> None:
        if self.agency is not None and self.agency.partnership_id != self.partnership_id:
            raise ValidationError({"agency": "Choose an agency of this partnership."})


class Invitation(TimeStamped):
    """An emailed invitation to join a partnership in a role. The token is stored hashed."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.partnership}"

    def audit_label(self) -> str:
        return f"{self.email} as {self.get_role_display()}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "Accepted"
        if self.revoked_at:
            return "Cancelled"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Pending"

    @property
    def is_open(self) -> bool:
        return self.status == "Pending"


class ActivityType(models.TextChoices):
    SURVEY = "survey", "Survey"
    WORKSHOP = "workshop", "Workshop"
    TRAINING = "training", "Training"
    RECORD_READING = "record_reading", "Record reading"
    REPORTING = "reporting", "Reporting"
    OTHER = "other", "Other"


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Activity(TimeStamped):
    """One activity of the partnership's self-evaluation programme."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=ActivityType.choices)
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )

    class Meta:
        ordering = ["starts_on", "title"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="activity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": "The end date must be the same as or after the start date."}
            )

    @property
    def is_late(self) -> bool:
        return (
            self.status in {ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS}
            and self.ends_on < timezone.localdate()
        )

    @property
    def display_status(self) -> str:
        return "Overdue" if self.is_late else self.get_status_display()


class WorkshopAttendance(models.Model):
    """How many people from one agency attended a workshop (counts, not names)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "agency"], name="one_count_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.count} from {self.agency} at {self.activity}"

    @property
    def partnership(self) -> Partnership:
        return self.activity.partnership


class PersonOrName(models.Model):
    """Somebody who may or may not be a member of HowGood: a membership, or a name (for
    someone who is not one), with their agency. A workshop's participants and a governance
    group's seats are such people."""

    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.membership is not None:
            return self.membership.user.full_name or self.membership.user.email
        return self.name


def named_constraints(parent: str, prefix: str) -> list[models.BaseConstraint]:
    """A member once per ``parent``, a name once per ``parent`` where there is no member, and
    one or the other always."""
    return [
        models.UniqueConstraint(
            fields=[parent, "membership"],
            condition=Q(membership__isnull=False),
            name=f"one_{prefix}_per_member",
        ),
        models.CheckConstraint(
            condition=Q(membership__isnull=False) | ~Q(name=""), name=f"{prefix}_is_named"
        ),
    ]


class WorkshopParticipant(PersonOrName):
    """Somebody who took part in a workshop, by name: a member of HowGood, or a name and an
    agency for someone who is not. Where a workshop's people are named, its counts by agency
    (``WorkshopAttendance``) are worked out from them; "distinct staff who took part" in the
    programme counts each person once however many workshops they came to."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")

    class Meta:
        ordering = ["id"]
        constraints = [
            *named_constraints("activity", "participant"),
            models.UniqueConstraint(
                fields=["activity", "name"],
                condition=Q(membership__isnull=True),
                name="one_participant_per_name",
            ),
        ]

    @property
    def partnership(self) -> Partnership:
        return self.activity.partnership


class TrainingCourse(models.TextChoices):
    """The courses the training register knows. Which one a person took decides what they
    may do in record reading (``READING_COURSES``, ``MODERATION_COURSES``)."""

    RECORD_READING = "record_reading", "Record reading"
    MODERATION = "moderation", "Moderation"
    OTHER = "other", "Other"


# Who may read and who may moderate, by training (their role must also read records: the
# capability "records.read" in roles.py). Moderation training covers reading too: a pair's
# moderator reads the record before reconciling the two readings.
READING_COURSES = frozenset({TrainingCourse.RECORD_READING, TrainingCourse.MODERATION})
MODERATION_COURSES = frozenset({TrainingCourse.MODERATION})


class TrainingRecord(TimeStamped):
    """Somebody trained for record reading or moderation: only people trained for it can be
    paired to read records (see ``READING_COURSES`` and ``MODERATION_COURSES``)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="training_records"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="training_records"
    )
    trained_on = models.DateField()
    trained_by = models.CharField(
        max_length=200,
        help_text="Who delivered the training, for example a Care Inspectorate team.",
    )
    course = models.CharField(
        max_length=20, choices=TrainingCourse.choices, default=TrainingCourse.RECORD_READING
    )
    course_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="What the course was, when it is none of the courses listed.",
    )
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_records",
        help_text="The training session in the programme, if there was one.",
    )

    class Meta:
        ordering = ["-trained_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "course", "course_note", "trained_on"],
                name="one_training_record_per_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} trained {self.trained_on}"

    def clean(self) -> None:
        if self.course == TrainingCourse.OTHER and not self.course_note.strip():
            raise ValidationError({"course_note": "Say what the course was"})

    @property
    def course_name(self) -> str:
        """The course as people read it: the note for "Other"."""
        if self.course == TrainingCourse.OTHER and self.course_note:
            return self.course_note
        return self.get_course_display()

    def audit_label(self) -> str:
        return f"{self.membership.user.email}: {self.course_name} on {self.trained_on}"
