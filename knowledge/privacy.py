"""Strip personal data from free text before it is stored anywhere (miss log, chat state)."""

from __future__ import annotations

import re

# Phone, ID-card and bank numbers, also when typed with spaces or dashes: 138-0013-8000,
# 1380 0138 000, 21010219900101123X. Seven or more digits in a run count as personal (landlines
# have 7-8); amounts such as 12000元 stay readable for the miss log.
_NUMBER = re.compile(r"\d(?:[\s\-－—.·]*\d){6,}[\dXx]?")
# A name someone gives: after 我叫 / 名字叫 / 姓名：/ 本人 / 我是 / (我老婆)叫, a common surname and
# one or two more characters. Requiring a surname keeps 我是低保户 and 姓名身份证要吗 intact.
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
             "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史"
             "陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟"
             "殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游"
             "辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫"
             "费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明"
             "佘池查麻苑迟邝")
_NAME = re.compile(r"(我叫|我名叫|名字叫|名字是|姓名[:：是]?|叫做)\s*"
                   f"[{_SURNAMES}][\u4e00-\u9fff]{{1,2}}")
# After the weaker 我是 / 本人 / 叫 only a stand-alone name (then punctuation or the end) that has
# none of the characters of 高中生, 低保户, 残疾人, 村干部 ... counts.
_NOT_IN_NAMES = "户生人学村镇县区市员家保病残校中初高工农贫困师部干党"
_WEAK_NAME = re.compile(r"(我是|俺是|本人|叫)\s*"
                        f"([{_SURNAMES}][^{_NOT_IN_NAMES}\\W\\d]{{1,2}})(?=[\\s，,。.！!？?、；;]|$)")
MAX_STORED_CHARS = 300


_SURROGATE = re.compile("[\ud800-\udfff]")  # half a character: no encoding can store it


def mask_personal(text: str) -> str:
    """The text with numbers and self-given names replaced by # and ＊, trimmed to 300 chars;
    lone surrogates (which break UTF-8 storage and JSON) become U+FFFD."""
    masked = _NUMBER.sub("#", _SURROGATE.sub("\ufffd", text[:MAX_STORED_CHARS * 4].strip()))
    masked = _NAME.sub(lambda m: f"{m.group(1)}＊", masked)
    masked = _WEAK_NAME.sub(lambda m: f"{m.group(1)}＊", masked)
    return masked[:MAX_STORED_CHARS]
