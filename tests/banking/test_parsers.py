"""Parsers: every real sample, a fixture per format, hostile files, fuzzing."""

from __future__ import annotations

import contextlib
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijk.banking.parsers import StatementParseError, mt940, parse_statement_file
from wijk.banking.parsers.dutch86 import parse_details

from . import fixtures

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "bank"
if not SAMPLES.is_dir():  # the worktree sits beside /work/shared; CI clones beside shared/
    SAMPLES = Path("/work/shared/data/bank")

# Every statement file a Dutch bank produced, with what must come out of it.
# (file, format, statements, lines, first account)
REAL_SAMPLES = [
    ("camt053/mpdroog_invoiced/rabobank_CAMT053_2016.xml", "camt053", 132, 9, "NL17RABO0310029597"),
    ("csv/banana_netherlands_ing/csv_ing_example_format1_20090202.csv", "csv_ing", 1, 5, "6040930"),
    (
        "csv/banana_netherlands_ing/csv_ing_example_format1_20150224.csv",
        "csv_ing",
        1,
        3,
        "HE65IEKA8524767355",
    ),
    (
        "csv/banana_netherlands_ing/csv_ing_example_format3_20230418.csv",
        "csv_ing",
        1,
        304,
        "JJ65EJPL2703784366",
    ),
    ("mt940/fruitl00p/Abn_sample", "mt940", 4, 5, "500950253"),
    ("mt940/fruitl00p/Asn_sample", "mt940", 7, 3, "NL53ASNB0781269733"),
    ("mt940/fruitl00p/Bunq_sample", "mt940", 1, 111, "NL10BUNQ2290325473"),
    ("mt940/fruitl00p/Ing_sample", "mt940", 1, 7, "0000000000"),
    ("mt940/fruitl00p/Knab_sample", "mt940", 1, 5, "0762918446"),
    ("mt940/fruitl00p/Rabo_sample", "mt940", 39, 10, "0800003200000001610722"),
    ("mt940/fruitl00p/Triodos_sample", "mt940", 2, 8, "TRIODOSBANK/0666666666"),
    ("mt940/wolph_mt940/ASNB/mt940.txt", "mt940", 31, 8, "NL81ASNB9999999999"),
    (
        "mt940/wolph_mt940/ASNB/mt940_with_spaces_for_entry_date.txt",
        "mt940",
        31,
        8,
        "NL81ASNB9999999999",
    ),
    ("mt940/wolph_mt940/jejik/abnamro.sta", "mt940", 2, 10, "517852257"),
    ("mt940/wolph_mt940/jejik/ing.sta", "mt940", 1, 7, "0001234567"),
    ("mt940/wolph_mt940/jejik/knab.sta", "mt940", 2, 3, "123456789"),
    ("mt940/wolph_mt940/jejik/rabobank-iban.sta", "mt940", 2, 4, "NL71RABO0123456789"),
    ("mt940/wolph_mt940/jejik/rabobank.sta", "mt940", 4, 5, "1291.99.348"),
    ("mt940/wolph_mt940/jejik/sns.sta", "mt940", 2, 2, "0123456789"),
    ("mt940/wolph_mt940/jejik/triodos.sta", "mt940", 1, 2, "TRIODOSBANK/0390123456"),
]

needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared/data/bank not present")


@needs_samples
@pytest.mark.parametrize(("name", "kind", "statements", "lines", "account"), REAL_SAMPLES)
def test_every_real_sample_parses(name, kind, statements, lines, account):
    parsed = parse_statement_file((SAMPLES / name).read_bytes(), file=name)
    assert parsed[0].format == kind
    assert len(parsed) == statements
    assert sum(len(s.lines) for s in parsed) == lines
    assert parsed[0].account == account


@needs_samples
def test_real_samples_give_structured_counterparties():
    bunq = parse_statement_file((SAMPLES / "mt940/fruitl00p/Bunq_sample").read_bytes(), file="b")
    first = bunq[0].lines[0]
    assert (first.counterparty_iban, first.counterparty_name, first.amount_cents) == (
        "NL65BUNQ2206724936",
        "P.C. Wacki",
        200,
    )
    rabo = parse_statement_file(
        (SAMPLES / "mt940/wolph_mt940/jejik/rabobank-iban.sta").read_bytes(), file="r"
    )
    line = rabo[0].lines[0]
    assert line.counterparty_name == "CONTRA ACCOUNT HOLDER"  # wrapped mid-word in :86:
    assert line.end_to_end_reference == "01-01-2013 12:00 0030000987654321"
    camt = parse_statement_file(
        (SAMPLES / "camt053/mpdroog_invoiced/rabobank_CAMT053_2016.xml").read_bytes(), file="c"
    )
    tax = next(ln for s in camt for ln in s.lines)
    assert (tax.counterparty_name, tax.amount_cents) == ("Belastingdienst Apeldoorn", -407600)


@needs_samples
def test_ing_belgium_is_refused_with_a_reason():
    name = "csv/banana_netherlands_ing/csv_ing_example_format2_20100910.csv"
    with pytest.raises(StatementParseError) as exc:
        parse_statement_file((SAMPLES / name).read_bytes(), file=name)
    assert "format is not recognised" in str(exc.value)
    assert name in str(exc.value)


FIXTURES = [
    ("camt053", lambda: fixtures.camt053(version="02")),
    ("camt053", lambda: fixtures.camt053(version="04")),
    ("camt053", lambda: fixtures.camt053(version="08")),
    ("mt940", fixtures.mt940),
    ("csv_ing", fixtures.ing_old_csv),
    *[(kind, writer) for kind, writer in fixtures.CSV_WRITERS.items()],
]


@pytest.mark.parametrize(("kind", "writer"), FIXTURES)
def test_every_format_gives_the_same_lines(kind, writer):
    parsed = parse_statement_file(writer(), file="statement.dat")
    assert [s.format for s in parsed] == [kind]
    lines = parsed[0].lines
    assert [ln.amount_cents for ln in lines] == [line.cents for line in fixtures.LINES]
    assert [ln.booking_date for ln in lines] == [line.day for line in fixtures.LINES]
    assert lines[0].counterparty_iban == "NL02RABO0123456789"
    assert lines[0].counterparty_name == "Sportclub De Ster"
    assert "Zaalhuur maart" in lines[0].description
    if parsed[0].opening_balance_cents is not None:
        assert parsed[0].opening_balance_cents == fixtures.OPENING
        assert parsed[0].closing_balance_cents == fixtures.closing()


def test_dutch_86_subfields():
    details = parse_details(
        "/TRTP/SEPA OVERBOEKING/IBAN/NL83ABNA0437015300/BIC/ABNANL2AXXX /NAME/ACHMEA N.V./EREF/50"
        "02100023310160 /REMI/EERSTE MAAND"
    )
    assert details.counterparty_iban == "NL83ABNA0437015300"
    assert details.counterparty_name == "ACHMEA N.V."
    assert details.end_to_end_reference == "5002100023310160"
    assert details.description == "EERSTE MAAND"
    knab = parse_details("FACTUUR 201403110\nREK: NL65INGB0123456789/NAAM: PICQER")
    assert (knab.counterparty_iban, knab.counterparty_name) == ("NL65INGB0123456789", "PICQER")
    triodos = parse_details("000>100555555555\n>20HUUR KAN>21TOOR\n>310666666666")
    assert triodos.description == "HUUR KANTOOR"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"%PDF-1.7 statement.xml", "PDF"),
        (b"PK\x03\x04zip", "ZIP"),
        (b"\xff\xfe\x00a\x00b", "binary"),
        (b"hello;world\n1;2\n", "not recognised"),
        (b"<Document xmlns='urn:other'/>", "not a CAMT.053"),
        (b"<Document", "not well-formed"),
        (
            fixtures.camt053()
            .replace(b"<BookgDt>", b"<Bookg>")
            .replace(b"</BookgDt>", b"</Bookg>"),
            "schema",
        ),
        (fixtures.mt940().replace(b":60F:C260302EUR500,00\n", b""), "opening balance"),
        (fixtures.mt940().replace(b":28C:1", b":28C:x"), ":28C:"),
        (fixtures.rabobank_csv().replace(b'"+125,00"', b'"twaalf"'), "Bedrag"),
    ],
)
def test_bad_files_are_refused_with_a_located_reason(data, words):
    with pytest.raises(StatementParseError) as exc:
        parse_statement_file(data, file="upload.xml")
    assert str(exc.value).startswith("upload.xml")
    assert words in str(exc.value)


def test_csv_errors_name_line_and_column():
    data = fixtures.rabobank_csv().replace(b'"+125,00"', b'"twaalf"')
    with pytest.raises(StatementParseError) as exc:
        parse_statement_file(data, file="r.csv")
    assert str(exc.value).startswith("r.csv, line 2: Bedrag:")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&lol3;</Document>"""


def test_billion_laughs_is_refused():
    with pytest.raises(StatementParseError) as exc:
        parse_statement_file(BILLION_LAUGHS, file="laughs.xml")
    assert "DTD" in str(exc.value)


def test_external_entity_opens_no_connection_and_reads_no_file(tmp_path):
    import socket

    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    connected: list[bool] = []

    def accept() -> None:
        try:
            conn, _addr = listener.accept()
            connected.append(True)
            conn.close()
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    data = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY net SYSTEM "http://127.0.0.1:{port}/x">'
        f'<!ENTITY file SYSTEM "file://{secret}">]>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&net;&file;</Document>'
    ).encode()
    with pytest.raises(StatementParseError) as exc:
        parse_statement_file(data, file="xxe.xml")
    thread.join()
    listener.close()
    assert not connected
    assert "SECRET" not in str(exc.value)


def test_deep_nesting_is_refused_cleanly():
    data = (
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
        + b"<a>" * 5000
        + b"</a>" * 5000
        + b"</Document>"
    )
    with pytest.raises(StatementParseError) as exc:
        parse_statement_file(data, file="deep.xml")
    assert str(exc.value).startswith("deep.xml, line 1: the XML is nested too deeply")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_fuzzed_bytes_raise_only_our_error(data):
    with contextlib.suppress(StatementParseError):
        parse_statement_file(data, file="fuzz")


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=400), st.binary(min_size=1, max_size=8))
def test_fuzzed_fixtures_raise_only_our_error(position, noise):
    for writer in (fixtures.mt940, fixtures.ing_csv, fixtures.camt053, fixtures.abn_amro_tab):
        data = writer()
        cut = position % len(data)
        with contextlib.suppress(StatementParseError):
            parse_statement_file(data[:cut] + noise + data[cut + len(noise) :], file="fuzz")


def _many(count: int) -> tuple[fixtures.Line, ...]:
    return tuple(
        fixtures.Line(
            date(2026, 3, 1) + timedelta(days=i % 28),
            (i + 1) * (1 if i % 2 else -1) * 10,
            "NL02RABO0123456789" if i % 3 else "",
            f"Partij {i % 7}",
            f"regel {i}",
            f"E2E{i}",
        )
        for i in range(count)
    )


def test_a_camt_statement_streams_and_reads_like_the_whole_tree():
    """Entries are read and let go one by one: the same lines as from the whole tree."""
    from lxml import etree

    data = fixtures.camt053(_many(300))
    (statement,) = parse_statement_file(data, file="s.xml")
    root = etree.fromstring(data)
    ns = {"c": root.nsmap[None]}
    assert len(statement.lines) == len(root.findall(".//c:Ntry", ns)) == 300
    assert [line.description for line in statement.lines] == [
        node.text for node in root.findall(".//c:Ntry//c:Ustrd", ns)
    ]
    assert statement.lines[299].location == "Stmt[1]/Ntry[300]"
    assert statement.closing_balance_cents == fixtures.closing(_many(300))


def test_a_camt_schema_fault_late_in_the_file_is_located_by_its_line():
    pretty = fixtures.camt053(_many(50)).replace(b"<Ntry>", b"\n<Ntry>")
    where = pretty.index(b"<BookgDt>", pretty.index(b"regel 39"))  # in the 41st entry
    rest = pretty[where:].replace(b"BookgDt>", b"Bookg>", 2)  # well-formed, not valid
    broken = pretty[:where] + rest
    line = pretty.count(b"\n", 0, where) + 1
    with pytest.raises(StatementParseError) as exc:
        parse_statement_file(broken, file="late.xml")
    assert str(exc.value).startswith(f"late.xml, line {line}: the file does not follow")


def test_a_long_mt940_statement_read_in_pieces_reads_as_a_whole(monkeypatch):
    data = fixtures.mt940(_many(25))
    (whole,) = parse_statement_file(data, file="s.sta")
    monkeypatch.setattr(mt940, "PIECE", 4)
    (pieces,) = parse_statement_file(data, file="s.sta")
    assert pieces == whole
    assert len(pieces.lines) == 25
    assert pieces.lines[24].location == whole.lines[24].location == "line 53"


def test_an_mt940_fault_in_a_later_piece_names_its_line(monkeypatch):
    monkeypatch.setattr(mt940, "PIECE", 4)
    text = fixtures.mt940(_many(25)).decode()
    lines = text.split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(":61:")) + 2 * 13
    lines[number] = lines[number][:10] + "X" + lines[number][11:]
    with pytest.raises(StatementParseError) as exc:
        parse_statement_file("\n".join(lines).encode(), file="s.sta")
    assert str(exc.value).startswith(f"s.sta, line {number + 1}: :61:")
