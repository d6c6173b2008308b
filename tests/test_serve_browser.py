"""`rectify serve` in a real browser: headless Chromium driven by Selenium, both from the distribution's packages
(``apt-get install chromium chromium-driver``; .ci/run installs them in CI). Skipped, with the reason, where absent."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed (pip install 'rectifykit[serve]')")
pytest.importorskip("selenium", reason="selenium is not installed (pip install 'rectifykit[test]')")

import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from rectifykit import i18n
from rectifykit.serve.app import Settings, create_app
from support import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = Path("/usr/bin/chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or not DRIVER.is_file(),
    reason="headless Chromium and its driver are not installed (apt-get install chromium chromium-driver)",
)
TODAY = dt.date(2024, 7, 11)
RECORD = Path("data/findings/financial-spending.yaml")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """A server on a copy of the example, on a free loopback port: (address, token, project)."""
    i18n.set_language("zh")
    root = tmp_path / "p"
    shutil.copytree(REPO / "data", root / "data")
    settings = Settings(roots=[root], today=lambda: TODAY)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started)
    yield f"http://127.0.0.1:{port}", settings.token, root
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,1400"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path / "dl")})
    yield driver
    driver.quit()


def wait_for(condition: Callable[[], object], timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def follow(browser: webdriver.Chrome, element: WebElement) -> None:
    """Click a link or a button and wait for the next page (a click returns before the page is there)."""
    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, 30).until(expected_conditions.staleness_of(page))


def field(browser: webdriver.Chrome, name: str) -> WebElement:
    return browser.find_element(By.ID, f"5-{name}")


def test_a_clerk_filters_opens_a_problem_edits_it_uploads_evidence_and_downloads_the_notice(
    served: tuple[str, str, Path], browser: webdriver.Chrome, tmp_path: Path
) -> None:
    base, token, root = served
    browser.get(base + "/")
    assert "拒绝访问" in browser.page_source  # without the token
    browser.get(f"{base}/?token={token}")
    assert "财务支出不规范" in browser.page_source
    assert browser.find_element(By.ID, "summary").is_displayed()

    follow(browser, browser.find_element(By.ID, "nav-problems"))  # the cookie carries the token from here on
    Select(browser.find_element(By.NAME, "state")).select_by_value("in_progress")
    browser.find_element(By.NAME, "q").send_keys("财务")
    follow(browser, browser.find_element(By.ID, "filter"))
    rows = browser.find_elements(By.CSS_SELECTOR, "#items tr")[1:]
    assert [r.find_element(By.TAG_NAME, "a").text for r in rows] == ["financial-spending#5"]
    follow(browser, rows[0].find_element(By.TAG_NAME, "a"))
    assert "财务支出不规范" in browser.find_element(By.TAG_NAME, "h1").text

    before = (root / RECORD).read_text(encoding="utf-8")
    field(browser, "deadline").clear()
    field(browser, "deadline").send_keys("2024-02-30")
    follow(browser, browser.find_element(By.ID, "save-5"))
    message = browser.find_element(By.CSS_SELECTOR, '#item-5 .field-error[data-field="deadline"]').text
    assert "YYYY-MM-DD" in message and "日期" in message
    assert (root / RECORD).read_text(encoding="utf-8") == before  # nothing written

    field(browser, "deadline").clear()
    field(browser, "deadline").send_keys("2024-10-31")
    Select(field(browser, "status")).select_by_value("completed")
    follow(browser, browser.find_element(By.ID, "save-5"))
    assert "已保存" in browser.find_element(By.ID, "saved").text
    after = (root / RECORD).read_text(encoding="utf-8")
    assert "    deadline: 2024-10-31  # illustrative\n" in after and "states: [completed]" in after
    assert after.splitlines()[0] == before.splitlines()[0]  # the file's leading comment
    changed = set(after.splitlines()) ^ set(before.splitlines())
    assert {line.split(":")[0].strip() for line in changed} == {"deadline", "states", "label", "completed_on"}

    proof = tmp_path / "会议纪要.pdf"
    proof.write_bytes(b"%PDF-1.4 minutes")
    browser.find_element(By.ID, "file-5").send_keys(str(proof))
    follow(browser, browser.find_element(By.ID, "upload-5"))
    assert (root / "evidence" / "financial-spending" / "会议纪要.pdf").read_bytes() == b"%PDF-1.4 minutes"
    assert "evidence/financial-spending/会议纪要.pdf" in (root / RECORD).read_text(encoding="utf-8")

    follow(browser, browser.find_element(By.ID, "nav-notice"))
    browser.find_element(By.ID, "dl-notice-docx").click()
    target = tmp_path / "dl" / "notice.docx"
    wait_for(lambda: target.is_file() and target.stat().st_size > 0)
    assert target.read_bytes()[:2] == b"PK"
