"""axe-core in a Playwright page: the serious and critical violations, readably."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

SERIOUS = ("serious", "critical")


def axe_violations(page: Page, axe_script: str) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.x A and AA rules and best practices) on the page as it is."""
    # Evaluated through the driver rather than added as a <script>: the app's CSP
    # (script-src 'self') rightly refuses inline scripts, and stays as it is.
    page.evaluate(axe_script + "\n;undefined")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5),
            }));
        }"""
    )
    return list(result)


def serious(violations: list[dict[str, Any]]) -> list[str]:
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['nodes'])}"
        for v in violations
        if v["impact"] in SERIOUS
    ]
