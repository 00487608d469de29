"""The issuer block of the synthetic documents the ask tests write (a made-up province, "tỉnh Hòa
Vang"). Synthetic: no real document's text. One copy, so the document-fact tests agree on it."""

HOA_VANG_HEAD = """ỦY BAN NHÂN DÂN
TỈNH HÒA VANG
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
"""

#: A Party programme's text layer whose header leaves number and day blank (a made-up "Tỉnh uỷ Bắc Sơn"): what
#: ingest reads from its opening lines (tests/test_header_opening.py) and what ask cites (test_ask_opening_facts.py).
BAC_SON_PROGRAMME = """TỈNH UỶ BẮC SƠN
*
Số         -CTr/TU

ĐẢNG CỘNG SẢN VIỆT NAM

Bắc Sơn, ngày        tháng 6 năm 2026

CHƯƠNG TRÌNH HÀNH ĐỘNG
thực hiện Kết luận số 91-KL/TW về phát triển vườn ươm cây bản địa
-----

I. MỤC ĐÍCH, YÊU CẦU

1. Mục đích

- Phát triển mạng lưới vườn ươm cây bản địa ở các xã vùng cao của tỉnh.
"""

#: A plan kept with its "(Kèm theo Quyết định số … Ngày …)" line under a repository's note line (made up): dated by
#: that decision (tests/test_header_opening.py, test_ask_opening_facts.py).
PLAN_KEPT_WITH_ITS_DECISION = """Cơ quan phát hành: Chính phủ
            THỦ TƯỚNG CHÍNH PHỦ             CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                      ____________
                                                       Độc lập - Tự do - Hạnh phúc
                                                       _____________________________________
                                     KẾ HOẠCH
                  Phát triển vườn ươm cây bản địa giai đoạn 2026 - 2030
                        (Kèm theo Quyết định số 88/QĐ-TTg
                  Ngày 14 tháng 2 năm 2026 của Thủ tướng Chính phủ)
                                  _____________
     I. MỤC TIÊU
     1. Mục tiêu tổng quát
     Bảo đảm đủ cây giống bản địa cho trồng rừng phòng hộ đầu nguồn.
"""
