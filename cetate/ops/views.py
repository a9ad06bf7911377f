from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cetate.ops.health import database_status, mail_status, worker_status


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = database_status()
    worker = worker_status() if database["ok"] else {"ok": False}
    mail = mail_status() if database["ok"] else {"ok": False}
    ok = bool(database["ok"] and worker["ok"] and mail["ok"])
    return JsonResponse(
        {
            "status": "ok" if ok else "degraded",
            "database": database,
            "worker": worker,
            "mail": mail,
        },
        status=200 if ok else 503,
    )
