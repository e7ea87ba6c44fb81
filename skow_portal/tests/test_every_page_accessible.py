"""Every page of the portal, for every role that may open it, as axe-core reads it (WCAG 2.2 AA).

The pages come from the access matrix (test_access_matrix.py): each row a role answers 200 to with
HTML is opened in Chromium, at desktop width (1280 px) and, by resizing the same page, at phone
width (390 px); then its main form is sent empty (a failed submit, with the browser's own checks
off, as a user's typo meets the server's) and the page that comes back is checked again. Any
serious or critical violation, on the whole page (header and footer too), fails the test, named by
page, role, width and rule. A new URL gets a row in the matrix, so it is checked here without
anyone adding it: its path parameters are filled from the matrix's World, as the matrix does.

One browser for all roles; one login per role; a page is checked once per route and role (the
school-B and hidden-case rows of a route show the same template). Error pages (404, 410) are
checked once, as a visitor.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from testing.axe import axe_violations

from .test_access_matrix import ROLES, ROWS, Row, _fill, admin_changelist_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)
HEIGHT = 900
# The roles of the portal, one column of the matrix each; leader_b is the same role as leader_a
# in another school, whose pages show the same templates.
CHECKED_ROLES = [role for role in ROLES if role != "leader_b"]
ROLE_NAMES = {
    "visitor": "visitor (not logged in)",
    "parent": "parent",
    "pupil": "pupil of 16+",
    "staff": "staff member",
    "leader_a": "school leader",
    "council": "(G)MR secretary",
    "board": "board member",
    "admin": "functional admin",
    "aanspreekpunt": "aanspreekpunt pesten",
    "vertrouwenspersoon": "vertrouwenspersoon",
    "aandachtsfunctionaris": "aandachtsfunctionaris meldcode",
}
# The school's role register (WPO art. 4c) makes a staff member one of these: the pages a staff member
# opens too show them the same templates and are checked in the staff member's run; theirs is the rest
# (the cases, the meldcode), which keeps the crawl inside CI's time.
REGISTER_ROLES = {"aanspreekpunt", "vertrouwenspersoon", "aandachtsfunctionaris"}

# The form a failed submit sends: the first POST form of the page's content that is not the
# header's logout or the footer's language switch; its browser checks (required, type=email) off,
# every field it shows emptied, so the server answers with its own messages.
MAIN_FORM_SCRIPT = """(empty) => {
  const forms = [...document.querySelectorAll('main form, #content form')].filter(
    (form) => (form.getAttribute('method') || 'get').toLowerCase() === 'post'
      && form.querySelector('button[type=submit], button:not([type]), input[type=submit]')
      && form.offsetParent !== null);
  const form = forms[0];
  if (!form) return false;
  // The button a person presses: shown, and not hidden from assistive technology (a page may keep a
  // hidden default button first, so that Enter in a field saves; the consent cards do).
  const button = [...form.querySelectorAll('button[type=submit], button:not([type]), input[type=submit]')].find(
    (candidate) => candidate.offsetParent !== null && candidate.getAttribute('aria-hidden') !== 'true'
      && !candidate.classList.contains('visually-hidden') && !candidate.disabled);
  if (!button) return false;
  if (!empty) return true;
  button.setAttribute('data-a11y-submit', '');
  form.noValidate = true;
  for (const field of form.querySelectorAll('input, textarea, select')) {
    if (['hidden', 'submit', 'button'].includes(field.type)) continue;
    if (field.type === 'checkbox' || field.type === 'radio') field.checked = false;
    else if (field.tagName === 'SELECT') field.selectedIndex = -1;
    else if (field.type !== 'file') field.value = '';
  }
  form.setAttribute('data-a11y-main-form', '');
  return true;
}"""


NEXT_FRAME = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"

# Each field in error names its message (WCAG 3.3.1, 1.3.1): aria-invalid, and aria-describedby
# pointing at an element on the page that holds text; a group of radios or boxes on its fieldset.
UNLINKED_ERRORS_SCRIPT = """() => [...document.querySelectorAll('main .is-invalid')].filter((field) => {
  if (!['INPUT', 'SELECT', 'TEXTAREA'].includes(field.tagName) || field.type === 'hidden') return false;
  const holder = field.closest('fieldset[aria-describedby]') || field;
  const ids = (holder.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
  const described = ids.some((id) => {
    const element = document.getElementById(id);
    return element && element.textContent.trim()
      && element.matches('.invalid-feedback, .invalid-feedback *, [id$=_error]');
  });
  return field.getAttribute('aria-invalid') !== 'true' || !described;
}).map((field) => field.name || field.id)"""


@dataclass(frozen=True)
class Page:
    """One route a role may open, with its path filled in."""

    route: str
    url: str

    @property
    def name(self) -> str:
        return f"{self.url} (route /{self.route})"


def pages_for(role: str, world) -> list[Page]:
    """Each route the matrix says ``role`` gets 200 on by GET, once, its parameters filled from the World."""
    column, staff = ROLES.index(role), ROLES.index("staff")
    seen: set[str] = set()
    pages = []
    for entry in ROWS + admin_changelist_rows():
        if entry.method != "get" or entry.expected[column] != 200 or entry.route in seen:
            continue
        if role in REGISTER_ROLES and entry.expected[staff] == 200:
            continue
        seen.add(entry.route)
        pages.append(Page(route=entry.route, url=_url(entry, world)))
    return pages


def error_pages(world) -> list[Page]:
    """One page per error answer a visitor can meet (404, 410), from the first row that gives it."""
    pages = {}
    for entry in ROWS:
        answer = entry.expected[0]
        if entry.method == "get" and answer in (404, 410) and answer not in pages:
            pages[answer] = Page(route=entry.route, url=_url(entry, world))
    return list(pages.values())


def _url(entry: Row, world) -> str:
    url = "/" + entry.route
    for param, name in entry.params.items():
        url = _fill(url, param, world.value(name))
    return url


def _violations(page, *, where: str, role: str) -> list[str]:
    """Lines naming page, role, width and rule, for both widths of the page as it now stands."""
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        page.evaluate(NEXT_FRAME)  # the page's resize handler (portal.js: scroll regions) has run
        for line in axe_violations(page, context="html"):
            found.append(f"{where} — as {ROLE_NAMES[role]} — at {width} px — {line}")
    return found


# The page's structure, which axe-core files under best practice rather than a WCAG level, yet WCAG
# 1.3.1, 2.4.6 and 3.1.1 ask for: one h1, headings in order, one main landmark, the language stated.
# Checked once per page (it does not change with the width), at any impact.
STRUCTURE_RULES = ["page-has-heading-one", "heading-order", "empty-heading", "landmark-one-main", "html-has-lang"]
ANY_IMPACT = ("minor", "moderate", "serious", "critical")


def _structure(page, *, where: str, role: str) -> list[str]:
    return [
        f"{where} — as {ROLE_NAMES[role]} — structure — {line}"
        for line in axe_violations(page, context="html", impacts=ANY_IMPACT, rules=STRUCTURE_RULES)
    ]


def _is_html(page, url: str) -> tuple[int, bool]:
    response = page.request.get(url, max_redirects=0)
    return response.status, response.headers.get("content-type", "").startswith("text/html")


def _check_failed_submit(page, entry: Page, role: str) -> list[str]:
    if not page.evaluate(MAIN_FORM_SCRIPT, True):
        return []
    form = page.locator("form[data-a11y-main-form]")
    button = form.locator("[data-a11y-submit]")
    with page.expect_navigation():
        button.click()
    if page.url.split("?")[0].endswith(entry.url) and page.locator("form").count():
        where = f"{entry.name} after a failed submit"
        unlinked = [
            f"{where} — as {ROLE_NAMES[role]} — field {name!r} is marked in error but its message is not linked "
            '(aria-invalid="true" and aria-describedby naming the message; crispy-forms does both)'
            for name in page.evaluate(UNLINKED_ERRORS_SCRIPT)
        ]
        return unlinked + _violations(page, where=where, role=role)
    return []  # the empty form was accepted (a button-only action): the page it leads to is checked itself


@pytest.mark.parametrize("role", CHECKED_ROLES)
def test_every_page_the_role_may_open_has_no_serious_axe_violation(
    live_server, world, browser, browser_logged_in, role
):
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": HEIGHT})
    page = context.new_page()
    if role != "visitor":
        browser_logged_in(page, world.users[role])
    pages = pages_for(role, world) + (error_pages(world) if role == "visitor" else [])
    found: list[str] = []
    with_form = []
    for entry in pages:
        url = live_server.url + entry.url
        _status, is_html = _is_html(page, url)
        if not is_html:
            continue
        page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
        page.goto(url)
        found += _structure(page, where=entry.name, role=role)
        found += _violations(page, where=entry.name, role=role)
        if page.evaluate(MAIN_FORM_SCRIPT, False):
            with_form.append(entry)
    # The failed submits come after every page was seen as it is: an empty form the server accepts
    # (an action with no fields) changes what later pages show.
    for entry in with_form:
        url = live_server.url + entry.url
        status, _is_page = _is_html(page, url)
        if status != 200:
            continue
        page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
        page.goto(url)
        found += _check_failed_submit(page, entry, role)
    context.close()
    assert not found, (
        f"axe-core finds {len(found)} serious or critical WCAG 2.2 AA violation(s) as {ROLE_NAMES[role]}"
        " (fix them in static/css/portal.css or the template; the rule's help: "
        "https://dequeuniversity.com/rules/axe/):\n  " + "\n  ".join(found)
    )


def test_the_crawl_covers_every_role_and_the_main_pages(world):
    """The crawl is derived from the matrix; this guards against a derivation that finds nothing."""
    routes = {role: {entry.route for entry in pages_for(role, world)} for role in CHECKED_ROLES}
    assert {"", "report/", "protocol/", "help/"} <= routes["visitor"]
    assert "consent/" in routes["parent"]
    assert "protocol/acknowledge/" in routes["staff"]
    assert {"cases/", "cases/<int:pk>/", "cases/<int:case_pk>/measures/new/"} <= routes["leader_a"]
    assert "protocol/drafts/" in routes["council"]
    assert "measures/approvals/" in routes["board"]
    assert "admin/" in routes["admin"]
    assert "cases/<int:pk>/" in routes["vertrouwenspersoon"] and "meldcode/<int:pk>/" in routes["aandachtsfunctionaris"]
    assert "protocol/" not in routes["aanspreekpunt"]  # the staff member's run checks it


def test_a_violation_is_reported_with_page_role_width_and_rule(live_server, page):
    """The check can fail: grey text on white and a field in error without its message are caught."""
    page.goto(f"{live_server.url}/help/")
    page.evaluate(
        """() => {
          const grey = document.createElement('p');
          grey.textContent = 'Lichtgrijze tekst';
          grey.style.color = '#bbbbbb';
          const field = document.createElement('input');
          field.name = 'naam';
          field.className = 'form-control is-invalid';
          document.querySelector('main').append(grey, field);
        }"""
    )
    lines = _violations(page, where="/help/ (route /help/)", role="parent")
    assert any(
        line.startswith("/help/ (route /help/) — as parent — at 390 px — color-contrast (serious)") for line in lines
    ), lines
    assert any("at 1280 px — color-contrast" in line for line in lines)
    assert page.evaluate(UNLINKED_ERRORS_SCRIPT) == ["naam"]
