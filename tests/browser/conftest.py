"""Browser tests: the system Chromium, driven by Playwright, against a live server.

Every page a browser test visits is audited with axe (WCAG 2.1 A and AA) and the test fails on
any serious or critical violation, or when a stylesheet, script, image or font of the page does
not load. The `browse` fixture does both on every page:

- `browse.visit(path)` opens a page, checks its HTTP status and audits it;
- `browse.audit()` audits the page again after an interaction changed it;
- `browse.sign_in(user)` signs in on the staff sign-in page, with the code of the user's
  authenticator app when they have one (and audits every page on the way).

Every audit also fails on any Content-Security-Policy violation the page reported (a
`securitypolicyviolation` event or the browser's "Refused to …" console message), and every
visit on a page without the Content-Security-Policy header.

Chromium is `$CHROMIUM` or `/usr/bin/chromium` (Debian's `chromium` package). Without it the
browser tests skip, saying why; CI refuses such skips (see tests/ci_guard.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import axe_playwright_python  # type: ignore[import-untyped]
import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, Playwright, Request, Response, sync_playwright

from cetate.accounts.models import User
from cetate.accounts.second_factor import confirmed_device
from cetate.test import PASSWORD, current_code

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe-core as axe-playwright-python ships it: loaded once per document, and only the
# violations are sent back (the whole result of every rule is large to pass over).
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
RUN_AXE = """
(options) => axe.run(document, {...options, resultTypes: ["violations"]})
    .then((results) => results.violations)
"""
FAILING_IMPACTS = {"serious", "critical"}

# Violations of Django's own admin templates that our admin/base_site.html and cetate/admin.css
# cannot fix, tolerated on /admin/ pages only: axe rule id -> what in Django's admin breaks it.
# None at present (Django 5.2, axe 4.12). Our own pages are audited with no exceptions.
DJANGO_ADMIN_KNOWN_VIOLATIONS: dict[str, str] = {}

# What a page loads besides itself; the browser's own favicon request is not among these.
SUBRESOURCES = {"stylesheet", "script", "image", "font"}

# A test's navigation waits at most this long (milliseconds).
TIMEOUT_MS = 15_000

# Collects the page's Content-Security-Policy violations, from before its first script runs.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(
    event.violatedDirective + " refused " + (event.blockedURI || "inline") +
    " at " + (event.sourceFile || event.documentURI) + ":" + event.lineNumber
  );
});
"""


def chromium_path() -> str | None:
    """The Chromium executable to drive, or None when there is none."""
    return shutil.which(os.environ.get("CHROMIUM") or "/usr/bin/chromium")


class AccessibilityError(AssertionError):
    pass


def _describe(violations: Iterable[dict[str, Any]], url: str) -> str:
    lines = [f"accessibility violations on {url}:"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            lines.append(f"       {node['html'][:200]}")
            summary = node.get("failureSummary")
            if summary:
                for text in summary.splitlines():
                    lines.append(f"       {text.strip()}")
    return "\n".join(lines)


def audit(page: Page, *, allow: Iterable[str] = ()) -> None:
    """Fail on any serious or critical WCAG 2.1 A/AA violation on the page as it is now.

    `allow` names axe rule ids to tolerate; only admin pages pass Django's known ones.
    """
    allowed = set(allow)
    document = _document_digest(page, allowed)
    if document in _DOCUMENTS_PASSED:
        return
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    violations = page.evaluate(RUN_AXE, {"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    failing = [
        violation
        for violation in violations
        if violation["impact"] in FAILING_IMPACTS and violation["id"] not in allowed
    ]
    if failing:
        raise AccessibilityError(_describe(failing, page.url))
    _DOCUMENTS_PASSED.add(document)


# Documents already found clean in this session, by digest: the sign-in page, a landing page
# or a form met again as it was is not audited again (axe's contrast check takes most of a
# second a page). Same markup, same styles, same viewport: the same result.
_DOCUMENTS_PASSED: set[str] = set()
# What differs between two renderings of one document without changing it.
_PER_REQUEST = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')


def _document_digest(page: Page, allowed: set[str]) -> str:
    markup = _PER_REQUEST.sub(r'\1=""', page.evaluate("document.documentElement.outerHTML"))
    viewport = page.viewport_size
    seen = f"{viewport}|{sorted(allowed)}|{markup}"
    return hashlib.sha256(seen.encode()).hexdigest()


@dataclass
class Browse:
    """One browser tab against the live server; every visit is audited.

    A visit also fails when a stylesheet, script, image or font of the page fails to load: an
    audit of a page without its styles says nothing about the page people see.
    """

    page: Page
    base_url: str
    broken: dict[str, str] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("response", self._check_response)
        self.page.on("requestfailed", self._check_failure)
        self.page.on("console", self._check_console)
        self.page.add_init_script(RECORD_CSP_VIOLATIONS)

    def _check_console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.refused.append(text)

    def _check_response(self, response: Response) -> None:
        if response.request.resource_type in SUBRESOURCES and response.status >= 400:
            self.broken.setdefault(response.url, f"HTTP {response.status}")

    def _check_failure(self, request: Request) -> None:
        if request.resource_type in SUBRESOURCES:
            self.broken.setdefault(request.url, request.failure or "failed")

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def csp_violations(self) -> list[str]:
        """What the Content-Security-Policy refused on the page so far."""
        # Violation events are dispatched as tasks: let the queued ones run first.
        self.page.evaluate("() => new Promise((done) => setTimeout(done, 0))")
        recorded = self.page.evaluate("window.__cspViolations || []")
        return [*self.refused, *recorded]

    def _forget_violations(self) -> None:
        """axe styles elements while it audits, which the policy refuses: not the page's."""
        self.csp_violations()
        self.refused.clear()
        self.page.evaluate("window.__cspViolations = []")

    def audit(self) -> None:
        """Audit the page as it is now: after a click or a submitted form."""
        path = self.page.url.removeprefix(self.base_url.rstrip("/"))
        violations = self.csp_violations()
        if violations:
            raise AssertionError(
                f"{path}: the Content-Security-Policy refused:\n" + "\n".join(violations)
            )
        if self.broken:
            failures = "\n".join(f"  {url}: {why}" for url, why in self.broken.items())
            raise AssertionError(f"{path}: parts of the page did not load:\n{failures}")
        admin_prefix = reverse("admin:index")
        allow = DJANGO_ADMIN_KNOWN_VIOLATIONS if path.startswith(admin_prefix) else {}
        try:
            audit(self.page, allow=allow)
        finally:
            self._forget_violations()

    def visit(self, path: str, *, status: int = 200) -> Response:
        """Open `path`, check the HTTP status, and audit the page."""
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
        assert "content-security-policy" in response.headers, f"{path}: no Content-Security-Policy"
        self.audit()
        return response

    def sign_in(self, user: User, password: str = PASSWORD) -> None:
        """Sign in on the staff sign-in page, from the keyboard, as a person would."""
        self.visit(reverse("login"))
        self.page.locator("input[name=username]").fill(user.get_username())
        self.page.locator("input[name=password]").fill(password)
        with self.page.expect_navigation(wait_until="load"):
            self.page.keyboard.press("Enter")
        errors = self.page.locator(".error")
        assert errors.count() == 0, f"sign-in as {user.get_username()}: {errors.inner_text()}"
        self.audit()
        if self.page.url.split("?")[0].endswith(reverse("login_code")):
            self.enter_code(user)

    def enter_code(self, user: User) -> None:
        """Type the code the user's authenticator app shows now, as a person would."""
        self.page.locator("input[name=code]").fill(fresh_code(user))
        with self.page.expect_navigation(wait_until="load"):
            self.page.keyboard.press("Enter")
        errors = self.page.locator(".error")
        assert errors.count() == 0, f"code of {user.get_username()}: {errors.inner_text()}"
        self.audit()


def fresh_code(user: User) -> str:
    """A code of the user's app that the server has not accepted yet (each is accepted once):
    the current one, or the next when the current one was used by an earlier sign-in."""
    device = confirmed_device(user)
    assert device is not None, f"{user.get_username()} has no authenticator app"
    step = int(time.time() // 30)
    if device.last_t >= step + 1:
        time.sleep(30 - time.time() % 30 + 0.5)
        step += 1
    return current_code(device, steps_ahead=1 if device.last_t >= step else 0)


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Playwright]:
    if chromium_path() is None:
        pytest.skip(
            "Chromium not found: install Debian's `chromium` package "
            "or set CHROMIUM to its executable"
        )
    # Playwright's synchronous API keeps an asyncio loop running in this thread, which Django
    # takes for async code and refuses ORM calls from; the tests themselves are synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright: Playwright) -> Iterator[Browser]:
    executable = chromium_path()
    assert executable is not None
    browser = _playwright.chromium.launch(
        executable_path=executable, headless=True, args=CHROMIUM_FLAGS
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tab with its own cookies, for one test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ro-RO")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _transactional(transactional_db: None) -> None:
    """The live server runs in another thread: it must see committed data."""


@pytest.fixture(autouse=True)
def _no_tile_server(settings: Any) -> None:
    """Maps draw the city's boundary on a plain background: tests reach no tile server."""
    settings.MAP_TILE_URL = ""


@pytest.fixture
def administrator(city: Any) -> User:
    """The administrator persona, who works in Django's admin."""
    admin: User = city.admin
    return admin


@pytest.fixture
def browse(page: Page, live_server: Any) -> Browse:
    return Browse(page=page, base_url=live_server.url)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives Chromium."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
