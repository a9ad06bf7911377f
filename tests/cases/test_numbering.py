"""Registration numbers stay gapless and unique when many registrations race."""

import threading

import pytest
from django.db import connection, transaction

from cetate.cases.models import Case, RegistrationCounter
from cetate.cases.numbering import allocate_number
from cetate.test import make_city

WORKERS = 8
PER_WORKER = 50


class Abandoned(Exception):
    """Raised on purpose after a number was taken, to roll the registration back."""


@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_take_each_number_exactly_once():
    city = make_city()
    barrier = threading.Barrier(WORKERS)
    failures: list[BaseException] = []
    abandoned = [0] * WORKERS

    def register(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(PER_WORKER):
                if i % 7 == 3:
                    # A submission that fails after its number was allocated burns none.
                    try:
                        with transaction.atomic():
                            city.report(description=f"w{worker} #{i} abandoned")
                            raise Abandoned
                    except Abandoned:
                        abandoned[worker] += 1
                else:
                    city.report(description=f"w{worker} #{i}")
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(w,)) for w in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    registered = WORKERS * PER_WORKER - sum(abandoned)
    assert sum(abandoned) > 0
    numbers = sorted(Case.objects.values_list("registration_number", flat=True))
    assert numbers == list(range(1, registered + 1))
    assert RegistrationCounter.objects.get().last_number == registered
    assert not Case.objects.filter(description__contains="abandoned").exists()
    # Every case has its history: exactly one creation event, numbered 1.
    assert Case.objects.filter(events__kind="created", events__seq=1).count() == registered


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_a_programming_error():
    with pytest.raises(RuntimeError):
        allocate_number(2026)


@pytest.mark.django_db
def test_each_year_has_its_own_counter():
    with transaction.atomic():
        assert [allocate_number(2026), allocate_number(2026), allocate_number(2027)] == [1, 2, 1]
