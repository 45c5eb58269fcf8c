"""The syllable table gives what pypinyin gives, so matching without importing it is the same."""

from __future__ import annotations

from knowledge.syllables import TABLE, syllable, table_lines


def test_the_table_is_what_pypinyin_reads_today() -> None:
    assert TABLE.read_text(encoding="utf-8").split("\n")[:-1] == table_lines()


def test_every_character_reads_as_pypinyin_reads_it_alone() -> None:
    from pypinyin import Style, lazy_pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    def reference(ch: str) -> str:
        found = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
        return found[0] if found and found[0].isalpha() else ""

    others = [cp for cp in range(0, 0x40000, 97) if not 0xD800 <= cp < 0xE000]
    for cp in [*pinyin_dict, *others]:
        assert syllable(chr(cp)) == reference(chr(cp)), hex(cp)
    assert [syllable(c) for c in "低保住校a1，"] == ["di", "bao", "zhu", "xiao", "", "", ""]


def test_the_bot_starts_without_importing_pypinyin() -> None:
    import subprocess
    import sys

    code = "import sys, bot.app; print('pypinyin' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
