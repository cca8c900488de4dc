"""Realistic sample people for the demo and benchmarks: Chinese names, valid mobiles,
VINs with correct check digits, mainland plates (incl. 8-character new-energy ones)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from desktop_app.domain.vehicle_ids import vin_check_digit

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "华",
    "飞",
    "玲",
    "桂兰",
    "鹏",
    "辉",
    "建华",
    "建国",
    "晓明",
    "晓燕",
    "志强",
    "志刚",
    "海燕",
    "海涛",
    "子涵",
    "梓萱",
    "浩然",
    "宇轩",
    "欣怡",
    "一诺",
    "思远",
    "嘉怡",
    "俊杰",
    "雨桐",
    "博文",
    "佳琪",
    "天佑",
    "诗涵",
    "文博",
    "若曦",
    "晨阳",
    "梦瑶",
    "国强",
    "春梅",
    "丹",
    "琳",
    "斌",
    "鑫",
    "雪",
    "婷",
    "宁",
    "凯",
    "亮",
]
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
]
# (WMI, model names) of brands sold in China.
BRANDS = (
    ("LSV", ("朗逸", "帕萨特", "途观L", "ID.4 X", "途昂")),
    ("LFV", ("速腾", "迈腾", "探岳", "ID.4 CROZZ", "宝来")),
    ("LVS", ("福克斯", "蒙迪欧", "锐际")),
    ("LGB", ("轩逸", "天籁", "奇骏")),
)
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
YEAR_CODES = "HJKLMNPRS"  # 2017–2025
PLATE_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
CITY_PLATES = ("沪A", "沪B", "沪C", "沪D", "沪E", "沪F", "沪G", "沪H", "沪J", "沪K", "苏E", "浙A")


def chinese_name(rnd: random.Random) -> str:
    return rnd.choice(SURNAMES) + rnd.choice(GIVEN)


def mobile(rnd: random.Random) -> str:
    """An 11-digit mainland mobile (national form) that libphonenumber accepts."""
    return rnd.choice(MOBILE_PREFIXES) + f"{rnd.randrange(10**8):08d}"


def vin(rnd: random.Random) -> tuple[str, str]:
    """(VIN with a valid GB 16735 check digit, model name)."""
    wmi, models = rnd.choice(BRANDS)
    vds = "".join(rnd.choice(VIN_CHARS) for _ in range(5))
    year = rnd.choice(YEAR_CODES)
    plant = rnd.choice(VIN_CHARS)
    serial = f"{rnd.randrange(10**6):06d}"
    draft = wmi + vds + "0" + year + plant + serial
    return draft[:8] + vin_check_digit(draft) + draft[9:], rnd.choice(models)


def plate(rnd: random.Random, new_energy: bool | None = None) -> str:
    """A normalised plate: 沪A12345 style, or 8-char new-energy 沪AD12345 / 沪AF12345."""
    prefix = rnd.choice(CITY_PLATES)
    if new_energy if new_energy is not None else rnd.random() < 0.3:
        return prefix + rnd.choice("DF") + f"{rnd.randrange(10**5):05d}"
    tail = "".join(rnd.choice(PLATE_LETTERS + "0123456789") for _ in range(2))
    return prefix + tail + f"{rnd.randrange(1000):03d}"


def purchase_date(rnd: random.Random, today: date) -> date:
    return today - timedelta(days=rnd.randrange(30, 365 * 6))
