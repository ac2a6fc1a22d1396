"""The HTML report in a real browser: hostile pages run nothing; a screenshot of samples/."""

import json
import re
import shutil
import subprocess

import pytest

from dupdetect.cli import cli

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TEXT = "The council voted on Thursday to build a new bridge over the river by next year. " * 4


@pytest.fixture
def chromium(tmp_path):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian package: chromium)")

    def run(*args):
        profile = tmp_path / "chromium-profile"
        command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    return run


def test_hostile_titles_texts_and_urls_run_no_script(runner, tmp_path, chromium):
    payload = "document.body.setAttribute('data-pwned', 'yes')"
    records = [
        {
            "id": f"evil-{n}",
            "title": f'<img src=x onerror="{payload}"><script>{payload}</script>',
            "url": f"javascript:{payload}",
            "text": f'<script>{payload}</script> <img src=x onerror="{payload}"> {TEXT} {n}',
        }
        for n in range(2)
    ]
    feed = tmp_path / "evil.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records))
    page = tmp_path / "report.html"
    result = runner.invoke(cli, ["cluster", str(feed), "--html", str(page), "-q"])
    assert result.exit_code == 0, result.stderr
    dom = chromium("--dump-dom", page.as_uri()).stdout
    body = re.search(r"<body[^>]*>", dom).group()
    assert 'data-ready="1"' in body  # the report's own script ran, so scripts do run here...
    assert "data-pwned" not in body  # ...and none of the injected ones did
    assert not re.search(r"<img[^>]*onerror", dom)
    assert 'href="javascript:' not in dom


def test_samples_report_shows_the_seed_cluster_and_renders(runner, samples_dir, tmp_path, chromium):
    page = tmp_path / "report.html"
    result = runner.invoke(cli, ["cluster", str(samples_dir), "--html", str(page), "-q"])
    assert result.exit_code == 0
    html = page.read_text()
    first = html.split('<section class="cluster"')[1]
    assert "seeds/000_21f4553dbd84879f.txt" in first and "<mark>" in first
    shot = tmp_path / "report.png"
    chromium("--window-size=1280,1400", f"--screenshot={shot}", page.as_uri())
    assert shot.exists() and shot.stat().st_size > 20_000
