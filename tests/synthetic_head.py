"""The issuer block of the synthetic documents the ask tests write (a made-up province, "tỉnh Hòa
Vang"). Synthetic: no real document's text. One copy, so the document-fact tests agree on it."""

HOA_VANG_HEAD = """ỦY BAN NHÂN DÂN
TỈNH HÒA VANG
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
"""
