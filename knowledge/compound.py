"""Questions that ask several things: split into parts, and find every item each part asks.

A part is a clause that asks something, together with the clauses that only set the scene
(孩子在读高中，住宿费跟课本费都能免吗 -> one part with its context). Inside a part that
enumerates (A和B, X、Y、Z, 各多少) the items are found by explaining away: the best item covers
the words it shares with the part, and what is left must be explained by another item, which
needs words of its own and a confident score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise

from knowledge.intent import (
    AMOUNT_CUES,
    OFTEN_CUES,
    WHEN_CUES,
    is_question_clause,
    wants_each,
    without_indefinites,
)
from knowledge.matcher import Match, Matcher, entry_words
from knowledge.text import compact, normalize
from knowledge.vocabulary import stages_named

# Clause breaks: punctuation, spaces and joining words (还有, but not 还有没有: an A-not-A ask)
_CLAUSES_KEPT = re.compile(r"(?<=[,，。.?？!！;；\s])")  # splits after each break, keeping it
# 另外, 此外, 顺便问一下 after a question: what follows is a new question with its own scene
# (白内障能给治不？另外她儿子有精神病，这个咋帮)
_NEW_TOPIC = re.compile(r"另外|此外|顺便问一下|顺便问|再问")
_CLAUSES = re.compile(r"[,，。.?？!！;；\s]+|还有(?![没不])|以及|同时|" + _NEW_TOPIC.pattern)
# Words joining the members of an enumeration: 及 is left out (及时); Cantonese 同 (= 和) only
# where it is not part of 同学, 不同, 同时, 合同 ...; 一个…一个… counts members
# (两个孩子一个上幼儿园一个上初中).
_ENUMERATOR = re.compile(r"和|跟|与|、|或者|还是|加上|(?<=[\u4e00-\u9fff])又有(?!什么|啥|没有|哪)|"
                         r"(?<![不共相合协认赞一])同(?![学时意一样等步期龄])|"
                         r"(?<=.)一个(?=[上读念去在是])")
# Where the last member of an enumeration ends and the shared rest begins: 的, or a word of
# the question (初中的生活补助各多少 -> 初中 | 的生活补助各多少; 课本费都能免吗 -> 课本费 |
# 都能免吗).
_MEMBER_END = re.compile(r"\d{4}年|的|各|分别|都|多少|几|吗|么|什么|怎么|能|可以|要|是|有没有|"
                         r"一年|每年|每月|一个月|谁|哪|免不|补不|给不|有啥|啥")
# where the question after an enumeration begins (多少户、多少人 then enumerates no members)
_ASKING = re.compile(r"分别|各(?!种|类|项|个|级|地|县|区|乡|镇|村|部门|单位)|多少")
PART_MAX = 4  # items one part can ask for (X、Y、Z各多少)


@dataclass(frozen=True)
class Part:
    """One thing the question asks: the words to match, and the clause's own words."""

    text: str  # the clause with the scene-setting clauses before it
    own: str  # the clause itself: an item must share words with it
    several: bool  # it enumerates or says 各/分别: it may ask for more than one item
    members: tuple[Part, ...] = ()  # A和B的X: one part per member (A的X, B的X)
    before: str = ""  # the clause asked before it, tried as context when it finds nothing
    elliptic: bool = False  # it leaves out what `before` asked about (低保户又报几成): the
    # context is tried first
    of_each: bool = False  # its members are scene clauses (大的…，小的…，各补多少)


# An enumeration typed with spaces for 、: words in a row, then the question of each
# (低保 特困 残疾人生活补贴 各是多少), or short words the last of which runs into 各/分别/都
# (低保 低保边缘 分散特困 孤儿 困难家庭各多少户)
_SPACED_MEMBER = re.compile(r"[\u4e00-\u9fff]{1,8}")
SPACED_SHORT = 4  # characters of a member running into the question (longer: a scene clause)
_SPACED_LAST = re.compile(r"[\u4e00-\u9fff]{1,4}[^吗么]{0,10}?(?:各|分别|都)")
_SPACED_EACH = re.compile(r"各|分别")
SPACED_MIN = 2  # words before the question (two words alone are often two clauses)
_SPACES = re.compile(r"\s+")


def _spaced(run: list[str], token: str) -> list[str]:
    """The words of a run and the token after it, joined with 、 where they enumerate."""
    if len(run) >= SPACED_MIN and _SPACED_EACH.match(token):
        return ["、".join(run) + token]
    short = 0
    while short < len(run) and len(run[-1 - short]) <= SPACED_SHORT:
        short += 1
    if short >= SPACED_MIN and _SPACED_LAST.match(token):
        return [*run[:len(run) - short], "、".join([*run[len(run) - short:], token])]
    return [*run, token]


def spaced_enumeration(text: str) -> str:
    """The text with the spaces of an enumeration typed with spaces read as 、."""
    tokens = _SPACES.split(text)
    if len(tokens) <= SPACED_MIN:
        return text
    out: list[str] = []
    run: list[str] = []
    for token in tokens:
        if _SPACED_MEMBER.fullmatch(token) and not is_question_clause(token) \
                and not _MEMBER_CLAUSE.match(token):  # 一个在医院住院 一个在家吃药: _each_member's
            run.append(token)
            continue
        out.extend(_spaced(run, token))
        run = []
    out.extend(run)
    return " ".join(out)


_FRESH = "\x00"  # marks, through the clause split, the clause after such a word


# Clauses that say who is asking or what the answer is for, and ask nothing (the caseworker's
# 我是村头的网格员, 我要切跟老百姓讲清楚): left in, their words only dilute the question
_ROLES = (r"网格员|干部|书记|主任|社工|工作人员|帮扶人|责任人|专干|协管员|村官|联络员|信息员|"
          r"督导|主管|帮扶队员")
_ASIDES = re.compile(
    rf"(?:我|俺|本人|我们|俺们)(?:是|系)[^,，。.?？!！\s户]{{0,10}}?(?:{_ROLES})(?:哦|呢|啊)?"
    r"|(?:我|俺)?(?:要|得|想|好)?(?:去|切)?(?:跟|给|向)(?:老百姓|群众|村民|农户|包的户|户里|他们|大家|"
    r"乡亲们?)(?:讲|说|解释|宣传)(?:清楚|明白|一下|一哈)?"
    r"|(?:我|俺)?要?(?:汇总)?上报"
    r"|(?:帮|替|给)(?:一户|一家|人家|别人|村民|群众|老乡|农户|邻居|朋友|他们|他|她)(?:人家)?"
    r"问(?:问|一下|下|一哈)?")


ASIDE_REST_MIN = 6  # characters a question keeps of its own once its asides are dropped


def without_asides(text: str) -> str:
    """The (normalised) question without its clauses that only say who asks or why (kept as
    it is when nothing else would be left)."""
    clauses = _CLAUSES_KEPT.split(text)
    kept = [c for c in clauses if not _ASIDES.fullmatch(c.strip(" ,，。.?？!！"))]
    out = "".join(kept).strip(" ,，。")
    # (我是帮扶责任人 有咩任务: what is left is too little to be the question on its own)
    return out if len(compact(out)) >= ASIDE_REST_MIN else text


def split(text: str, matcher: Matcher) -> list[Part]:
    """The parts of a (normalised) question, in order; one part for a simple question."""
    marked = _NEW_TOPIC.sub(lambda m: m.group(0) + _FRESH, spaced_enumeration(normalize(text)))
    clauses = [c for c in _CLAUSES.split(marked) if c]
    context: list[str] = []
    asked: list[str] = []
    # per question, the member clauses told since the question before (小的念小学不住校，能补
    # 多少？大的念高中，学费免不免: each child's question follows its own clause)
    mine: list[list[str]] = []
    pending: list[str] = []
    scene_before = 0  # scene clauses before the first question
    fresh: int | None = None  # the first question after 另外 …
    late: list[str] = []  # ... and the scene told after 另外, for that question and those after
    for clause in clauses:
        if clause.startswith(_FRESH):
            clause = clause.lstrip(_FRESH)
            if asked:
                fresh = len(asked)
            if not clause:
                continue
        if (not is_question_clause(clause) and matcher.knows(clause)
                and not (asked and _asks_again(clause))):  # 课本费又… asks again
            # 孩子在读高中: the scene for the questions after it
            (late if fresh is not None else context).append(clause)
            if _MEMBER_CLAUSE.match(clause) or pending:  # (女儿读初中，不住校，补多少: hers)
                pending.append(clause)
        elif (matcher.knows(clause) and not (asked and _subjectless(clause))) or not asked \
                or (fresh == len(asked) and not _subjectless(clause)) \
                or (pending and is_question_clause(clause)):
            # (大病救治补多少，啥时候截止 / 另外啥时候截止: one question of it; but 小的读初中
            # 住校，补多少: a question of the member just told)
            if not asked:
                scene_before = len(context)
            asked.append(clause)
            mine.append(pending)
            pending = []
        else:
            asked[-1] += clause  # 各免多少, 一年多少: continues the question before it
    if len(asked) > 1 and not matcher.knows(asked[0]) and not (
            mine[0] and is_question_clause(asked[0])):  # (小的念小学，能补多少？大的…)
        if scene_before and _YES_NO.search(asked[0]):
            # 村里动员我去敬老院住 能去吗 每个月的供养金是多少: 能去吗 asks about the scene
            # just told, not about what is asked next
            asked[0] = context.pop(scene_before - 1) + asked[0]
        else:
            asked[1] = asked[0] + asked[1]
            del asked[0]
            mine[1] = mine[0] + mine[1]
            del mine[0]
    if not asked:
        return [Part(text, text, _several(text))]
    if len(asked) == 1 and len(context) >= 2 and _BACK_REFERENCE.search(asked[0]):
        # 困难残疾人生活补贴 重度残疾人护理补贴 这两个都有吗: the clauses before are what is asked
        return [Part(c + asked[0], c, False) for c in context]
    scene = "".join(context)
    each = _each_member(context, asked, matcher)
    if each is not None:
        return [each]
    if len(asked) > 1 and fresh is None and all(mine):
        # every question follows a member clause of its own: that member is its subject, the
        # rest of the scene is shared (我们家是建档立卡户)
        theirs = {c for m in mine for c in m}
        shared = [c for c in context if c not in theirs]
        return [_member_part(shared, m, a, asked[i - 1] if i else "", matcher)
                for i, (m, a) in enumerate(zip(mine, asked, strict=True))]
    parts = []
    for i, a in enumerate(asked):
        before = asked[i - 1] if i else ""  # 一年仲俾几多助学金 after 高中住宿费免唔免: 高中
        # the scene told after 另外 is this question's own words (她儿子有精神病，这个咋帮)
        own = ("".join(late) if fresh is not None and i == fresh else "") + a
        told = scene + ("".join(late) if fresh is not None and i > fresh else "")
        members = _members(told, own, matcher) or _members("", told + own, matcher)
        parts.append(Part(told + own, own, _several(told + own), members, before,
                          _elliptic(before, own)))
    return parts


# A question about a household benefit itself (家里低保每月多少钱, 老伴的护理补贴), not about the
# member told before it; 家里特困户补多少 and 我家低保户有啥补助 say who the pupil is
_HOUSEHOLD = re.compile(r"(?:低保|特困|五保)(?![户家])|护理补贴|老伴|我爸|我妈")
_SCHOOL_WORDS = re.compile(r"学费|学杂费|住校|寄宿|上学|读书|念书|助学|课本|教科书|生活补助")


def _member_part(shared: list[str], theirs: list[str], question: str, before: str,
                 matcher: Matcher) -> Part:
    """One question of a member (or of several: 大的读高中，小的读初中住校，分别补多少) told just
    before it; a question that names the household (家里低保每月多少钱) is the household's."""
    each = _each_member([*shared, *theirs], [question], matcher)
    if each is not None:
        return replace(each, before=before)
    if _HOUSEHOLD.search(question) and not stages_named(question) \
            and not _SCHOOL_WORDS.search(question):
        theirs = []  # (小的读小学，家里低保每月多少钱: a question of the household)
    told = "".join(shared) + "".join(theirs)
    own = "".join(theirs) + question
    members = _members(told, question, matcher) or _members("", told + question, matcher)
    return Part(told + question, own, _several(told + question), members, before,
                _elliptic(before, question))


# A question answered yes or no (能去吗, 行不行): about the scene told before it
_YES_NO = re.compile(r"(?:吗|(?<![什怎这那多])么|不|没有|不行|可以不)$")  # (not 要准备什么)


# A question about the several things named before it: 这两个都有吗, 这几样能一起领吗
_BACK_REFERENCE = re.compile(r"这(?:两|几|三|四)(?:个|样|项|种|条)|这俩")


# A scene clause about one of several people or things: 大的读初中住校，小的读小学天天回家，
# 每年各补多少 asks one question of each of them.
_MEMBER_CLAUSE = re.compile(r"^(大的|小的|老大|老二|老三|老幺|老疙瘩|大娃|小娃|大仔|细仔|"
                            r"大孩子|二孩子|小孩子|大儿子|小儿子|"
                            r"大女儿|小女儿|大闺女|小闺女|哥哥|姐姐|弟弟|妹妹|一个|另一个|女儿|儿子|闺女|孙子|孙女|"
                            r"我老婆|我老公|我媳妇|老伴|我爸|我妈|我父亲|我母亲|我爷爷|我奶奶|"
                            r"另外一个|第一个|第二个)")


# 两个的生活补助各多少加起来多少 (15), 俩娃的生活补助各给多少: the question of each member, not a
# topic of its own
EACH_QUESTION_MAX = 16
_PER_HEAD = "每人"  # 每人 after two members told asks each of them (see _each_member)
# Where the next member begins inside one member clause typed without a comma: 老大初中住校老二
# 小学走读, 一个孩子上幼儿园一个小学住校 (一个 again, not 一个月 or 一个人).
_NEXT_MEMBER = re.compile(r"老二|老三|老幺|老疙瘩|小的|另一个|另外一个|第二个|小娃|细仔|"
                          r"二孩子|小孩子|小儿子|小女儿|小闺女|弟弟|妹妹")
# ... and the other member of a pair that may come second (小的上幼儿园大的读高中)
_COUNTERPARTS = {"小的": ("大的",), "老二": ("老大",), "老疙瘩": ("老大",),
                 "二孩子": ("大孩子",), "小孩子": ("大孩子",),
                 "弟弟": ("哥哥", "姐姐"), "妹妹": ("哥哥", "姐姐"), "小儿子": ("大儿子",),
                 "小女儿": ("大女儿",), "女儿": ("儿子",), "儿子": ("女儿",), "闺女": ("儿子",)}
# ... and a member word that may stand inside a clause, after the scene (我家老大读中职), when
# what follows says what the member does (not 一个: 有一个孩子; not 妇女儿童, 我孙女儿,
# 孩子大的话, 我小的时候)
_MEMBER_INSIDE = re.compile(r"(?<=[\u4e00-\u9fff])(?<![孙妇外最多我])"
                            r"(大的|小的|老大|老二|老三|老幺|大孩子|二孩子|小孩子|大儿子|小儿子|大女儿|小女儿|大闺女|小闺女|儿子|女儿|闺女|哥哥|姐姐|"
                            r"弟弟|妹妹|孙子|孙女)(?=在|读|念|上|住|考|今年|刚)")
_NOT_A_MEMBER = re.compile(r"一个(?:月|年|人|星期|学期|季度|多)")


@cache
def _next_member(word: str) -> re.Pattern[str]:
    """Where the member after one starting with `word` begins: a second-member word, the
    same word again (一个…一个…) or its counterpart (小的…大的…)."""
    return re.compile("|".join([_NEXT_MEMBER.pattern, re.escape(word),
                                *_COUNTERPARTS.get(word, ())]))


def _member_clauses(clause: str) -> list[str]:
    """A member clause split where another member begins (one piece when none does); what
    comes before a first member inside the clause (我家老大读中职, 有户低收入家庭儿子读幼儿园
    女儿读初中) is a piece of its own, the scene of both."""
    first = _MEMBER_CLAUSE.match(clause) or _MEMBER_INSIDE.search(clause)
    if first is None:
        return [clause]
    word, start = first.group(1), first.start(1)
    cuts = [m.start() for m in _next_member(word).finditer(clause, start + len(word))
            if not _NOT_A_MEMBER.match(clause, m.start())]
    bounds = [0, start, *cuts, len(clause)]
    return [clause[a:b] for a, b in pairwise(bounds) if b > a]


def _each_member(context: list[str], asked: list[str], matcher: Matcher) -> Part | None:
    """The one part of a question whose members are scene clauses (大的…，小的…，各补多少):
    each member clause with the shared scene and the question, or None for other shapes."""
    # (每人 after two members told is each of them: 大仔读初中，细女读幼稚园，生活补助一年每人几多)
    if len(asked) != 1 or not (wants_each(asked[0]) or _PER_HEAD in asked[0]) \
            or len(asked[0]) > EACH_QUESTION_MAX:
        return None
    # (a clause the enumerator splits, 一个读小学一个读初中, is left to _members)
    pieces = [p for c in context
              for p in (_member_clauses(c) if len(_ENUMERATOR.split(c)) < 2 else [c])]
    own = [c for c in pieces if _MEMBER_CLAUSE.match(c) and matcher.knows(c)]
    if len(own) < 2:
        return None
    shared = "".join(c for c in pieces if not _MEMBER_CLAUSE.match(c))
    question = asked[0]
    members = tuple(Part(shared + c + question, c + question, False) for c in own)
    return Part("".join(context) + question, "".join(own) + question, True, members,
                of_each=True)


def _members(scene: str, clause: str, matcher: Matcher) -> tuple[Part, ...]:
    """A clause that enumerates, as one part per member: prefix + member + the shared rest."""
    # (低保户和低保边缘户分别是多少户、多少人: what the question asks after the members, from
    # its 分别/各/多少 on, is no member; one before them, 全市有多少低保户和特困户, is theirs)
    joined = _ENUMERATOR.search(clause)
    asking = _ASKING.search(clause, joined.end()) if joined else None
    pieces = _ENUMERATOR.split(clause[:asking.start()] if asking else clause)
    if asking:
        pieces[-1] += clause[asking.start():]
    if len(pieces) < 2:
        return ()
    head, *middle, last = pieces
    if middle and len(_COUNTED.findall(clause)) >= 2:
        # 两个孩子一个上幼儿园一个上初中: what comes before the first 一个 is the scene
        scene, head, middle = scene + head, middle[0], middle[1:]
    # 高中的住宿费和课本费: 高中的 belongs to every member; 住院的和在家吃药的: the 的 ending
    # the first member is its own
    cut = head.rstrip("的").rfind("的") + 1
    prefix, first = head[:cut], head[cut:].rstrip("的")
    end = _MEMBER_END.search(last)
    rest = last[end.start():] if end else ""
    members = [first, *middle, last[:end.start()] if end else last]
    members = [first] + [_headed(first, _aligned(first, m)) for m in members[1:]]
    if not all(members) or sum(matcher.knows(m) for m in members) < 2:
        return ()
    return tuple(Part(scene + prefix + m + rest, m + rest, False) for m in members)


_ELLIPSIS = re.compile(r"又|也|呢$|^那(?![块个些种])")  # 低保户又报几成, 特困户呢, 那残疾人
ECHO_MIN = 3  # a clause ending like the one before it (…报几成, …报几成) repeats its question


def _asks_again(clause: str) -> bool:
    """The clause says 又/也/呢 (not 眼睛什么也看不清了: "nothing" asks nothing again)."""
    return _ELLIPSIS.search(without_indefinites(clause)) is not None


def _elliptic(before: str, clause: str) -> bool:
    """The clause leaves out what the clause before it asked about: it says 又/也/呢, or it
    repeats that clause's question with another subject (普通居民报几成，低保户报几成)."""
    if not before:
        return False
    echo = 0
    while echo < min(len(before), len(clause)) and before[-1 - echo] == clause[-1 - echo]:
        echo += 1
    return _asks_again(clause) or echo >= ECHO_MIN


# 大病救治补多少，啥时候截止: a clause of question words only asks more of the clause before
_ASKING_WORDS = re.compile("|".join(sorted((re.escape(c) for c in (
    *WHEN_CUES, *OFTEN_CUES, *AMOUNT_CUES)), key=len, reverse=True)))
_PARTICLES = re.compile(r"[呢吗啊呀了的要是能得还就又也那]")


def _subjectless(clause: str) -> bool:
    return not _PARTICLES.sub("", _ASKING_WORDS.sub("", compact(clause)))


_COUNTED = re.compile(r"(?<=.)一个(?=[上读念去在是])")
_DIGITS = re.compile(r"\d+")


def _aligned(first: str, member: str) -> str:
    """A member that is only a number (敬老院入住率6月底和12月底, 6月、9月、12月底) takes the
    first member's words around its number: 敬老院入住率12月底."""
    number, theirs = _DIGITS.match(member), _DIGITS.search(first)
    if number is None or theirs is None:
        return member
    unit = member[number.end():]
    # 6月 … 12月底: the unit may go on (月底 after 月)
    if not (first.endswith(unit) or (unit.startswith(first[theirs.end():]) and
                                     first[theirs.end():])):
        return member
    return first[:theirs.start()] + member


def _headed(first: str, member: str) -> str:
    """A shorter member ending like the first (残疾人护理补贴和生活补贴: 补贴) takes the words
    the first has before its own: 残疾人生活补贴; 高中住宿费和课本费: 高中课本费."""
    if len(member) >= len(first) or not member or first[-1] != member[-1]:
        return member
    head = first[:len(first) - len(member)]
    return member if head in member else head + member


def _several(clause: str) -> bool:
    return wants_each(clause) or _ENUMERATOR.search(clause) is not None


def residual(pieces: list[str], match: Match, matcher: Matcher) -> list[str]:
    """What an item leaves unexplained: the pieces without the words it shares (or its alias),
    keeping only pieces with content (斗门, 分别是 would only dilute the next match)."""
    words = entry_words(match.entry)
    out: list[str] = []
    for piece in map(compact, pieces):
        covered = [False] * len(piece)
        for i in range(len(piece) - 1):
            if piece[i:i + 2] in words:
                covered[i] = covered[i + 1] = True
        if match.alias and match.alias in piece:
            start = piece.index(match.alias)
            covered[start:start + len(match.alias)] = [True] * len(match.alias)
        run = ""
        for ch, done in zip(piece, covered, strict=True):
            if done:
                if run:
                    out.append(run)
                run = ""
            else:
                run += ch
        if run:
            out.append(run)
    return [p for p in out if p not in matcher.region_names and matcher.knows(p)]
