"""Reading files: UTF-8 with or without BOM, and clear refusals for what cannot be read."""
import pytest

from assistant.documents import DocumentError, read_document


def test_utf8_with_and_without_bom(tmp_path):
    plain = tmp_path / "a.txt"
    plain.write_bytes("延边州。".encode("utf-8"))
    bom = tmp_path / "b.md"
    bom.write_bytes(b"\xef\xbb\xbf" + "延边州。".encode("utf-8"))
    assert read_document(plain).text == read_document(bom).text == "延边州。"
    assert read_document(bom).encoding == "utf-8-sig"


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 10, "binary"),
    ("sheet.xlsx", b"PK\x03\x04 not a text file", "unsupported format"),
])
def test_unreadable_files_get_a_clear_message(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as err:
        read_document(path)
    assert name in str(err.value) and reason in str(err.value)
