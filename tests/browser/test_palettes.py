"""Light and dark palettes: both readable. Screenshots go to test-artifacts/ for a human look."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_pages import entity_page

pytestmark = pytest.mark.browser

MIN_CONTRAST = 4.5  # WCAG 2 AA for normal-size text

# Text a reader relies on, by CSS selector inside the article: body text, headings, links,
# table cells, the grey meta line under the title and the coloured chips.
SAMPLES = {
    "body text": "article > p:not([class])",
    "heading": "article h1",
    "section heading": "article h2",
    "link": "article td a",
    "table header": "article th",
    "table cell": "article td",
    "meta line": "article .hub-kind",
    "tag chip": "article td .hub-chip",
    "status chip": "article .hub-kind .hub-chip",
}

# Effective colours: each element's text colour over the backgrounds of all its
# ancestors, composited (alpha included) on the canvas; WCAG 2 contrast ratio.
CONTRAST_JS = """
samples => {
  const parse = css => {
    const m = css.match(/rgba?\\(([^)]+)\\)/);
    if (!m) throw new Error('unexpected colour ' + css);
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, below) => {
    const a = top.a + below.a * (1 - top.a);
    const mix = k => (top[k] * top.a + below[k] * below.a * (1 - top.a)) / a;
    return {r: mix('r'), g: mix('g'), b: mix('b'), a};
  };
  const lum = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const out = {};
  for (const [name, selector] of Object.entries(samples)) {
    const el = [...document.querySelectorAll(selector)].find(e => e.getClientRects().length && e.textContent.trim());
    if (!el) { out[name] = null; continue; }
    const chain = [];
    for (let n = el; n; n = n.parentElement) chain.unshift(n);
    let bg = {r: 255, g: 255, b: 255, a: 1};  // the canvas
    for (const n of chain) bg = over(parse(getComputedStyle(n).backgroundColor), bg);
    const fg = over(parse(getComputedStyle(el).color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    out[name] = {ratio: (hi + 0.05) / (lo + 0.05), text: el.textContent.trim().slice(0, 40),
                 fg: getComputedStyle(el).color, bg: `rgb(${bg.r|0}, ${bg.g|0}, ${bg.b|0})`};
  }
  return out;
}
"""


def scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def unreadable(page) -> list[str]:
    found = page.evaluate(CONTRAST_JS, SAMPLES)
    missing = [name for name, v in found.items() if v is None]
    assert not missing, f"nothing to measure for {missing} on this page"
    return [
        f"{name} {v['text']!r}: {v['fg']} on {v['bg']} = {v['ratio']:.2f}:1 (< {MIN_CONTRAST})"
        for name, v in found.items()
        if v["ratio"] < MIN_CONTRAST
    ]


def test_light_and_dark_palettes_are_readable(open_page, example_site: Path, artifacts: Path):
    page_url = entity_page(example_site, "projects").url
    visit = open_page(color_scheme="light")
    visit.goto(page_url)
    page = visit.page
    assert scheme(page) == "default"
    page.screenshot(path=str(artifacts / "palette-light.png"))
    light = unreadable(page)
    light_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")

    # A reader switches with the toggle in the header.
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.wait_for_timeout(300)  # let the palette's colour transitions finish before measuring
    page.screenshot(path=str(artifacts / "palette-dark.png"))
    dark = unreadable(page)
    dark_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")

    assert light_bg != dark_bg, "the toggle did not change the page's colours"
    assert not light + dark, "text below WCAG AA contrast:\n" + "\n".join(
        [f"light: {x}" for x in light] + [f"dark: {x}" for x in dark]
    )
    assert not visit.problems(), "\n".join(visit.problems())


def test_dark_system_preference_opens_in_the_dark_palette(open_page, example_site: Path, artifacts: Path):
    visit = open_page(color_scheme="dark")
    visit.goto("projects/")
    assert scheme(visit.page) == "slate"
    visit.page.screenshot(path=str(artifacts / "projects-dark.png"))
    problems = unreadable_index(visit.page)
    assert not problems, "text below WCAG AA contrast in the dark palette:\n" + "\n".join(problems)


def unreadable_index(page) -> list[str]:
    samples = {k: v for k, v in SAMPLES.items() if k not in ("meta line", "status chip", "section heading")}
    assert samples.keys() - {"tag chip"} <= {k for k, v in page.evaluate(CONTRAST_JS, samples).items() if v}
    found = page.evaluate(CONTRAST_JS, samples)
    return [
        f"{name} {v['text']!r}: {v['fg']} on {v['bg']} = {v['ratio']:.2f}:1"
        for name, v in found.items()
        if v is not None and v["ratio"] < MIN_CONTRAST
    ]
