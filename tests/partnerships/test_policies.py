"""The permission policy every access chokepoint and list goes through
(``howgood.partnerships.policies.ModelPolicy``): the answers it gives for each rule, checked
on real objects of the test partnerships."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from howgood.improvement import access as improvement_access
from howgood.improvement.models import Action, Measure, Phase, Plan
from howgood.partnerships import access as partnership_access
from howgood.partnerships import policies
from howgood.partnerships.models import Agency, Membership
from howgood.partnerships.policies import ModelPolicy
from howgood.questionnaires import access as questionnaires_access
from howgood.questionnaires.models import Questionnaire
from howgood.records import access as records_access
from howgood.records import services as records_services
from howgood.records.models import Case, Exercise
from tests.records.conftest import exercise, ready, template  # noqa: F401 - fixtures


def _member(cast: Any, name: str) -> Membership:
    return Membership.objects.get(user=cast.users[name], partnership=cast.a)


@pytest.fixture
def plan_and_actions(cast: Any) -> tuple[Plan, Action, Action]:
    plan = Plan.objects.create(
        partnership=cast.a, title="Plan A", starts_on=date(2026, 1, 1), ends_on=date(2027, 3, 31)
    )
    owned = Action.objects.create(
        plan=plan, title="Owned by the action owner", owner=_member(cast, "action_owner")
    )
    other = Action.objects.create(plan=plan, title="Owned by the lead", owner=_member(cast, "lead"))
    return plan, owned, other


@pytest.mark.django_db
def test_a_role_with_the_capability_may_act_and_one_without_is_refused(cast: Any) -> None:
    agency = Agency.objects.get(name="A Health")
    agencies = partnership_access.agencies
    found, membership = agencies.get_for(cast.coordinator, agency.pk, "partnership.manage")
    assert (found, membership.role) == (agency, "coordinator")
    with pytest.raises(PermissionDenied):
        agencies.get_for(cast.viewer, agency.pk, "partnership.manage")
    with pytest.raises(Http404):  # outside the outsider's partnership: not even there
        agencies.get_for(cast.outsider, agency.pk, "partnership.view")
    with pytest.raises(Http404):
        agencies.get_for(cast.coordinator, 999_999, "partnership.view")
    assert agencies.user_has_permission_for_instance(cast.lead, "partnership.manage", agency)
    assert not agencies.user_has_permission_for_instance(cast.reader, "partnership.manage", agency)
    assert agencies.user_has_permission(cast.lead, "partnership.manage")
    assert not agencies.user_has_permission(cast.viewer, "partnership.manage")
    assert not agencies.user_has_permission(AnonymousUser(), "partnership.view")


@pytest.mark.django_db
def test_a_list_holds_only_what_the_person_may_act_on(cast: Any) -> None:
    agencies = partnership_access.agencies
    mine = agencies.instances_user_has_permission_for(cast.coordinator, "partnership.manage")
    assert sorted(a.name for a in mine) == ["A Health", "A Police", "A Social Work"]
    assert not agencies.instances_user_has_permission_for(cast.viewer, "partnership.manage")
    outsider = agencies.instances_user_has_permission_for(cast.outsider, "partnership.view")
    assert [a.name for a in outsider] == ["B Social Work"]
    narrowed = agencies.instances_user_has_permission_for(
        cast.outsider, "partnership.view", partnership=cast.a
    )
    assert not narrowed


@pytest.mark.django_db
def test_the_partnership_itself_has_a_policy(cast: Any) -> None:
    policy = partnership_access.partnerships
    found, _ = policy.get_for(cast.viewer, cast.a.pk, "partnership.view")
    assert found == cast.a
    assert [
        p.name for p in policy.instances_user_has_permission_for(cast.lead, "partnership.view")
    ] == ["Partnership A"]
    with pytest.raises(Http404):
        policy.get_for(cast.viewer, cast.b.pk, "partnership.view")


@pytest.mark.django_db
def test_an_owner_may_update_their_own_action_and_a_manager_any(
    cast: Any, plan_and_actions: tuple[Plan, Action, Action]
) -> None:
    _, owned, other = plan_and_actions
    actions = improvement_access.actions
    assert actions.user_has_permission_for_instance(
        cast.action_owner, "improvement.progress", owned
    )
    assert not actions.user_has_permission_for_instance(
        cast.action_owner, "improvement.progress", other
    )
    with pytest.raises(PermissionDenied) as refused:
        actions.get_for(cast.action_owner, other.pk, "improvement.progress")
    assert (
        str(refused.value) == "Only the action's owner, the lead or the QA coordinator can do this."
    )
    assert actions.user_has_permission_for_instance(cast.coordinator, "improvement.progress", other)
    # The owner may not change what was agreed: that is for managers alone.
    assert not actions.user_has_permission_for_instance(
        cast.action_owner, "improvement.manage", owned
    )
    listed = actions.instances_user_has_permission_for(cast.action_owner, "improvement.progress")
    assert [a.title for a in listed] == ["Owned by the action owner"]
    assert actions.instances_user_has_permission_for(cast.lead, "improvement.progress").count() == 2
    # Anyone who may act on something of the kind somewhere, including as its owner.
    assert actions.user_has_permission(cast.action_owner, "improvement.progress")
    assert not actions.user_has_permission(AnonymousUser(), "improvement.progress")


@pytest.mark.django_db
def test_a_phase_follows_its_measures_owner(cast: Any) -> None:
    measure = Measure(partnership=cast.a, owner=_member(cast, "action_owner"))
    phase = Phase(measure=measure, starts_on=date(2026, 3, 1), label="After the change")
    phases = improvement_access.phases
    assert phases.user_has_permission_for_instance(cast.action_owner, "improvement.data", phase)
    assert not phases.user_has_permission_for_instance(cast.contributor, "improvement.data", phase)


@pytest.mark.django_db
def test_a_concern_is_hidden_from_all_but_its_raiser_and_those_who_manage_concerns(
    cast: Any,
    ready: Any,  # noqa: F811
) -> None:
    case = Case.objects.filter(exercise=ready, pair__reader__user=cast.reader).first()
    assert case is not None
    concern = records_services.concern_raise(
        case=case, description="A worry about a child", actor=cast.reader
    )
    concerns = records_access.concerns
    assert concerns.get_for(cast.reader, concern.pk, "concerns.view")[0] == concern
    assert concerns.get_for(cast.lead, concern.pk, "concerns.view")[0] == concern
    with pytest.raises(Http404):  # another reader does not learn it exists
        concerns.get_for(cast.other_reader, concern.pk, "concerns.view")
    with pytest.raises(Http404):
        concerns.get_for(cast.other_reader, concern.pk, "concerns.manage")
    with pytest.raises(PermissionDenied) as refused:  # its raiser sees it but cannot move it on
        concerns.get_for(cast.reader, concern.pk, "concerns.manage")
    assert "Only the lead officer or QA coordinator" in str(refused.value)
    assert [
        c.description
        for c in concerns.instances_user_has_permission_for(cast.reader, "concerns.view")
    ] == ["A worry about a child"]
    assert not concerns.instances_user_has_permission_for(cast.other_reader, "concerns.view")


@pytest.mark.django_db
def test_a_shared_questionnaire_is_read_from_the_partnership_one_works_in_and_never_changed(
    cast: Any,
) -> None:
    shared = Questionnaire.objects.create(title="Shared staff survey", kind="survey")
    own = Questionnaire.objects.create(title="A's own survey", kind="survey", partnership=cast.a)
    policy = questionnaires_access.questionnaires
    found, membership = policy.get_for(
        cast.coordinator, shared.pk, "questionnaires.view", within=cast.a
    )
    assert (found, membership.partnership) == (shared, cast.a)
    with pytest.raises(PermissionDenied) as refused:
        policy.get_for(cast.coordinator, shared.pk, "questionnaires.change", within=cast.a)
    assert str(refused.value) == questionnaires_access.SHARED_REFUSED
    assert (
        policy.get_for(cast.coordinator, own.pk, "questionnaires.change", within=cast.a)[0] == own
    )
    with pytest.raises(PermissionDenied):  # a role that may not see questionnaires at all
        policy.get_for(cast.viewer, shared.pk, "questionnaires.view", within=cast.a)
    with pytest.raises(Http404):  # working in no partnership
        policy.get_for(cast.coordinator, shared.pk, "questionnaires.view")
    with pytest.raises(Http404):  # the outsider cannot see A's own
        policy.get_for(cast.outsider, own.pk, "questionnaires.view", within=cast.b)
    seen = policy.instances_user_has_permission_for(
        cast.coordinator, "questionnaires.view", partnership=cast.a
    )
    assert sorted(q.title for q in seen) == ["A's own survey", "Shared staff survey"]
    changeable = policy.instances_user_has_permission_for(cast.coordinator, "questionnaires.change")
    assert [q.title for q in changeable] == ["A's own survey"]
    assert not policy.instances_user_has_permission_for(cast.viewer, "questionnaires.view")


def test_a_policy_refuses_an_action_that_is_not_a_capability() -> None:
    with pytest.raises(KeyError):
        ModelPolicy(Agency, owner_may={"agency.own"}, owners=("owner",))
    with pytest.raises(ValueError, match="owners"):
        ModelPolicy(Agency, owner_may={"partnership.manage"})


@pytest.mark.django_db
def test_checking_an_unknown_action_is_an_error_not_a_refusal(cast: Any) -> None:
    agency = Agency.objects.get(name="A Health")
    with pytest.raises(KeyError):
        partnership_access.agencies.check(cast.lead, "agency.delete", agency)


@pytest.mark.django_db
def test_an_owner_only_action_needs_the_condition_as_well(cast: Any) -> None:
    members = ModelPolicy(
        Membership,
        owners=("user",),
        owner_is_user=True,
        owner_only={"members.view"},
        owner_where=(Q(is_active=True), lambda m: m.is_active),
    )
    own = _member(cast, "viewer")
    assert not members.user_has_permission_for_instance(cast.viewer, "members.view", own)  # role
    mine = _member(cast, "coordinator")
    assert members.get_for(cast.coordinator, mine.pk, "members.view")[0] == mine
    with pytest.raises(Http404):  # not theirs
        members.get_for(cast.coordinator, own.pk, "members.view")
    listed = members.instances_user_has_permission_for(cast.coordinator, "members.view")
    assert list(listed) == [mine]
    mine.is_active = False
    with pytest.raises(Http404):
        members.check(cast.coordinator, "members.view", mine)
    assert policies.object_pk("12") == 12
    # A record not yet given to a pair has no reader to own it.
    unassigned = Case(exercise=Exercise(partnership=cast.a), sample_status="sampled")
    with pytest.raises(Http404):
        records_access.cases.check(cast.reader, "records.read", unassigned)
    anyone_active = ModelPolicy(
        Membership, owners=("user",), owner_is_user=True, owner_only={"members.view"}
    )
    assert list(anyone_active.instances_user_has_permission_for(cast.lead, "members.view")) == [
        _member(cast, "lead")
    ]
