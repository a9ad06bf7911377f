import pytest

from cetate.cases.choices import Kind
from cetate.cases.errors import DomainError
from cetate.cases.models import Case, RegistrationCounter
from cetate.contacts.models import AnswerChannel, Contact
from cetate.intake.staff import Caller
from tests.intake.people import register


def test_a_new_caller_with_only_a_phone_is_answered_by_phone(city):
    case = register(city, Caller(name="Maria Ionescu", phone="0745 000 111"))
    assert case.reporter.phone == "+40745000111"
    assert case.reporter.preferred_channel == AnswerChannel.PHONE
    assert case.answer_channel == AnswerChannel.PHONE


def test_a_refused_registration_leaves_no_contact_and_burns_no_number(city):
    with pytest.raises(DomainError):
        register(city, Caller(name="Maria", phone="0745 000 111"), description="  ")
    assert not Contact.objects.filter(phone="+40745000111").exists()
    assert not Case.objects.exists()
    assert not RegistrationCounter.objects.filter(last_number__gt=0).exists()


def test_anonymous_caller_of_a_category_that_needs_a_name_is_refused(city):
    with pytest.raises(DomainError, match="OG 27/2002"):
        register(city, Caller(), category=city.noise)


def test_a_question_answered_on_the_spot_is_closed_at_first_contact(city):
    case = register(
        city,
        Caller(phone="0744123456"),
        kind=Kind.INQUIRY,
        category=None,
        description="Program casierie?",
        answer_on_spot="Luni-vineri 8-16.",
    )
    assert case.status == "closed"
    assert case.answer == "Luni-vineri 8-16."


def test_route_now_sends_the_case_to_the_categorys_department(city):
    case = register(city, Caller(phone="0744123456"), route_now=True)
    assert case.status == "assigned"
    assert case.department == city.technical
