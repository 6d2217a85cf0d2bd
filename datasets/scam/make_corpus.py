"""Write datasets/scam/posts.csv: a Vietnamese scam / not-scam corpus written for misinfo_clf.

Every seed message below was written by hand for the project (MIT). The script fills the
slots of each seed (brands, amounts, links, phone numbers, names) and derives a few surface
variants per seed (no diacritics, teencode, typos, ALL CAPS, emoji, line breaks, truncation).
All variants of one seed share a ``group`` id: split train/validation by ``group``.

Deterministic: pure standard library, one seeded ``random.Random``, no network.

    python datasets/scam/make_corpus.py              # rewrites datasets/scam/posts.csv
    python datasets/scam/make_corpus.py --out x.csv  # writes elsewhere (used by the tests)

Phone numbers, account numbers, OTPs and order codes are random digits in well-formed shapes;
links to lookalike domains are invented. Official brand domains appear only in legitimate rows.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import string
import unicodedata
from pathlib import Path

SEED = 20261129
SOURCE_NOTE = "written for misinfo_clf"
HERE = Path(__file__).resolve().parent

# --------------------------------------------------------------------------------------
# Slot pools
# --------------------------------------------------------------------------------------

# (display name, SMS sender, official site, slug used in lookalike links)
BANKS = [
    ("Vietcombank", "VIETCOMBANK", "vietcombank.com.vn", "vietcombank"),
    ("Vietcombank", "VCB", "vietcombank.com.vn", "vcb"),
    ("Techcombank", "TECHCOMBANK", "techcombank.com", "techcombank"),
    ("MB Bank", "MBBANK", "mbbank.com.vn", "mbbank"),
    ("MB", "MB", "mbbank.com.vn", "mb"),
    ("BIDV", "BIDV", "bidv.com.vn", "bidv"),
    ("Agribank", "AGRIBANK", "agribank.com.vn", "agribank"),
    ("VietinBank", "VIETINBANK", "vietinbank.vn", "vietinbank"),
    ("ACB", "ACB", "acb.com.vn", "acb"),
    ("VPBank", "VPBANK", "vpbank.com.vn", "vpbank"),
    ("Sacombank", "SACOMBANK", "sacombank.com.vn", "sacombank"),
    ("TPBank", "TPBANK", "tpb.vn", "tpbank"),
]
SHOPS = [
    ("Shopee", "shopee.vn", "shopee"),
    ("Shopee", "shopee.vn", "shopee"),
    ("Lazada", "lazada.vn", "lazada"),
    ("Tiki", "tiki.vn", "tiki"),
    ("TikTok Shop", "shop.tiktok.com", "tiktokshop"),
    ("Điện Máy Xanh", "dienmayxanh.com", "dienmayxanh"),
    ("Thế Giới Di Động", "thegioididong.com", "thegioididong"),
]
SHOP_STORES = [
    "WinMart",
    "Co.opmart",
    "Bách Hóa Xanh",
    "Pharmacity",
    "Long Châu",
    "Guardian",
    "Canifa",
    "Coolmate",
    "Highlands Coffee",
    "Phúc Long",
    "Circle K",
    "FPT Shop",
    "CellphoneS",
    "AEON Mall",
    "GO!",
]
TECH_STORES = [
    ("Thế Giới Di Động", "thegioididong.com"),
    ("FPT Shop", "fptshop.com.vn"),
    ("CellphoneS", "cellphones.com.vn"),
    ("Di Động Việt", "didongviet.vn"),
    ("Điện Máy Xanh", "dienmayxanh.com"),
]
SUPERMARKETS = [
    "WinMart",
    "Co.opmart",
    "Bách Hóa Xanh",
    "AEON",
    "GO!",
    "MM Mega Market",
    "Lotte Mart",
]
FASHION_STORES = ["Canifa", "Coolmate", "Routine", "Ivy Moda", "Yody", "Owen", "Biti's"]
CARRIERS = [
    ("Viettel", "VIETTEL", "viettel.vn", "viettel"),
    ("Viettel", "VIETTEL", "viettel.vn", "viettel"),
    ("Vinaphone", "VINAPHONE", "vinaphone.com.vn", "vinaphone"),
    ("Mobifone", "MOBIFONE", "mobifone.vn", "mobifone"),
]
PACKAGES = [
    ("ST90", "90.000đ", 1),
    ("V120", "120.000đ", 2),
    ("SD135", "135.000đ", 5),
    ("MXH120", "120.000đ", 1),
    ("D159V", "159.000đ", 6),
    ("ST120K", "120.000đ", 2),
    ("BIG90", "90.000đ", 1),
    ("TK135", "135.000đ", 4),
    ("5G150", "150.000đ", 5),
]
WALLETS = [
    ("MoMo", "momo"),
    ("Momo", "momo"),
    ("ZaloPay", "zalopay"),
    ("ViettelMoney", "viettelmoney"),
    ("VNPAY", "vnpay"),
    ("ShopeePay", "shopeepay"),
]
COURIERS = [
    ("GHTK", "ghtk", "ghtk.vn"),
    ("Giao Hàng Tiết Kiệm", "ghtk", "ghtk.vn"),
    ("Giao Hàng Nhanh", "ghn", "ghn.vn"),
    ("GHN", "ghn", "ghn.vn"),
    ("J&T Express", "jtexpress", "jtexpress.vn"),
    ("VNPost", "vnpost", "vnpost.vn"),
    ("Viettel Post", "viettelpost", "viettelpost.com.vn"),
    ("SPX Express", "spx", "spx.vn"),
    ("Ninja Van", "ninjavan", "ninjavan.co"),
    ("Best Express", "best-inc", "best-inc.vn"),
]
FINCOS = [
    "FE Credit",
    "Home Credit",
    "HD Saison",
    "Mcredit",
    "Shinhan Finance",
    "Mirae Asset Finance",
    "Lotte Finance",
]
AIRLINES = ["Vietnam Airlines", "Vietjet Air", "Bamboo Airways", "Vietravel Airlines"]
MERCHANTS = [
    "GRAB",
    "SHOPEE",
    "CIRCLE K",
    "WINMART",
    "HIGHLANDS COFFEE",
    "BE GROUP",
    "LAZADA",
    "CGV CINEMAS",
    "PHUC LONG",
    "NETFLIX.COM",
    "GOOGLE *YOUTUBE",
]
SURNAMES = [
    "Nguyễn",
    "Nguyễn",
    "Nguyễn",
    "Trần",
    "Trần",
    "Lê",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Trương",
    "Đinh",
]
MIDDLES = [
    "Văn",
    "Thị",
    "Minh",
    "Ngọc",
    "Thanh",
    "Đức",
    "Hoàng",
    "Thu",
    "Quang",
    "Hữu",
    "Thảo",
    "Gia",
    "Bảo",
    "Kim",
    "Xuân",
    "Phương",
    "Anh",
    "Công",
]
GIVENS = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Hương",
    "Khoa",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
    "Huy",
    "Khánh",
    "Ngân",
    "Nhung",
    "Phong",
    "Thắng",
    "Tú",
    "Vân",
    "Đạt",
    "Hiếu",
]
CITIES = [
    "Hà Nội",
    "TP.HCM",
    "TP HCM",
    "Sài Gòn",
    "Đà Nẵng",
    "Hải Phòng",
    "Cần Thơ",
    "Biên Hòa",
    "Nha Trang",
    "Huế",
    "Vinh",
    "Thủ Dầu Một",
    "Quy Nhơn",
    "Buôn Ma Thuột",
    "Bắc Ninh",
]
PROVINCES = [
    "Quảng Bình",
    "Quảng Trị",
    "Hà Tĩnh",
    "Nghệ An",
    "Yên Bái",
    "Lào Cai",
    "Cao Bằng",
    "Thừa Thiên Huế",
    "Quảng Nam",
    "Thái Nguyên",
]
DISTRICTS = [
    "quận 3",
    "quận 7",
    "quận Bình Thạnh",
    "quận Gò Vấp",
    "TP Thủ Đức",
    "quận Tân Bình",
    "quận Cầu Giấy",
    "quận Đống Đa",
    "quận Hoàng Mai",
    "quận Hà Đông",
    "quận Long Biên",
    "quận Hải Châu",
    "quận Ninh Kiều",
    "quận Thanh Xuân",
    "huyện Bình Chánh",
]
WARDS = [
    "Phường 5",
    "Phường 12",
    "Dịch Vọng",
    "Láng Hạ",
    "Tân Định",
    "Bến Nghé",
    "Thảo Điền",
    "Phú Mỹ",
    "Hòa Cường",
    "Trung Hòa",
    "Yên Hòa",
    "An Khánh",
]
STREETS = [
    "Nguyễn Trãi",
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Hai Bà Trưng",
    "Nguyễn Văn Cừ",
    "Lý Thường Kiệt",
    "Phan Xích Long",
    "Cầu Giấy",
    "Xuân Thủy",
    "Điện Biên Phủ",
    "Võ Văn Tần",
    "Hoàng Diệu",
]
COMPANY_LEGIT = [
    "Công ty CP Thế Giới Di Động",
    "Công ty TNHH Thương mại Minh Phát",
    "Công ty CP Đầu tư và Phát triển An Khang",
    "Công ty TNHH Giải pháp Phần mềm Sao Việt",
    "Công ty CP Thực phẩm Bình An",
    "Công ty TNHH Logistics Hưng Thịnh",
    "Công ty TNHH Dệt may Thành Công",
    "Công ty CP Dược phẩm Hòa Bình",
    "Tập đoàn Bán lẻ Phú Gia",
]
COMPANY_FAKE = [
    "Công ty TNHH Truyền thông Toàn Cầu VN",
    "Công ty Quốc tế Amazing Group",
    "Tập đoàn Đầu tư Kim Long Capital",
    "Công ty TNHH Thương mại Điện tử Sao Vàng",
    "Quỹ đầu tư Global Win",
    "Công ty Marketing Online Việt Á",
    "Tập đoàn AsiaStar",
]
CHARITY_LEGIT = [
    "Hy Vọng",
    "Vòng Tay Nhân Ái",
    "Nụ Cười Trẻ Thơ",
    "Bếp Ấm",
    "Chung Tay Vì Cộng Đồng",
]
CHARITY_FAKE = [
    "Mái Ấm Tình Thương Quốc Tế",
    "Trái Tim Nhân Ái VN",
    "Hỗ Trợ Người Nghèo Toàn Quốc",
    "Ánh Sáng Yêu Thương",
]
UNIS = [
    "Bách Khoa",
    "Kinh tế Quốc dân",
    "Sư phạm",
    "Quốc gia",
    "Cần Thơ",
    "Kinh tế TP.HCM",
    "Tôn Đức Thắng",
    "Đà Nẵng",
]
SCHOOLS = [
    "THCS Lê Quý Đôn",
    "THPT Nguyễn Du",
    "Tiểu học Kim Đồng",
    "THCS Trần Phú",
    "THPT Chu Văn An",
]
PLACES_EVENT = [
    "Công viên Lê Văn Tám",
    "Nhà văn hóa Thanh niên",
    "Cung Văn hóa Lao động",
    "Trung tâm Hội nghị Quốc gia",
    "Phố đi bộ Nguyễn Huệ",
    "Công viên Thống Nhất",
]
ARTISTS = ["Mỹ Tâm", "Hà Anh Tuấn", "Sơn Tùng M-TP", "Đen Vâu", "Hoàng Thùy Linh", "Vũ."]
TEAMS = [
    "Hà Nội FC",
    "Công An Hà Nội",
    "Thép Xanh Nam Định",
    "Hoàng Anh Gia Lai",
    "SHB Đà Nẵng",
    "Becamex Bình Dương",
    "Hải Phòng",
    "Thể Công Viettel",
]
KCNS = ["VSIP", "Tân Tạo", "Yên Phong", "Quang Minh", "Amata", "Nhơn Trạch"]
PHONE_MODELS = [
    "iPhone 16 Pro Max 256GB",
    "iPhone 15 128GB",
    "Samsung Galaxy S24 Ultra",
    "Samsung Galaxy A55",
    "Xiaomi Redmi Note 13",
    "OPPO Reno12",
]
PRODUCTS = [
    "nồi chiên không dầu",
    "máy lọc không khí",
    "tai nghe bluetooth",
    "áo khoác dù",
    "máy hút bụi",
    "bàn chải điện",
    "giày thể thao",
    "sữa rửa mặt",
    "bình giữ nhiệt",
]
PRIZE_VEHICLES = ["SH 150i", "Honda SH Mode", "Air Blade", "Vision", "VinFast Feliz", "Exciter"]
PRIZE_PHONES = ["iPhone 16 Pro Max", "iPhone 15 Pro", "Samsung Galaxy Z Flip", "iPad Air"]
PRIZES = [
    "1 xe máy Honda SH",
    "1 chiếc iPhone 16 Pro Max",
    "1 tivi Samsung 55 inch",
    "1 laptop Dell",
    "1 sổ tiết kiệm 50 triệu",
    "1 chỉ vàng SJC",
    "1 tủ lạnh Panasonic",
    "bộ quà tặng trị giá 15 triệu",
]
BRANDS_ANY = [
    "Shopee",
    "Lazada",
    "TikTok Shop",
    "Vinamilk",
    "Coca-Cola",
    "Honda Việt Nam",
    "Thế Giới Di Động",
    "Điện Máy Xanh",
    "Viettel",
    "Samsung Việt Nam",
]
APP_FAKE_NAMES = [
    "TaskWin",
    "VNShop Pro",
    "KiemTienNhanh",
    "LikeMoney",
    "ShopeeHub",
    "Lazada Plus",
    "TikMoney",
    "GoldEarn",
    "Vinvest",
    "MBFund",
]
EXCHANGE_FAKE = ["BitUSA Pro", "MetaFX Global", "CoinMax VN", "GoldTrade 365", "Binext"]
REGIONS = ["HANOI", "HCMC", "NPC", "CPC", "SPC"]
PLATE_PREFIX = ["29A", "30G", "51F", "51K", "43A", "59X", "37C", "92A", "14A"]
NEWS_SITES = [
    "vnexpress.net",
    "tuoitre.vn",
    "thanhnien.vn",
    "dantri.com.vn",
    "vietnamnet.vn",
    "znews.vn",
    "laodong.vn",
]
NEWS_SLUGS = [
    "canh-bao-thu-doan-lua-dao-moi",
    "lai-suat-tiet-kiem-thang-nay",
    "khong-khi-lanh-tran-ve-mien-bac",
    "cach-lam-banh-flan-tai-nha",
    "lich-thi-dau-doi-tuyen-viet-nam",
    "gia-vang-hom-nay",
    "huong-dan-kich-hoat-dinh-danh-dien-tu",
]
EMOJI = [
    "🎁",
    "🔥",
    "💰",
    "⚠️",
    "❗",
    "✅",
    "👉",
    "📞",
    "🎉",
    "💯",
    "⭐",
    "📦",
    "💳",
    "🙏",
    "😍",
    "❤️",
    "👇",
    "⏰",
    "💥",
    "🤑",
    "📣",
    "😊",
    "🥰",
    "🆘",
]
FAKE_TLDS = ["top", "xyz", "cc", "online", "site", "info", "vip", "club", "icu", "shop"]

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------

URL_RE = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*|\b[\w-]+\.(?:vn|com|top|xyz|cc|online|site|info|vip|club|icu|shop|me|ly|gle)\b\S*"
)


def strip_accents(text: str) -> str:
    """Vietnamese without diacritics, the way many SMS are typed (đ -> d)."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if not 0x0300 <= ord(c) <= 0x036F)
    return unicodedata.normalize("NFC", kept.replace("đ", "d").replace("Đ", "D"))


def has_accents(text: str) -> bool:
    return strip_accents(text) != text


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _token(
    rng: random.Random, n: int, alphabet: str = string.ascii_lowercase + string.digits
) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _group3(value: int, sep: str) -> str:
    return f"{value:,}".replace(",", sep)


def money(rng: random.Random, value: int, style: str | None = None) -> str:
    """An amount in one of the shapes Vietnamese posts use: 5.000.000đ, 5tr, 500k ..."""
    styles = ["dot_d", "dot_vnd", "comma_vnd", "short", "dot_d_plain", "words"]
    style = style or rng.choice(styles)
    if style == "dot_d":
        return _group3(value, ".") + "đ"
    if style == "dot_d_plain":
        return _group3(value, ".") + rng.choice(["d", " đồng", "đ"])
    if style == "dot_vnd":
        return _group3(value, ".") + rng.choice([" VND", " VNĐ", "VND"])
    if style == "comma_vnd":
        return _group3(value, ",") + rng.choice(["VND", " VND", "đ"])
    if style == "words":
        if value >= 1_000_000:
            m = value / 1_000_000
            return (f"{m:g}".replace(".", ",")) + " triệu"
        return f"{value // 1000} nghìn"
    # short: 5tr, 5tr5, 500k
    if value >= 1_000_000:
        m, rest = divmod(value, 1_000_000)
        if rest == 0:
            return f"{m}tr" if rng.random() < 0.7 else f"{m} triệu"
        if rest % 100_000 == 0:
            return f"{m}tr{rest // 100_000}"
        return _group3(value, ".") + "đ"
    return f"{value // 1000}k"


def _amount(rng: random.Random, lo: int, hi: int, step: int) -> int:
    return rng.randrange(lo // step, hi // step + 1) * step


def phone(rng: random.Random) -> str:
    prefix = rng.choice(
        [
            "090",
            "091",
            "093",
            "094",
            "096",
            "097",
            "098",
            "086",
            "088",
            "089",
            "032",
            "033",
            "034",
            "035",
            "037",
            "038",
            "039",
            "070",
            "076",
            "077",
            "078",
            "079",
            "081",
            "083",
            "085",
            "056",
            "058",
        ]
    )
    rest = _digits(rng, 7)
    num = prefix + rest
    shape = rng.choice(["plain", "plain", "4-3-3", "4-3-3", "dots", "3-3-4", "intl"])
    if shape == "plain":
        return num
    if shape == "4-3-3":
        return f"{num[:4]} {num[4:7]} {num[7:]}"
    if shape == "dots":
        return f"{num[:4]}.{num[4:7]}.{num[7:]}"
    if shape == "3-3-4":
        return f"{num[:3]} {num[3:6]} {num[6:]}"
    return rng.choice(["+84 ", "+84"]) + (
        f"{num[1:4]} {num[4:7]} {num[7:]}" if rng.random() < 0.5 else num[1:]
    )


def hotline(rng: random.Random) -> str:
    head = rng.choice(["1900", "1800"])
    body = _digits(rng, rng.choice([4, 4, 6]))
    if rng.random() < 0.5:
        return head + body
    return f"{head} {body}" if len(body) == 4 else f"{head} {body[:3]} {body[3:]}"


def account_number(rng: random.Random) -> str:
    n = rng.choice([10, 10, 12, 13, 14])
    first = rng.choice("0123456789")
    num = first + _digits(rng, n - 1)
    if rng.random() < 0.2:
        return " ".join(num[i : i + 4] for i in range(0, len(num), 4))
    return num


def full_name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}"


def fake_link(rng: random.Random, slug: str) -> str:
    """A lookalike or shortened link of the shapes phishing SMS use (invented domains)."""
    t = _token(rng, rng.randint(3, 5))
    tld = rng.choice(FAKE_TLDS)
    path = rng.choice(
        ["", "", "/xac-thuc", "/dang-nhap", "/login", "/nhan-qua", "/verify", f"/{t}"]
    )
    shapes = [
        f"https://{slug}-vn.com{path}",
        f"http://{slug}.vn-{t}.{tld}",
        f"https://{slug}-khachhang.{tld}{path}",
        f"{slug}vn.{tld}{path}",
        f"https://{slug}.com-vn.{tld}",
        f"https://ebank-{slug}.{tld}",
        f"https://{slug}.hotro-{t}.{tld}",
        f"{slug}-tri-an.{tld}",
        f"https://www.{slug}.vn-dangnhap.{tld}",
        f"http://{slug}-{t}.{tld}{path}",
        f"bit.ly/{_token(rng, 7, string.ascii_letters + string.digits)}",
        f"https://bit.ly/{_token(rng, 7, string.ascii_letters + string.digits)}",
        f"tinyurl.com/{slug[:4]}{t}",
        f"https://cutt.ly/{_token(rng, 6, string.ascii_letters + string.digits)}",
    ]
    return rng.choice(shapes)


def legit_link(rng: random.Random, site: str) -> str:
    path = rng.choice(["", "", "/khuyen-mai", "/uu-dai", "/tin-tuc", "/ca-nhan", "/lien-he"])
    return rng.choice([f"https://{site}{path}", f"{site}{path}", f"www.{site}{path}"])


def order_code(rng: random.Random) -> str:
    up = string.ascii_uppercase
    shapes = [
        lambda: f"{_digits(rng, 6)}{rng.choice(up)}{_token(rng, 5, up + string.digits)}",
        lambda: f"SPXVN{_digits(rng, 10)}",
        lambda: f"GY{_token(rng, 6, up + string.digits)}",
        lambda: f"{rng.choice(['S', 'SG', 'HN'])}{_digits(rng, 7)}",
        lambda: f"JT{_digits(rng, 9)}",
        lambda: f"LZD{_digits(rng, 7)}{rng.choice(up)}",
    ]
    return rng.choice(shapes)()


def masked_account(rng: random.Random) -> str:
    return rng.choice(
        [
            f"{_digits(rng, 4)}xxx{_digits(rng, 3)}",
            f"xxxx{_digits(rng, 4)}",
            f"*****{_digits(rng, 4)}",
            f"{_digits(rng, 3)}xxxxx{_digits(rng, 3)}",
            f"{_digits(rng, 4)}****{_digits(rng, 2)}",
        ]
    )


def date_str(rng: random.Random, year: bool = False) -> str:
    d, m = rng.randint(1, 28), rng.randint(1, 12)
    fmt = rng.choice(["{d:02d}/{m:02d}", "{d}/{m}", "{d:02d}-{m:02d}"])
    s = fmt.format(d=d, m=m)
    if year:
        s += ("/" if "/" in s else "-") + str(rng.choice([2025, 2026]))
    return s


class Slots:
    """Fills ``{slot}`` markers; the same slot name gets the same value within one message."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cache: dict[str, str] = {}
        self.bank = rng.choice(BANKS)
        self.shop = rng.choice(SHOPS)
        self.carrier = rng.choice(CARRIERS)
        self.wallet = rng.choice(WALLETS)
        self.courier = rng.choice(COURIERS)
        self.package = rng.choice(PACKAGES)
        self.tech = rng.choice(TECH_STORES)

    def day_month(self, offset: int) -> str:
        """A date; ``{date2}`` falls a few days after ``{date}`` in the same format."""
        if not hasattr(self, "_dm"):
            self._dm = (self.rng.randint(1, 16), self.rng.randint(1, 12))
            self._dm_fmt = self.rng.choice(["{d:02d}/{m:02d}", "{d}/{m}", "{d:02d}-{m:02d}"])
        d, m = self._dm
        return self._dm_fmt.format(d=d + offset, m=m)

    def __call__(self, match: re.Match) -> str:
        key = match.group(1)
        if key not in self.cache:
            self.cache[key] = self.make(key)
        return self.cache[key]

    def make(self, key: str) -> str:  # noqa: C901 - one flat table of slot makers
        rng = self.rng
        base = key.rstrip("0123456789")  # name2, amt_big2 ... behave like name, amt_big
        b_name, b_sender, b_site, b_slug = self.bank
        s_name, s_site, s_slug = self.shop
        c_name, c_sender, c_site, c_slug = self.carrier
        table = {
            "bank": lambda: b_name,
            "bank_up": lambda: b_sender,
            "bank_site": lambda: legit_link(rng, b_site),
            "bank_fake": lambda: fake_link(rng, b_slug),
            "apk_link": lambda: rng.choice(
                [
                    f"https://{b_slug}-app.{rng.choice(FAKE_TLDS)}/{b_slug}.apk",
                    f"http://dichvucong-{_token(rng, 4)}.{rng.choice(FAKE_TLDS)}/app.apk",
                    f"https://{s_slug}-plus.{rng.choice(FAKE_TLDS)}/download",
                    f"bit.ly/{_token(rng, 7, string.ascii_letters + string.digits)}",
                ]
            ),
            "shop": lambda: s_name,
            "shop_site": lambda: legit_link(rng, s_site),
            "shop_link": lambda: rng.choice(
                [
                    f"https://s.shopee.vn/{_token(rng, 9, string.ascii_letters + string.digits)}",
                    f"https://{s_site}/product/{_digits(rng, 6)}",
                    f"{s_site}/{rng.choice(['sale', 'flash-sale', 'deal-hot', 'mall'])}",
                ]
            ),
            "shop_fake": lambda: fake_link(rng, s_slug),
            "shop_store": lambda: rng.choice(SHOP_STORES),
            "tech_store": lambda: self.tech[0],
            "tech_site": lambda: legit_link(rng, self.tech[1]),
            "phone_price": lambda: money(
                rng,
                _amount(rng, 3_990_000, 34_990_000, 10_000),
                rng.choice(["dot_d", "dot_d_plain"]),
            ),
            "supermarket": lambda: rng.choice(SUPERMARKETS),
            "fashion_store": lambda: rng.choice(FASHION_STORES),
            "carrier": lambda: c_name,
            "carrier_up": lambda: c_sender,
            "carrier_site": lambda: legit_link(rng, c_site),
            "carrier_fake": lambda: fake_link(rng, c_slug),
            "pkg": lambda: self.package[0],
            "pkg_price": lambda: self.package[1],
            "gb": lambda: str(self.package[2]),
            "short_code": lambda: rng.choice(["191", "290", "9123", "999", "1543", "5005", "9084"]),
            "wallet": lambda: self.wallet[0],
            "wallet_fake": lambda: fake_link(rng, self.wallet[1]),
            "courier": lambda: self.courier[0],
            "courier_fake": lambda: fake_link(rng, self.courier[1]),
            "courier_site": lambda: rng.choice(
                [
                    f"https://{self.courier[2]}/tra-cuu",
                    self.courier[2],
                    f"{self.courier[2]}/tracking",
                ]
            ),
            "news_link": lambda: (
                "https://"
                + rng.choice(NEWS_SITES)
                + "/"
                + rng.choice(NEWS_SLUGS)
                + f"-{_digits(rng, 7)}.html"
            ),
            "yt": lambda: _token(rng, 11, string.ascii_letters + string.digits + "-_"),
            "drive_link": lambda: (
                f"https://drive.google.com/drive/folders/{_token(rng, 20, string.ascii_letters + string.digits)}"
            ),
            "gov_fake": lambda: fake_link(
                rng, rng.choice(["vneid", "dichvucong", "dinhdanh", "csgt", "thue", "bocongan"])
            ),
            "evn_fake": lambda: fake_link(rng, rng.choice(["evn", "evnhcmc", "dienluc", "evnspc"])),
            "social_fake": lambda: fake_link(
                rng, rng.choice(["facebook", "fb-support", "meta", "zalo", "tiktok", "fbhelp"])
            ),
            "short_link": lambda: fake_link(
                rng, rng.choice(["nhanqua", "quatang", "tri-an", "vongquay", "kiemtien", "hotro"])
            ),
            "form_link": lambda: rng.choice(
                [
                    f"forms.gle/{_token(rng, 10, string.ascii_letters + string.digits)}",
                    f"bit.ly/{_token(rng, 7, string.ascii_letters + string.digits)}",
                ]
            ),
            "tg": lambda: (
                rng.choice(["vip", "kiemtien", "dautu", "nhiemvu", "hr"]) + _token(rng, 4)
            ),
            "app_fake_name": lambda: rng.choice(APP_FAKE_NAMES),
            "exchange_fake": lambda: rng.choice(EXCHANGE_FAKE),
            "code_alpha": lambda: _token(rng, 6, string.ascii_uppercase + string.digits),
            "pts": lambda: _group3(_amount(rng, 5_000, 250_000, 500), rng.choice([".", ","])),
            "phone": lambda: phone(rng),
            "hotline": lambda: hotline(rng),
            "acct": lambda: account_number(rng),
            "acct_mask": lambda: masked_account(rng),
            "card_mask": lambda: rng.choice(
                [
                    f"4xxx xxxx xxxx {_digits(rng, 4)}",
                    f"5{_digits(rng, 3)}xxxxxxxx{_digits(rng, 4)}",
                    f"***{_digits(rng, 4)}",
                ]
            ),
            "otp": lambda: _digits(rng, 6),
            "otp_short": lambda: _digits(rng, 4),
            "name": lambda: full_name(rng),
            "first": lambda: rng.choice(GIVENS),
            "holder": lambda: strip_accents(full_name(rng)).upper(),
            "city": lambda: rng.choice(CITIES),
            "province": lambda: rng.choice(PROVINCES),
            "district": lambda: rng.choice(DISTRICTS),
            "ward": lambda: rng.choice(WARDS),
            "street": lambda: f"{rng.randint(2, 299)} {rng.choice(STREETS)}",
            "date": lambda: self.day_month(0),
            "date2": lambda: self.day_month(rng.randint(2, 12)),
            "date_full": lambda: date_str(rng, year=True),
            "time": lambda: f"{rng.randint(6, 23):02d}:{rng.randint(0, 59):02d}",
            "month": lambda: str(rng.randint(1, 12)),
            "year": lambda: str(rng.choice([2025, 2026])),
            "order": lambda: order_code(rng),
            "order_vn": lambda: f"{rng.choice(['EA', 'EB', 'RR', 'CP'])}{_digits(rng, 9)}VN",
            "amt_small": lambda: money(rng, _amount(rng, 20_000, 500_000, 10_000)),
            "amt_small_plain": lambda: money(
                rng,
                _amount(rng, 20_000, 900_000, 1_000),
                rng.choice(["dot_d", "dot_d_plain", "dot_vnd"]),
            ),
            "amt_fee": lambda: money(rng, _amount(rng, 150_000, 3_500_000, 50_000)),
            "amt_big": lambda: money(rng, _amount(rng, 2_000_000, 60_000_000, 500_000)),
            "amt_big_plain": lambda: money(
                rng,
                _amount(rng, 20_000_000, 900_000_000, 100_000),
                rng.choice(["dot_d", "dot_vnd"]),
            ),
            "amt_loan": lambda: money(rng, _amount(rng, 10_000_000, 300_000_000, 5_000_000)),
            "amt_prize": lambda: money(rng, _amount(rng, 5_000_000, 500_000_000, 5_000_000)),
            "tx": lambda: _group3(_amount(rng, 50_000, 50_000_000, 1_000), ","),
            "sd": lambda: _group3(_amount(rng, 100_000, 300_000_000, 1), ","),
            "price": lambda: money(
                rng,
                _amount(rng, 99_000, 1_590_000, 1_000),
                rng.choice(["dot_d", "short", "dot_d_plain"]),
            ),
            "price_cheap": lambda: money(rng, _amount(rng, 390_000, 8_000_000, 10_000)),
            "pct": lambda: str(rng.choice([10, 15, 20, 25, 30, 40, 50])),
            "usd": lambda: _group3(rng.choice([50_000, 80_000, 120_000, 200_000]), "."),
            "prize": lambda: rng.choice(PRIZES),
            "prize_vehicle": lambda: rng.choice(PRIZE_VEHICLES),
            "prize_phone": lambda: rng.choice(PRIZE_PHONES),
            "brand_any": lambda: rng.choice(BRANDS_ANY),
            "company_fake": lambda: rng.choice(COMPANY_FAKE),
            "company_legit": lambda: rng.choice(COMPANY_LEGIT),
            "hr_email": lambda: (
                rng.choice(["tuyendung", "hr", "recruit", "nhansu"])
                + "@"
                + rng.choice(["example.com", "example.vn", "congty-example.vn"])
            ),
            "finco": lambda: rng.choice(FINCOS),
            "airline": lambda: rng.choice(AIRLINES),
            "merchant": lambda: rng.choice(MERCHANTS),
            "ftcode": lambda: (
                f"FT{_digits(rng, 5)}{_token(rng, 5, string.ascii_uppercase + string.digits)}"
            ),
            "contract": lambda: f"HD{_digits(rng, 9)}",
            "evn_code": lambda: _token(rng, 2, string.ascii_uppercase) + _digits(rng, 6),
            "region": lambda: rng.choice(REGIONS),
            "ho_so": lambda: (
                f"000.00.{rng.randint(10, 40)}.H{rng.randint(10, 60)}-{_digits(rng, 6)}-{_digits(rng, 4)}"
            ),
            "plate": lambda: f"{rng.choice(PLATE_PREFIX)}-{_digits(rng, 3)}.{_digits(rng, 2)}",
            "kcn": lambda: rng.choice(KCNS),
            "uni": lambda: rng.choice(UNIS),
            "school": lambda: rng.choice(SCHOOLS),
            "place_event": lambda: rng.choice(PLACES_EVENT),
            "artist": lambda: rng.choice(ARTISTS),
            "team": lambda: rng.choice(TEAMS),
            "charity_legit": lambda: rng.choice(CHARITY_LEGIT),
            "charity_fake": lambda: rng.choice(CHARITY_FAKE),
            "phone_model": lambda: rng.choice(PHONE_MODELS),
            "product": lambda: rng.choice(PRODUCTS),
        }
        if key in table:
            return table[key]()
        if base in table:
            return table[base]()
        raise KeyError(f"unknown slot {{{key}}}")


SLOT_RE = re.compile(r"\{([a-z_0-9]+)\}")


def fill(template: str, rng: random.Random) -> str:
    text = SLOT_RE.sub(Slots(rng), template)
    if not has_accents(SLOT_RE.sub("", template)):
        text = strip_accents(text)  # a seed typed without diacritics stays without them
    return text


# --------------------------------------------------------------------------------------
# Surface variants
# --------------------------------------------------------------------------------------

# (phrase, short forms) - applied word-wise, outside links, with probability per hit.
TEENCODE = [
    ("số tài khoản", ["stk", "STK", "số tk"]),
    ("so tai khoan", ["stk", "STK", "so tk"]),
    ("chuyển khoản", ["ck", "chuyển khoản", "CK"]),
    ("chuyen khoan", ["ck", "CK"]),
    ("tài khoản", ["tk", "TK"]),
    ("tai khoan", ["tk", "TK"]),
    ("số điện thoại", ["sđt", "sdt"]),
    ("so dien thoai", ["sdt"]),
    ("điện thoại", ["đt", "dt"]),
    ("dien thoai", ["dt"]),
    ("liên hệ", ["lh", "LH", "l/h"]),
    ("lien he", ["lh", "LH"]),
    ("nhắn tin", ["ib", "inbox", "nt"]),
    ("nhan tin", ["ib", "inbox"]),
    ("kết bạn", ["kb", "add"]),
    ("ket ban", ["kb"]),
    ("không", ["ko", "k", "hok", "khum"]),
    ("khong", ["ko", "k", "kh"]),
    ("được", ["dc", "đc", "đk"]),
    ("duoc", ["dc", "dk"]),
    ("với", ["vs", "zới"]),
    ("voi", ["vs"]),
    ("rồi", ["r", "rùi"]),
    ("roi", ["r"]),
    ("bạn", ["bn", "b", "bạn"]),
    ("mình", ["mk", "mik", "mjnh"]),
    ("gì", ["j", "gì"]),
    ("nhé", ["nha", "nhe", "nhaa"]),
    ("vậy", ["v", "z", "zậy"]),
    ("biết", ["bít", "bik"]),
    ("trước", ["trc", "trk"]),
    ("truoc", ["trc"]),
    ("đăng ký", ["đk", "dk", "đăng kí"]),
    ("dang ky", ["dk", "dang ki"]),
    ("hôm nay", ["hnay", "hum nay"]),
    ("hom nay", ["hnay"]),
    ("thông tin", ["tt", "thông tin"]),
    ("triệu", ["tr", "củ"]),
    ("trieu", ["tr", "cu"]),
    ("miễn phí", ["free", "mp"]),
    ("mien phi", ["free"]),
    ("anh chị", ["a/c", "ac"]),
    ("anh/chị", ["a/c", "anh chị"]),
    ("anh chi", ["a/c"]),
    ("người", ["ng", "ngừi"]),
    ("nguoi", ["ng"]),
    ("nhiều", ["nhìu", "nhiu"]),
    ("nhieu", ["nhiu"]),
    ("trả lời", ["rep", "tl"]),
    ("ngân hàng", ["NH", "nh", "bank"]),
    ("ngan hang", ["NH", "bank"]),
    ("quý khách", ["QK", "qk", "quý khách"]),
    ("quy khach", ["QK", "qk"]),
    ("facebook", ["fb", "FB"]),
    ("Facebook", ["FB", "fb"]),
    ("zalo", ["zl", "Zalo", "za lô"]),
    ("Zalo", ["zalo", "zl", "ZL"]),
    ("tin nhắn", ["tn", "mess"]),
    ("luôn", ["lun", "luôn"]),
    ("yêu", ["iu", "yêu"]),
    ("cũng", ["cg", "cũng"]),
    ("chị", ["c", "c", "chế"]),
    ("em", ["e", "em"]),
    ("anh", ["a", "anh"]),
    ("nghìn", ["ngàn", "ngàn", "nghìn"]),
    ("hỗ trợ", ["hỗ trợ", "ht", "support"]),
    ("ho tro", ["ht", "support"]),
    ("gấp", ["gấp", "gap", "gấpp"]),
    ("thôi", ["thui", "thôi"]),
    ("vui lòng", ["vui lòng", "vlong"]),
    ("chuyển", ["chuyển", "chuyễn", "chuyen"]),
    ("ạ", ["ạ", "ak", "ạaa"]),
]
_TEEN_RES = [(re.compile(r"(?<!\w)" + re.escape(src) + r"(?!\w)"), outs) for src, outs in TEENCODE]
_PROTECT = {"khoản", "khoan", "stk", "tk", "STK", "TK", "tài", "tai"}


def _outside_urls(text: str, func) -> str:
    """Apply ``func`` to the parts of ``text`` that are not links."""
    out, pos = [], 0
    for m in URL_RE.finditer(text):
        out.append(func(text[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(func(text[pos:]))
    return "".join(out)


def teencode(text: str, rng: random.Random, p: float = 0.65) -> str:
    def apply(part: str) -> str:
        for pattern, outs in _TEEN_RES:
            part = pattern.sub(
                lambda m, outs=outs: rng.choice(outs) if rng.random() < p else m.group(0), part
            )
        return part

    return _outside_urls(text, apply)


def typos(text: str, rng: random.Random) -> str:
    """One to three keyboard slips: a dropped, doubled or swapped letter."""

    def apply(part: str) -> str:
        words = part.split(" ")
        idx = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha() and w not in _PROTECT]
        for i in rng.sample(idx, min(len(idx), rng.randint(1, 2))):
            w = words[i]
            j = rng.randrange(1, len(w) - 1)
            kind = rng.choice(["drop", "double", "swap"])
            if kind == "drop":
                w = w[:j] + w[j + 1 :]
            elif kind == "double":
                w = w[:j] + w[j] + w[j:]
            else:
                w = w[: j - 1] + w[j] + w[j - 1] + w[j + 1 :]
            words[i] = w
        return " ".join(words)

    return _outside_urls(text, apply)


def upper(text: str, rng: random.Random) -> str:
    if rng.random() < 0.6:
        return _outside_urls(text, str.upper)
    # only the first sentence or line shouts
    m = re.search(r"[.!?:\n]", text)
    cut = m.end() if m else len(text)
    return _outside_urls(text[:cut], str.upper) + text[cut:]


def lower(text: str, rng: random.Random) -> str:
    return _outside_urls(text, str.lower)


def add_emoji(text: str, rng: random.Random) -> str:
    picks = [rng.choice(EMOJI) for _ in range(rng.randint(1, 3))]
    where = rng.choice(["start", "end", "both"])
    if where == "start":
        return "".join(picks) + " " + text
    if where == "end":
        return text + " " + "".join(picks)
    return picks[0] + " " + text + " " + "".join(picks[1:] or picks)


def line_breaks(text: str, rng: random.Random) -> str:
    if "\n" in text:
        return re.sub(r"\s*\n+\s*", " ", text)
    return re.sub(
        r"([.!?])\s+(?=\S)", lambda m: m.group(1) + rng.choice(["\n", "\n\n", "\n"]), text
    )


def truncate(text: str, rng: random.Random) -> str:
    """A shorter message cut at a sentence end (only used on legitimate rows, see pick_recipe)."""
    ends = [m.end() for m in re.finditer(r"[.!?\n](?=\s)", text)]
    ends = [e for e in ends if 0.6 * len(text) <= e < len(text) - 10]
    if not ends:
        return text
    return text[: rng.choice(ends)].rstrip()


def squash_spaces(text: str, rng: random.Random) -> str:
    """SMS typed in a hurry: no space after punctuation, doubled spaces."""
    text = re.sub(
        r"([,.])\s(?=\w)", lambda m: m.group(1) if rng.random() < 0.5 else m.group(0), text
    )
    return text.replace(" - ", "-")


def no_accents(text: str, rng: random.Random) -> str:
    return strip_accents(text)


RECIPES = {
    "plain": [],
    "noaccent": [no_accents],
    "noaccent_teen": [no_accents, teencode],
    "noaccent_typo": [no_accents, typos],
    "noaccent_caps": [no_accents, upper],
    "noaccent_squash": [no_accents, squash_spaces],
    "teen": [teencode],
    "teen_typo": [teencode, typos],
    "teen_emoji": [teencode, add_emoji],
    "lower_teen": [lower, teencode],
    "caps": [upper],
    "emoji": [add_emoji],
    "breaks": [line_breaks],
    "trunc": [truncate],
    "typo": [typos],
    "noaccent_trunc": [no_accents, truncate],
}
RECIPE_WEIGHTS = {
    "sms": {
        "plain": 2,
        "noaccent": 4,
        "noaccent_teen": 2,
        "noaccent_typo": 2,
        "noaccent_caps": 1,
        "noaccent_squash": 2,
        "teen": 1,
        "caps": 1,
        "trunc": 1,
        "noaccent_trunc": 1,
        "typo": 1,
    },
    "social": {
        "plain": 3,
        "noaccent": 2,
        "noaccent_teen": 1,
        "teen": 2,
        "teen_emoji": 1,
        "caps": 1,
        "emoji": 2,
        "breaks": 2,
        "trunc": 2,
        "typo": 1,
        "lower_teen": 1,
    },
    "comment": {
        "plain": 2,
        "noaccent": 2,
        "noaccent_teen": 2,
        "teen": 3,
        "teen_typo": 2,
        "emoji": 2,
        "lower_teen": 2,
        "typo": 1,
    },
    "chat": {
        "plain": 2,
        "noaccent": 2,
        "noaccent_teen": 2,
        "teen": 3,
        "teen_typo": 2,
        "teen_emoji": 1,
        "lower_teen": 2,
        "breaks": 1,
        "typo": 1,
        "noaccent_typo": 1,
    },
}


def apply_recipe(text: str, name: str, rng: random.Random) -> str:
    for step in RECIPES[name]:
        text = step(text, rng)
    text = re.sub(r"[ \t]+", " ", text).strip()
    return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------------------
# Seed messages, written by hand for misinfo_clf. "style| text"; {slots} are filled above.
# --------------------------------------------------------------------------------------

SCAM_SEEDS: dict[str, list[str]] = {
    "phishing_bank": [
        "chat| Anh ơi em chuyển nhầm {amt_big} vào tài khoản của anh, anh quét mã QR này trả lại giúp em với, em cảm ơn nhiều ạ",
        "soc| {bank} hỗ trợ khách hàng vay ưu đãi bằng cách quét mã QR dưới đây để đăng nhập và xác thực khuôn mặt. Hạn chót đăng ký {date}.",
        "sms| {bank_up}: Tai khoan cua Quy khach dang duoc dang nhap tren thiet bi la (iPhone 13 Pro, {city}). Neu khong phai Quy khach thuc hien, vui long truy cap {bank_fake} de huy va bao ve tai khoan.",
        "sms| [{bank_up}] Quy khach co khoan tien {amt_big} dang cho xac nhan. Vui long dang nhap {bank_fake} trong 24h de nhan, qua thoi han giao dich se bi huy.",
        "sms| {bank_up} thong bao: Theo quy dinh moi cua NHNN, tai khoan chua cap nhat sinh trac hoc se bi tam ngung giao dich tu ngay {date}. Cap nhat tai: {bank_fake}",
        "soc| Ngân hàng {bank} thông báo: Quý khách được nâng hạn mức thẻ tín dụng lên {amt_loan}. Xác nhận trước 17h hôm nay tại {bank_fake} để không bị hủy ưu đãi.",
        "sms| {bank_up}: Giao dich chuyen tien {tx}VND den TK {acct_mask} dang cho xu ly. Neu khong phai QK thuc hien, huy ngay tai {bank_fake} hoac goi {phone}.",
        "sms| Kinh gui QK, the ATM cua QK se het han vao {date}. De gia han mien phi, vui long truy cap {bank_fake} va nhap day du thong tin the, ma OTP.",
        "chat| Chào anh/chị, em là nhân viên {bank} chi nhánh {city}. Hồ sơ mở thẻ tín dụng của anh/chị đã được duyệt, anh/chị đọc giúp em mã OTP vừa gửi về máy để em kích hoạt thẻ nhé.",
        "sms| {bank_up} canh bao: TK cua Quy khach phat sinh giao dich dang ngo {tx}VND. Xac minh chu tai khoan ngay tai {bank_fake} de tranh bi khoa vinh vien.",
        "soc| ⚠️ {bank} tri ân khách hàng: tặng {amt_small} cho 1.000 khách hàng đầu tiên đăng nhập ứng dụng qua đường link {bank_fake} trong tháng này. Nhanh tay kẻo lỡ!",
        "sms| Tu {date}, {bank} ngung ho tro ung dung phien ban cu. QK vui long tai ban moi tai {apk_link} de tiep tuc su dung dich vu.",
        "chat| Dạ em gửi anh link xác thực giao dịch bên {bank} ạ: {bank_fake}\nAnh đăng nhập bằng tài khoản app, nhập mã OTP xong là tiền về tài khoản ngay ạ.",
        "sms| {bank_up}: QK da dang ky thanh cong goi SMS Banking Premium phi {amt_fee}/thang. Neu khong dang ky, huy tai {bank_fake} truoc 23h59 hom nay.",
        "sms| Thong bao tu {bank}: TK cua ban nhan duoc {tx}VND tu {holder}. Giao dich bi tam giu do sai thong tin nguoi nhan. Xac nhan tai {bank_fake} de nhan tien.",
        "soc| {bank} hoàn phí thường niên thẻ cho khách hàng năm {year}. Kiểm tra số tiền được hoàn và nhận về tài khoản tại {bank_fake} (chỉ cần đăng nhập bằng tài khoản ngân hàng).",
        "sms| [{bank_up}] Smart OTP cua QK da bi khoa do nhap sai qua 5 lan. Mo khoa ngay: {bank_fake}",
        "chat| Chị ơi bên em là tổng đài {bank}, hệ thống ghi nhận thẻ của chị vừa bị trừ {amt_big} ở nước ngoài. Để chặn giao dịch chị đọc giúp em số thẻ, ngày hết hạn và 3 số mặt sau nha.",
        "sms| {bank}: Quy khach duoc mien phi chuyen khoan tron doi khi kich hoat goi tai khoan so dep. Kich hoat truoc {date} tai {bank_fake}",
    ],
    "account_locked": [
        "sms| Tai khoan Zalo cua ban da bi bao cao vi pham tieu chuan cong dong va se bi khoa sau 24h. Khang nghi tai: {social_fake}",
        "soc| Meta Business Support: Trang của bạn đã bị báo cáo vi phạm bản quyền. Nếu bạn không xác minh trong 24 giờ, trang sẽ bị gỡ vĩnh viễn. Gửi kháng nghị tại {social_fake}",
        "chat| Fanpage của bạn bị gắn cờ do quảng cáo vi phạm chính sách. Để mở lại, bạn vui lòng cung cấp email, mật khẩu và mã 2FA cho bộ phận hỗ trợ qua link {social_fake}",
        "sms| {wallet}: Vi cua ban tam thoi bi phong toa do nghi ngo giao dich bat thuong. De mo khoa, vui long xac thuc danh tinh tai {wallet_fake} trong hom nay.",
        "sms| TikTok: Tai khoan cua ban co {pts} xu chua rut va sap bi khoa. Xac minh tai {social_fake} de rut ve vi {wallet}.",
        "soc| THÔNG BÁO: Tài khoản Facebook của bạn sẽ bị vô hiệu hóa vĩnh viễn vì đăng nội dung vi phạm. Nếu đây là nhầm lẫn, bấm vào {social_fake} để yêu cầu xem xét lại.",
        "sms| {bank_up}: Tai khoan cua Quy khach bi tam khoa do chua cap nhat CCCD gan chip. Vui long cap nhat tai {bank_fake} de mo khoa.",
        "chat| Zalo thông báo: Bạn vừa đăng nhập trên thiết bị khác. Để giữ tài khoản, hãy nhắn lại mã 6 số vừa gửi tới số điện thoại của bạn cho Zalo hỗ trợ.",
        "sms| Apple ID cua ban da bi khoa vi ly do bao mat. Truy cap {short_link} de mo khoa truoc {date}, neu khong toan bo du lieu iCloud se bi xoa.",
        "sms| Gmail cua ban da day dung luong va se ngung nhan thu tu ngay mai. Nang cap mien phi 50GB tai {short_link}",
        "soc| Tài khoản {shop} của bạn bị tạm khóa do nghi ngờ gian lận đơn hàng. Liên hệ CSKH qua zalo {phone} để được mở khóa, số dư ví sẽ được hoàn lại.",
        "chat| Chào bạn, đây là đội ngũ hỗ trợ Instagram. Tài khoản của bạn được chọn để nhận tick xanh miễn phí, bạn vui lòng đăng nhập tại {social_fake} để xác minh trong hôm nay.",
    ],
    "fake_prize": [
        "cmt| b trúng quà rồi nha, ib page nhận liền 🎁",
        "sms| Ban trung 1 iPhone 16! Nhan tai {short_link}",
        "sms| Chuc mung thue bao {phone} da trung thuong 1 xe {prize_vehicle} trong chuong trinh tri an khach hang cua {shop}. Vui long lien he {phone2} de nhan giai.",
        "soc| 🎉 CHÚC MỪNG! Tài khoản của bạn đã được chọn ngẫu nhiên nhận {prize} từ chương trình {shop} Tri Ân {year}. Để nhận quà, bạn chỉ cần thanh toán phí vận chuyển và thuế {amt_fee}. Nhấn vào {shop_fake}",
        "chat| Chào bạn, bên mình là ban tổ chức minigame {brand_any}. Bạn đã trúng giải nhì trị giá {amt_prize}. Để nhận thưởng bạn vui lòng chuyển trước {amt_fee} phí làm hồ sơ và thuế thu nhập cá nhân vào số tài khoản {acct} ({bank}).",
        "cmt| Chúc mừng bạn đã trúng giải trong livestream hôm qua 🎁 inbox page để nhận quà nha, nhớ kết bạn zalo {phone} để được hỗ trợ nhanh",
        "sms| [{carrier_up}] Chuc mung QK trung {amt_prize} tu chuong trinh quay so thue bao may man thang {month}. Truy cap {carrier_fake} de lam thu tuc nhan thuong.",
        "soc| XÁC NHẬN TRÚNG THƯỞNG ✅\nAnh/chị {name} đã trúng 1 chiếc {prize_phone} từ chương trình tri ân của {shop}.\nPhí bảo hiểm vận chuyển {amt_fee} thanh toán trước qua {wallet}, máy giao tận nhà trong 2 ngày.",
        "chat| Em ơi chị bên chăm sóc khách hàng {shop} nè, đơn hàng của em được bốc thăm trúng quà tri ân. Em gửi chị số điện thoại, địa chỉ và mã OTP hệ thống gửi về để chị lên đơn quà nha.",
        "sms| Tong dai {hotline}: So thue bao cua quy khach trung giai dac biet chuong trinh Sinh Nhat {carrier} tri gia {amt_prize}. Goi lai {phone} gap trong hom nay de xac nhan.",
        "soc| 🔥 Vòng quay may mắn {brand_any} – 100% trúng thưởng! Quay ngay tại {short_link} nhận iPhone, tiền mặt đến {amt_prize}. Chỉ cần nhập số điện thoại và mã xác thực.",
        "sms| Ban da trung 01 phan qua gia tri {amt_prize} trong chuong trinh khach hang than thiet. Ma du thuong: {code_alpha}. Nhan thuong tai {short_link} truoc {date}.",
        "cmt| Chúc mừng {name} trúng giải tuần này của page nhé 🎉🎉 vào link {short_link} điền thông tin nhận quà, phí ship {amt_small} chuyển khoản trước nha",
        "chat| Bạn trúng 1 phần quà từ chương trình Tri ân của {shop} nhưng chưa đủ điều kiện nhận vì tài khoản chưa kích hoạt. Bạn chuyển {amt_fee} để kích hoạt, hệ thống hoàn lại cùng tiền thưởng trong 5 phút.",
        "soc| Ban tổ chức xổ số điện toán thông báo: số điện thoại {phone} trúng giải Jackpot {amt_prize}. Liên hệ luật sư {name} qua zalo để làm thủ tục nộp thuế trước khi nhận giải.",
        "sms| CHUC MUNG! Thue bao cua ban nhan duoc 1 the cao {amt_small} tu {carrier}. Truy cap {carrier_fake} va nhap ma OTP de nap vao tai khoan.",
        "chat| Alo anh ơi, em bên Honda Việt Nam, số khung xe của anh trúng thưởng tri ân 1 chỉ vàng và {amt_prize}. Anh nộp trước 10% thuế là {amt_fee} vào tài khoản công ty để bên em làm giấy tờ trao giải ạ.",
    ],
    "app_bonus": [
        "sms| Nhan 200k mien phi tai {short_link} , chi hom nay!",
        "cmt| nạp 100 nhận 300, rút liền, ib e",
        "soc| Tải app {app_fake_name} nhận ngay {amt_small} vào ví, mời 1 bạn thêm {amt_small2} 💰 rút tiền về {bank} trong 5 phút, uy tín 100%. Link tải: {short_link}",
        "chat| Em ơi tải app này đi, nạp {amt_small} là được tặng gấp 3, chơi vài ván là rút được tiền thật luôn. Chị rút {amt_big} rồi nè: {short_link}",
        "sms| {wallet} tang ban {amt_small}! Nhan qua bang cach dang nhap tai {wallet_fake} va xac thuc OTP truoc 24h hom nay.",
        "soc| Ứng dụng kiếm tiền online mới ra: xem video, like bài là có tiền, mỗi ngày 100k–300k. Đăng ký bằng mã mời {code_alpha} để được cộng {amt_small3} ngay 👉 {short_link}",
        "cmt| app này uy tín nha mn, mình vừa rút {amt_small} về momo xong 😍 ai cần link ib mình",
        "soc| 🎁 Nhập code {code_alpha} tại {short_link} nhận {amt_small} tiền thưởng tân thủ. Nạp lần đầu được thưởng 200%, không giới hạn rút!",
        "chat| chị ơi bên em đang khuyến mãi, nạp 500k nhận 1tr5 vào tài khoản game, thắng rút ngay về ngân hàng. chị kết bạn zalo {phone} em gửi link nha",
        "sms| Ban nhan duoc {amt_small} tu chuong trinh hoan tien {shop}. Tai ung dung {shop} Plus tai {apk_link} de rut tien.",
        "soc| Cày điểm trên app mua sắm, mỗi đơn hoàn tiền 15–30% 🤑 chỉ cần nạp tối thiểu {amt_small} để mở khóa nhiệm vụ VIP. Tham gia nhóm Telegram: t.me/{tg}",
        "cmt| ai muốn kiếm thêm 300-500k/ngày chỉ với điện thoại thì ib em, không cần vốn, chỉ cần nạp {amt_small} kích hoạt tài khoản là làm được",
        "sms| Tang ban 100 luot quay mien phi tai {short_link}, 100% trung tien mat, rut ve {wallet} ngay. Het han sau 2 gio.",
    ],
    "customs_fee": [
        "sms| Cuc Hai quan: Buu pham {order_vn} gui toi ban co hang cam, se chuyen co quan dieu tra neu khong nop phat {amt_fee} trong hom nay. Chi tiet: {short_link}",
        "chat| Em ơi anh là sĩ quan Mỹ làm nhiệm vụ ở Syria, anh gửi em thùng hàng có vàng và USD, bên công ty vận chuyển báo em cần đóng {amt_big} phí bảo hiểm trước khi nhận nhé.",
        "sms| {courier}: Buu kien quoc te cua quy khach dang bi giu tai Hai quan Tan Son Nhat do chua nop thue nhap khau {amt_fee}. Thanh toan tai {courier_fake} trong 48h de tranh bi hoan tra.",
        "chat| Hello em yêu, anh đã gửi cho em một hộp quà gồm đồng hồ, túi xách và {usd} USD tiền mặt. Hải quan sân bay Nội Bài sẽ gọi em để đóng phí thông quan {amt_fee}, em đóng giúp anh nhé, anh sẽ gửi lại sau.",
        "chat| Chào chị {name}, tôi là nhân viên Hải quan sân bay. Kiện hàng người thân từ Mỹ gửi cho chị có chứa ngoại tệ nên cần nộp phí chống rửa tiền {amt_big} vào tài khoản {acct} trước khi nhận.",
        "sms| VNPost: Ban co 01 buu pham tu nuoc ngoai chua du dieu kien phat do thieu phi luu kho {amt_small}. Thanh toan ngay: {courier_fake}",
        "soc| Thông báo từ Cục Hải quan: lô hàng mã {order} gửi tới địa chỉ của anh/chị bị tạm giữ do khai báo sai giá trị. Vui lòng nộp phạt {amt_fee} qua tài khoản cá nhân của cán bộ phụ trách {holder} – STK {acct} {bank}.",
        "chat| dear, kiện hàng đã tới VN rồi, bên vận chuyển báo cần thêm phí bảo hiểm {amt_big} mới giao được. em chuyển khoản cho họ giúp anh, anh đang ở trên tàu không chuyển được 😢",
        "sms| DHL: Kien hang {order} cua ban dang cho thong quan. Phi thue {amt_small} can duoc thanh toan truoc {date}. {short_link}",
        "chat| Chúc mừng em, kiện hàng quà tặng trị giá 80.000 USD đã được thông quan 90%. Em cần nộp nốt phí chứng nhận nguồn gốc {amt_big} là bên anh giao ngay trong hôm nay.",
    ],
    "activation_fee": [
        "chat| Hồ sơ vay {amt_loan} của anh/chị đã được duyệt. Tuy nhiên tài khoản nhận tiền bị sai 1 ký tự nên hệ thống đóng băng khoản vay. Anh/chị vui lòng nộp {amt_fee} phí mở băng, phí này được hoàn lại cùng khoản vay.",
        "sms| Chuc mung QK duoc duyet the tin dung han muc {amt_loan}. Phi phat hanh va kich hoat the {amt_fee} chuyen vao STK {acct} ({bank}) noi dung: ho ten + SDT. The se duoc giao trong 3 ngay.",
        "chat| Em bên tuyển dụng nè, anh đã trúng tuyển vị trí nhân viên kho. Anh đóng giúp em {amt_fee} tiền đồng phục và thẻ nhân viên trước để em làm hồ sơ, nhận việc sẽ trả lại trong lương tháng đầu.",
        "soc| Tài khoản cộng tác viên của bạn đang có {amt_big} tiền hoa hồng nhưng chưa kích hoạt chức năng rút. Nạp {amt_fee} để xác minh, toàn bộ số tiền sẽ về tài khoản ngân hàng ngay.",
        "sms| He thong thong bao: Tai khoan cua ban dang co {amt_big} chua rut. Dong phi thue thu nhap 10% ({amt_fee}) de mo khoa chuc nang rut tien. LH CSKH zalo {phone}.",
        "chat| Anh ơi khoản giải ngân {amt_loan} đã sẵn sàng, nhưng theo quy định anh cần chứng minh tài chính bằng cách chuyển {amt_fee} vào tài khoản công ty, 15 phút sau hệ thống giải ngân cả gốc lẫn tiền chứng minh ạ.",
        "soc| [Thông báo] Bạn đã được chọn làm đại lý cấp 1 của {shop}. Để kích hoạt gian hàng, vui lòng đóng phí bảo đảm {amt_big}, hoàn trả 100% sau 30 ngày kinh doanh.",
        "sms| Ho so nhan tro cap that nghiep cua ban da duoc phe duyet {amt_big}. Vui long nop le phi {amt_small} qua {short_link} de nhan tien trong ngay.",
        "chat| Dạ thẻ ATM rút tiền khoản vay của chị đã in xong, bưu điện sẽ giao trong hôm nay. Chị chuyển trước {amt_small} phí kích hoạt thẻ để bưu tá giao nhé, không có phí này thẻ không dùng được ạ.",
    ],
    "fake_job_task": [
        "soc| Tuyển lao động đi Nhật, Hàn đơn hàng gấp, bay sau 1 tháng, lương 35–40 triệu. Chỉ cần đặt cọc {amt_big} giữ suất, không cần học tiếng. Liên hệ {phone}.",
        "chat| Con chị đủ điều kiện đi du học Úc có học bổng 50% rồi nhé, chị chuyển trước {amt_big} phí xử lý hồ sơ vào tài khoản cá nhân của thầy để kịp hạn nộp.",
        "soc| 📢 [{shop}] TUYỂN DỤNG CỘNG TÁC VIÊN ONLINE THÁNG {month} 📢\nMô tả công việc: hỗ trợ shop tăng đơn bằng cách đặt đơn trên hệ thống, sau mỗi đơn được hoàn gốc ngay và hưởng hoa hồng 8–15%.\nQuyền lợi: làm việc tại nhà, thời gian tự do, thu nhập 300.000–1.500.000đ/ngày, nhận lương ngay trong ngày về tài khoản ngân hàng.\nYêu cầu: từ 18 tuổi, có điện thoại thông minh và tài khoản ngân hàng chính chủ.\nSố lượng có hạn, ứng tuyển bằng cách nhắn tin zalo {phone} (chị {first} – phòng nhân sự).",
        "soc| TUYỂN CTV LÀM VIỆC ONLINE TẠI NHÀ 🏠\nChỉ cần điện thoại có mạng, làm 1-2h/ngày, thu nhập 300k–800k/ngày.\nCông việc: đặt đơn tăng tương tác cho shop {shop}, hoàn tiền gốc + hoa hồng 10–20% ngay sau mỗi đơn.\nIb zalo {phone}.",
        "chat| Chào bạn, mình là HR của {shop}. Bên mình đang cần người làm nhiệm vụ like video TikTok, mỗi like 10k-15k. Bạn kết bạn zalo {phone} để nhận nhiệm vụ đầu tiên nhé.",
        "chat| Nhiệm vụ tiếp theo là nhiệm vụ combo 3 đơn, bạn cần thanh toán đủ {amt_big} để hệ thống hoàn tiền cả gốc lẫn hoa hồng. Nếu dừng giữa chừng, tài khoản sẽ bị đóng băng và không rút được.",
        "sms| {company_fake} tuyen 20 nhan vien nhap lieu tai nha, luong 8-12tr/thang, khong can kinh nghiem. Ket ban zalo {phone} de phong van online.",
        "soc| 💼 Việc nhẹ lương cao: cần 10 bạn nữ 18–30 tuổi đi làm ở Campuchia, bao ăn ở, bao vé máy bay, lương 1.500 USD/tháng, không cần bằng cấp. Ib gấp!",
        "cmt| bên e đang tuyển cộng tác viên đánh giá sản phẩm, làm tại nhà, nhận lương ngày, ai quan tâm để lại sđt hoặc ib e nha 💕",
        "chat| Chào anh/chị, em là nhân viên tuyển dụng của Lazada. Hồ sơ của anh/chị phù hợp vị trí cộng tác viên tăng doanh số. Công việc: thanh toán đơn hàng giúp shop, nhận lại tiền gốc và hoa hồng 15% trong 5 phút.",
        "soc| Tuyển gấp 50 người đánh máy chép truyện, 50k/trang, trả lương cuối ngày. Yêu cầu đặt cọc tài liệu {amt_small} (hoàn lại sau khi hoàn thành trang đầu tiên).",
        "sms| Xin chao, chung toi la doi ngu tuyen dung cua TikTok Shop. Ban co the kiem 500.000 - 3.000.000 VND/ngay chi voi thoi gian ranh. Lien he Telegram: t.me/{tg}",
        "chat| Chị vừa hoàn thành 3 nhiệm vụ rồi nè, hệ thống đã trả hoa hồng {amt_small}. Giờ nhiệm vụ VIP cần nạp {amt_big}, lợi nhuận 30%, làm xong rút ngay nhé chị.",
        "soc| [TUYỂN DỤNG] {company_fake} cần tuyển nhân viên xem quảng cáo YouTube, lương 200-500k/ngày. Chỉ cần đóng phí tài liệu hướng dẫn {amt_small}. Liên hệ: {phone}",
        "cmt| Mình làm được 2 tuần rồi, mỗi ngày kiếm 400-600k nhờ việc đánh giá 5 sao cho shop. Ai cần thì inbox, mình chỉ cho ✅",
        "chat| Em ơi hồ sơ em đạt rồi nha, giờ em tải app {app_fake_name} theo link {short_link}, đăng ký bằng sđt và nạp {amt_small} để mở tài khoản nhận đơn.",
        "soc| Tuyển người giao hàng cho {courier}, thu nhập 15-20tr, nhận việc ngay. Nộp phí đăng ký và đồng phục {amt_fee} qua STK {acct} để giữ chỗ, số lượng có hạn!",
        "sms| [Tuyen dung] Viec lam them tai nha: danh gia san pham Shopee, 200k-500k/don. Nhan tin Zalo {phone} (Ms {first}).",
        "chat| Anh ơi, anh thoát ra trong lúc làm nhiệm vụ nên hệ thống báo lỗi thao tác. Anh cần nạp thêm {amt_big} phí sửa lỗi thì toàn bộ {amt_big2} mới rút về được ạ.",
        "cmt| Tuyển 5 bạn làm online, mỗi ngày chỉ cần 1 tiếng thả tim video là có {amt_small}, không cọc không phí. Kb zalo em để nhận việc liền nha 👇",
    ],
    "loan": [
        "cmt| cần vay ib, duyệt 5p, k cần giấy tờ",
        "soc| 💵 VAY TIỀN ONLINE – GIẢI NGÂN 15 PHÚT 💵\nKhông thẩm định, không cần gặp mặt, chỉ cần CCCD.\nHạn mức lên đến {amt_loan}. Nợ xấu vẫn vay được.\nLiên hệ zalo {phone}.",
        "sms| Ho tro vay von {amt_loan} lai suat 0.5%/thang, khong the chap, duyet ho so trong 5 phut. Tai app tai {short_link} de dang ky.",
        "chat| Chị ơi hồ sơ vay của chị đã được duyệt {amt_loan}, chị chuyển giúp em {amt_fee} phí bảo hiểm khoản vay vào STK {acct} để em giải ngân ngay ạ.",
        "cmt| Cần tiền gấp ib em, hỗ trợ vay nóng không cần giấy tờ, nợ xấu cũng duyệt, giải ngân trong ngày 🤝",
        "soc| Vay tín chấp {bank} ưu đãi: chỉ cần CCCD + ảnh chân dung, không cần chứng minh thu nhập, duyệt 100% hồ sơ. Đăng ký: {bank_fake}",
        "sms| Ban du dieu kien vay {amt_loan} tu {finco}. Giai ngan trong 10 phut, khong can ho so. Dang ky ngay: {short_link}",
        "chat| Dạ bên em là công ty tài chính, anh vay {amt_loan} thì cần đóng trước 10% phí thẩm định, khoản này hoàn lại khi giải ngân. Anh chuyển khoản qua số tài khoản cá nhân của kế toán giúp em.",
        "soc| Hỗ trợ sinh viên vay {amt_big} không lãi trong 3 tháng đầu 📚 chỉ cần thẻ sinh viên, duyệt online. Inbox page để nhận link đăng ký.",
        "chat| Dạ app báo anh nhập sai số tài khoản khi đăng ký vay nên khoản vay bị treo ạ. Anh cần chuyển {amt_fee} để bộ phận kỹ thuật chỉnh sửa thông tin, sau đó sẽ giải ngân cả khoản vay lẫn phí.",
        "sms| Goi vay uu dai {amt_loan} duyet ngay, chi can sdt chinh chu va CCCD. Lien he {phone} (Zalo) hoac vao {short_link}",
        "soc| GIẢI NGÂN KHẨN CẤP trong 30 phút ✅ Không cần thế chấp ✅ Không gọi người thân ✅ Lãi 0% tháng đầu. Đăng ký tại link: {short_link}",
        "cmt| vay qua app bên chị đi e, nhận 5tr ngay không cần giấy tờ, chỉ cần cho app quyền truy cập danh bạ là duyệt",
    ],
    "investment_crypto": [
        "soc| MÌNH ĐÃ THAY ĐỔI CUỘC ĐỜI NHỜ ĐẦU TƯ ĐÚNG CÁCH 💰\nNăm ngoái mình còn nợ 200 triệu, đi làm công nhân lương 7 triệu. Tình cờ được anh trong nhóm giới thiệu vào cộng đồng đầu tư của chuyên gia {name}, chỉ sau 3 tháng mình đã trả hết nợ và mua được xe.\nChuyên gia gửi tín hiệu vào lệnh mỗi tối, tỷ lệ thắng trên 90%, vốn chỉ từ {amt_fee}. Nhóm chỉ nhận thêm 20 thành viên trong tuần này, ai muốn đổi đời thì comment 'THAM GIA' hoặc kết bạn zalo {phone} để được thêm vào nhóm.\nLưu ý: không dành cho người không nghiêm túc!",
        "soc| Đầu tư USDT lợi nhuận 3–5%/ngày, cam kết không lỗ, rút vốn bất cứ lúc nào. Hơn 20.000 nhà đầu tư đã tham gia. Vào nhóm Telegram t.me/{tg} để được chuyên gia hướng dẫn.",
        "chat| Anh ơi em mới vào sàn này được 2 tuần mà lãi {amt_big} rồi, có chuyên gia phân tích kèm từng lệnh. Anh vào thử với {amt_fee} thôi, không lời em đền 😄",
        "soc| 🚀 {company_fake} cam kết lợi nhuận 30%/tháng, hoàn vốn 100% nếu lỗ. Nhận ủy thác từ {amt_big}. Liên hệ {phone} để ký hợp đồng.",
        "sms| Co hoi dau tu vang online lai 2%/ngay, nap toi thieu {amt_small}. Dang ky tai {short_link}",
        "chat| Chú nhận được lệnh từ thầy rồi, 8h tối nay vào lệnh BTC cùng nhóm, mỗi người nạp tối thiểu {amt_big} vào sàn {exchange_fake}. Lãi chia 20% cho thầy.",
        "cmt| Tham gia nhóm kín cùng chuyên gia phân tích chứng khoán, tỷ lệ thắng 95%, mỗi tháng x2 tài khoản. Ib để nhận link zalo nhóm VIP miễn phí nhé",
        "soc| Dự án tiền số mới của người Việt, mua presale giá 0.01$, sau khi lên sàn dự kiến x100. Chỉ còn 48 giờ! Mua tại {short_link}",
        "chat| Em chào chị, em là trợ lý của chuyên gia. Tài khoản của chị đang lãi 180% nhưng muốn rút phải nộp 15% phí giao dịch ({amt_big}) vào ví công ty trước ạ.",
        "soc| Nuôi ví nhận lãi ngày: gửi {amt_big}, mỗi ngày nhận {amt_small}, 30 ngày thu hồi vốn, sau đó là lãi vĩnh viễn. Giới thiệu thêm người được hoa hồng 10%.",
        "sms| Chuc mung ban duoc chon vao nhom dau tu VIP cua {company_fake}. Loi nhuan dam bao 1.5%/ngay. Ket ban Zalo {phone} de nhan tai lieu.",
        "chat| Anh đừng lo, sàn có giấy phép ở Mỹ, em rút về rồi đây. Anh nạp thêm {amt_big} để lên VIP 3 thì mỗi lệnh lãi gấp đôi.",
        "soc| Mua đất nền dự án sân bay giá gốc chủ đầu tư, chỉ cần cọc {amt_big}, cam kết mua lại sau 6 tháng với giá +40%. Cọc qua tài khoản cá nhân để được giữ lô đẹp.",
        "cmt| Thầy ơi em theo nhóm được 1 tháng, vốn 20tr giờ thành 65tr rồi 🙏 ai muốn vào nhóm của thầy thì ib em gửi link nhé",
    ],
    "impersonation_police": [
        "chat| Alo, tôi là cán bộ Công an {district}. Chị {name} có liên quan đến một đường dây rửa tiền. Để chứng minh trong sạch, chị chuyển toàn bộ số dư vào tài khoản tạm giữ của cơ quan điều tra: STK {acct}.",
        "sms| Cong an TP {city}: Ban co giay trieu tap lien quan den vu an lua dao. Vui long lien he can bo dieu tra {name} qua so {phone} trong hom nay de lam viec, neu khong se bi bat giu.",
        "chat| Tôi là Đại úy {name}, Phòng Cảnh sát hình sự. Số CCCD của anh đã bị dùng để mở tài khoản ngân hàng phục vụ buôn bán ma túy. Anh tuyệt đối giữ bí mật, không được nói với người nhà và làm theo hướng dẫn của tôi.",
        "sms| Cuc CSGT thong bao: phuong tien bien so {plate} vi pham giao thong, bien ban phat nguoi {amt_fee}. Nop phat truc tuyen tai {gov_fake} de tranh bi cuong che.",
        "chat| Anh là cán bộ công an phường, đang làm sạch dữ liệu dân cư. Em cài giúp anh ứng dụng Dịch vụ công theo link {apk_link} và làm theo hướng dẫn để được cấp định danh mức 2 nhé.",
        "soc| Bộ Công an thông báo: các tài khoản ngân hàng chưa xác thực sinh trắc học sẽ bị đóng băng. Công dân cập nhật khẩn cấp tại {gov_fake}",
        "chat| Viện kiểm sát nhân dân tối cao thông báo lệnh bắt tạm giam đối với anh/chị. Để được tại ngoại, anh/chị nộp {amt_big} tiền bảo lãnh vào tài khoản của Viện trước 15h hôm nay.",
        "sms| Doi CSGT so 3 thong bao: Xe cua anh/chi bi chup hinh vuot den do ngay {date}. Lien he can bo {name} {phone} de nop phat nhanh, tranh bi giu bang lai.",
        "chat| Đây là cuộc gọi từ cơ quan công an. Chúng tôi cần chị đọc mã OTP ngân hàng vừa gửi về để xác minh tài khoản không liên quan đến vụ án. Nếu không hợp tác, chị sẽ bị khởi tố.",
        "soc| ⚠️ Cơ quan công an đang rà soát danh sách người có tài khoản liên quan đến cá độ bóng đá. Kiểm tra tên bạn tại {gov_fake} (nhập số CCCD và mật khẩu ngân hàng).",
        "chat| Chào anh, tôi gọi từ Công an phường. Anh có bưu phẩm chứa hàng cấm bị thu giữ, nếu không muốn bị triệu tập thì kết bạn zalo {phone} để cán bộ thụ lý hướng dẫn nộp tiền đảm bảo.",
    ],
    "impersonation_carrier": [
        "sms| {carrier}: So thue bao cua quy khach dang bi dung de phat tan tin nhan rac va se bi khoa. Bam phim 9 hoac goi {phone} de gap tong dai vien.",
        "chat| Em chào anh, em là nhân viên {carrier}, số điện thoại của anh đã đăng ký gói cước 2 triệu/tháng. Anh muốn hủy thì em chuyển máy sang bộ phận ngân hàng để hoàn tiền ạ.",
        "sms| {carrier_up}: Thue bao cua quy khach se bi khoa 2 chieu trong 24h do chua chuan hoa thong tin. Vui long goi {phone} hoac truy cap {carrier_fake} de cap nhat.",
        "chat| Alo, em là nhân viên tổng đài {carrier}. Sim của chị sắp bị thu hồi vì chưa đồng bộ CCCD. Chị đọc giúp em số CCCD và mã 6 số tin nhắn vừa gửi để em cập nhật luôn ạ.",
        "sms| {carrier}: Chuc mung quy khach duoc nang cap goi cuoc VIP mien phi 12 thang. Xac nhan tai {carrier_fake} bang cach nhap so the ngan hang de hoan tat.",
        "sms| Tai khoan goc cua thue bao {phone} con {amt_small} va diem {carrier}++ sap het han. Doi qua tai {carrier_fake} truoc {date}.",
        "sms| {carrier_up} TB: Quy khach dang bi tru cuoc {amt_small}/ngay cho dich vu gia tri gia tang. De huy va duoc hoan tien, goi ngay {phone}.",
        "soc| Nhà mạng {carrier} tri ân: tặng 100GB data và {amt_small} tài khoản cho thuê bao trả trước. Đăng ký nhận qua {carrier_fake}, nhập số thuê bao và mã OTP.",
        "sms| Thong bao: So thue bao cua ban co cuoc phat sinh no {amt_fee} chua thanh toan. Thanh toan ngay qua STK {acct} ({bank}) de tranh bi cat lien lac.",
        "chat| Dạ em gọi từ {carrier}, gói cước của anh sắp bị tăng giá gấp đôi từ tháng sau. Anh chuyển {amt_small} giữ giá cũ trọn đời vào số tài khoản em gửi qua zalo nha.",
    ],
    "sim_upgrade_otp": [
        "sms| {carrier_up}: Sim cua Quy khach da qua 10 nam chua cap nhat, se bi thu hoi so trong 48h. Goi {phone} de duoc nhan vien ho tro doi sim tai nha, chuan bi san ma OTP.",
        "chat| Dạ chị ơi em là nhân viên {carrier} đang hỗ trợ chuyển sim 4G lên eSIM. Chị vào tin nhắn, bấm vào mã QR em gửi qua zalo rồi đọc cho em dãy số hiện trên màn hình nhé.",
        "cmt| ai cần đổi sim số đẹp chính chủ tại nhà ib em, chỉ cần gửi ảnh CCCD 2 mặt với mã xác nhận nhà mạng gửi về là xong",
        "chat| anh ơi em là bạn của chị {first}, em đang đăng nhập facebook mà nó gửi mã về số anh, anh đọc giúp em mã đó với ạ",
        "chat| Em gọi từ {carrier}, bên em đang có chương trình đổi sim miễn phí lên eSIM. Chị soạn tin theo cú pháp em gửi rồi đọc mã xác nhận cho em là xong ạ.",
        "sms| {carrier_up}: Sim 4G cua quy khach sap ngung hoat dong. Nang cap sim 5G mien phi bang cach soan tin theo huong dan cua tong dai vien va cung cap ma xac nhan.",
        "chat| Anh ơi em là nhân viên nhà mạng, anh vừa nhận mã 6 số đúng không ạ? Anh đọc cho em để em hoàn tất nâng cấp sim, nếu không 17h chiều nay sim anh sẽ bị khóa.",
        "soc| Nhà mạng nâng cấp sim 4G lên 5G miễn phí tại nhà! Để đăng ký, bạn chỉ cần gửi số seri sim và mã OTP cho nhân viên qua zalo {phone}.",
        "sms| Quy khach vui long soan: DOISIM <so seri tren sim> gui 900 va doc ma OTP nhan duoc cho tong dai vien de hoan tat thu tuc doi eSIM.",
        "chat| Chị ơi em gửi nhầm mã xác thực vào số của chị, chị chụp màn hình tin nhắn có mã gửi lại em giúp nha, em cảm ơn nhiều 🙏",
        "chat| Bạn ơi mình đang đăng ký Zalo mà nhập nhầm số bạn, bạn gửi mình cái mã 6 số vừa nhận được với, gấp lắm",
        "sms| {carrier}: De tiep tuc su dung sim chinh chu va nhan uu dai data, QK vui long tra loi tin nhan nay bang ma OTP vua nhan.",
    ],
    "fake_delivery": [
        "sms| {courier}: Don hang {order} cua ban giao khong thanh cong do dia chi khong day du. Cap nhat dia chi va thanh toan phi giao lai {amt_small} tai {courier_fake}",
        "chat| Alo chị ơi em shipper nè, có đơn hàng của chị {amt_small2} mà em đang không ở gần, chị chuyển khoản trước giúp em vào STK {acct} em gửi đồ ở bảo vệ nha.",
        "sms| Ban co 1 don hang tu {shop} dang cho xac nhan giao. Phi van chuyen chua thanh toan: {amt_small}. Thanh toan tai: {shop_fake}",
        "chat| Em bên giao hàng, đơn của anh có hàng dễ vỡ nên cần phí bảo hiểm {amt_small}, anh quét mã QR em gửi trên zalo để em giao luôn nha.",
        "sms| [{courier}] Kien hang cua Quy khach bi hoan do sai thong tin. De nhan lai, vui long dien thong tin va xac nhan the ngan hang tai {courier_fake}",
        "soc| Đơn hàng {order} của bạn đã đến bưu cục nhưng chưa được giao do thiếu phí phụ thu vùng xa {amt_small}. Vui lòng thanh toán trong 12h, quá hạn đơn sẽ bị hủy: {courier_fake}",
        "chat| Alo em shipper giao hàng nè, chị đặt cái áo 189k đúng không, giờ em đến mà không ai nhận, chị chuyển khoản trước cho em rồi em để hàng ở cổng nha. Em gửi stk qua tin nhắn.",
        "sms| VNPost thong bao: Buu gui cua ban khong the giao vi ma buu chinh sai. Vui long cap nhat tai {courier_fake} trong 24h.",
        "chat| Dạ đơn này là đơn giao nhầm địa chỉ của anh, em cần anh chuyển phí hoàn đơn {amt_small} thì em mới mang đi được, không thì hệ thống tính lỗi cho anh ạ.",
        "sms| J&T Express: Chung toi da co gang giao hang cho ban 2 lan. Neu khong xac nhan trong hom nay, kien hang se bi tieu huy. Xac nhan: {courier_fake}",
        "chat| Em đang đứng trước nhà chị nè, đơn {amt_small2} chị đặt bên {shop}. Chị không ra được thì ck trước qua stk {acct} {bank} giúp em, em gửi hàng nhà bên cạnh nha chị.",
        "sms| {shop}: Goi hang cua ban bi tam giu tai kho do chua xac minh nguoi nhan. Xac minh bang CCCD va the ngan hang tai {shop_fake} truoc {time} hom nay.",
    ],
    "romance_or_relative_emergency": [
        "chat| Mẹ ơi con bị tai nạn xe đang cấp cứu ở bệnh viện, con mượn điện thoại bác sĩ nhắn. Mẹ chuyển gấp {amt_big} vào stk {acct} của bác sĩ để mổ kịp nhé mẹ.",
        "chat| Alo chị là mẹ của bé {first} đúng không? Tôi là giáo viên chủ nhiệm, bé bị ngã cầu thang đang cấp cứu, cần chuyển ngay {amt_big} tiền viện phí vào số tài khoản {acct} của bác sĩ trực {holder}.",
        "chat| Ông ơi cháu đây, cháu bị công an giữ vì gây tai nạn, ông đừng nói với bố mẹ nhé, chuyển cho cháu {amt_big} để nộp phạt gấp.",
        "chat| Ê mày ơi, tao đang cần gấp {amt_big} để đáo hạn ngân hàng, tối nay tao trả. Chuyển khoản vào stk này giúp tao nha: {acct} {bank} {holder}, tài khoản tao đang lỗi",
        "chat| Em ơi chị đang ở ngoài, mượn em {amt_big} chuyển gấp cho bên hàng, chị ck lại liền trong 30p. Em chuyển vào stk {acct} {bank} tên {holder} giúp chị nha.",
        "chat| Anh yêu, em đang ở sân bay nhưng bị giữ hành lý, cần {amt_big} để đóng phí, anh ck cho em trước, về VN em trả anh ngay ❤️",
        "chat| Em là kỹ sư người Việt làm việc trên giàn khoan ở Anh, muốn gửi về VN ít tiền tiết kiệm để chúng ta xây dựng tương lai. Em chỉ cần giúp anh đóng phí nhận tiền {amt_big} thôi.",
        "chat| Chị ơi em {first} nè, em bị mất ví ở bến xe, điện thoại sắp hết pin, chị chuyển giúp em {amt_small} vào số tài khoản này để em mua vé về nhé 🥺 {acct} {bank}",
        "chat| Bố ơi con vừa đổi số mới, số cũ bị mất rồi. Con đang cần đóng học phí gấp {amt_big} mà thẻ con bị khóa, bố chuyển qua tài khoản bạn con giúp con nhé.",
        "chat| Cháu chào cô, cháu là bạn của anh {first} con cô. Anh ấy bị đánh đang nằm viện, không liên lạc được, cô chuyển {amt_big} cho cháu đóng viện phí trước nhé.",
        "chat| Mình quen nhau trên app cũng lâu rồi, mình tin bạn. Chú mình làm quản lý sàn đầu tư, bạn thử nạp {amt_fee} theo hướng dẫn của mình, lãi chia đôi nhé.",
        "chat| Alo có phải vợ anh {first} không? Anh {first} bị tai nạn lao động, công ty đang đưa đi cấp cứu, chị chuyển trước {amt_big} tạm ứng phẫu thuật vào tài khoản bệnh viện {acct} giúp em.",
    ],
    "fake_charity": [
        "cmt| Mọi người ơi giúp cụ bà bán vé số bị xe tông, con cháu không có, ai có lòng gửi về stk {acct} {bank} của cháu họ cụ, bài sẽ xóa sau vài tiếng 🙏",
        "soc| Quỹ khuyến học {charity_fake} trao 1.000 suất học bổng {amt_big}. Phụ huynh đăng ký tại {short_link} và đóng phí xét hồ sơ {amt_small} để được duyệt sớm.",
        "chat| Chào anh, em gọi từ quỹ từ thiện. Anh đã ủng hộ đợt trước nên được nhận quà tri ân {amt_big}, anh chỉ cần thanh toán phí vận chuyển {amt_small} qua link em gửi ạ.",
        "soc| 🙏 XIN MỌI NGƯỜI DỪNG LẠI 1 PHÚT 🙏\nEm là mẹ của bé {first}, bé mới 3 tuổi đang điều trị tim bẩm sinh ở Bệnh viện Nhi. Bác sĩ nói phải mổ gấp trong tuần này, chi phí hơn 300 triệu mà nhà em đã vay mượn hết chỗ rồi. Chồng em mất năm ngoái vì tai nạn, em một mình nuôi 2 đứa nhỏ.\nAi thương mẹ con em thì giúp em qua STK {acct} {bank} chủ tài khoản {holder} (em họ em đứng tên vì tài khoản em bị khóa).\nBài đăng sẽ xóa sau 12 tiếng vì em ngại, mong mọi người chia sẻ nhanh giúp em. Em cảm ơn và xin được trả ơn bằng cả cuộc đời 😭",
        "soc| 💔 Bé {first} 5 tuổi bị ung thư máu, gia đình đã bán hết nhà cửa. Mọi tấm lòng xin gửi về STK {acct} {bank} chủ tài khoản {holder}. Xin mọi người share giúp, bài sẽ bị xóa sau 24h 🙏",
        "soc| KÊU GỌI ỦNG HỘ ĐỒNG BÀO LŨ LỤT 🙏 Ủng hộ trước 12h đêm nay, mỗi khoản sẽ được nhà tài trợ nhân 3. Chuyển về STK cá nhân của admin {acct} ({bank}), page mới lập nên chưa có tick xanh mọi người thông cảm.",
        "chat| Chào anh chị, em là tình nguyện viên quỹ {charity_fake}. Bên em đang bán lịch ủng hộ người khuyết tật, mỗi phần {amt_small}, anh chị chuyển khoản trước em gửi hàng sau ạ.",
        "soc| Chương trình 'Cơm có thịt' cần gây quỹ khẩn cấp cho các em vùng cao. Để nhận giấy chứng nhận nhà hảo tâm, vui lòng chuyển {amt_small} và điền thông tin thẻ ngân hàng tại {short_link}",
        "cmt| Page thiện nguyện đã được xác minh của nghệ sĩ {name}, ủng hộ qua link {short_link} để nhận lại quà cảm ơn nhé mọi người ❤️",
        "soc| Giải cứu nhóm trẻ mồ côi ở chùa: các bé đang thiếu sữa, thiếu thuốc. Mọi người ủng hộ qua zalo {phone} (sư thầy phụ trách). Bài đăng sẽ bị xóa sau 24h vì lý do tế nhị.",
        "chat| Em chào chị, bên em là Hội Chữ thập đỏ. Chị đã được chọn nhận hỗ trợ {amt_big} cho hộ khó khăn, chị chỉ cần đóng phí hồ sơ {amt_small} là được duyệt ạ.",
        "soc| Quỹ {charity_fake} nhận ủng hộ bằng USDT và thẻ cào điện thoại. Gửi mã thẻ cào vào bình luận hoặc inbox để được ghi danh trên bảng vàng.",
    ],
    "fake_shop_deposit": [
        "soc| Thanh lý 50 vé xem bóng đá chung kết giá gốc, ai cần để lại bình luận, mình inbox hướng dẫn chuyển khoản giữ vé. Không giao trực tiếp vì mình đang ở xa.",
        "chat| Dạ homestay còn phòng ngày {date} anh nhé, anh chuyển cọc 100% qua stk {acct} {bank} của quản lý giúp em để giữ phòng, vì đang mùa cao điểm ạ.",
        "soc| Nhận đặt vé máy bay Tết giá rẻ hơn đại lý 30%, có vé ngay trong ngày. Chuyển khoản trước, mã đặt chỗ gửi qua zalo {phone}.",
        "cmt| còn hàng nha c, ck cọc 200k e giữ cho",
        "soc| Thanh lý gấp iPhone 15 Pro Max 256GB likenew 99%, giá {price_cheap}. Do người hỏi nhiều nên ai muốn giữ máy vui lòng cọc trước {amt_small}, còn lại ship COD toàn quốc.",
        "chat| Dạ hàng còn anh ạ, nhưng shop chỉ giữ hàng khi anh chuyển khoản trước 50% nha. Hàng xách tay nên không ship COD được ạ, anh ck vào stk {acct} {bank} em gửi luôn chiều nay.",
        "soc| Xả kho lô 200 chiếc {product} chỉ {amt_small}/chiếc (rẻ hơn giá gốc 3 lần) 😱 Chuyển khoản trước để được giao nhanh, số lượng có hạn. Ib ngay!",
        "cmt| Vé concert tối mai còn 2 vé VIP, pass lại giá gốc, ai cần ib, ck cọc trước mình giữ vé nha",
        "chat| Bạn muốn mua tài khoản Netflix premium 1 năm giá {amt_small} thì chuyển khoản trước vào stk {acct}, mình gửi tài khoản trong 5 phút nha.",
        "soc| Cho thuê căn hộ 2PN full nội thất {city} giá rẻ 4tr/tháng. Chủ nhà đang ở nước ngoài, không xem nhà trực tiếp được, cọc 2 tháng qua tài khoản để nhận chìa khóa qua bưu điện.",
        "chat| Dạ sản phẩm đang sale 70% chỉ hôm nay thôi chị ơi. Chị thanh toán qua link này giúp em {shop_fake} là đơn được xác nhận ngay ạ.",
        "soc| Bán xe SH 2022 chính chủ giá 35tr do cần tiền gấp. Xe đang gửi ở quê, liên hệ {phone}, chuyển cọc {amt_fee} để giữ xe và làm giấy tờ.",
        "cmt| shop mình bán hàng chính hãng rẻ hơn Shopee, mua qua zalo {phone} được giảm thêm 20%, chuyển khoản trước nha khách",
        "soc| Pass lại suất tour Phú Quốc 3N2Đ của công ty, còn 2 suất giá chỉ {price_cheap}/người. Ck cọc giữ chỗ trong ngày vì nhiều người hỏi.",
        "chat| Đúng hàng auth 100% chị ạ, giá hôm nay là {price_cheap} thôi. Chị ck trước 100% giúp em vì bên em không nhận COD do bị bom hàng nhiều quá ạ.",
        "soc| Đặt bánh trung thu cao cấp giảm 50% chỉ trong hôm nay! Đặt qua fanpage, chuyển khoản trước 100% để giữ suất giao hàng đúng ngày. Page không nhận COD.",
    ],
    "tax_refund": [
        "chat| Chị ơi em ở Chi cục Thuế, cửa hàng nhà chị có khoản hoàn thuế {amt_big}. Chị kết bạn zalo {phone} để em gửi đường link cài ứng dụng nhận tiền ạ.",
        "sms| Thue dien tu: Ho so hoan thue cua ban bi tra lai do sai so tai khoan. Cap nhat tai {gov_fake} trong 24h de khong bi huy ho so.",
        "sms| Tong cuc Thue thong bao: Ban duoc hoan thue TNCN {amt_big}. Vui long xac nhan thong tin tai khoan ngan hang tai {gov_fake} de nhan tien hoan.",
        "chat| Chào anh, tôi là cán bộ Cục Thuế {city}. Hồ sơ quyết toán thuế của anh còn sai sót, anh cài ứng dụng eTax theo link {apk_link} để điều chỉnh, nếu không sẽ bị phạt chậm nộp.",
        "sms| Cuc Thue: Ma so thue ca nhan cua ban co khoan no {amt_fee}. Thanh toan ngay tai {gov_fake} truoc {date} de tranh bi tam hoan xuat canh.",
        "soc| Thông báo hoàn thuế thu nhập cá nhân năm {year}: Người nộp thuế chưa nhận tiền hoàn đăng nhập {gov_fake} bằng số CCCD và thông tin thẻ ngân hàng để nhận ngay.",
        "chat| Hộ kinh doanh của chị chưa đăng ký kê khai thuế theo mẫu mới. Chị cung cấp tài khoản ngân hàng và mã OTP để bên em đồng bộ dữ liệu với cơ quan thuế giúp chị.",
        "sms| Ban nhan duoc tien hoan thue {amt_big} tu Cuc Thue. Tien se tu dong ve TK neu ban xac thuc sinh trac hoc qua ung dung tai {apk_link}",
    ],
    "impersonation_gov": [
        "sms| VNeID: Tai khoan dinh danh dien tu cua ban bi tam khoa do thong tin chua chinh xac. Cap nhat lai tai {gov_fake} de tranh gian doan giao dich.",
        "chat| Cháu chào bác, cháu ở Bảo hiểm xã hội. Bác có khoản trợ cấp một lần {amt_big} chưa nhận. Bác cài ứng dụng theo đường link cháu gửi để nhận ngay ạ: {apk_link}",
        "sms| EVN: Quy khach chua thanh toan tien dien thang {month} so tien {amt_small}. Dien se bi cat trong hom nay. Thanh toan ngay tai {evn_fake} hoac LH {phone}.",
        "chat| Alo, tôi gọi từ Điện lực {city}. Nhà anh chậm thanh toán, đêm nay sẽ cắt điện. Anh chuyển ngay {amt_small} vào STK {acct} của nhân viên thu ngân để giữ điện.",
        "sms| BHXH thong bao: The BHYT cua ban se bi vo hieu hoa do chua tich hop vao VNeID. Cap nhat ngay tai {gov_fake}",
        "soc| Chính phủ hỗ trợ {amt_big} cho mỗi người dân bị ảnh hưởng bởi bão. Đăng ký nhận hỗ trợ bằng số CCCD và tài khoản ngân hàng tại {gov_fake}, hạn chót hôm nay!",
        "chat| Em là cán bộ Sở Giáo dục, bé nhà chị thuộc diện nhận học bổng {amt_big}. Chị gửi em số tài khoản và mã OTP ngân hàng để em chuyển tiền ạ.",
        "sms| Dien luc thong bao: Cong to dien nha quy khach can thay moi. Dat lich qua {evn_fake} va thanh toan phi dang ky {amt_small} truoc {date}.",
        "sms| Cong Dich vu cong: Ho so cap doi giay phep lai xe cua ban bi tu choi do thieu le phi {amt_small}. Bo sung tai {gov_fake} trong 24h.",
    ],
    "fake_refund": [
        "chat| Dạ vé concert chị mua bị hủy do BTC đổi lịch, bên em hoàn tiền vé {amt_big}. Chị quét mã QR này trên app ngân hàng và nhập mã xác nhận để nhận tiền nha.",
        "sms| {airline}: Chuyen bay cua QK bi huy. De nhan boi thuong {amt_big}, vui long cung cap thong tin the tai {short_link}",
        "chat| Chào chị, em là CSKH {shop}. Đơn hàng chị đặt hôm qua bị lỗi hệ thống trừ tiền 2 lần, em hoàn lại cho chị. Chị cho em xin số thẻ và mã OTP để hệ thống hoàn tiền nhé.",
        "sms| {shop}: Ban duoc hoan {amt_small} do don hang {order} bi huy. Nhan tien hoan tai {shop_fake}, dang nhap bang tai khoan ngan hang.",
        "chat| Dạ sản phẩm chị mua bị lỗi lô nên bên em bồi thường gấp đôi giá trị đơn. Chị tải app {app_fake_name} theo link {apk_link} để nhận tiền bồi thường ạ.",
        "chat| Em là nhân viên {airline}. Chuyến bay của anh bị hủy, anh nhận hoàn vé {amt_big} bằng cách cung cấp số thẻ, ngày hết hạn và mã CVV nhé.",
        "soc| Bạn đã bị trừ phí thành viên VIP {shop} {amt_small}/tháng. Nếu không đăng ký, hủy và hoàn tiền tại {shop_fake} trong 24h.",
        "chat| Shop em gửi nhầm đơn cho chị, chị chuyển lại tiền đơn {amt_small} vào stk này giúp em, em sẽ gửi lại đơn đúng cho chị + tặng quà xin lỗi ạ.",
        "chat| Chị ơi chị vừa được {shop} chọn hoàn tiền 30% cho đơn trên {amt_big}. Chị kết bạn zalo {phone} với nhân viên để làm thủ tục hoàn tiền nha.",
        "sms| {wallet}: Giao dich {tx}VND cua ban that bai nhung tien da bi tru. Nhan hoan tien trong 24h tai {wallet_fake}",
    ],
    "recovery_scam": [
        "soc| Bạn bị lừa đảo qua mạng? Văn phòng luật sư {name} hỗ trợ lấy lại 100% tiền đã mất trong 7 ngày, chỉ thu phí sau khi thành công. Liên hệ zalo {phone}.",
        "chat| Chào chị, tôi là luật sư được Bộ Công an ủy quyền thu hồi tiền cho nạn nhân vụ lừa đảo sàn đầu tư. Chị cần đóng {amt_fee} phí thụ lý hồ sơ để được nhận lại {amt_big}.",
        "cmt| Mình từng bị lừa 200tr, nhờ anh hacker này lấy lại được hết trong 3 ngày, ai cần ib anh ấy qua telegram t.me/{tg} nhé 🙏",
        "sms| Trung tam ho tro nan nhan lua dao: Ho so thu hoi {amt_big} cua ban da duoc duyet. Nop le phi {amt_small} tai {short_link} de nhan tien.",
        "chat| Tiền của chị đã truy vết được, đang nằm ở tài khoản trung gian. Chị chuyển {amt_fee} phí giải tỏa để bên em rút về cho chị trong hôm nay nhé.",
    ],
    "points_redeem": [
        "sms| {bank_up}: Diem tich luy the tin dung cua QK co the doi {amt_small} hoan tien. Dang nhap {bank_fake} de xac nhan truoc 24h.",
        "soc| 🎁 Đổi {pts} điểm {carrier}++ lấy thẻ cào {amt_small} – chỉ áp dụng hôm nay! Nhập số thuê bao và mã OTP tại {carrier_fake}",
        "sms| {bank}: Diem thuong tich luy cua Quy khach ({pts} diem) sap het han vao {date}. Doi sang tien mat tai {bank_fake}",
        "sms| {carrier_up}: Quy khach co {pts} diem thuong het han trong hom nay, doi ngay {amt_small} tien mat tai {carrier_fake}",
        "soc| 🎁 Tài khoản Lotusmiles của bạn có {pts} dặm sắp hết hạn. Quy đổi ngay sang tiền mặt tại {short_link}",
        "sms| Vi {wallet} cua ban co {pts} diem chua doi. Doi thanh tien mat truoc {date}: {wallet_fake}",
        "sms| {shop}: Ban co {pts} xu sap het han. Doi xu lay {amt_small} tien mat tai {shop_fake}, nhap so the ATM de nhan tien.",
        "chat| Em bên chăm sóc khách hàng thẻ tín dụng {bank} ạ. Chị có {pts} điểm đổi được {amt_small}, chị đọc giúp em 6 số OTP để em quy đổi vào thẻ ạ.",
    ],
}

LEGIT_SEEDS: dict[str, list[str]] = {
    "bank_notice_legit": [
        "sms| {bank_up}: Ra mat the tin dung hoan tien 5% cho chi tieu online. Dang ky tren ung dung {bank} hoac xem chi tiet tai {bank_site}",
        "soc| [{bank}] Cập nhật biểu phí dịch vụ áp dụng từ {date_full}. Chi tiết tại website chính thức {bank_site}. Mọi thắc mắc vui lòng liên hệ hotline {hotline}.",
        "sms| {bank_up}: TK {acct_mask} +{tx}VND luc {time} {date_full}. SD: {sd}VND. ND: {holder} chuyen tien",
        "sms| TK {acct_mask} -{tx}VND {date_full} {time}. SD {sd}VND. ND: Thanh toan hoa don tien dien",
        "sms| {bank_up}: So du TK {acct_mask} thay doi -{tx}VND luc {date_full} {time}. SD: {sd}VND. ND: Thanh toan QR - {merchant}",
        "sms| {bank}: The tin dung {card_mask} da thanh toan {tx}VND tai {merchant} luc {time} {date}. Han muc kha dung: {sd}VND. Hotline {hotline}",
        "sms| {bank}: Sao ke the tin dung ky {month}/{year}: du no {tx}VND, so tien thanh toan toi thieu {tx2}VND, han thanh toan {date_full}. Vui long thanh toan dung han de tranh phi phat.",
        "sms| {bank_up}: Quy khach vua dang nhap ung dung {bank} tren thiet bi moi luc {time} {date}. Neu khong phai Quy khach, vui long goi ngay {hotline} de khoa dich vu. Tuyet doi khong cung cap OTP cho bat ky ai.",
        "soc| {bank} thông báo: Từ 23h00 ngày {date_full} đến 03h00 sáng hôm sau, ngân hàng nâng cấp hệ thống. Trong thời gian này các giao dịch trên ứng dụng có thể bị gián đoạn. Quý khách tra cứu thông tin tại website chính thức {bank_site} hoặc gọi {hotline}.",
        "sms| {bank_up}: Phi duy tri dich vu SMS Banking thang {month} la {amt_small_plain}. Chi tiet lien he tong dai {hotline}.",
        "sms| {bank}: Khoan vay cua Quy khach den han tra no ky nay {tx}VND vao ngay {date}. Vui long nop tien vao TK thanh toan truoc han. LH {hotline}.",
        "sms| {bank}: Quy khach da cai dat xac thuc sinh trac hoc thanh cong tren ung dung {bank} luc {time} {date}. Neu can ho tro vui long goi {hotline}.",
        "soc| [{bank}] Hoàn tiền 10% tối đa 200.000đ khi thanh toán bằng thẻ tín dụng {bank} tại các siêu thị đối tác, áp dụng đến hết {date_full}. Không cần đăng ký. Điều kiện chi tiết tại {bank_site}",
        "sms| {bank_up}: The ghi no {card_mask} cua Quy khach se het han vao thang {month}/{year}. Vui long den chi nhanh/phong giao dich gan nhat mang theo CCCD de duoc cap lai the mien phi.",
        "sms| TK {acct_mask} +{tx}VND luc {time} {date}. SD: {sd}VND. ND: TRA LUONG T{month}",
        "sms| {bank}: Giao dich chuyen tien {tx}VND den TK {acct_mask} ({holder}) thanh cong luc {time} {date_full}. Ma GD: {ftcode}.",
        "soc| {bank} xin thông báo: theo quy định của Ngân hàng Nhà nước, giao dịch chuyển tiền trên 10 triệu đồng/lần hoặc tổng trên 20 triệu đồng/ngày cần xác thực sinh trắc học. Quý khách cập nhật trên ứng dụng {bank} chính thức (tải từ App Store/Google Play) hoặc tại quầy. Ngân hàng không gửi đường link yêu cầu cập nhật.",
        "sms| {bank_up}: Lai suat tiet kiem online ky han 12 thang tang len 5,2%/nam tu {date}. Gui tiet kiem ngay tren ung dung {bank}. Chi tiet: {bank_site}",
        "sms| {bank}: Quy khach da thay doi han muc giao dich ngay thanh {tx}VND luc {time} {date}. Neu khong phai Quy khach thuc hien, goi {hotline} (24/7).",
        "sms| {bank}: So tiet kiem {acct_mask} se den han vao {date_full}. Khoan tien se tu dong tai tuc theo ky han cu neu Quy khach khong co yeu cau khac.",
        "sms| {bank}: TK {acct_mask} +{tx}VND tu {wallet} luc {time} {date}. SD {sd}VND. ND: rut tien vi",
    ],
    "otp_legit": [
        "sms| {otp} la ma xac nhan dang ky tai khoan {wallet}. Ma het han sau 2 phut. Khong chia se ma nay cho bat ky ai.",
        "sms| Ma xac thuc sinh trac hoc tren ung dung {bank} cua Quy khach la {otp}. {bank} khong bao gio goi dien hay nhan tin xin ma nay.",
        "sms| {otp} la ma xac thuc dang nhap {shop}. Khong chia se ma nay. Neu ban khong thuc hien, hay doi mat khau tai {shop_site}",
        "sms| Ma OTP cua Quy khach la {otp}. Ma co hieu luc trong 3 phut. Tuyet doi KHONG cung cap ma nay cho bat ky ai, ke ca nhan vien {bank}.",
        "sms| {otp} la ma xac thuc giao dich chuyen tien {tx}VND den TK {acct_mask} tai {bank}. KHONG chia se ma OTP voi bat ky ai duoi moi hinh thuc.",
        "sms| [{shop}] Ma xac minh cua ban la {otp}. Co hieu luc trong 15 phut. KHONG chia se ma nay voi bat ky ai, ke ca nhan vien {shop}.",
        "sms| Zalo: Ma kich hoat cua ban la {otp}. Khong chia se ma nay voi nguoi khac de tranh bi chiem doat tai khoan.",
        "sms| <#> {otp} la ma xac nhan dang nhap {wallet} cua ban. {wallet} khong bao gio yeu cau ban cung cap ma nay qua dien thoai hay tin nhan.",
        "sms| VNeID: Ma xac thuc cua ban la {otp}, hieu luc 5 phut. Khong cung cap ma nay cho bat ky ai. Co quan Cong an khong yeu cau cung cap OTP qua dien thoai.",
        "sms| {otp} la ma OTP thanh toan {tx}VND tai {merchant} bang the {card_mask}. Neu khong phai ban thuc hien, goi ngay {hotline}. Khong cung cap OTP cho nguoi khac.",
        "sms| Ma OTP dang ky dich vu cua ban la {otp}. {carrier} khong bao gio yeu cau khach hang doc ma OTP qua dien thoai.",
        "sms| Facebook: {otp} la ma dat lai mat khau cua ban. Neu ban khong yeu cau, hay bo qua tin nhan nay. Dung chia se ma voi ai.",
        "sms| [{courier}] Ma xac nhan nhan hang cua ban la {otp_short}. Chi cung cap ma nay cho buu ta khi da nhan du hang.",
    ],
    "carrier_promo_legit": [
        "sms| {carrier}: Doi sim 4G/eSIM mien phi tai cua hang {carrier} tren toan quoc. Khi doi sim, Quy khach mang theo CCCD. {carrier} khong ho tro doi sim qua dien thoai.",
        "sms| {carrier}: Quy khach duoc tang 500 diem {carrier}++ nhan dip sinh nhat. Doi qua tren ung dung My{carrier}.",
        "sms| {carrier}: Tang 30% data khi dang ky goi thang qua ung dung My{carrier}. Tai ung dung tai {carrier_site}",
        "sms| {carrier_up}: Quy khach tra cuu cuoc, doi goi va nap the nhanh tren ung dung My{carrier}. Chi tiet: {carrier_site}",
        "sms| {carrier_up}: Dang ky goi {pkg} chi {pkg_price}/30 ngay, co {gb}GB/ngay toc do cao va mien phi goi noi mang duoi 10 phut. Soan {pkg} gui {short_code}. Chi tiet LH {hotline} (mien phi).",
        "sms| {carrier}: Chuc mung sinh nhat Quy khach! {carrier} tang Quy khach 1GB data su dung trong 3 ngay. Kiem tra soan KTTK gui {short_code}.",
        "sms| {carrier}: Tu {date}, nap the tu 50.000d tro len nhan them 20% gia tri vao tai khoan khuyen mai. Ap dung 1 lan/thue bao. Chi tiet {carrier_site}",
        "sms| Quy khach con 100MB data toc do cao. De mua them 2GB gia 10.000d, soan MUA2 gui {short_code}. Tu choi nhan tin quang cao soan TC gui 199.",
        "soc| [{carrier}] Ra mắt gói cước 5G mới: 150GB/tháng chỉ {pkg_price}. Đăng ký trên ứng dụng My{carrier} hoặc soạn {pkg} gửi {short_code}. Tìm hiểu thêm tại {carrier_site}",
        "sms| {carrier}: Goi cuoc {pkg} cua Quy khach se duoc gia han vao {date} voi cuoc {pkg_price}. De huy gia han, soan HUY {pkg} gui {short_code}.",
        "sms| {carrier}: Quy khach da dang ky thanh cong goi {pkg}, han su dung den {time} ngay {date}. Kiem tra luu luong soan KT gui {short_code}. LH {hotline}.",
        "sms| {carrier_up}: Thue bao cua Quy khach chua cap nhat thong tin CCCD. Vui long den cua hang {carrier} gan nhat hoac cap nhat tren ung dung My{carrier} chinh thuc. {carrier} khong yeu cau cung cap OTP qua dien thoai.",
        "soc| 📶 {carrier} hỗ trợ đổi eSIM miễn phí tại tất cả cửa hàng trên toàn quốc. Mang theo CCCD gắn chip và thiết bị hỗ trợ eSIM. Nhân viên không bao giờ yêu cầu khách đọc mã OTP qua điện thoại.",
        "sms| Dang ky goi TV360 xem bong da ban quyen chi 50.000d/thang, soan BD gui {short_code}. Chi tiet LH {hotline}.",
        "sms| {carrier}: Cuoc thang {month} cua thue bao tra sau la {amt_small_plain}. Vui long thanh toan truoc ngay {date} qua ung dung My{carrier}, cua hang hoac ngan hang lien ket.",
        "sms| {carrier}: Nhan dip 20/11, tang 50% gia tri the nap cho thue bao tra truoc trong ngay {date}. Chuong trinh tu dong ap dung, khong can dang ky.",
        "soc| Internet cáp quang {carrier} chỉ từ 180.000đ/tháng, lắp đặt miễn phí, tặng modem wifi 6. Đăng ký tại cửa hàng hoặc gọi {hotline}. Lưu ý: nhân viên lắp đặt chỉ thu tiền khi có hợp đồng và hóa đơn.",
        "sms| {carrier}: Tai khoan khuyen mai {amt_small_plain} cua Quy khach het han vao {date}. Nap the de duy tri lien lac. Tra cuu so du bam *101#.",
        "sms| {carrier}: Quy khach dang chuyen vung quoc te. Goi roaming 5 ngay 5GB chi 150.000d, soan R5 gui {short_code}. Cuoc goi ve VN 15.000d/phut.",
        "sms| {carrier}: Uu dai cuoi tuan! Mua goi data 1 ngay 5GB chi 10.000d, soan D10 gui {short_code}. Uu dai ket thuc 23h59 Chu nhat.",
    ],
    "shop_ad_legit": [
        "soc| 🎉 KHAI TRƯƠNG CỬA HÀNG THỨ 5 🎉\nCảm ơn khách hàng đã ủng hộ tiệm suốt 4 năm qua. Từ {date} đến {date2}, cửa hàng mới tại {street}, {district} giảm 20% toàn bộ sản phẩm, tặng túi vải cho 200 khách đầu tiên.\nKhách ở xa có thể đặt qua fanpage hoặc hotline {hotline}, giao hàng nội thành trong 2 giờ, được kiểm tra hàng rồi mới thanh toán.\nHẹn gặp mọi người tại cửa hàng nhé!",
        "sms| {shop}: Sale 12.12 chinh thuc bat dau! Giam den 50% kem ma freeship. Xem ngay: {shop_link}",
        "soc| 🛒 Deal hời cuối tuần: {product} giá chỉ {price}, hàng chính hãng, đổi trả 15 ngày. Mua tại gian hàng Mall: {shop_link}",
        "cmt| Link sản phẩm mình mua đây nha bạn, shop chính hãng, giao nhanh, thanh toán khi nhận: {shop_link}",
        "sms| {tech_store}: Thu cu doi moi dien thoai, tro gia den 2.000.000d. Chi tiet tai {tech_site}. Tu choi QC soan TC gui {short_code}.",
        "soc| 🔥 SIÊU SALE 11.11 🔥 {shop} giảm đến 50% hàng nghìn sản phẩm, freeship đơn từ 0đ, voucher 100k cho đơn từ 500k. Săn ngay trên ứng dụng {shop} từ 0h ngày 11/11!",
        "soc| Quán mình khai trương chi nhánh mới tại {street}, {city} 🎉 Giảm 30% toàn menu từ {date} đến hết tuần. Đặt bàn: {phone}. Hẹn gặp mọi người!",
        "soc| Áo khoác dù 2 lớp chống nước, size M–XXL, giá {price}. Ship COD toàn quốc, kiểm tra hàng trước khi thanh toán. Đặt hàng inbox page hoặc zalo {phone}.",
        "sms| {shop}: Voucher giam {pct}% toi da 50k da duoc them vao vi cua ban, HSD {date}. Mua sam ngay tren ung dung {shop}.",
        "soc| {phone_model} chính hãng VN/A giá {phone_price}, trả góp 0% qua thẻ tín dụng, bảo hành 12 tháng. Xem máy tại cửa hàng {tech_store} gần nhất hoặc {tech_site}",
        "soc| Sữa tắm chai 900g đang có giá 169.000đ (giá gốc 229.000đ) tại gian hàng chính hãng trên {shop}. Mua 2 tặng 1 túi du lịch, chỉ đến hết {date}. Link sản phẩm: {shop_link}",
        "sms| {shop}: Giam them 10% khi thanh toan qua {wallet}. Uu dai ap dung den 23h59 hom nay tren ung dung {shop}.",
        "soc| Flash sale 12h trưa nay: {product} giảm còn {price}, số lượng 500 chiếc. Mua trên gian hàng chính hãng tại {shop}, hỗ trợ thanh toán khi nhận hàng.",
        "soc| Mừng sinh nhật 5 năm, tiệm bánh mình giảm 20% cho mọi đơn đặt trước 1 ngày. Thanh toán khi nhận bánh hoặc chuyển khoản sau khi shop xác nhận đơn. Hotline {phone}.",
        "soc| Bộ nồi inox 5 món giá 1.290.000đ, giảm {pct}% đến hết tháng. Đổi trả trong 7 ngày nếu lỗi. Đặt hàng tại website {shop_site} hoặc gọi {hotline}.",
        "cmt| Dạ shop đã nhắn tin báo giá cho chị rồi ạ, chị check inbox giúp em nhé 💕 Ship COD kiểm tra hàng thoải mái ạ.",
        "soc| {shop} x {wallet}: Giảm ngay 30k cho đơn từ 150k khi thanh toán bằng {wallet}, mỗi khách áp dụng 1 lần. Mã tự động áp dụng khi thanh toán trên ứng dụng.",
        "sms| {shop_store}: Chuc mung sinh nhat! Tang ban voucher 100.000d cho don tu 500.000d tai cua hang, HSD 30 ngay. Xuat trinh tin nhan nay khi thanh toan.",
        "soc| Vé xe khách Hà Nội – Sapa giường nằm cabin, giá 350k/chiều, đón trả tận nơi. Đặt vé qua hotline {hotline} hoặc website nhà xe, thanh toán khi lên xe.",
        "soc| Khóa học tiếng Anh giao tiếp 3 tháng, học phí {price}, học thử 2 buổi miễn phí. Đóng học phí sau buổi học thử tại trung tâm, có hóa đơn và hợp đồng.",
        "soc| {supermarket} khuyến mãi cuối tuần: thịt heo giảm 15%, rau củ đồng giá 9.900đ, mua 2 tặng 1 nhiều mặt hàng sữa. Áp dụng tại tất cả cửa hàng từ {date} đến {date2}.",
        "soc| Black Friday tại {fashion_store}: giảm đến 70% tại cửa hàng và website chính thức. Cảnh giác các trang giả mạo thương hiệu yêu cầu chuyển khoản trước.",
        "sms| {shop_store}: Don hang online cua ban duoc giam them {pct}% voi ma SALE{pct} tren website chinh thuc, han dung {date}. Tu choi QC soan TC gui {short_code}.",
        "soc| Trà sữa mua 1 tặng 1 mỗi thứ Ba 🧋 áp dụng tại quầy và trên app giao đồ ăn, không giới hạn số lượng. Địa chỉ: {street}, {district}.",
        "cmt| Dạ mẫu này bên em còn đủ size ạ, giá {price}, freeship đơn từ 2 sản phẩm. Chị đặt trên {shop} hoặc ship COD đều được ạ.",
        "soc| Giảm giá {pct}% toàn bộ sách thiếu nhi tại nhà sách từ {date} đến {date2}. Mua online trên website chính thức được giao tận nhà, thanh toán khi nhận hàng.",
    ],
    "marketplace_legit": [
        "soc| Bán đàn guitar cũ 1tr2 còn mới 90%, ai ở {district} qua thử đàn, ưng thì trả tiền mặt. Zalo {phone}.",
        "soc| Nhận order đồ ăn vặt nhà làm, giao khu {district}, thanh toán khi nhận. Menu ở đây: {form_link} 📋 Zalo {phone}",
        "soc| THANH LÝ tủ lạnh 2 cửa dùng 3 năm, còn chạy tốt, giá 2tr8. Xem hàng trực tiếp tại nhà ở {district}, ưng thì trả tiền khi nhận. LH {phone}.",
        "soc| Mình bán lại chiếc xe đạp thể thao con trai mình đi được 1 năm, giá 1tr5, ai ở {district} qua xem trực tiếp rồi trả tiền nhé. Không ship.",
        "soc| Cần bán iPhone 12 64GB máy zin, pin 85%, giá 6tr5 có thương lượng. Gặp trực tiếp ở {district} xem máy, test thoải mái rồi mới giao tiền.",
        "cmt| Mình lấy 1 cái nha bạn, ship COD về {district} được không?",
        "soc| Cho thuê phòng trọ 20m2 gần ĐH {uni}, giá 3tr/tháng, điện 3.500đ/số, nước 100k/người. Xem phòng trực tiếp, ký hợp đồng với chủ nhà rồi mới đặt cọc. LH {phone}.",
        "soc| Pass lại 2 vé xem phim cuối tuần ở CGV, giá 80k/vé, gặp ở rạp đưa vé rồi trả tiền nha.",
        "cmt| bạn ơi mình ở gần, chiều mình qua xem trực tiếp được không, ưng thì mình trả tiền mặt luôn",
        "soc| Nhà vườn bán xoài cát Hòa Lộc 45k/kg, giao trong nội thành, nhận hàng kiểm tra rồi mới thanh toán. Đặt trước 1 ngày qua zalo {phone}.",
        "soc| Dọn nhà thanh lý bàn học, ghế xoay, kệ sách giá rẻ, ai cần qua {street} xem, mang về được thì mình bớt thêm.",
    ],
    "delivery_notice_legit": [
        "sms| {courier}: Buu ta dang tren duong giao don {order} den ban, du kien trong 30 phut. Vui long chuan bi {amt_small_plain} tien mat hoac thanh toan qua ma QR tren ung dung khi nhan hang.",
        "chat| Chị ơi em shipper, đơn của chị là đơn đã thanh toán nha, em để trước cửa rồi chụp ảnh gửi chị ạ.",
        "sms| {courier}: Don hang {order} dang van chuyen den kho {city}. Theo doi hanh trinh tai {courier_site}",
        "sms| [{courier}] Buu ta {first} se giao don {order} trong hom nay, thu ho {amt_small_plain}. Lien he buu ta: {phone}. Tra cuu: {courier_site}",
        "sms| {courier}: Don hang {order} dang duoc giao den ban. Buu ta {first} ({phone}) se lien he truoc khi giao. Tien thu ho (COD): {amt_small_plain}.",
        "sms| [{courier}] Don hang {order} da giao thanh cong luc {time} {date}. Cam on ban da su dung dich vu.",
        "sms| {shop}: Don hang {order} cua ban da duoc giao cho don vi van chuyen {courier}. Theo doi don hang tren ung dung {shop}.",
        "chat| Alo chị ơi em shipper {courier} nè, em đang ở đầu hẻm có đơn của chị, thu hộ {amt_small_plain} nha chị. Chị ra nhận giúp em được không ạ?",
        "chat| Em ơi chị đi làm rồi, em để hàng ở bảo vệ tòa nhà giúp chị nha, tiền COD chị gửi bảo vệ rồi á.",
        "sms| {courier}: Giao hang khong thanh cong don {order} do khong lien lac duoc nguoi nhan. Don hang se duoc giao lai vao ngay mai. Ho tro: {hotline}.",
        "sms| VNPost: Buu gui {order_vn} da den buu cuc {district} cho phat. Vui long mang CCCD den nhan truoc {date}. Tra cuu tai vnpost.vn",
        "soc| {courier} thông báo: do ảnh hưởng của mưa bão, các đơn hàng đi khu vực miền Trung có thể chậm 1–2 ngày. Mong quý khách thông cảm. Tra cứu đơn trên ứng dụng hoặc website chính thức.",
        "sms| {shop}: Don hang {order} dang tren duong giao. Chi thanh toan so tien hien thi tren ung dung khi nhan hang. {shop} khong yeu cau chuyen khoan cho shipper.",
        "chat| Anh ơi em giao hàng Lazada, đơn của anh đã thanh toán online rồi nên anh không cần trả thêm gì ạ. Em để ở cổng nhé.",
        "sms| Don hang {order} du kien giao trong ngay {date}. Neu can hen lai thoi gian giao, vui long chon tren ung dung {courier}.",
        "sms| [{courier}] Buu pham quoc te {order_vn} da thong quan va dang van chuyen noi dia. Thue nhap khau (neu co) thu theo bien lai cua Hai quan khi phat hang.",
        "chat| Dạ đơn hàng của chị bên em đã gửi qua {courier}, mã vận đơn {order}, chị tra cứu trên web {courier} nhé. Hàng đến chị kiểm tra rồi mới thanh toán ạ.",
        "sms| Tiki: Don hang {order} se duoc giao trong khung gio 14h-18h hom nay. Nhan vien giao hang se goi cho ban truoc khi den.",
    ],
    "job_post_legit": [
        "soc| Trung tâm Dịch vụ việc làm {city} tổ chức phiên giao dịch việc làm sáng thứ Năm hằng tuần, miễn phí cho người lao động. Mang theo CCCD và hồ sơ xin việc.",
        "soc| Công ty xuất khẩu lao động được Bộ LĐTBXH cấp phép tuyển thực tập sinh đi Nhật. Chi phí theo quy định, có hợp đồng, học tiếng 6 tháng tại trung tâm. Kiểm tra giấy phép trên website của Cục Quản lý lao động ngoài nước.",
        "soc| [{company_legit}] TUYỂN DỤNG NHÂN VIÊN CHĂM SÓC KHÁCH HÀNG\nĐịa điểm: văn phòng tại {street}, {city}.\nMô tả: tiếp nhận và xử lý phản hồi của khách hàng qua điện thoại, email; phối hợp với bộ phận kỹ thuật.\nThu nhập: 9–12 triệu/tháng, thưởng KPI, đóng BHXH, BHYT đầy đủ, 12 ngày phép/năm.\nYêu cầu: tốt nghiệp cao đẳng trở lên, giao tiếp tốt, ưu tiên có kinh nghiệm.\nHồ sơ gửi về {hr_email} trước {date_full}. Công ty KHÔNG thu bất kỳ khoản phí nào của ứng viên và chỉ liên hệ qua email công ty.",
        "soc| {company_legit} tuyển 3 lập trình viên Python, lương 20–35 triệu, làm việc hybrid. Ứng tuyển qua form {form_link} hoặc gửi CV tới {hr_email}. Quy trình tuyển dụng hoàn toàn miễn phí.",
        "soc| Tuyển nhân viên phục vụ nhà hàng tại {district}, lương 6–7 triệu + tip, ca xoay. Liên hệ anh {first} {phone} (zalo cùng số), phỏng vấn trực tiếp tại quán.",
        "soc| [TUYỂN DỤNG] {company_legit} tuyển 05 Nhân viên kinh doanh tại {city}. Lương cứng 8–10 triệu + hoa hồng, đóng BHXH đầy đủ. Nộp CV qua email {hr_email} trước {date_full}. Công ty không thu bất kỳ khoản phí nào.",
        "soc| Cửa hàng {shop_store} chi nhánh {district} cần tuyển 3 bạn nhân viên bán hàng part-time, ca 4 tiếng, 25.000đ/giờ. Ứng tuyển trực tiếp tại cửa hàng, mang theo CCCD.",
        "soc| Tuyển nhân viên giao hàng {courier} khu vực {city}: thu nhập 10–15 triệu/tháng tùy sản lượng, có xe máy riêng. Phỏng vấn trực tiếp tại bưu cục, không thu phí tuyển dụng.",
        "cmt| Quán cafe mình ở {district} cần 1 bạn phục vụ ca tối 18h-22h, 22k/h, bao nước uống. Bạn nào quan tâm qua quán gặp chị chủ nhé.",
        "soc| {company_legit} tuyển Kế toán tổng hợp: 2 năm kinh nghiệm, thành thạo MISA. Mức lương 12–15 triệu, thưởng tháng 13. Hồ sơ gửi {hr_email} hoặc nộp trên trang tuyển dụng của công ty.",
        "soc| 🔔 Ngày hội việc làm {year} tại Đại học {uni}: hơn 50 doanh nghiệp tham gia, hơn 2.000 vị trí thực tập và việc làm. Sinh viên vào cửa tự do, mang theo CV in sẵn.",
        "soc| Nhà hàng tuyển phụ bếp full-time, lương 7–8 triệu, bao cơm 2 bữa, nghỉ 4 ngày/tháng. Liên hệ chị {first} {phone} hoặc đến trực tiếp nhà hàng.",
        "soc| Tuyển gia sư Toán lớp 9 cho bé nhà mình, 3 buổi/tuần tại {district}, 200k/buổi. Ưu tiên sinh viên sư phạm. Ib mình để trao đổi thêm.",
        "soc| [{company_legit}] Chương trình Management Trainee {year}: lương khởi điểm 15 triệu, đào tạo 12 tháng. Ứng tuyển online trên website chính thức đến hết {date_full}.",
        "sms| {company_legit}: Chuc mung ban da vuot qua vong ho so vi tri Nhan vien van phong. Moi ban phong van luc {time} ngay {date} tai van phong {city}. Vui long xac nhan qua email.",
        "soc| Công ty mình tuyển 10 công nhân đóng gói tại KCN {kcn}, lương 7,5tr + phụ cấp, làm giờ hành chính, có xe đưa đón. Nộp hồ sơ tại phòng nhân sự, không mất phí.",
        "soc| Nhận cộng tác viên dịch thuật Anh–Việt: tài liệu kỹ thuật, 80k/trang theo hợp đồng, thanh toán sau khi nghiệm thu. Gửi CV và bản dịch thử tới {hr_email}.",
        "cmt| Bên mình tuyển thực tập sinh marketing có trợ cấp 3tr/tháng nhé, bạn nào quan tâm gửi CV qua mail trong bài ghim giúp mình 🙌",
        "soc| Tuyển shipper part-time cho quán cơm, giao trong bán kính 3km, 20k/đơn + phụ cấp xăng. Không cần đặt cọc, chỉ cần xe máy và bằng lái. Gọi {phone}.",
        "soc| {shop} tuyển dụng chính thức chỉ đăng trên trang careers của công ty và nhận hồ sơ qua email tên miền công ty. Vị trí Chuyên viên chăm sóc khách hàng, lương 9–11 triệu, làm việc tại {city}.",
    ],
    "giveaway_legit": [
        "soc| Thể lệ chương trình quay số trúng thưởng xem đầy đủ tại {shop_link}. Kết quả công bố trên ứng dụng {shop}, người trúng giải không phải nộp bất kỳ khoản phí nào.",
        "soc| 🎁 MINIGAME MỪNG 10K FOLLOW 🎁\nLuật chơi: Like page + like bài + share công khai + tag 2 người bạn.\n3 bạn may mắn nhận voucher 200k.\nKết quả công bố lúc 20h ngày {date} trên fanpage. Shop KHÔNG thu bất kỳ khoản phí nào và không nhắn tin yêu cầu chuyển khoản.",
        "soc| Chúc mừng 3 bạn trúng giải minigame tuần trước: {name}, {name2}, {name3} 🎉 Các bạn inbox page để gửi địa chỉ nhận quà nhé, phí ship shop chịu hết.",
        "soc| [{shop_store}] Bốc thăm may mắn cho hóa đơn từ 300k trong tháng {month}. Giải thưởng trao trực tiếp tại cửa hàng, danh sách trúng giải niêm yết tại quầy và website. Thuế TNCN (nếu có) do công ty chi trả.",
        "cmt| Mình đã nhận được quà minigame của page rồi nha, shop gửi nhanh lắm, không mất phí gì luôn 😍",
        "soc| {carrier} trao giải chương trình 'Nạp thẻ trúng xe': khách hàng {name} tại {city} nhận xe máy tại lễ trao giải ngày {date}. Chương trình không thu phí nhận giải, mọi thông báo trúng thưởng đều đăng trên {carrier_site}",
        "soc| Giveaway sách 📚 comment cuốn sách bạn thích nhất năm nay, mình sẽ random 2 bạn vào Chủ nhật và tặng sách, mình tự ship. Không cần share, không cần thông tin ngân hàng.",
        "sms| {shop_store}: Chuc mung Quy khach trung giai Ba chuong trinh rut tham thang {month}: phieu mua hang 500.000d. Vui long den cua hang mang theo hoa don va CCCD de nhan giai. Chuong trinh khong thu phi.",
        "soc| Kết quả minigame đã có! Bạn {name} là người may mắn nhận bộ quà tặng. Page chỉ liên hệ qua tin nhắn từ fanpage chính thức, cảnh giác các tài khoản giả mạo nhắn tin đòi phí nhận quà.",
        "soc| Livestream tối nay 20h: chốt đơn trên live được tặng kèm quà, quay số trúng 5 nồi chiên ngay trên sóng. Người trúng nhận quà cùng đơn hàng, không phát sinh chi phí.",
        "soc| {bank} Quay số may mắn mùa Tết: mỗi giao dịch thanh toán thẻ từ 500.000đ nhận 1 mã dự thưởng. Quay số công khai ngày {date_full}, kết quả đăng tại {bank_site}. Ngân hàng không yêu cầu nộp phí hay cung cấp OTP để nhận giải.",
        "sms| {shop}: Chuc mung ban nhan voucher 50.000d tu vong quay may man tren ung dung. Voucher da nam trong Vi voucher, HSD {date}.",
    ],
    "loan_ad_legit": [
        "soc| {finco} – vay tiêu dùng tín chấp từ 10–70 triệu, lãi suất từ 1,67%/tháng, kỳ hạn 6–36 tháng. Hồ sơ: CCCD + chứng minh thu nhập. Không thu bất kỳ khoản phí nào trước khi giải ngân. Tổng đài {hotline}.",
        "sms| {bank}: Uu dai vay mua nha lai suat co dinh 6,5%/nam trong 12 thang dau, ky han den 25 nam. Tu van tai chi nhanh gan nhat hoac goi {hotline}. Chi tiet {bank_site}",
        "soc| Vay mua ô tô tại {bank}: tài trợ đến 80% giá trị xe, lãi suất từ 7,5%/năm, thời hạn tối đa 8 năm. Sau ưu đãi lãi suất = lãi tiết kiệm 12 tháng + 3,5%. Hồ sơ nộp tại quầy, không qua trung gian.",
        "sms| {finco}: Khoan vay so {contract} den han thanh toan ngay {date}, so tien {tx}VND. Thanh toan qua ung dung {finco} hoac tai buu cuc. Khong chuyen tien vao tai khoan ca nhan.",
        "soc| Gói vay kinh doanh hộ gia đình của {bank}: lãi suất từ 8%/năm, tài sản đảm bảo là nhà đất hoặc sổ tiết kiệm. Lãi suất và phí được ghi rõ trong hợp đồng tín dụng trước khi ký.",
        "soc| Mua trả góp laptop 0% lãi suất qua thẻ tín dụng tại {shop}: kỳ hạn 6–12 tháng, phí chuyển đổi trả góp 1,99%. Không cần trả trước, duyệt tại cửa hàng trong 15 phút với CCCD.",
        "sms| {finco}: Ho so vay cua Quy khach da duoc phe duyet so tien {amt_loan}. Hop dong se duoc ky tai diem ban hang hoac tren ung dung chinh thuc. {finco} khong thu phi truoc khi giai ngan.",
        "soc| Lưu ý khi vay tiêu dùng: chỉ vay tại ngân hàng và công ty tài chính được cấp phép, đọc kỹ lãi suất năm, không nộp bất kỳ khoản phí nào trước khi nhận tiền. Hotline hỗ trợ của {finco}: {hotline}.",
        "soc| Tiệm cầm đồ nhận cầm xe máy, điện thoại, vàng; lãi suất theo quy định pháp luật, có hợp đồng và biên nhận. Cửa hàng có giấy phép kinh doanh, địa chỉ {street}, {district}.",
        "sms| {bank}: Khoan vay the chap cua Quy khach da duoc giai ngan {tx}VND vao TK {acct_mask} luc {time} {date}. Lich tra no chi tiet xem tren ung dung {bank}.",
    ],
    "charity_legit": [
        "soc| Hội phụ nữ tổ dân phố đã trao 45 suất quà cho hộ nghèo. Danh sách nhận quà và số tiền đóng góp của từng hộ được dán tại bảng tin nhà văn hóa.",
        "cmt| Page này có sao kê từng đợt, mình đối chiếu thấy khớp với khoản mình ủng hộ nên yên tâm nhé",
        "soc| Chương trình Áo ấm cho em nhận quyên góp bằng hiện vật tại các điểm thu gom của Đoàn phường đến hết {date}. Không nhận chuyển khoản cá nhân.",
        "soc| BÁO CÁO THU CHI CHUYẾN THIỆN NGUYỆN THÁNG {month}\nNhóm xin cảm ơn 126 nhà hảo tâm đã đồng hành. Tổng tiền nhận được qua tài khoản nhóm: {amt_big_plain}. Nhóm đã mua 400 phần quà gồm gạo, mì, dầu ăn, sữa và tặng 30 suất học bổng cho học sinh tại {province}.\nToàn bộ sao kê tài khoản, hóa đơn mua hàng và biên bản có xác nhận của xã đã được đăng trong album ghim trên trang. Ai cần đối chiếu khoản ủng hộ của mình có thể nhắn tin cho page.\nChuyến tiếp theo dự kiến vào tháng sau, nhóm sẽ thông báo kế hoạch cụ thể trước khi nhận ủng hộ.",
        "soc| Sao kê chi tiết đợt quyên góp tháng {month} mọi người xem tại thư mục Google Drive của nhóm: {drive_link}. Thắc mắc gì liên hệ trưởng nhóm {first} {phone}.",
        "soc| Quỹ từ thiện {charity_legit} công bố sao kê đợt quyên góp ủng hộ đồng bào bị lũ: tổng thu {amt_big_plain}, đã chi 100% cho 320 hộ dân tại {province}. File sao kê chi tiết và biên bản bàn giao có xác nhận của UBND xã đính kèm.",
        "soc| Ủng hộ đồng bào bị thiệt hại do bão: Mặt trận Tổ quốc Việt Nam tiếp nhận qua tài khoản chính thức của Ban Cứu trợ Trung ương, nội dung ghi rõ 'Ủng hộ đồng bào bão lũ'. Danh sách ủng hộ được sao kê và công khai hằng ngày.",
        "soc| Lớp mình tổ chức quyên góp quần áo, sách vở cũ cho trẻ em vùng cao. Nhận đồ tại phòng 204 nhà A từ {date} đến {date2}. Không nhận tiền mặt, chỉ nhận hiện vật, có danh sách ghi nhận công khai.",
        "soc| Chương trình hiến máu nhân đạo tại {place_event} ngày {date}, từ 7h30 đến 11h30. Mang theo CCCD, ăn nhẹ trước khi hiến. Người hiến máu nhận giấy chứng nhận và quà theo quy định.",
        "soc| Hội Chữ thập đỏ phường {ward} tiếp nhận ủng hộ gia đình bà {name} có nhà bị cháy. Đóng góp trực tiếp tại trụ sở UBND phường hoặc qua tài khoản của Hội, danh sách nhà hảo tâm được niêm yết công khai.",
        "soc| Cảm ơn mọi người đã ủng hộ bếp ăn 0 đồng của nhóm tháng {month}: tổng thu {amt_big_plain}, chi tiết thu chi và sao kê tài khoản nhóm đăng đầy đủ trong album ghim.",
        "soc| Trường {school} phát động quyên góp ủng hộ học sinh vùng lũ. Mỗi lớp tự nguyện đóng góp, giáo viên chủ nhiệm tổng hợp, nhà trường công bố thu chi trên bảng tin và nhóm phụ huynh.",
        "cmt| Mình ủng hộ qua tài khoản của Ban Cứu trợ rồi nhé, có sao kê công khai trên web nên yên tâm. Mọi người nên ủng hộ qua kênh chính thống, đừng chuyển khoản cho tài khoản cá nhân lạ.",
    ],
    "event_legit": [
        "soc| Đăng ký giải chạy tại {form_link}, hạn chót {date}. Phí đăng ký thanh toán trên trang chính thức của BTC, có hóa đơn điện tử.",
        "cmt| Link đăng ký workshop ở đây nha mọi người: {form_link} 🙌 miễn phí, có giấy chứng nhận",
        "soc| 📣 Hội sách {city} {year} diễn ra từ {date} đến {date2} tại {place_event}. Vào cửa miễn phí, giảm giá sách đến 50%, có giao lưu tác giả mỗi tối.",
        "soc| Concert {artist} ngày {date}: vé chỉ bán chính thức trên Ticketbox từ 10h ngày {date2}. BTC không bán vé qua cá nhân, cảnh giác vé giả.",
        "soc| Giải chạy bộ gây quỹ vì trẻ em {city} {year}: cự ly 5km, 10km, 21km. Phí đăng ký 350k/người thanh toán trên website chính thức, bao gồm áo, BIB và huy chương.",
        "soc| Thông báo: Chợ phiên nông sản sạch tại sân nhà văn hóa phường {ward}, 7h–11h sáng Chủ nhật. Bà con mang theo túi vải để hạn chế túi nilon nhé.",
        "sms| {fashion_store}: Moi ban den su kien ra mat bo suu tap moi luc 18h ngay {date} tai cua hang {street}. Tang qua cho 100 khach dau tien.",
        "soc| Workshop miễn phí 'Nhận diện lừa đảo trực tuyến cho người cao tuổi' tại nhà văn hóa phường {ward}, 8h sáng thứ Bảy. Đăng ký qua form: {form_link}",
        "soc| Lễ hội ẩm thực đường phố {city} từ {date} đến {date2} với hơn 100 gian hàng, vé vào cổng 30k, trẻ em dưới 1m2 miễn phí.",
        "soc| Lịch thi đấu V.League vòng 12: {team1} – {team2} lúc 19h15 ngày {date}. Vé bán tại quầy sân và ứng dụng chính thức của CLB.",
    ],
    "scam_warning_legit": [
        "soc| Công an khuyến cáo: các đối tượng giả danh luật sư, hacker hứa 'lấy lại tiền bị lừa' thực chất là lừa đảo lần hai. Người bị lừa hãy trình báo trực tiếp tại cơ quan công an.",
        "cmt| Mình bị lừa vụ làm nhiệm vụ rồi lại có 'luật sư' nhắn đòi phí lấy lại tiền, may mà hỏi công an phường trước 😮‍💨",
        "chat| Em ơi cái mã QR người lạ gửi bảo quét để nhận tiền thì đừng quét nha, nhận tiền không bao giờ phải quét mã hay nhập mã đâu",
        "cmt| Số {phone} này gọi cho mình xưng là công an đó, mọi người cẩn thận, đừng làm theo nha",
        "soc| Cảnh báo: trang {shop_fake} là web giả mạo {shop}, mình vừa bị mất tiền khi đăng nhập. Web thật chỉ là {shop_site} thôi nha.",
        "cmt| Báo chí đăng rồi nè, chiêu giả shipper đòi chuyển khoản trước đang nở rộ: {news_link}",
        "soc| ⚠️ CẢNH BÁO: Gần đây xuất hiện tin nhắn giả mạo {bank} với nội dung 'tài khoản đăng nhập trên thiết bị lạ' kèm đường link lạ. {bank} KHÔNG gửi tin nhắn chứa đường link. Tuyệt đối không bấm vào link và không cung cấp OTP.",
        "cmt| Tin nhắn kiểu này là lừa đảo đó mọi người, link {bank_fake} không phải web của ngân hàng đâu, đừng bấm vào nha",
        "soc| Công an {city} cảnh báo thủ đoạn giả danh cán bộ công an gọi điện yêu cầu chuyển tiền vào 'tài khoản tạm giữ'. Cơ quan công an không làm việc qua điện thoại và không yêu cầu chuyển tiền. Ai nhận được cuộc gọi như vậy hãy báo ngay cho công an phường.",
        "chat| Mẹ ơi nếu có ai nhắn tin mượn tiền bằng tài khoản của con thì mẹ gọi điện cho con trước nhé, đừng chuyển khoản. Dạo này nhiều người bị hack Facebook lắm.",
        "soc| {carrier} khuyến cáo: không cung cấp mã OTP, số seri SIM cho bất kỳ ai tự xưng là nhân viên nhà mạng. Mọi thủ tục đổi SIM chỉ thực hiện tại cửa hàng chính thức.",
        "cmt| Mình cũng nhận được tin báo trúng xe SH của {shop}, bảo đóng phí {amt_fee} mới nhận. Lừa đảo 100% nhé, {shop} không có chương trình nào như vậy.",
        "soc| [{shop}] Lưu ý: {shop} không tuyển cộng tác viên làm nhiệm vụ đặt đơn, like sản phẩm để nhận hoa hồng. Các lời mời qua Zalo, Telegram đều là giả mạo.",
        "soc| Tổng hợp các chiêu lừa đảo phổ biến: trúng thưởng đòi phí, việc nhẹ lương cao, giả danh công an, giả shipper đòi chuyển khoản trước, link cập nhật VNeID. Nguyên tắc: không bấm link lạ, không chuyển tiền cho người lạ, không đọc OTP.",
        "chat| Ông ơi nếu có người gọi bảo là công an hay nhân viên ngân hàng rồi bảo ông chuyển tiền hay đọc mã số thì ông cúp máy luôn nhé, gọi cho con trước.",
        "soc| Bộ Công an khuyến cáo: VNeID không gửi tin nhắn chứa đường link. Người dân chỉ tải ứng dụng VNeID từ App Store, Google Play và làm định danh tại công an phường, xã.",
        "cmt| ai nhận được sms báo giao hàng thất bại bắt thanh toán phí giao lại qua link thì đừng bấm nha, mình vừa suýt mất tiền 😤",
        "soc| {courier} cảnh báo: nhân viên giao hàng chỉ thu đúng số tiền COD hiển thị trên đơn, không yêu cầu khách chuyển khoản trước hay bấm link thanh toán phí.",
        "soc| EVN khuyến cáo khách hàng cảnh giác với cuộc gọi giả danh nhân viên điện lực thông báo cắt điện, yêu cầu chuyển tiền hoặc cài ứng dụng lạ. Thông tin chính thức chỉ qua tổng đài CSKH của điện lực và website EVN.",
        "cmt| Bạn ơi đừng chuyển cọc nha, tài khoản bán hàng này mới lập 2 tuần, mình bị lừa y chang rồi. Mua hàng thì chọn COD kiểm tra hàng.",
        "cmt| Ủa tin nhắn 'vay {amt_loan} giải ngân 5 phút' này là lừa mà, nó bắt đóng phí bảo hiểm trước rồi chặn luôn đó. Đừng ai dính nha.",
    ],
    "gov_notice_legit": [
        "soc| Lịch tạm ngừng cấp điện tuần này khu vực {district}, mọi người xem chi tiết trên trang của điện lực: {news_link}",
        "soc| Video hướng dẫn cài VNeID và kích hoạt định danh mức 2 do Công an tỉnh thực hiện: https://www.youtube.com/watch?v={yt}",
        "soc| Công an phường {ward} thông báo: tiếp tục hỗ trợ kích hoạt tài khoản định danh điện tử mức 2 cho công dân tại trụ sở từ 7h30–11h30 các ngày trong tuần, kể cả sáng thứ Bảy. Công dân mang theo CCCD gắn chip, không thu phí.",
        "sms| Cuc Thue thong bao: Han quyet toan thue TNCN nam {year} la ngay 2/5. NNT thuc hien tren ung dung eTax Mobile hoac trang thuedientu.gdt.gov.vn. Co quan thue khong goi dien yeu cau chuyen tien.",
        "sms| EVN{region}: Tien dien thang {month} cua ma KH {evn_code} la {amt_small_plain}. Vui long thanh toan truoc {date} qua ngan hang, vi dien tu hoac ung dung CSKH EVN. Tran trong.",
        "soc| UBND phường {ward} thông báo lịch tiêm chủng mở rộng cho trẻ dưới 5 tuổi vào sáng thứ Tư và thứ Năm tại trạm y tế phường. Phụ huynh mang theo sổ tiêm chủng.",
        "sms| BHXH VN: So tien dong BHXH thang {month} cua ban la {amt_small_plain}. Tra cuu qua ung dung VssID. BHXH khong yeu cau cung cap mat khau hay OTP qua dien thoai.",
        "sms| Dien luc {district} thong bao: Tam ngung cung cap dien de bao tri luoi tu 7h30 den 16h30 ngay {date} tai khu vuc duong {street}. Mong Quy khach thong cam.",
        "soc| Tra cứu phạt nguội: chủ phương tiện tra cứu trên trang chính thức của Cục CSGT hoặc ứng dụng VNeID. Việc nộp phạt chỉ thực hiện qua Cổng Dịch vụ công quốc gia hoặc tại cơ quan xử lý, không qua tài khoản cá nhân.",
        "sms| Cong DVC quoc gia: Ho so {ho_so} cua ong/ba da duoc tiep nhan. Ket qua du kien tra vao {date}. Tra cuu tai dichvucong.gov.vn",
    ],
    "refund_legit": [
        "sms| {shop}: Yeu cau tra hang/hoan tien cho don {order} da duoc chap nhan. So tien {amt_small_plain} se duoc hoan ve {wallet} hoac tai khoan ngan hang trong 3-5 ngay lam viec.",
        "sms| {bank}: Giao dich {tx}VND ngay {date} bi loi da duoc hoan tra vao TK {acct_mask}. Xin loi Quy khach vi su bat tien.",
        "chat| Dạ shop xin lỗi vì gửi sai màu ạ. Chị gửi trả qua bưu cục gần nhất theo mã đổi trả trên ứng dụng, phí ship shop chịu, shop gửi lại hàng đúng cho chị ngay khi nhận được ạ.",
        "soc| {airline} thông báo: hành khách có chuyến bay bị hủy do thời tiết được hoàn vé hoặc đổi chuyến miễn phí qua website, phòng vé hoặc tổng đài {hotline}. Hãng không gọi điện yêu cầu cung cấp mã CVV hay OTP.",
        "sms| {wallet}: Ban da nhan hoan tien {amt_small_plain} tu {merchant} cho giao dich ngay {date}. So du vi da duoc cap nhat tren ung dung.",
    ],
    "news_share_legit": [
        "soc| Xem lại highlight trận tối qua ở đây nè: https://www.youtube.com/watch?v={yt}",
        "soc| Công thức làm bánh flan mình học được ở bài này, dễ lắm: {news_link}",
        "chat| Anh gửi em bài báo hôm qua nói về lãi suất tiết kiệm nè: {news_link}",
        "soc| Bản tin thời tiết: miền Bắc đón đợt không khí lạnh mới, nhiệt độ giảm 5–7 độ. Chi tiết: {news_link}",
        "cmt| Giá vàng hôm nay lại tăng, ai quan tâm đọc thêm ở đây: {news_link}",
        "chat| Bài này hướng dẫn cách nhận diện tin nhắn lừa đảo hay lắm, mẹ đọc nha: {news_link}",
    ],
    "customer_service_legit": [
        "chat| Dạ em bên giao hàng, đơn của chị hẹn giao lại chiều nay lúc 3h được không ạ? Tiền thu hộ như trên ứng dụng ạ.",
        "chat| Chào anh, bên em là showroom xe. Xe anh đặt đã về, anh qua showroom ký hợp đồng và thanh toán trực tiếp tại quầy kế toán nhé.",
        "chat| Dạ bên em là tổng đài {bank}, em gọi xác nhận giao dịch {tx}VND anh vừa thực hiện. Em không cần anh cung cấp mã OTP, anh chỉ cần xác nhận có hay không thôi ạ.",
        "chat| Dạ chào chị, em là nhân viên chăm sóc khách hàng của {shop}. Đơn {order} của chị đang bị chậm do kho quá tải, dự kiến giao vào {date}. Bên em xin lỗi và tặng chị voucher giảm 20k trong ví ạ.",
        "chat| Dạ ngân hàng đã nhận được yêu cầu khóa thẻ của anh. Anh vui lòng mang CCCD ra chi nhánh gần nhất để làm lại thẻ ạ. Bên em không bao giờ hỏi mã OTP hay mật khẩu của anh.",
        "chat| Chào anh, em gọi từ tiệm sửa xe hôm qua, xe của anh sửa xong rồi, tổng 450k, anh ghé lấy xe rồi thanh toán tại tiệm nhé.",
        "chat| Dạ shop nhận được đơn của chị rồi ạ. Shop gửi hàng trong hôm nay, chị nhận hàng kiểm tra rồi thanh toán cho shipper, có vấn đề gì chị nhắn shop đổi trả nha.",
        "chat| Chào chị, bên em là nha khoa nhắc lịch hẹn tái khám lúc {time} ngày {date}. Nếu đổi lịch chị gọi {hotline} giúp em ạ.",
        "chat| Dạ phòng khám xác nhận lịch của bé vào sáng thứ Bảy. Phí khám thanh toán tại quầy sau khi khám ạ.",
        "chat| Em chào anh, em là môi giới bên sàn nhà đất. Căn hộ anh hỏi vẫn còn, anh hẹn giờ đi xem trực tiếp nhé, khi nào ưng thì mới ký hợp đồng đặt cọc tại văn phòng ạ.",
        "chat| Dạ em bên {carrier}, hợp đồng internet của chị đã gia hạn thành công, cước tháng tới {amt_small_plain}, chị thanh toán qua ứng dụng My{carrier} như mọi khi nhé.",
        "chat| Dạ khách sạn xác nhận đặt phòng của anh ngày {date}, 2 đêm. Anh thanh toán khi nhận phòng, được hủy miễn phí trước 24 giờ ạ.",
        "chat| Chị ơi bên em là trung tâm tiếng Anh, lớp của bé khai giảng {date}. Học phí đóng tại trung tâm hoặc chuyển khoản vào tài khoản công ty có ghi trên biên lai nha chị.",
    ],
    "family_money_legit": [
        "chat| Bố ơi con gửi bố tiền sửa mái nhà 4 triệu rồi nha, bố nhận chưa gọi con",
        "chat| Ê tiền quỹ đám cưới nhóm mình mỗi đứa 500k, tao ghi sổ rồi, đứa nào ck rồi báo tao",
        "chat| Anh chuyển em tiền đi chợ tuần này nhé, 1tr5, thiếu thì nói anh",
        "chat| Mẹ ơi con chuyển tiền điện nước tháng này rồi nha, 1tr2, mẹ kiểm tra tài khoản giúp con",
        "chat| Con ơi bố vừa chuyển cho con 3 triệu tiền học thêm, con nhận được chưa, nhận rồi nhắn bố một tiếng",
        "chat| Anh ơi em đóng tiền học cho bé rồi nha, em chụp biên lai gửi anh đây",
        "chat| Bà ơi cháu chuyển khoản tiền thuốc cho bà rồi ạ, mai cháu về thăm bà nhé",
        "chat| chị ơi tiền nhà tháng này em gửi chị 2tr5 rồi nhé, chị check tk giúp em",
        "chat| Vợ ơi anh nhận lương rồi, anh chuyển vào tài khoản chung 10 triệu nha",
        "chat| Mình gửi tiền mừng cưới qua tài khoản cho bạn nha, không về dự được, chúc hai bạn trăm năm hạnh phúc 💕",
        "chat| Em ơi tiền đi du lịch chia đều mỗi người 1tr8, ai chuyển rồi thì thả tim tin nhắn này nha",
        "chat| Tháng này con gửi mẹ 5 triệu như mọi khi nha, mẹ nhớ ăn uống đầy đủ",
        "chat| Cảm ơn chị đã chuyển lại tiền vé máy bay, em nhận đủ rồi nha",
    ],
    "everyday_chat": [
        "cmt| ok",
        "cmt| đẹp quá 😍",
        "chat| tới chưa e",
        "cmt| hóng phần 2",
        "soc| Tối nay ai xem bóng đá không, Việt Nam đá với Thái Lan 19h30 đó",
        "soc| Cho mình hỏi quán bún bò nào ngon ở quận 3 vậy mọi người?",
        "soc| Trời Hà Nội hôm nay lạnh quá, mọi người nhớ mặc ấm nhé 🥶",
        "soc| Chúc cả nhà cuối tuần vui vẻ ❤️",
        "chat| Mẹ ơi tối nay con về muộn, mẹ không cần để cơm nha",
        "soc| Ai có tài liệu ôn thi môn Kinh tế vĩ mô cho mình xin với 🙏",
        "soc| hnay kẹt xe kinh khủng ở ngã tư Hàng Xanh, ai đi đường đó né ra nhé",
        "soc| Mình mới nấu thử món canh chua cá lóc theo công thức của bà ngoại, ngon xỉu 😋",
        "soc| Có ai biết tiệm sửa xe uy tín ở Gò Vấp không ạ?",
        "cmt| Haha trận hôm qua đá hay thật, bàn thắng phút 90 đỉnh quá",
        "soc| Lớp mình họp lớp vào 15/12 nha, mọi người xác nhận tham gia trong nhóm nhé",
        "soc| Cuối tuần này đi Đà Lạt có cần đặt phòng trước không mn",
        "chat| ok em, mai 8h gặp ở cổng trường nha",
        "soc| Sáng nay ăn phở, trưa ăn cơm tấm, tối chắc ăn lẩu 🤣",
        "chat| Chị ơi mai chị có đi họp phụ huynh không, cho em đi nhờ với",
        "soc| Con mèo nhà mình hôm nay lại leo lên nóc tủ không chịu xuống 😹",
        "soc| Mọi người cho mình hỏi làm hộ chiếu online mất bao lâu vậy?",
        "soc| Hôm nay sinh nhật em, cảm ơn mọi người đã chúc mừng ạ 🎂",
        "soc| Mưa to quá, đường Nguyễn Hữu Cảnh ngập rồi, ai đi xe máy cẩn thận",
        "chat| anh em ơi tối nay đá bóng sân cũ 7h nha, nhớ mang áo đỏ",
        "cmt| Đọc xong cuốn này thấy hay lắm, mọi người nên đọc thử",
        "soc| Bé nhà mình bắt đầu tập nói rồi, nói được chữ 'ba' đầu tiên 🥰",
        "soc| cho mình hỏi tiêm vaccine cúm cho trẻ ở đâu tiện vậy ạ",
        "soc| Mình vừa chuyển nhà sang Thủ Đức, có ai ở gần đây làm quen nhé",
        "soc| Quán cà phê mới mở ở đầu ngõ decor xinh lắm, cuối tuần ghé thử đi",
        "soc| Cảm ơn anh shipper hôm nay giao hàng dưới mưa, mình gửi anh ly cà phê ☕",
        "soc| Ai có kinh nghiệm trồng rau ban công chỉ mình với, rau cứ bị vàng lá",
        "chat| Mai nhà mình giỗ ông, con cháu về đông đủ nhé",
        "cmt| Tuần sau thi rồi mà chưa học được chữ nào 😭",
        "cmt| Trời ơi Messi lại ghi bàn, ông này không biết già à",
        "chat| Chuyển khoản tiền ăn trưa hôm qua cho tui nha, 45k thôi bà",
        "chat| Tao ck tiền điện tháng này rồi nhé, 380k, mày check lại",
        "chat| Gửi cả lớp stk của mình để đóng quỹ lớp nha: {acct} {bank} {holder}, mỗi bạn 100k, hạn thứ 6",
        "soc| Thứ 7 này có ai đi cafe sách không, mình rủ thêm 2 người nữa",
        "chat| Nay lương về rồi, đi ăn lẩu thôi anh em 🍲",
        "soc| Ai biết cách tắt thông báo quảng cáo trên điện thoại Samsung chỉ mình với",
        "soc| Xe buýt số 8 hôm nay trễ 20 phút, đợi mỏi chân",
        "chat| Chị ơi em gửi lại chị 200k hôm trước mượn nha, em ck rồi đó",
        "chat| Sáng mai con đi học nhớ mang áo mưa nha, dự báo có mưa",
        "soc| Đi siêu thị thấy rau đắt quá, bó cải 25k 😮",
        "soc| Hôm nay 20/11, chúc các thầy cô luôn mạnh khỏe nhé 💐",
        "soc| Ai cần đi chung xe về quê Tết thì nhắn mình, xe 7 chỗ còn 2 ghế, chia tiền xăng",
        "chat| Nhóm mình cần thêm 1 bạn làm slide cho bài thuyết trình thứ 5",
        "soc| Laptop mình bị màn hình xanh, có ai biết sửa không",
        "chat| Anh ơi tối nay anh về mua giùm em hộp sữa với ổ bánh mì nhé",
        "soc| Đội tuyển thắng rồi!!! Đi bão thôi 🇻🇳🇻🇳",
        "soc| Cho hỏi ở Cần Thơ có chỗ nào dạy bơi cho trẻ em không ạ",
        "chat| Lâu rồi không gặp, dạo này bạn khỏe không?",
        "soc| Mình mới đổi số điện thoại, mọi người lưu số mới giúp mình nhé: {phone}",
        "soc| Gửi mọi người hình ảnh chuyến đi Hạ Long hôm qua, vui quá trời 📸",
    ],
}


# --------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------

STYLES = {"sms": "sms", "soc": "social", "cmt": "comment", "chat": "chat"}
COLUMNS = ["id", "text", "scam", "scenario", "group", "style", "source_note"]
# variants per seed, drawn uniformly from these lists (the counts keep the labels near 50/50)
N_VARIANTS = {
    1: [4, 4, 5, 5, 6],
    0: [4, 4, 5, 5, 5, 6],
    "everyday_chat": [1, 1, 1, 1, 1, 1, 1, 1, 1, 2],
}


def parse_seed(seed: str) -> tuple[str, str]:
    prefix, _, text = seed.partition("|")
    if prefix not in STYLES or not text.strip():
        raise ValueError(f"seed must look like 'sms| text', got {seed[:40]!r}")
    return STYLES[prefix], text.strip()


def pick_recipe(style: str, used: list[str], label: int, rng: random.Random) -> str:
    """A recipe not used yet for this seed. Scams are never truncated: the cut could drop
    the hook (the fee, the link, the OTP request) and leave a message that is not a scam."""
    weights = RECIPE_WEIGHTS[style]
    names = [n for n in weights if n not in used or n == "plain"]
    if label == 1:
        names = [n for n in names if "trunc" not in n]
    return rng.choices(names, weights=[weights[n] for n in names])[0]


def build_rows(seed: int = SEED) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for label, table in ((1, SCAM_SEEDS), (0, LEGIT_SEEDS)):
        for scenario, seeds in table.items():
            for i, raw in enumerate(seeds, start=1):
                style, template = parse_seed(raw)
                group = f"{scenario}-{i:03d}"
                n = rng.choice(N_VARIANTS.get(scenario, N_VARIANTS[label]))
                used: list[str] = []
                for j in range(n):
                    if j == 0:
                        recipe = "plain"
                    elif j == 1 and style == "sms" and has_accents(template):
                        recipe = "noaccent"
                    else:
                        recipe = pick_recipe(style, used, label, rng)
                    used.append(recipe)
                    for _attempt in range(8):
                        text = apply_recipe(fill(template, rng), recipe, rng)
                        if text not in seen:
                            break
                    else:
                        continue  # a short seed with few slots ran out of distinct variants
                    seen.add(text)
                    rows.append(
                        {
                            "text": text,
                            "scam": str(label),
                            "scenario": scenario,
                            "group": group,
                            "style": style,
                            "source_note": SOURCE_NOTE,
                        }
                    )
    rng.shuffle(rows)
    for k, row in enumerate(rows, start=1):
        row["id"] = f"sc{k:05d}"
    return rows


def write_csv(rows: list[dict[str, str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "posts.csv", help="CSV to write")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed (default %(default)s)")
    args = parser.parse_args(argv)
    rows = build_rows(args.seed)
    write_csv(rows, args.out)
    n_scam = sum(r["scam"] == "1" for r in rows)
    n_seeds = sum(len(v) for v in SCAM_SEEDS.values()) + sum(len(v) for v in LEGIT_SEEDS.values())
    print(
        f"wrote {len(rows)} rows ({n_scam} scam, {len(rows) - n_scam} not scam) "
        f"from {n_seeds} seeds to {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
