"""Task rules for the Government Office's notices of conclusions and for gazette texts (issue 10,
h13-gazette): one small test per rule.

Every Vietnamese line here is SYNTHETIC, written for these tests (the province "Bình Sơn", its
projects and the decree numbers do not exist); none is copied from a real document.
"""

from __future__ import annotations

from tests.task_text import _one, names


def test_a_topic_naming_bodies_then_giao_after_the_colon():
    # the topic restates the province's request: it names bodies and holds a bracket
    task = _one("1. Về hỗ trợ kinh phí trang bị cho các cơ sở y tế tỉnh Bình Sơn (trong đó có trạm y tế xã): "
                "Giao Bộ Tài chính chủ trì, phối hợp với Bộ Y tế nghiên cứu, báo cáo cấp có thẩm quyền.")
    assert names(task.lead) == ["Bộ Tài chính"]
    assert names(task.coordinators) == ["Bộ Y tế"]


def test_a_topic_with_a_semicolon_then_a_subject():
    task = _one("7. Về dự án đường nối Bình Sơn - Tây Sơn; dự án nâng cấp Quốc lộ 99 của Chính phủ: Ủy ban nhân "
                "dân tỉnh Bình Sơn nghiên cứu lập báo cáo tiền khả thi, báo cáo cấp có thẩm quyền.")
    assert names(task.lead) == ["Ủy ban nhân dân tỉnh Bình Sơn"]


def test_the_topic_ends_at_the_colon_the_owner_follows():
    # the first colon opens the request's detail, the second the answer
    task = _one("8. Về tổ chức bộ máy cấp xã: tăng số lượng cấp phó tại các phòng chuyên môn của cấp xã: "
                "giao Bộ Nội vụ chủ trì, phối hợp với các cơ quan liên quan nghiên cứu, báo cáo Chính phủ.")
    assert names(task.lead) == ["Bộ Nội vụ"]
    assert names(task.coordinators) == ["các cơ quan liên quan"]


def test_ministries_and_bodies_written_after_one_head():
    # "Các Bộ, cơ quan: A, B, …, Tập đoàn X": each short name takes "Bộ"; a body with its own head keeps it
    task = _one("8. Các Bộ, cơ quan: Tài chính, Xây dựng, Công Thương, Tập đoàn Điện lực Việt Nam theo chức năng, "
                "nhiệm vụ được giao rà soát việc thực hiện, báo cáo Thủ tướng Chính phủ.")
    assert names(task.lead) == ["Bộ Tài chính", "Bộ Xây dựng", "Bộ Công Thương", "Tập đoàn Điện lực Việt Nam"]


def test_corporations_written_after_one_head():
    task = _one("9. Về phủ sóng các thôn của tỉnh Bình Sơn: đề nghị các Tập đoàn: Bưu chính Viễn thông Việt Nam, "
                "Công nghiệp - Viễn thông Quân đội tổ chức triển khai, hoàn thành trong tháng 12 năm 2026.")
    assert names(task.lead) == ["Tập đoàn Bưu chính Viễn thông Việt Nam", "Tập đoàn Công nghiệp - Viễn thông Quân đội"]


def test_the_national_energy_group_is_one_name():
    # its name holds a dash and no word that stops a guessed name: known, it ends before the verb
    task = _one("3. Về mở rộng nhà máy lọc dầu Bình Sơn: giao Tập đoàn Công nghiệp - Năng lượng Quốc gia Việt Nam "
                "làm việc cụ thể với các nhà đầu tư, báo cáo Thủ tướng Chính phủ trong tháng 12 năm 2026.")
    assert names(task.lead) == ["Tập đoàn Công nghiệp - Năng lượng Quốc gia Việt Nam"]
