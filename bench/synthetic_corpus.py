"""Many synthetic plans ("Kế hoạch") in the shape of the fixtures: SYNTHETIC TEST MATERIAL.

    python bench/synthetic_corpus.py OUT_DIR [--docs 10] [--clauses-per-doc 100] [--seed 7]

Every file is made up by this script from a few invented phrase pools: the provinces, numbers,
dates, agencies' tasks, figures and names are invented, and each document says so in the line
under its title (the same marker line the fixtures carry):
``(Văn bản mẫu tự soạn để kiểm thử phần mềm - không phải văn bản thật)``.
No text of any real legal document is quoted or paraphrased.

Shape, as a plain single-spaced .txt the txt loader reads (one paragraph per line):
header (issuer, national motto, number, place and date, type, title, marker), a preamble,
``I. MỤC ĐÍCH, YÊU CẦU`` (khoản 1-2 with points a) b) ...), ``II. NHIỆM VỤ, GIẢI PHÁP``
(numbered khoản with points, as many as needed to reach the clause target),
``III. TỔ CHỨC THỰC HIỆN`` (khoản naming a lead agency and a deadline), "Nơi nhận", the
signature, and a ``PHỤ LỤC`` table flattened to text (``STT Nhiệm vụ ...`` header, Roman group
rows, numbered rows). Texts differ from clause to clause (numbers and phrases drawn with a
seeded RNG), so an embedding cache cannot shortcut a benchmark.

Used by ``bench/perf.py`` (scaling to 1k-10k clauses) and by the fault/concurrency tests.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

MARKER = "(Văn bản mẫu tự soạn để kiểm thử phần mềm - không phải văn bản thật)"

PLACES = ["Hòa Phong", "Vân Khê", "Lạc Sơn Mẫu", "Đông Thử", "Minh Hạ", "Thanh Mẫu", "Phú Khảo", "Tân Nghiệm"]
AGENCIES = [
    "Sở Tài chính", "Sở Nội vụ", "Sở Y tế", "Sở Xây dựng", "Sở Giáo dục và Đào tạo",
    "Sở Nông nghiệp và Môi trường", "Sở Khoa học và Công nghệ", "Sở Văn hóa, Thể thao và Du lịch",
    "Chi nhánh NHCSXH tỉnh", "Văn phòng UBND tỉnh", "Công an tỉnh", "UBND các xã, phường",
]
VERBS = [
    "Rà soát", "Tổ chức", "Hướng dẫn", "Theo dõi", "Đôn đốc", "Kiểm tra", "Tổng hợp", "Xây dựng",
    "Triển khai", "Củng cố", "Nâng cao", "Bố trí", "Tuyên truyền", "Đánh giá", "Cập nhật", "Hỗ trợ",
]
OBJECTS = [
    "danh sách hộ được thụ hưởng chương trình thử nghiệm", "nguồn vốn ủy thác của địa phương",
    "mạng lưới điểm giao dịch tại xã", "hồ sơ vay vốn của hộ sản xuất nhỏ",
    "dữ liệu dân cư phục vụ cho vay", "chất lượng hoạt động của tổ tiết kiệm",
    "kết quả giải ngân theo từng quý", "mô hình sinh kế sử dụng vốn hiệu quả",
    "công tác đào tạo cán bộ cơ sở", "việc thu hồi nợ đến hạn", "chương trình nước sạch nông thôn",
    "nhà ở xã hội cho người thu nhập thấp", "việc làm cho lao động vùng khó khăn",
    "học sinh, sinh viên có hoàn cảnh khó khăn", "kênh thông tin phản ánh của người dân",
]
QUALIFIERS = [
    "bảo đảm công khai, minh bạch", "đúng đối tượng, kịp thời", "gắn với mục tiêu giảm nghèo bền vững",
    "theo hướng số hóa quy trình", "phù hợp điều kiện thực tế của địa phương", "không để phát sinh nợ xấu",
    "ưu tiên địa bàn vùng sâu, vùng xa", "có sự tham gia của cộng đồng dân cư",
]
DEADLINES = [
    "trước ngày 15/{m}/{y}", "trong Quý {q} năm {y}", "định kỳ 6 tháng", "hằng năm", "thường xuyên",
    "trước ngày {d} tháng {m} năm {y}",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k"]
HEADINGS_II = [
    "Công tác lãnh đạo, chỉ đạo", "Huy động nguồn lực", "Nâng cao chất lượng tín dụng",
    "Ứng dụng công nghệ số", "Kiểm tra, giám sát", "Đào tạo, bồi dưỡng", "Truyền thông, phổ biến",
    "Phối hợp liên ngành", "Sơ kết, tổng kết", "Hỗ trợ sinh kế", "Phát triển mạng lưới",
    "Quản lý rủi ro",
]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lâm", "Minh", "Ngọc"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng"]


class _Writer:
    def __init__(self, rng: random.Random, year: int) -> None:
        self.rng = rng
        self.year = year
        self.serial = 0

    def deadline(self) -> str:
        r = self.rng
        return r.choice(DEADLINES).format(
            d=r.randint(1, 28), m=r.randint(1, 12), q=r.choice(["I", "II", "III", "IV"]), y=self.year + r.randint(0, 4)
        )

    def sentence(self) -> str:
        """One invented task sentence; a serial number keeps every text distinct."""
        r = self.rng
        self.serial += 1
        return (
            f"{r.choice(VERBS)} {r.choice(OBJECTS)}, {r.choice(QUALIFIERS)}; phấn đấu đạt "
            f"{r.randint(50, 99)},{self.serial % 10}% chỉ tiêu số {self.serial} {self.deadline()}."
        )

    def task(self) -> str:
        r = self.rng
        lead, other = r.sample(AGENCIES, 2)
        self.serial += 1
        return (
            f"{lead} chủ trì, phối hợp với {other} {r.choice(VERBS).lower()} {r.choice(OBJECTS)} "
            f"(nhiệm vụ thử nghiệm số {self.serial}), báo cáo kết quả {self.deadline()}."
        )


def make_plan(index: int, clauses: int = 100, seed: int = 7) -> tuple[str, str]:
    """(file name, text) of synthetic plan number ``index`` with about ``clauses`` clauses."""
    rng = random.Random(seed * 100_003 + index)
    year = 2031 + index % 5
    w = _Writer(rng, year)
    place = PLACES[index % len(PLACES)]
    number = f"{900 + index}/KH-UBND"
    lines = [
        "ỦY BAN NHÂN DÂN",
        f"TỈNH {place.upper()}",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Số: {number}",
        f"{place}, ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm {year}",
        "KẾ HOẠCH",
        f"Thử nghiệm số {index} về {rng.choice(OBJECTS)} trên địa bàn tỉnh {place}",
        MARKER,
        f"Để triển khai chương trình thử nghiệm số {index}, Ủy ban nhân dân (UBND) tỉnh ban hành "
        "Kế hoạch thực hiện với các nội dung sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
    ]
    count = 2  # preamble + I
    for k, head in enumerate(["Mục đích", "Yêu cầu"], start=1):
        lines.append(f"{k}. {head}")
        count += 1
        for letter in LETTERS[:2]:
            lines.append(f"{letter}) {w.sentence()}")
            count += 1
    # appendix rows and part III are fixed-size; II takes the rest
    rows = max(4, clauses // 10)
    tail = 1 + 3 + 2 + 2 + (rows // 4 + rows)  # III + its khoản, recipients, signature, groups + rows
    lines.append("II. NHIỆM VỤ, GIẢI PHÁP")
    count += 1
    k = 0
    while count < clauses - tail or k == 0:
        k += 1
        points = rng.randint(3, 6)
        lines.append(f"{k}. {HEADINGS_II[(k - 1) % len(HEADINGS_II)]} (nhóm {k})")
        count += 1
        for letter in LETTERS[:points]:
            lines.append(f"{letter}) {w.sentence()}")
            count += 1
    lines.append("III. TỔ CHỨC THỰC HIỆN")
    for k in range(1, 4):
        lines.append(f"{k}. {w.task()}")
    lines.append(
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời phản ánh "
        "về UBND tỉnh để xem xét, chỉ đạo giải quyết./."
    )
    lines += [
        "Nơi nhận:",
        "- Các sở, ban, ngành tỉnh;",
        "- UBND các xã, phường;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        f"{rng.choice(FAMILY)} Văn {rng.choice(GIVEN)}",
        "PHỤ LỤC",
        "NHIỆM VỤ CỤ THỂ",
        f"(Kèm theo Kế hoạch số {number} của UBND tỉnh {place})",
        "STT Nhiệm vụ Cơ quan chủ trì Cơ quan phối hợp Thời gian hoàn thành Sản phẩm",
    ]
    for r in range(1, rows + 1):
        if (r - 1) % 4 == 0:
            lines.append(f"{ROMAN[((r - 1) // 4) % len(ROMAN)]}. NHÓM NHIỆM VỤ THỬ NGHIỆM {(r - 1) // 4 + 1}")
        lead, other = rng.sample(AGENCIES, 2)
        w.serial += 1
        lines.append(
            f"{r} {rng.choice(VERBS)} {rng.choice(OBJECTS)} (dòng {w.serial}) {lead} {other} "
            f"Quý {rng.choice(['I', 'II', 'III', 'IV'])} năm {year + 1} Báo cáo kết quả"
        )
    name = f"synthetic-plan-{index:04d}.txt"
    return name, "\n".join(lines) + "\n"


def generate(out_dir: Path, docs: int, clauses_per_doc: int = 100, seed: int = 7) -> list[Path]:
    """Write ``docs`` synthetic plans into ``out_dir``; returns their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(docs):
        name, text = make_plan(i, clauses_per_doc, seed)
        p = out_dir / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--docs", type=int, default=10)
    ap.add_argument("--clauses-per-doc", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    paths = generate(args.out_dir, args.docs, args.clauses_per_doc, args.seed)
    print(f"wrote {len(paths)} synthetic plans to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
