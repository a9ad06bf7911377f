"""The front desk: a walk-in registered with the intake form, scans attached, receipt printed;
and the registry's letters by post, registered with the same form and their register details."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from cetate.accounts.decorators import staff_required
from cetate.cases.choices import Channel
from cetate.cases.uploads import FILES_PER_SUBMISSION
from cetate.console.views.intake import intake_page, keeps_intake_input
from cetate.ops.body_limits import accepts_files


@accepts_files(FILES_PER_SUBMISSION)
@keeps_intake_input
@staff_required
@require_http_methods(["GET", "POST"])
def desk_intake(request: HttpRequest) -> HttpResponse:
    return intake_page(request, channel=Channel.DESK)


@accepts_files(FILES_PER_SUBMISSION)
@keeps_intake_input
@staff_required
@require_http_methods(["GET", "POST"])
def post_intake(request: HttpRequest) -> HttpResponse:
    return intake_page(request, channel=Channel.POST)
