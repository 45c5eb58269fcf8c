"""End-to-end fixtures: the Node Bot API emulator and the real `bangfu run` process.

Both run once per session on 127.0.0.1 (starting the bot costs ~3 s); each test talks as a
different resident, so tests do not share a chat. Both processes are always terminated, and
a failing test shows the bot's log.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.settings import Settings
from handlers.ui.render import render, to_plain
from tests.e2e.client import Resident

E2E_DIR = Path(__file__).resolve().parent
REPO = E2E_DIR.parents[1]
EMULATOR_PACKAGE = E2E_DIR / "node_modules" / "telegram-test-api"
TOKEN = "123456:ABC-test"  # the emulator accepts any token
START_TIMEOUT = 30.0  # emulator listening + bot loading its knowledge base and polling
STOP_TIMEOUT = 10.0
LOG_KEY = pytest.StashKey[Path]()
_user_ids = itertools.count(1001)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Lines:
    """Collects a child's stdout lines in a thread so we can wait for one with a deadline."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            with self._changed:
                self.lines.append(line.rstrip())
                self._changed.notify_all()

    def wait_for(self, prefix: str, timeout: float, alive: list[subprocess.Popen[str]]) -> bool:
        """True once a line starts with `prefix`; False on timeout or if a process died."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not any(line.startswith(prefix) for line in self.lines):
                if time.monotonic() > deadline or any(p.poll() is not None for p in alive):
                    return False
                self._changed.wait(0.1)
        return True


def stop(proc: subprocess.Popen[str]) -> None:
    """SIGTERM (both handle it gracefully), then SIGKILL if it does not exit in time."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(STOP_TIMEOUT)


@dataclass(frozen=True)
class Emulator:
    url: str
    proc: subprocess.Popen[str]
    output: _Lines


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """telegram-test-api on a free port; skips the e2e tests when Node or the package is absent."""
    node = shutil.which("node")
    if node is None or not EMULATOR_PACKAGE.is_dir():
        pytest.skip("e2e: needs `node` and tests/e2e/node_modules (run `make e2e` to install)")
    port = free_port()
    proc = subprocess.Popen([node, "emulator.js", str(port)], cwd=E2E_DIR, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        output = _Lines(proc)
        if not output.wait_for("READY", START_TIMEOUT, [proc]):
            pytest.fail("emulator did not start:\n" + "\n".join(output.lines), pytrace=False)
        yield Emulator(f"http://127.0.0.1:{port}", proc, output)
    finally:
        stop(proc)


def bot_env(emulator_url: str, workdir: Path, token: str = TOKEN) -> dict[str, str]:
    """The environment of a `bangfu` child: only our settings, none inherited from the shell."""
    env = {k: v for k, v in os.environ.items()
           if k.upper() not in {name.upper() for name in Settings.model_fields}}
    env.update(
        TELEGRAM_BOT_TOKEN=token,
        TELEGRAM_API_URL=emulator_url,
        DATABASE_URL=f"sqlite:///{workdir / 'e2e.db'}",
        SEEDS_DIR=str((REPO / ".." / "shared" / "seeds").resolve()),
        LOG_LEVEL="INFO",
    )
    return env


def start_bangfu(args: list[str], workdir: Path, env: dict[str, str],
                 log: Path) -> subprocess.Popen[str]:
    """`bangfu ARGS` from the venv, in `workdir` (so no `.env` in the repo applies)."""
    bangfu = Path(sys.executable).with_name("bangfu")  # the venv's console script
    with log.open("w") as sink:
        return subprocess.Popen([str(bangfu), *args], cwd=workdir, env=env,
                                stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
                                text=True)


@pytest.fixture(scope="session")
def bot_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The running bot's working directory; its database is e2e.db there."""
    return tmp_path_factory.mktemp("bangfu")


@pytest.fixture(scope="session")
def bot(emulator: Emulator, bot_workdir: Path,
        request: pytest.FixtureRequest) -> Iterator[subprocess.Popen[str]]:
    """`bangfu run` against the emulator, from a temp cwd so no `.env` in the repo applies."""
    workdir = bot_workdir
    log = workdir / "bot.log"
    request.config.stash[LOG_KEY] = log
    proc = start_bangfu(["run"], workdir, bot_env(emulator.url, workdir), log)
    try:
        # The emulator prints POLLING on the first getUpdates: handlers are registered by then.
        if not emulator.output.wait_for("POLLING", START_TIMEOUT, [proc, emulator.proc]):
            pytest.fail(f"bot did not start polling (exit code {proc.poll()}):\n"
                        + log.read_text(errors="replace"), pytrace=False)
        yield proc
    finally:
        stop(proc)


@pytest.fixture
def resident(emulator: Emulator, bot: subprocess.Popen[str]) -> Iterator[Resident]:
    """A new resident (fresh user id, so no region or conversation carries over).

    Afterwards, the chat must not contain the error handler's apology: a handler that crashed
    midway can still leave the asserted text behind.
    """
    client = Resident(emulator.url, TOKEN, next(_user_ids))
    try:
        yield client
        apology = to_plain(render("error"))
        assert not [m for m in client.messages() if m.text == apology], "a handler failed"
    finally:
        client.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None],
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Attach the bot's log to every failing e2e test: the traceback is usually in there."""
    report: pytest.TestReport = yield
    log = item.config.stash.get(LOG_KEY, None)
    if report.failed and log is not None and log.exists():
        report.sections.append(("bangfu run log", log.read_text(errors="replace")[-20000:]))
    return report
