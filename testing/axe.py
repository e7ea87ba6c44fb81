"""Accessibility in the browser tests: axe-core's WCAG 2.2 AA findings on a page."""

from __future__ import annotations

from .services import PROJECT_ROOT

AXE_SOURCE = PROJECT_ROOT / "testing" / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.2 level A and AA, as the rules of axe-core tag them.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(
    page,
    *,
    context: str = "main",
    impacts: tuple[str, ...] = ("serious", "critical"),
    rules: list[str] | None = None,
) -> list[str]:
    """Serious and critical WCAG 2.2 AA violations axe-core finds in ``context`` of the page, as lines.

    ``rules`` runs only those rules (by id) instead of every WCAG 2.2 AA rule, e.g. the structure
    rules axe files under best practice (``heading-order``). The script is evaluated through the
    browser's debugging protocol, so the page's strict CSP (no inline script) is left as it is.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text())
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    result = page.evaluate("([context, runOnly]) => axe.run(context, {runOnly})", [context, run_only])
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        for violation in result["violations"]
        if violation["impact"] in impacts
    ]
