"""The places a document is about, from its header or, without one, its file name, title and
opening (index/query/doc_places.py). Made-up names and text, written by the tracuu team."""

from __future__ import annotations

from tracuu.index.query.doc_places import document_places, id_places, is_central, local_place


def test_a_file_name_or_id_spells_a_place_joined_or_separated():
    assert id_places("05-kh987-nghean-5g-iot.txt") == {"nghe an"}
    assert id_places("308-kh-ubnd-ha-noi-2025") == {"ha noi"}
    assert id_places("kh_dong_thap_cds.txt") == {"dong thap"}
    # a place's syllables inside another word are not the place ("hanoian" is not read, "an" alone is no place)
    assert id_places("08-qd2530-ttg-pl2-khong-khi", "03-qd892-ttg-de-an-doi-ngoai") == set()
    assert id_places(None, "") == set()


def test_a_local_issuer_names_its_locality_even_one_no_list_holds():
    assert local_place("Ủy ban nhân dân tỉnh Hòa Phong") == "hoa phong"
    assert local_place("Thủ tướng Chính phủ") is None
    assert document_places("Ủy ban nhân dân tỉnh Hòa Phong") == {"hoa phong"}


def test_a_headerless_text_is_about_the_place_its_file_name_or_opening_names():
    assert document_places(names=("07-cv1234-hanoi-khong-khi.txt",)) == {"ha noi"}
    opened = []

    def opening() -> str:
        opened.append(1)
        return "Ủy ban nhân dân tỉnh Nghệ An giao các sở rà soát …"

    assert document_places(names=("12-kh55-cds.txt",), opening=opening) == {"nghe an"}
    # the opening is read only when nothing else names a place
    assert document_places("Ủy ban nhân dân tỉnh Hòa Phong", opening=opening) == {"hoa phong"}
    assert len(opened) == 1


def test_a_central_issuer_is_not_about_the_capital_it_signs_in():
    assert is_central("Thủ tướng Chính phủ") and is_central("Bộ Xây dựng") and not is_central("Ủy ban nhân dân tỉnh X")
    assert document_places("Thủ tướng Chính phủ", ("Hà Nội",), "Về việc hỗ trợ người dân",
                           opening=lambda: "Hà Nội, ngày 3 tháng 4") == set()
    # its title may still name the place it is about
    assert document_places("Văn phòng Chính phủ", ("Hà Nội",), "Kết luận về phòng chống lũ tại Đắk Lắk") == {"dak lak"}
    # a local authority's written place counts; a lone word of it ("Minh") does not
    assert document_places("Ủy ban nhân dân thành phố Cần Thơ", ("Cần Thơ", "Minh")) == {"can tho"}


def test_a_file_name_read_as_a_title_keeps_words_not_numbers_or_codes():
    from tracuu.index.query.doc_places import name_words

    assert name_words("05-kh987-hoaphong-5g-iot-kcn.txt") == "hoaphong 5g iot kcn"
    assert name_words("07-cv6356-o-nhiem-khong-khi.docx", "07-cv6356-o-nhiem-khong-khi") == "o nhiem khong khi"
    assert name_words(None, "") == ""
