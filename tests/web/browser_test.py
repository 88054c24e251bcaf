#!/usr/bin/env python3
"""The `qcode serve` page in real headless Chromium (issue 12, docs/serve.md).

Usage: browser_test.py --list | browser_test.py QCODE_BINARY NAME

Run with /usr/bin/python3 (Debian's python3-selenium, chromium and chromium-driver, as
scripts/bootstrap installs them). Each test serves a fresh project in a temporary
folder, drives the page as a person would (the mouse selects text, the keyboard picks a
code, buttons are clicked), and checks the result through the command line
(`codings export`, `summary show`, `docs show`), never through the page itself.
Offsets are worked out in Python, whose strings index code points.

Screenshots go to $QCODE_SCREENSHOTS (default ./screenshots, which under ctest is in the
build tree). With QCODE_DOCS_IMAGES=DIR, the sample study's reader and chart are also
written there as serve-reader.png and serve-chart.png (for docs/images).
"""

import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "cli"))
sys.path.insert(0, HERE)
import cli_test  # noqa: E402
from cli_test import check  # noqa: E402
from serve_harness import Server  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service as ChromeService  # noqa: E402
from selenium.common.exceptions import (NoAlertPresentException, StaleElementReferenceException,  # noqa: E402
                                        TimeoutException)
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.actions.action_builder import ActionBuilder  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

TESTS = {}
WAIT = 30  # seconds for anything the page or the project should do


def test(fn):
    TESTS[fn.__name__] = fn
    return fn


# The same transcript as api_test.py's: the target phrase follows an emoji (two UTF-16
# units, one code point) and a decomposed accent (e + U+0301, stored as NFC é), CRLF.
UNICODE_TRANSCRIPT = ("---\nid: U1\ncase: K9\nattributes: {group: customer}\n"
                      "speakers: {IV: interviewer, R: K9}\n---\r\n"
                      "IV: How was it? \U0001F600\r\n"
                      "R: The cafe\u0301 was fine. The bus fare was the real barrier.\r\n")

HOSTILE_TRANSCRIPT = ("---\nid: H1\ncase: K8\nspeakers: {IV: interviewer, R: K8}\n---\n"
                      "IV: Anything else? <img src=x onerror=alert(1)>\n"
                      "R: Yes: <script>alert(2)</script> and \"quotes\" & <b>bold</b>.\n")


# --- the browser ----------------------------------------------------------------------------

def screenshots_dir():
    d = os.environ.get("QCODE_SCREENSHOTS") or os.path.join(os.getcwd(), "screenshots")
    os.makedirs(d, exist_ok=True)
    return d


def screenshot(driver, name, docs_name=None):
    path = os.path.join(screenshots_dir(), name + ".png")
    driver.save_screenshot(path)
    docs = os.environ.get("QCODE_DOCS_IMAGES")
    if docs and docs_name:
        os.makedirs(docs, exist_ok=True)
        shutil.copyfile(path, os.path.join(docs, docs_name))
    return path


class Browser:
    """A headless Chromium on the served page, signed in with the token and a coder name."""

    def __init__(self, server, coder):
        opts = webdriver.ChromeOptions()
        for a in ("--headless=new", "--no-sandbox", "--window-size=1400,1000",
                  "--disable-gpu", "--lang=en-GB"):
            opts.add_argument(a)
        opts.binary_location = "/usr/bin/chromium"
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=ChromeService("/usr/bin/chromedriver"),
                                       options=opts)
        self.server = server
        self.base = server.url.split("/?", 1)[0]
        try:
            self.driver.get(server.url)  # sets the cookie, redirects to /
            check(self.driver.current_url.rstrip("/#").endswith(server.host) or
                  "token=" not in self.driver.current_url,
                  f"the token stayed in the address: {self.driver.current_url}")
            inp = self.wait_for("[data-coder-input]")
            self.until(lambda d: inp.is_displayed(), "the coder name is asked the first time")
            inp.send_keys(coder)
            self.driver.find_element(By.CSS_SELECTOR, "[data-coder-save]").click()
            self.until(lambda d: not inp.is_displayed(), "the coder dialog closes")
            self.until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-coder-name]").text == coder,
                       "the header shows the coder")
        except BaseException:
            self.driver.quit()
            raise

    def quit(self):
        self.driver.quit()

    def until(self, condition, what, timeout=WAIT):
        try:
            # The page redraws what changed every poll, so an element found a moment ago
            # may be gone: such a miss is retried, not a failure.
            return WebDriverWait(self.driver, timeout, poll_frequency=0.05,
                                 ignored_exceptions=(StaleElementReferenceException,)).until(condition)
        except TimeoutException:
            screenshot(self.driver, "timeout")
            proc = self.server.proc
            alive = "running" if proc.poll() is None else \
                f"exited {proc.returncode}: {self.server.stderr()[-3000:]}"
            raise cli_test.Failure(f"timed out waiting: {what}; qcode serve: {alive}; "
                                   f"browser log: {self.log()}")

    def wait_for(self, css, what=None):
        return self.until(lambda d: (d.find_elements(By.CSS_SELECTOR, css) or [None])[0],
                          what or f"an element {css}")

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def go(self, hash_path):
        self.driver.get(self.base + "/" + hash_path)

    def log(self):
        return self.driver.get_log("browser")

    def open_document(self, doc, n_codings=None):
        """The reader on `doc`, with its text and (if given) that many highlights shown."""
        self.go("#/doc/" + doc)
        sel = f'[data-text-of="{doc}"]'
        el = self.wait_for(sel, f"the reader's text of {doc}")
        if n_codings is not None:
            self.until(lambda d: self.js(
                "const ids = new Set(); for (const s of arguments[0].querySelectorAll('[data-coding-id]'))"
                " ids.add(s.getAttribute('data-coding-id')); return ids.size;", el) == n_codings,
                f"{n_codings} highlights in {doc}")
        return el

    def drag_select(self, doc, start_u16, end_u16):
        """Selects [start, end) (UTF-16 units in the stored text) with a real mouse drag:
        press in the left half of the first character, release in the right half of the
        last one. Positions come from Range.getClientRects over the text nodes."""
        rects = self.js(GEOMETRY_JS, doc, start_u16, end_u16)
        check(rects, f"no geometry for {doc} {start_u16}:{end_u16}")
        (x1, y1), (x2, y2) = rects
        ab = ActionBuilder(self.driver)
        ab.pointer_action.move_to_location(x1, y1)
        ab.pointer_action.pointer_down()
        ab.pointer_action.move_to_location((x1 + x2) // 2 if y1 == y2 else x1 + 3, y1)
        ab.pointer_action.move_to_location(x2, y2)
        ab.pointer_action.pointer_up()
        ab.perform()

    def picker_selection(self):
        """What the code picker says it will code ("START–END: “TEXT”"): focusing the
        picker's input ends the document selection, so it is read from the picker."""
        box = self.wait_for("[data-picker] .picker-sel", "the code picker after the selection")
        return box.text

    def pick_code(self, typed):
        """The code picker has the focus: type into it and press Enter."""
        self.until(lambda d: d.execute_script(
            "return !!document.activeElement && document.activeElement.matches('[data-code-picker]')"),
            "the code picker has the focus after the selection")
        ActionChains(self.driver).send_keys(typed).perform()
        self.until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-picker] li.active[data-code]"),
                   f"the picker offers a code for {typed!r}")
        active = self.driver.find_element(By.CSS_SELECTOR, "[data-picker] li.active[data-code]")
        offered = active.get_attribute("data-code")
        ActionChains(self.driver).send_keys(Keys.ENTER).perform()
        self.until(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-picker]"), "the picker closes")
        return offered


# [doc, start, end] in UTF-16 units -> [[x, y] just inside the first character's left
# half, [x, y] just inside the last character's right half], in viewport pixels, after
# scrolling the passage into view.
GEOMETRY_JS = r"""
const [doc, start, end] = arguments;
const root = document.querySelector('[data-text-of="' + CSS.escape(doc) + '"]');
if (!root) return null;
function point(u) {
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let seen = 0;
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const len = n.nodeValue.length;
    if (u < seen + len) return [n, u - seen];
    seen += len;
  }
  return null;
}
function charRect(u) {
  const [n, off] = point(u);
  const r = document.createRange();
  const width = (n.nodeValue.codePointAt(off) > 0xffff) ? 2 : 1;
  r.setStart(n, off);
  r.setEnd(n, off + width);
  const rs = [...r.getClientRects()].filter((x) => x.width > 0);
  return rs[rs.length - 1] || r.getBoundingClientRect();
}
let a = charRect(start);
window.scrollBy(0, a.top - window.innerHeight / 3);
a = charRect(start);
const lastIsLow = end >= 2 && /[\uDC00-\uDFFF]/.test(point(end - 1)[0].nodeValue[point(end - 1)[1]]);
const b = charRect(lastIsLow ? end - 2 : end - 1);
return [[Math.round(a.left + Math.min(2, a.width / 4)), Math.round(a.top + a.height / 2)],
        [Math.round(b.right - Math.min(2, b.width / 4)), Math.round(b.top + b.height / 2)]];
"""


def u16(text, cp):
    """A code point offset into text as UTF-16 units (what the DOM counts)."""
    return len(text[:cp].encode("utf-16-le")) // 2


# --- projects and the CLI -------------------------------------------------------------------

def sample_served(env, *extra_transcripts):
    """The sample study (plus the given transcripts as NAME.txt: TEXT), served."""
    env.sample_project()
    for name, text in extra_transcripts:
        env.write(name, text)
        env.ok("-p", "s.qcode", "import", name)
    return Server(env.binary, "s.qcode", env.dir)


def codings(env):
    return json.loads(env.ok("-p", "s.qcode", "codings", "export", "--format", "json").out)


def stored_text(env, doc):
    return env.ok("-p", "s.qcode", "docs", "show", doc, "--format", "text").out


def until_cli(browser, what, condition, timeout=WAIT):
    """Waits until condition() (which asks the CLI) is true; returns its value."""
    return browser.until(lambda d: condition(), what, timeout)


def code_to_type(server):
    """A leaf code and the shortest start of its label that no other code matches (by id,
    label, description or include, as the picker searches), so typing it offers that code."""
    codes = server.api("GET", "/api/framework")["codes"]
    hay = {c["id"]: " ".join(str(c.get(k) or "") for k in ("id", "label", "description", "include")).lower()
           for c in codes}
    for c in codes:
        if not c.get("parent"):
            continue
        words = c["label"].lower().split()
        for n in range(1, len(words) + 1):
            typed = " ".join(words[:n])
            if [i for i, h in hay.items() if all(w in h for w in typed.split())] == [c["id"]]:
                return c["id"], typed
    raise cli_test.Failure("no code has a label part that only it matches")


def no_js_errors(browser, expected=()):
    """No error in the browser's log but the failed requests the test made on purpose
    (`expected`: parts of their network error messages)."""
    bad = [e for e in browser.log() if (e.get("level") == "SEVERE" or
           "Content Security Policy" in e.get("message", "") or
           "Content-Security-Policy" in e.get("message", "")) and
           not (e.get("source") == "network" and any(x in e.get("message", "") for x in expected))]
    check(not bad, f"the browser log has errors: {bad}")


def phrase(text, turn_prefix, nth, words=4):
    """The code point span of `words` words from the middle of the nth line starting with
    turn_prefix (e.g. "R: "), avoiding the first and last words."""
    lines, pos = [], 0
    for line in text.split("\n"):
        if line.startswith(turn_prefix) and len(line.split()) > words + 4:
            lines.append((pos, line))
        pos += len(line) + 1
    at, line = lines[nth % len(lines)]
    ws = line.split(" ")
    i = 3 + (nth * 3) % max(1, len(ws) - words - 5)
    start = at + len(" ".join(ws[:i])) + 1
    end = start + len(" ".join(ws[i:i + words]))
    return start, end


# --- the tests ------------------------------------------------------------------------------

@test
def a_phrase_selected_with_the_mouse_after_an_emoji_and_an_accent_is_coded_exactly(env):
    server = sample_served(env, ("U1.txt", UNICODE_TRANSCRIPT))
    browser = None
    try:
        text = stored_text(env, "U1")
        check("\r" not in text and "caf\u00e9" in text and "\U0001F600" in text, repr(text))
        start = text.index("bus fare")
        end = start + len("bus fare")
        check(u16(text, start) == start + 1, "the emoji is two UTF-16 units before the phrase")
        code, typed = code_to_type(server)
        browser = Browser(server, "mouse-coder")
        el = browser.open_document("U1", 0)
        shown = el.get_attribute("textContent")
        check(shown.rstrip("\n") == text.rstrip("\n"), f"the text element holds {shown!r}, not {text!r}")
        check(len(browser.driver.find_elements(By.CSS_SELECTOR, '[data-text-of="U1"]')) == 1,
              "one text element")
        browser.drag_select("U1", u16(text, start), u16(text, end))
        shown = browser.picker_selection()
        check(shown == f"{start}\u2013{end}: \u201cbus fare\u201d", f"the picker shows {shown!r}")
        offered = browser.pick_code(typed)
        check(offered == code, f"typing {typed!r} offered {offered}, not {code}")
        rows = until_cli(browser, "the coding in codings export",
                         lambda: [r for r in codings(env) if r["doc"] == "U1"])
        check([(r["start"], r["end"], r["code"], r["coder"], r["text"]) for r in rows] ==
              [(start, end, code, "mouse-coder", "bus fare")], rows)
        # The page shows it as one highlight over exactly that text.
        hl = browser.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-text-of="U1"] [data-coding-id]'),
                           "the new highlight")
        check([h.get_attribute("textContent") for h in hl] == ["bus fare"], [h.text for h in hl])
        screenshot(browser.driver, "unicode-coded")
        no_js_errors(browser)
    finally:
        if browser:
            browser.quit()
        server.stop()


@test
def a_highlight_is_uncoded_from_the_page(env):
    server = sample_served(env)
    browser = None
    try:
        doc = server.api("GET", "/api/documents/C01")
        check(doc["codings"], "C01 has codings")
        before = codings(env)
        browser = Browser(server, "uncoder")
        browser.open_document("C01", len(doc["codings"]))
        screenshot(browser.driver, "reader", "serve-reader.png")
        # The shortest coding, whose span is most likely to lie on top.
        target = min(doc["codings"], key=lambda c: c["end"] - c["start"])
        span = browser.driver.find_element(By.CSS_SELECTOR, f'[data-text-of="C01"] [data-coding-id="{target["id"]}"]')
        browser.js("arguments[0].scrollIntoView({block: 'center'})", span)
        span.click()
        button = browser.wait_for(f'[data-coding-panel] [data-uncode="{target["id"]}"]',
                                  "the coding panel's uncode button")
        screenshot(browser.driver, "reader-coding-panel")
        button.click()
        key = lambda r: (r["doc"], r["start"], r["end"], r["code"], r["coder"])  # noqa: E731
        gone = key(dict(target, doc="C01"))
        after = until_cli(browser, "the coding gone from codings export",
                          lambda: (lambda rows: rows if len(rows) == len(before) - 1 else None)(codings(env)))
        check(sorted(map(key, after)) == sorted(k for k in map(key, before) if k != gone) or
              sum(1 for r in before if key(r) == gone) > 1, "exactly that coding was removed")
        check(gone not in map(key, after), f"{gone} is still there")
        browser.until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'[data-coding-id="{target["id"]}"]'),
                      "the highlight disappears")
        log = json.loads(env.ok("-p", "s.qcode", "log", "--format", "json").out)
        check(log[-1].get("coder") == "uncoder", f"the log names the coder: {log[-1]}")
        no_js_errors(browser)
    finally:
        if browser:
            browser.quit()
        server.stop()


@test
def a_chart_summary_written_in_the_page_is_saved(env):
    server = sample_served(env)
    browser = None
    try:
        themes = [c for c in server.api("GET", "/api/framework")["codes"] if not c.get("parent")]
        theme = themes[0]["id"]
        chart = server.api("GET", "/api/chart?theme=" + theme)
        chart = chart[0] if isinstance(chart, list) else chart
        col = chart["columns"][0]["code"]
        row = chart["groups"][0]["rows"][0]["id"]
        browser = Browser(server, "summariser")
        browser.go("#/chart/" + theme)
        browser.wait_for(f'[data-chart="{theme}"]', "the chart")
        ta = browser.wait_for(f'textarea[data-summary-case="{row}"][data-summary-code="{col}"]',
                              "the summary box")
        browser.js("arguments[0].scrollIntoView({block: 'center'})", ta)
        ta.click()
        words = ("Sees the first interview as a \"gateway\" & no longer a caseload \u2014 "
                 "misses knowing customers <well>, as in the r\u00f4le before.")
        ActionChains(browser.driver).send_keys(words).perform()
        rows = until_cli(browser, "the summary in summary show", lambda: [
            s for s in json.loads(env.ok("-p", "s.qcode", "summary", "show", "--format", "json").out)
            if s["case"] == row and s["code"] == col and s["summary"] == words])
        check(rows[0]["author"] == "summariser" and not rows[0]["draft"], f"the author: {rows[0]}")
        browser.until(lambda d: "saved" in d.find_element(
            By.CSS_SELECTOR, f'textarea[data-summary-case="{row}"][data-summary-code="{col}"] ~ [data-summary-meta]').text,
            "the page says saved")
        browser.js("window.scrollTo(0, 0)")
        screenshot(browser.driver, "chart", "serve-chart.png")
        no_js_errors(browser)
    finally:
        if browser:
            browser.quit()
        server.stop()


@test
def the_matrix_view_shows_the_cli_matrix(env):
    server = sample_served(env)
    browser = None
    try:
        m = json.loads(env.ok("-p", "s.qcode", "matrix", "--format", "json").out)
        browser = Browser(server, "reader")
        browser.go("#/matrix")
        table = browser.wait_for("[data-matrix-table]", "the matrix table")
        cells = browser.until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-matrix-cell]"),
                              "matrix cells")
        check(table.is_displayed(), "the matrix is shown")
        shown = {c.get_attribute("data-matrix-cell"): c.text for c in cells}
        want = {f"{r['code']}|{col['id']}": str(v) for r in m["rows"]
                for col, v in zip(m["columns"], r["cells"])}
        check(want and shown == want, f"the page's matrix {shown} is not the CLI's {want}")
        screenshot(browser.driver, "matrix", "serve-matrix.png")
        no_js_errors(browser)
    finally:
        if browser:
            browser.quit()
        server.stop()


@test
def undo_from_the_history_view_restores_the_project(env):
    server = sample_served(env)
    browser = None
    try:
        before = codings(env)
        text = stored_text(env, "C02")
        s, e = phrase(text, "R: ", 2)
        server.api("POST", "/api/codings", coder="someone",
                   body={"doc": "C02", "start": s, "end": e, "code": codes_of(server)[0], "text": text[s:e]})
        check(len(codings(env)) == len(before) + 1, "added")
        browser = Browser(server, "undoer")
        browser.go("#/log")
        # Read and click inside until(): the page redraws the history when it polls, and an
        # element found a moment before may be gone (a stale element is retried).
        top = browser.until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-log-id]").text,
                            "the history")
        check("serve: code C02" in top, f"the newest entry first: {top}")

        def click_undo(d):
            buttons = d.find_elements(By.CSS_SELECTOR, "[data-undo]")
            if not buttons:
                return False
            buttons[0].click()
            return True
        browser.until(click_undo, "the undo button clicked")
        until_cli(browser, "the coding undone", lambda: codings(env) == before)
        browser.until(lambda d: "undone" in d.find_element(By.CSS_SELECTOR, "[data-log-id]").text,
                      "the entry is shown undone")
        log = env.ok("-p", "s.qcode", "log").out
        check("undone" in log or "undo" in log, log)
        no_js_errors(browser)
    finally:
        if browser:
            browser.quit()
        server.stop()


def codes_of(server):
    return [c["id"] for c in server.api("GET", "/api/framework")["codes"] if c.get("parent")]


@test
def a_hostile_transcript_renders_as_text(env):
    server = sample_served(env, ("H1.txt", HOSTILE_TRANSCRIPT))
    browser = None
    try:
        text = stored_text(env, "H1")
        browser = Browser(server, "careful")
        el = browser.open_document("H1", 0)
        content = el.get_attribute("textContent")
        for s in ("<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "<b>bold</b>", "\"quotes\" &"):
            check(s in content, f"{s!r} not shown as text: {content!r}")
        check(content.rstrip("\n") == text.rstrip("\n"), f"{content!r} != {text!r}")
        check(browser.js("return arguments[0].querySelectorAll('img, script, b').length", el) == 0,
              "markup from the transcript became elements")
        check(browser.js("return document.querySelectorAll('img').length") == 0, "an <img> in the page")
        # The documents list shows it too; and a coding of the hostile text works.
        browser.go("#/docs")
        browser.wait_for('[data-doc-row="H1"], [data-doc-link="H1"], [data-doc-row]', "the documents list")
        try:
            alert = browser.driver.switch_to.alert
            raise cli_test.Failure(f"an alert opened: {alert.text}")
        except NoAlertPresentException:
            pass
        no_js_errors(browser)
    finally:
        if browser:
            browser.quit()
        server.stop()


@test
def two_coders_in_two_browsers_lose_nothing(env):
    server = sample_served(env)
    browsers = []
    try:
        before = codings(env)
        code, typed = code_to_type(server)
        docs = {"coder-one": "C01", "coder-two": "C02"}
        texts = {d: stored_text(env, d) for d in docs.values()}
        for name, doc in docs.items():
            b = Browser(server, name)
            browsers.append(b)
            b.open_document(doc, len(server.api("GET", "/api/documents/" + doc)["codings"]))
        made = []
        for i in range(4):
            for b, (name, doc) in zip(browsers, docs.items()):
                text = texts[doc]
                s, e = phrase(text, "R: ", 3 * i + 1)
                b.drag_select(doc, u16(text, s), u16(text, e))
                shown = b.picker_selection()
                check(shown == f"{s}\u2013{e}: \u201c{text[s:e]}\u201d", f"{name}'s picker shows {shown!r}")
                check(b.pick_code(typed) == code, "the picker offered the code")
                made.append((doc, s, e, code, name, text[s:e]))
        for b in browsers:
            no_js_errors(b)
        rows = until_cli(browsers[0], "all the codings in codings export", lambda: (
            lambda rows: rows if len(rows) >= len(before) + len(made) else None)(codings(env)))
        key = lambda r: (r["doc"], r["start"], r["end"], r["code"], r["coder"], r["text"])  # noqa: E731
        got = [key(r) for r in rows if r["coder"] in docs]
        check(sorted(got) == sorted(made), f"made {made}, exported {got}")
        check(len(rows) == len(before) + len(made), "nothing else changed")
        screenshot(browsers[1].driver, "two-coders-ben")
    finally:
        for b in browsers:
            b.quit()
        server.stop()



@test
def two_coders_are_compared_side_by_side(env):
    server = sample_served(env)
    browser = None
    try:
        want = server.api("GET", "/api/disagreements?coders=anna,ben&doc=C01&unit=char")
        check(want, "anna and ben differ somewhere in C01")
        browser = Browser(server, "comparer")
        browser.go("#/doc/C01?compare=anna,ben")
        items = browser.until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-disagreement]"),
                              "the disagreement list")
        check([i.get_attribute("data-disagreement") for i in items] ==
              [f"{d['start']}-{d['end']}" for d in want], "the page lists the API's disagreements")
        # anna's stripes in the left block, ben's in the right one.
        codings = {c["id"]: c["coder"] for c in server.api("GET", "/api/documents/C01")["codings"]}
        lefts = {"anna": [], "ben": []}
        for s in browser.driver.find_elements(By.CSS_SELECTOR, "[data-stripe-coding]"):
            lefts[codings[int(s.get_attribute("data-stripe-coding"))]].append(s.rect["x"])
        check(lefts["anna"] and lefts["ben"] and max(lefts["anna"]) < min(lefts["ben"]),
              f"stripes not side by side: {lefts}")
        screenshot(browser.driver, "compare")
        no_js_errors(browser)
    finally:
        if browser:
            browser.quit()
        server.stop()

# Where the flash over a passage is: the code point under the middle of its first box (by
# caretRangeFromPoint and the page's own offset conversion) and whether the box is on screen.
FLASH_JS = r"""
const [doc] = arguments;
const root = document.querySelector('[data-text-of="' + CSS.escape(doc) + '"]');
const f = document.querySelector('[data-flash]');
if (!root || !f) return null;
const b = f.getBoundingClientRect();
const r = document.caretRangeFromPoint(b.left + Math.min(4, b.width / 2), b.top + b.height / 2);
if (!r) return null;
const u = Q.u16Offset(root, r.startContainer, r.startOffset);
if (u === null) return null;
return {cp: Q.u16ToCp(root.textContent, u), top: b.top, bottom: b.bottom, height: window.innerHeight};
"""


@test
def a_query_runs_opens_its_passages_and_is_saved(env):
    server = sample_served(env)
    browser = None
    try:
        expr = "fta.lever OR choice.informed AND group=customer"
        want = json.loads(env.ok("-p", "s.qcode", "query", expr, "--format", "json").out)["passages"]
        check(len(want) >= 3, f"the sample has passages for {expr}: {want}")
        browser = Browser(server, "asker")
        browser.go("#/query")
        box = browser.wait_for("[data-query-input]", "the query box")
        box.click()
        ActionChains(browser.driver).send_keys(expr).send_keys(Keys.ENTER).perform()
        browser.until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-query-count]").get_attribute(
            "data-query-count") == str(len(want)), f"{len(want)} passages, as the CLI finds")
        items = browser.driver.find_elements(By.CSS_SELECTOR, "[data-query-results] [data-passage]")
        check([i.get_attribute("data-passage") for i in items] ==
              [f"{p['doc']}:{p['start']}-{p['end']}" for p in want], "the CLI's passages, in order")
        docs = len({p["doc"] for p in want})
        heading = browser.driver.find_element(By.CSS_SELECTOR, "[data-query-count]").text
        check(heading.startswith(f"{len(want)} passages in {docs} document"), heading)
        check(want[0]["reference"] in items[0].text, f"the reference: {items[0].text}")

        # Save it under a name: listed in the page and in the project, by this coder.
        browser.wait_for("[data-query-save-as]").click()
        name = browser.wait_for("[data-query-name]")
        browser.until(lambda d: name.is_displayed(), "the name field")
        name.send_keys("lever-or-informed", Keys.ENTER)
        browser.wait_for('[data-saved-query="lever-or-informed"]', "the saved query in the list")
        saved = server.api("GET", "/api/queries")
        check([(q["name"], q["expression"], q["author"]) for q in saved] ==
              [("lever-or-informed", expr, "asker")], saved)
        check("serve: save query lever-or-informed" in env.ok("-p", "s.qcode", "log").out, "logged")
        browser.js("window.scrollTo(0, 0); document.getElementById('note').hidden = true")
        screenshot(browser.driver, "query", "serve-query.png")

        # A result opens the reader with that passage flashed and scrolled into view.
        target = want[len(want) // 2]
        ref = f'[data-passage="{target["doc"]}:{target["start"]}-{target["end"]}"] a.ref'
        browser.js("arguments[0].scrollIntoView({block: 'center'})", browser.wait_for(ref))
        browser.wait_for(ref).click()
        browser.wait_for(f'[data-text-of="{target["doc"]}"]', "the reader")
        at = browser.until(lambda d: self_flash(browser, target["doc"]), "the passage flashed")
        check(target["start"] <= at["cp"] < target["end"], f"the flash is at {at['cp']}, not in {target}")
        check(0 <= at["top"] and at["bottom"] <= at["height"], f"the passage is not on screen: {at}")

        # Back to the view: the query is still there; another change (a saved query from
        # elsewhere) refreshes the list without touching what is being typed.
        browser.driver.back()
        box = browser.wait_for("[data-query-input]")
        browser.until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-query-results] [data-passage]"),
                      "the results again")
        box.click()
        box.send_keys(Keys.END, " AND NOT")
        typed = box.get_attribute("value")
        server.api("PUT", "/api/queries/from-elsewhere", coder="other", body={"expression": "choice"})
        browser.wait_for('[data-saved-query="from-elsewhere"]', "the other saved query, by polling")
        check(box.get_attribute("value") == typed, f"the box lost its text: {box.get_attribute('value')!r}")

        # A bad query: the message, and a caret under the bad column (monospace).
        bad = "fta AND AND choice"
        box.clear()
        box.send_keys(bad, Keys.ENTER)
        err = browser.wait_for("[data-query-error]:not([hidden])", "the error")
        check("before AND" in err.text, err.text)
        caret = browser.driver.find_element(By.CSS_SELECTOR, "[data-query-caret]")
        check(caret.text == bad + "\n" + " " * 8 + "^", repr(caret.text))  # "fta AND " is 8 long
        check("monospace" in browser.js("return getComputedStyle(arguments[0]).fontFamily", caret),
              "the caret box is monospace")
        xs = browser.js(CARET_JS, caret, 8)
        check(abs(xs[0] - xs[1]) < 1, f"the caret is not under the bad AND: {xs}")
        check(not browser.driver.find_elements(By.CSS_SELECTOR, "[data-query-results] [data-passage]"),
              "the earlier query's results are not shown under the error")
        screenshot(browser.driver, "query-error")

        # A saved query fills the box and runs; deleting it removes it from the project.
        browser.driver.find_element(By.CSS_SELECTOR, '[data-run-saved="lever-or-informed"]').click()
        browser.until(lambda d: box.get_attribute("value") == expr, "the box filled")
        browser.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"[data-query-count='{len(want)}']"),
                      "the saved query run")
        check(not browser.driver.find_element(By.CSS_SELECTOR, "[data-query-error]").is_displayed(),
              "the error is gone")
        browser.driver.find_element(By.CSS_SELECTOR, '[data-delete-saved="lever-or-informed"]').click()
        browser.until(lambda d: not d.find_elements(By.CSS_SELECTOR, '[data-saved-query="lever-or-informed"]'),
                      "gone from the list")
        check([q["name"] for q in server.api("GET", "/api/queries")] == ["from-elsewhere"], "deleted")
        no_js_errors(browser, expected=["/api/query?expr=fta+AND+AND+choice - Failed to load resource: "
                                        "the server responded with a status of 400"])
    finally:
        if browser:
            browser.quit()
        server.stop()


def self_flash(browser, doc):
    return browser.js(FLASH_JS, doc)


# The x of the character at index n of a <pre>'s first line and of its caret ('^' on the
# second line), in pixels.
CARET_JS = r"""
const [pre, n] = arguments;
const t = pre.firstChild;
const r = document.createRange();
r.setStart(t, n); r.setEnd(t, n + 1);
const a = r.getBoundingClientRect().left;
const i = t.nodeValue.lastIndexOf('^');
r.setStart(t, i); r.setEnd(t, i + 1);
return [a, r.getBoundingClientRect().left];
"""


if __name__ == "__main__":
    sys.exit(cli_test.main(sys.argv, TESTS, __doc__))
