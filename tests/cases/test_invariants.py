"""Random sequences of service calls by random staff never break the register's invariants."""

from contextlib import suppress

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from cetate.cases import services
from cetate.cases.errors import DomainError
from cetate.cases.models import Case
from cetate.cases.workflow import TRANSITIONS, Action
from cetate.test import make_city

PERSONAS = ["dispatcher", "clerk", "officer", "lighting_officer", "head", "supervisor", "admin"]
# The supervisor may do almost anything: weighting it keeps sequences moving through the table.
ACTORS = [*PERSONAS, "supervisor", "supervisor", "officer"]
STEPS = [*Action, "open", "note", "message", "extend"]
LEGAL_MOVES = {(t.action.value, t.source.value, t.target.value) for t in TRANSITIONS}


def apply(city, step, persona, case: Case | None, other: Case | None) -> None:
    actor = getattr(city, persona)
    if step == "open" or case is None:
        city.report(actor=actor)
        return
    if step == "note":
        services.add_note(case_id=case.pk, actor=actor, text="n")
    elif step == "message":
        services.message_resident(case_id=case.pk, actor=actor, text="m")
    elif step == "extend":
        services.extend_deadline(case_id=case.pk, actor=actor, days=10, notice="e")
    elif step == Action.ASSIGN:
        services.assign(case_id=case.pk, actor=actor, department=city.technical)
    elif step == Action.REROUTE:
        services.redirect(case_id=case.pk, actor=actor, to=city.lighting, reason="r")
    elif step == Action.REDIRECT:
        services.redirect(case_id=case.pk, actor=actor, to=city.water_operator, reason="r")
    elif step == Action.MERGE:
        if other is None:
            return
        services.merge(case_id=case.pk, into_case_id=other.pk, actor=actor)
    elif step == Action.REOPEN:
        services.reopen(case_id=case.pk, actor=actor, reason="r")
    elif step == Action.CANCEL:
        services.cancel_registration(case_id=case.pk, actor=actor, reason="r")
    else:
        services.change_status(case_id=case.pk, actor=actor, action=Action(step), text="t")


class RegisterInvariants(TestCase):
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(STEPS),
                st.sampled_from(ACTORS),
                st.integers(min_value=0, max_value=5),
                st.integers(min_value=0, max_value=5),
            ),
            min_size=15,
            max_size=40,
        )
    )
    def test_random_service_calls_keep_the_invariants(self, steps):
        city = make_city()
        for step, persona, pick, pick_other in steps:
            cases = list(Case.objects.order_by("pk"))
            case = cases[pick % len(cases)] if cases else None
            other = cases[pick_other % len(cases)] if cases else None
            # A refusal must have changed nothing, which the checks below verify.
            with suppress(DomainError):
                apply(city, step, persona, case, other)
        self.check_register()

    def check_register(self):
        cases = list(Case.objects.order_by("registration_year", "registration_number"))
        numbers = [c.registration_number for c in cases]
        self.assertEqual(numbers, list(range(1, len(cases) + 1)))
        for case in cases:
            events = list(case.events.order_by("seq"))
            self.assertEqual([e.seq for e in events], list(range(1, len(events) + 1)))
            self.assertEqual(case.last_event_seq, len(events))
            self.assertEqual(events[0].kind, "created")
            self.assertEqual([e.at for e in events], sorted(e.at for e in events))
            status = "new"
            for event in events:
                if event.kind == "status_changed":
                    move = (event.data["action"], event.from_status, event.to_status)
                    self.assertIn(move, LEGAL_MOVES)
                    self.assertEqual(event.from_status, status)
                    status = event.to_status
            self.assertEqual(case.status, status)
            if case.legal_due is not None:
                # The city's own date is never later than the law's.
                assert case.internal_due is not None
                self.assertLessEqual(case.internal_due, case.legal_due)
            if case.status == "merged":
                self.assertIsNotNone(case.merged_into_id)
            if case.status == "redirected":
                self.assertTrue(case.redirected_to.is_external)
