#!/usr/bin/env python3
"""Drives headless Chromium over its DevTools pipe through the spscan web page, as a person would.

Usage: drive.py BASE_URL ARTIFACT_DIR
Loads the matrix, applies a filter with the form, opens a competency from the matrix, accepts a tag with its
button, opens the document and the scans page, and prints what each page showed as one JSON object; screenshots go to ARTIFACT_DIR. The pipe
(--remote-debugging-pipe: commands on fd 3, answers on fd 4, NUL-terminated JSON) needs no WebSocket library.
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import zipfile


class Browser:
    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="spscan-chromium-")
        to_chrome_read, to_chrome_write = os.pipe()
        from_chrome_read, from_chrome_write = os.pipe()

        def wire():
            # Chromium reads commands on fd 3 and answers on fd 4; the pipes' own numbers may be anything.
            # Duplicate both above the range first, so that placing one cannot close the other.
            read_copy = os.dup(to_chrome_read) if to_chrome_read != 3 else 3
            write_copy = os.dup(from_chrome_write)
            if read_copy != 3:
                os.dup2(read_copy, 3)
            os.dup2(write_copy, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--remote-debugging-pipe", "--user-data-dir=" + self.profile, "--window-size=1280,900", "about:blank"],
            close_fds=False, preexec_fn=wire,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_read)
        os.close(from_chrome_write)
        self.out = to_chrome_write
        self.inp = from_chrome_read
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.out, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def read(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.inp, 65536)
            if not chunk:
                raise RuntimeError("Chromium closed its DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for_load(self):
        while True:
            for index, event in enumerate(self.events):
                if event.get("method") == "Page.loadEventFired":
                    del self.events[: index + 1]
                    return
            self.events.append(self.read())

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def act(self, expression):
        """Runs an action that navigates (a submit, a click) and waits for the next page to load."""
        self.events = [e for e in self.events if e.get("method") != "Page.loadEventFired"]
        self.evaluate(expression)
        self.wait_for_load()

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))

    def layout(self, width, path):
        """Shows the page at `width` CSS pixels and says whether the body scrolls sideways (it must not)."""
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
        self.screenshot(path)
        overflow = self.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if overflow[0] > overflow[1]:
            # Name the element that sticks out furthest, so that a failure says what to fix.
            overflow.append(self.evaluate(
                "(() => { let widest = null, right = 0;"
                " for (const e of document.body.querySelectorAll('*')) {"
                "  const r = e.getBoundingClientRect().right; if (r > right) { right = r; widest = e; } }"
                " return widest ? widest.tagName + '.' + widest.className + ' ' + (widest.textContent || '').slice(0, 40) : ''; })()"))
        self.send("Emulation.clearDeviceMetricsOverride")
        return overflow

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    base, artifacts = sys.argv[1], sys.argv[2]
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    os.makedirs(artifacts, exist_ok=True)
    browser = Browser(binary)
    seen = {}
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        browser.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        browser.send("Page.enable")
        browser.send("Page.setBypassCSP", {"enabled": True})
        browser.send("Page.navigate", {"url": base + "/"})
        browser.wait_for_load()
        seen["matrix_caption"] = browser.evaluate("document.querySelector('table.heatmap caption').textContent")

        # Apply a filter the way a person does: choose in the selects, press Apply.
        browser.act(
            "document.getElementById('f-rows').value='country';"
            "document.getElementById('f-cols').value='competency';"
            "document.getElementById('f-country').value='GB';"
            "document.querySelector('form[action=\"/\"] button[type=submit]').click()")
        seen["filtered_query"] = browser.evaluate("location.search")
        seen["filtered_rows"] = browser.evaluate(
            "[...document.querySelectorAll('table.heatmap tbody th[scope=row]')].map(th => th.textContent)")
        browser.screenshot(os.path.join(artifacts, "web-matrix.png"))

        # Open a competency from its column header.
        browser.act("document.querySelector('thead a[href=\"/competencies/IS-5?country=GB\"]').click()")
        seen["competency_title"] = browser.evaluate("document.querySelector('h1').textContent")
        seen["marks"] = browser.evaluate("[...document.querySelectorAll('mark')].map(m => m.textContent)")

        # Accept a tag with its button (a POST form), which comes back to the same page.
        browser.act("document.querySelector('button[aria-label=\"Accept IS-5 for gb-guide\"]').click()")
        seen["after_accept_path"] = browser.evaluate("location.pathname")
        seen["after_accept_text"] = browser.evaluate("document.querySelector('main').innerText")
        browser.screenshot(os.path.join(artifacts, "web-competency.png"))

        # Give a name, reject with it, see the struck-through entry, then undo.
        browser.act(
            "document.getElementById('reviewer-name').value='Ana Lima';"
            "document.querySelector('form.reviewer button').click()")
        seen["reviewer_field"] = browser.evaluate("document.getElementById('reviewer-name').value")
        browser.act("document.querySelector('button[aria-label=\"Reject IS-5 for gb-guide\"]').click()")
        seen["rejected_entry"] = browser.evaluate("document.querySelector('ul.rejected li').textContent")
        seen["rejected_struck"] = browser.evaluate("document.querySelectorAll('ul.rejected del').length")
        browser.act("document.querySelector('ul.rejected button[aria-label=\"Undo IS-5 for gb-guide\"]').click()")
        seen["after_undo_rejected"] = browser.evaluate("document.querySelectorAll('ul.rejected li').length")
        browser.act("document.querySelector('button[aria-label=\"Accept IS-5 for gb-guide\"]').click()")

        # The document the decision was about, and the scans page, for a person to look at.
        browser.act("document.querySelector('a[href=\"/documents/gb-guide\"]').click()")
        seen["document_reviews"] = browser.evaluate(
            "[...document.querySelectorAll('main li')].map(li => li.textContent).filter(t => t.startsWith('IS-5'))")
        browser.screenshot(os.path.join(artifacts, "web-document.png"))
        browser.act("document.querySelector('nav a[href=\"/scans\"]').click()")
        browser.screenshot(os.path.join(artifacts, "web-scans.png"))

        # The gaps, from the navigation, by country; follow the first gap of one row to its documents.
        browser.act("document.querySelector('nav a[href=\"/gaps\"]').click()")
        seen["gaps_intro"] = browser.evaluate("document.querySelector('main p').textContent")
        browser.act(
            "document.getElementById('f-rows').value='country';"
            "document.querySelector('form[action=\"/gaps\"] button[type=submit]').click()")
        # Every download the page offers, fetched as a browser saves it; the workbook opened as the zip it is.
        seen["downloads"] = {}
        for href in browser.evaluate("[...document.querySelectorAll('p.downloads a')].map(a => a.getAttribute('href'))"):
            name = href.split("?")[0].rsplit("/", 1)[-1]
            with urllib.request.urlopen(base + href) as response:
                data = response.read()
            path = os.path.join(artifacts, "download-" + name)
            with open(path, "wb") as file:
                file.write(data)
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(path) as workbook:
                    sheets = workbook.read("xl/workbook.xml").decode()
                    names = [part.split('"')[0] for part in sheets.split('<sheet name="')[1:]]
                    last = workbook.read(f"xl/worksheets/sheet{len(names)}.xml").decode()
                seen["downloads"][name] = {"sheets": names, "provenance_sheet": last}
            else:
                seen["downloads"][name] = data.decode()
        seen["gap_text"] = browser.evaluate(
            "document.querySelector('ol.gaps li[data-kind=\"empty-cell\"] a').textContent")
        browser.act("document.querySelector('ol.gaps li[data-kind=\"empty-cell\"] a').click()")
        seen["gap_target"] = browser.evaluate("location.pathname + location.search")
        seen["gap_target_heading"] = browser.evaluate("document.querySelector('main h2').textContent")

        # Find a competency by a word of its name, from the search box.
        browser.act(
            "document.getElementById('q').value='volunteers';"
            "document.querySelector('form[role=search] button').click()")
        browser.act("document.querySelector('ul.found-competencies a').click()")
        seen["found_competency"] = browser.evaluate("document.querySelector('h1').textContent")

        # Each page at a desktop and a phone width, with no sideways scroll of the page itself.
        seen["layout"] = {}
        for name, path in [("matrix", "/"), ("bubbles", "/?view=bubbles"), ("gaps", "/gaps"),
                           ("competencies", "/competencies"), ("competency", "/competencies/IS-5"),
                           ("document", "/documents/ca-course"), ("scans", "/scans"), ("search", "/search?q=refer")]:
            browser.send("Page.navigate", {"url": base + path})
            browser.wait_for_load()
            for width in (1400, 390):
                seen["layout"][f"{name}-{width}"] = browser.layout(
                    width, os.path.join(artifacts, f"web-{name}-{width}.png"))
    finally:
        browser.close()
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
