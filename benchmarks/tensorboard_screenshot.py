"""The README's TensorBoard screenshot, made from real runs: nothing drawn by hand.

    python benchmarks/tensorboard_screenshot.py                 # writes docs/images/tensorboard.png
    python benchmarks/tensorboard_screenshot.py --out shot.png --keep runs/

1. ``paradigms sweep reinforcement --grid agent=ppo,dqn --seeds 2 --quick --tensorboard DIR``:
   four runs on CartPole, each writing its own event folder while it learns;
2. ``tensorboard --logdir DIR`` served on localhost (a free port);
3. headless Chromium (Debian's ``chromium`` and ``chromium-driver``, through selenium) opens
   its scalars dashboard, filtered to the learning curve (``eval/mean_reward``) and the
   training episodes' returns (``charts/episodic_return``), and saves a screenshot.

Everything runs on this machine; nothing is fetched from the network (TensorBoard serves its
own page). The load average is printed, since a busy machine makes the runs slower, not different.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from machine_load import load_line

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the page tests' browser: one set of Chromium flags for both
from browser_helpers import BrowserMissing, chromium_driver  # noqa: E402

DEFAULT_OUT = ROOT / "docs" / "images" / "tensorboard.png"
#: The tags the screenshot shows (a regular expression, as TensorBoard's tag filter takes it).
TAGS = "eval/mean_reward|charts/episodic_return"
WINDOW = (1400, 1000)


#: Unticks the dashboard's "Ignore outliers in chart scaling" (inside its web components' shadow roots).
SHOW_OUTLIERS = """
const seen = [];
(function walk(root) {
  for (const el of root.querySelectorAll('*')) {
    if (el.tagName === 'PAPER-CHECKBOX' && el.textContent.includes('Ignore outliers') && el.checked) seen.push(el);
    if (el.shadowRoot) walk(el.shadowRoot);
  }
})(document);
seen.forEach(el => el.click());
return seen.length;
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def learn(logdir: Path) -> None:
    """Four tracked runs, as a user types them."""
    with tempfile.TemporaryDirectory(prefix="sweep-") as out:
        command = [sys.executable, "-m", "paradigms", "sweep", "reinforcement", "--grid", "agent=ppo,dqn",
                   "--seeds", "2", "--quick", "--no-progress", "--tensorboard", str(logdir), "--out", out]
        print("$", " ".join(command[2:]), flush=True)
        subprocess.run(command, cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def serve(logdir: Path, port: int) -> subprocess.Popen:
    """``tensorboard --logdir`` on localhost, once it answers."""
    server = subprocess.Popen(
        [sys.executable, "-m", "tensorboard.main", "--logdir", str(logdir), "--host", "127.0.0.1",
         "--port", str(port), "--reload_interval", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/data/runs", timeout=2) as answer:
                if answer.status == 200 and len(answer.read()) > 2:  # the runs are listed
                    return server
        except OSError:
            pass
        time.sleep(1)
    server.terminate()
    raise SystemExit("tensorboard did not answer within 120 s")


def screenshot(url: str, out: Path) -> None:
    try:
        with chromium_driver(window=WINDOW) as driver:
            _shoot(driver, url, out)
    except BrowserMissing as exc:
        raise SystemExit(str(exc)) from None


def _shoot(driver: Any, url: str, out: Path) -> None:
    """Open the dashboard, wait for its charts, show their outliers, save the screenshot."""
    driver.set_page_load_timeout(120)
    driver.get(url)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:  # the charts are drawn once their data has arrived
        drawn = driver.execute_script(
            "return document.querySelectorAll('canvas, svg path.line, .line-chart').length;")
        if drawn and drawn >= 2:
            break
        time.sleep(1)
    driver.execute_script(SHOW_OUTLIERS)  # CartPole's 500s are the point, not outliers
    time.sleep(5)  # the last chart's lines
    out.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"the PNG to write (default: {DEFAULT_OUT})")
    parser.add_argument("--keep", type=Path, default=None, help="keep the event files in this folder")
    parser.add_argument("--logdir", type=Path, default=None, help="show these event files instead of learning anew")
    args = parser.parse_args()
    print(load_line())
    with tempfile.TemporaryDirectory(prefix="tensorboard-") as tmp:
        logdir = args.logdir or args.keep or Path(tmp) / "runs"
        if args.logdir is None:
            start = time.perf_counter()
            learn(logdir)
            print(f"four runs in {time.perf_counter() - start:.0f} s")
        port = free_port()
        server = serve(logdir, port)
        try:
            url = (f"http://127.0.0.1:{port}/#scalars&tagFilter={urllib.parse.quote(TAGS, safe='')}"
                   "&_smoothingWeight=0.6")
            screenshot(url, args.out)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
