"""Pictures of ``rectify serve`` for the README and the user guide (``make screenshots``): the dashboard and a
problem page of the embedded example, in headless Chromium through Selenium (skipped without them).

docs/serve-dashboard.png, docs/serve-problem.png.
"""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2025, 1, 20)
"""A date at which the example has overdue items and items due for review: every colour shows."""
DRIVER = Path("/usr/bin/chromedriver")


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        import uvicorn
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:
        print(f"skipped the server's pictures: {exc.name} is not installed (pip install -e '.[test]')")
        return 0
    if chromium is None or not DRIVER.is_file():
        print("skipped the server's pictures: apt-get install chromium chromium-driver")
        return 0
    from rectifykit import i18n
    from rectifykit.serve.app import Settings, create_app

    i18n.set_language("zh")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "示例县虚构局"
        shutil.copytree(REPO / "data", root / "data")
        settings = Settings(roots=[root], today=lambda: AS_OF)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1500",
                    "--hide-scrollbars", "--force-device-scale-factor=1"):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
        try:
            base = f"http://127.0.0.1:{port}"
            driver.get(f"{base}/?token={settings.token}")
            driver.save_screenshot(str(REPO / "docs" / "serve-dashboard.png"))
            driver.get(f"{base}/u/0/problem/financial-spending")
            driver.save_screenshot(str(REPO / "docs" / "serve-problem.png"))
        finally:
            driver.quit()
            server.should_exit = True
            thread.join(10)
    print("wrote docs/serve-dashboard.png, docs/serve-problem.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
