"""Province scale: the five documents cloned into fake counties (×1, ×5, ×20), and what that
does to start-up, the first question in a region, throughput, memory and the region buttons.

Run: .venv/bin/python benchmarks/scale.py [1 5 20]

Each clone k of a document gets its own region (a county under the same city, or for the
city's document a new city with one district), document id `<id>-x<k>` and item ids under it,
so that ×20 has 6,660 items in about 200 regions (with the cities kept by name only). Every
figure is measured in a fresh process:
  start-up  process start to the first prompt: imports, knowledge base, index, database,
            Application initialised (what `make run` does before the console prompt); the
            first start ever builds everything, a restart reads knowledge/cache.py's files;
            in brackets the restart's CPU seconds, which stay put on a shared, busy machine
  first     the first question asked in each region (the region's view is built then)
  steady    question messages per second through the whole Application (fake Bot API),
            cycling through the 404 tuning questions (so a question comes round again, as
            popular questions do: the matcher's remembered rankings serve some of them)
  unseen    the same, with every question cache cleared before each message
  RSS       resident memory after start-up and after the steady run
Targets at ×20 (issue 11): start-up < 1.5 s, first question < 10 ms, steady >= 500/s,
RSS < 200 MiB, region buttons paginated.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.loader import DATA_DIR, SPECIAL_FILES  # noqa: E402

QUESTIONS = ROOT / "tests" / "cases" / "questions.yaml"
STEADY_MESSAGES = 2000


def _clone_regions(regions: dict, docs: list[dict], times: int) -> dict:
    """regions.yaml with a fake region for every clone of every document."""
    def find(nodes: list[dict], rid: str,
             parent: list[dict] | None = None) -> tuple[dict | None, list[dict] | None]:
        for n in nodes:
            if n["id"] == rid:
                return n, parent
            found = find(n.get("children", []), rid, n.get("children"))
            if found[0] is not None:
                return found
        return None, None

    for k in range(1, times):
        for d in docs:
            rid = d["document"]["jurisdiction"]
            node, _ = find(regions["regions"], rid)
            assert node is not None, rid
            if node["level"] == "city":  # a city document: a new city with one district
                province = next(p for p in regions["regions"]
                                if any(c["id"] == rid for c in p.get("children", [])))
                province["children"].append({
                    "id": f"{rid}-x{k}", "name": f"{node['name']}{k}号", "level": "city",
                    "aliases": [], "children": [{"id": f"{rid}-x{k}-d", "name":
                                                 f"{node['name']}{k}号区", "level": "county"}]})
            else:
                city = next(c for p in regions["regions"] for c in p.get("children", [])
                            if any(n["id"] == rid for n in c.get("children", [])))
                city["children"].append({"id": f"{rid}-x{k}", "name": f"{node['name']}{k}号",
                                         "level": "county", "aliases": []})
    return regions


def build(times: int, into: Path) -> None:
    """A data directory with every document cloned `times` times (×1: the real one)."""
    docs = []
    for path in sorted(DATA_DIR.glob("*.yaml")):
        if path.name in SPECIAL_FILES:
            (into / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        else:
            (into / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
            docs.append(yaml.safe_load(path.read_text(encoding="utf-8")))
    regions = yaml.safe_load((DATA_DIR / "regions.yaml").read_text(encoding="utf-8"))
    (into / "regions.yaml").write_text(
        yaml.safe_dump(_clone_regions(regions, docs, times), allow_unicode=True),
        encoding="utf-8")
    for k in range(1, times):
        for d in docs:
            doc_id = d["document"]["id"]
            text = (DATA_DIR / f"{doc_id}.yaml").read_text(encoding="utf-8")
            text = text.replace(f"id: {doc_id}-", f"id: {doc_id}-x{k}-")  # item ids
            text = text.replace(f"id: {doc_id}\n", f"id: {doc_id}-x{k}\n", 1)
            text = text.replace(f"jurisdiction: {d['document']['jurisdiction']}\n",
                                f"jurisdiction: {d['document']['jurisdiction']}-x{k}\n", 1)
            (into / f"{doc_id}-x{k}.yaml").write_text(text, encoding="utf-8")


_CHILD = r'''
import time, sys, json, resource, asyncio, warnings
t_start = float(sys.argv[1])
sys.path.insert(0, sys.argv[2])
from pathlib import Path
warnings.simplefilter("ignore")
from bot.app import build_application
from bot.offline import OfflineBotAPI
from bot.services import build_services
from bot.settings import Settings
from knowledge.cache import load_indexed
kb, matcher = load_indexed(Path(sys.argv[3]))
settings = Settings(_env_file=None, database_url="sqlite:///" + sys.argv[4])
api = OfflineBotAPI()
app = build_application(build_services(settings, kb=kb, matcher=matcher), request=api)

def rss_now():
    return int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize() / 2**20

async def main():
    await app.initialize()
    ready = time.monotonic() - t_start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_ready = usage.ru_utime + usage.ru_stime  # the same when other processes compete
    rss_ready = rss_now()
    from knowledge.answer import answer
    from knowledge.evaluation import load_cases
    svc = app.bot_data["bangfu.services"]
    first = []
    for region in sorted(r.id for r in kb.regions if kb.has_data_for(r.id)):
        s = time.perf_counter()
        answer("孩子上初中住校一年补多少", region_id=region, kb=kb, matcher=svc.matcher)
        first.append((time.perf_counter() - s) * 1000)
    from bot.offline_chat import OfflineChat
    cases = load_cases(Path(sys.argv[2]) / "tests/cases/questions.yaml")
    chats = {}
    for name in sorted({str(c["region"]) for c in cases}):
        chats[name] = OfflineChat(app, api, user_id=1000 + len(chats))
        await chats[name].send(name)
    asked = [(chats[str(c["region"])], str(c["question"])) for c in cases]
    n = int(sys.argv[5])
    s = time.perf_counter()
    for i in range(n):
        chat, q = asked[i % len(asked)]
        await chat.send(q)
    steady = n / (time.perf_counter() - s)
    from knowledge.matcher import clear_question_caches
    s = time.perf_counter()
    for i in range(n):  # every question as if never asked: no remembered ranking or rewrite
        clear_question_caches(kb, svc.matcher)
        chat, q = asked[i % len(asked)]
        await chat.send(q)
    unseen = n / (time.perf_counter() - s)
    from handlers.ui import keyboards
    widest = max(len(kb.regions.children(c.id)) for c in kb.regions if c.level == "city")
    city = next(c for c in kb.regions if c.level == "city"
                and len(kb.regions.children(c.id)) == widest)
    page = keyboards.counties(kb.regions, city.id, whole_city=True).inline_keyboard
    await app.shutdown()
    first.sort()
    print(json.dumps({"items": len(kb.entries), "regions": len(list(kb.regions)),
                      "ready_s": ready, "cpu_ready_s": cpu_ready, "rss_ready": rss_ready,
                      "first_p50": first[len(first) // 2], "first_max": first[-1],
                      "first_n": len(first), "steady": steady, "unseen": unseen,
                      "rss_end": rss_now(),
                      "rss_peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "widest_city": widest, "buttons_on_page": sum(len(r) for r in page)}))

asyncio.run(main())
'''


def _start(tmp: Path, messages: int) -> dict:
    """One process start over the data in tmp: its figures."""
    env = {**os.environ, "BANGFU_CACHE_DIR": str(tmp / "cache")}
    start = time.monotonic()  # CLOCK_MONOTONIC: the same clock in the child
    out = subprocess.run([sys.executable, "-c", _CHILD, str(start), str(ROOT), str(tmp / "data"),
                          str(tmp / "b.db"), str(messages)],
                         capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(times: int) -> tuple[dict, dict]:
    """The figures for one scale: the first start ever (nothing cached, empty database), then
    a restart (the knowledge cache and the migrated database are there, as after any start)."""
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        (tmp / "data").mkdir()
        build(times, tmp / "data")
        cold = _start(tmp, 10)
        return cold, _start(tmp, STEADY_MESSAGES)


def main() -> None:
    scales = [int(a) for a in sys.argv[1:]] or [1, 5, 20]
    print(f"{'scale':>5} {'items':>6} {'regions':>7} {'first start':>11} {'restart (CPU)':>14} "
          f"{'first q p50/max':>16} {'steady':>8} {'unseen':>7} {'RSS ready/end/peak':>19} "
          f"{'buttons':>8}")
    for times in scales:
        cold, r = measure(times)
        print(f"x{times:<4} {r['items']:>6} {r['regions']:>7} {cold['ready_s']:>10.2f}s "
              f"{r['ready_s']:>6.2f}s ({r['cpu_ready_s']:.2f}s) "
              f"{r['first_p50']:>7.2f}/{r['first_max']:<6.2f}ms "
              f"{r['steady']:>6.0f}/s {r['unseen']:>5.0f}/s "
              f"{r['rss_ready']:>5.0f}/{r['rss_end']:.0f}/"
              f"{r['rss_peak']:<4.0f}MiB {r['buttons_on_page']:>3}/{r['widest_city']:<4}")
    print("targets at x20: start-up < 1.5 s, first question < 10 ms, steady >= 500/s, "
          "RSS < 200 MiB, buttons per page < counties of the widest city")


if __name__ == "__main__":
    main()
