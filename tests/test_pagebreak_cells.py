"""Flattened task-table rows (round 20, h20-gztables): the parts of a row that a gazette page break
cut go on the cells they finish, and a document's number after "… số" stays in its cell.

Every Vietnamese line here is SYNTHETIC, written for these tests (the province "Bình Sơn", the
"Ủy ban Thử nghiệm" and the documents numbered here do not exist); none is copied from a real
document.
"""

from __future__ import annotations

from tracuu.ingest.agencies import load_gazetteer
from tracuu.ingest.loaders.flatcells import column_kinds, finishes_name, fragments, place_fragments
from tracuu.ingest.reflow import SourceLine

from table_rows import TASK_TABLE_HEAD, names, table_tasks

HEAD = "ỦY BAN NHÂN DÂN TỈNH BÌNH SƠN\n\nSố: 12/KH-UBND\n\nKẾ HOẠCH\n\nThử nghiệm\n\nI. MỤC ĐÍCH\n\n1. Làm thử.\n\n"


def _lines(*texts: str) -> list[SourceLine]:
    return [SourceLine(k * 60, t, 1) for k, t in enumerate(texts)]


def test_a_document_number_after_so_goes_on_the_line_above():
    # synthetic: a text's name justified one word a line, its number on the next line
    frags = fragments(_lines("Nghị", "định", "số", "77/2031/NĐ-CP", "ngày 02/3/2031", "- Điều 9"))
    assert frags[0].text.startswith("Nghị định số 77/2031/NĐ-CP")
    frags = fragments(_lines("Theo yêu cầu tại Nghị quyết số", "5/NQ-CP", "Thường xuyên"))
    assert [f.text for f in frags] == ["Theo yêu cầu tại Nghị quyết số 5/NQ-CP", "Thường xuyên"]
    # a plain number after "số" (digital) is no document's number: the next cell
    frags = fragments(_lines("Phát triển dữ liệu số", "2026 - 2027"))
    assert [f.text for f in frags] == ["Phát triển dữ liệu số", "2026 - 2027"]


def test_a_table_of_texts_named_one_word_a_line(tmp_path):
    # synthetic: STT | text | provisions | lead; the numbers on lines of their own
    text = HEAD + (
        "Phụ lục\nDANH MỤC VĂN BẢN CẦN SỬA ĐỔI\n"
        "STT \nDANH SÁCH \nVĂN BẢN \nĐIỀU, KHOẢN CẦN SỬA ĐỔI \nCƠ QUAN \nCHỦ TRÌ \n"
        "1.  Nghị \nđịnh \nsố \n71/2031/NĐ-CP \nngày 02/3/2031 \n- Điều 4 \n- Khoản 2 Điều 9 \nSở Tư pháp \n"
        "2.  Nghị \nđịnh \nsố \n72/2031/NĐ-CP \nngày 05/3/2031 \n- Điều 7 \nSở Tư pháp \n"
    )
    _, rows = table_tasks(tmp_path, text)
    texts = [t.text for t in rows]
    assert any(t.startswith("Nghị định số 72/2031/NĐ-CP") for t in texts), texts


def test_a_later_fragment_is_no_more_of_a_cell_its_first_fragment_closed():
    kinds = column_kinds(["Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời hạn"])

    class F:  # a fragment already read
        def __init__(self, agency=0.0, time=False, product=False, level=False, weak=False, text=""):
            self.agency, self.time, self.product, self.level, self.weak = agency, time, product, level, weak
            self.text = text

    # after a page break: the task's last words (the task cell was left open: "… tại"), then the
    # rest of a name the partners' cell was left in; the task's part ends with "."
    frags = [F(text="Bình Sơn theo hướng gọn nhẹ."), F(text="thử nghiệm về các vùng biển")]
    ends = [1.0, 0.0, 1.0 / 3, 0.0, 0.0]
    stays = [[0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 1.0 / 3, 1.0 / 3, 0.0, 0.0]]
    cols = place_fragments(frags, kinds, first_part=False, open_ends=ends,
                           finishes=lambda i, j: i == 1 and j == 2, stay_ends=stays)
    assert [kinds[c] for c in cols] == ["task", "coord"]
    # the second fragment goes on the task when the first one left it open ("… của")
    stays[0][0] = 1.0
    cols = place_fragments(frags, kinds, first_part=False, open_ends=ends, stay_ends=stays)
    assert [kinds[c] for c in cols] == ["task", "task"]


def test_a_name_tail_over_many_short_lines_opens_its_own_fragment():
    # synthetic: after the break the task's last words end a sentence, then the rest of the product
    # cell's name "… Ủy" + "ban nhân dân các tỉnh, thành phố trực thuộc trung ương", wrapped over
    # five short lines after a lower-case line that goes on the partners' cell
    g = load_gazetteer()
    cells = ["", "", "", "Quyết định của Ủy", ""]

    def goes_on(ahead: str) -> bool:
        return any(finishes_name(g, c, ahead) for c in cells if c)

    frags = fragments(_lines("Bình Sơn theo hướng gọn nhẹ.", "thử nghiệm xã", "ban nhân", "dân các", "tỉnh,",
                             "thành phố trực", "thuộc trung ương"), goes_on=goes_on)
    assert [f.text for f in frags][-1] == "ban nhân dân các tỉnh, thành phố trực thuộc trung ương"


def test_a_long_name_cut_by_the_break_is_finished_after_it():
    g = load_gazetteer()
    # the name opens seven words before the break
    assert finishes_name(g, "Sở Nội vụ, Ủy ban nhân dân các tỉnh, thành", "phố trực thuộc trung ương")
    assert not finishes_name(g, "Sở Nội vụ, Sở Tài chính", "phố trực thuộc trung ương")


def test_a_row_whose_partners_run_over_a_page_break(tmp_path):
    # synthetic: the lead and the partners' cells both left inside a name at the break
    text = HEAD + TASK_TABLE_HEAD + (
        "1 \nRà soát các quy định về thử nghiệm \nvà tổng hợp kết quả thực \n"
        "Sở Tư pháp \nSở Nội vụ, Ủy ban \nnhân dân các tỉnh, \nthành \nBáo cáo \nQuý II/2031 \n"
        "\nCÔNG BÁO/Số 88/Ngày 02-03-2031 \n15\n \n"
        "hiện trong năm \nphố trực thuộc \ntrung ương \n"
        "2 \nKiểm tra việc thực hiện \nSở Nội vụ \nSở Tư pháp \nBáo cáo \nHằng năm \n"
    )
    _, rows = table_tasks(tmp_path, text)
    one = rows[0]
    assert one.text == "Rà soát các quy định về thử nghiệm và tổng hợp kết quả thực hiện trong năm"
    assert names(one.lead) == ["Sở Tư pháp"]
    assert "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương" in names(one.coordinators)
